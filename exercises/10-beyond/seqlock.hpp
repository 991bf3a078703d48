// Exercise 10.2 — seqlock: a sequence lock, readers that never write shared memory and retry.
//
// A reader-writer lock makes readers write: each lock_shared() is a
// read-modify-write on the lock's word, and with many readers on many cores
// that one cache line bounces between them. A sequence lock lets readers
// only read. The writer keeps a sequence number, odd while it writes; a
// reader notes the number, copies the data, and checks the number again: if
// it was odd or has changed, a writer was there, and the reader throws the
// copy away and tries again. Linux reads its clock this way
// (`seqcount_t`, the vDSO's `gettimeofday`), and Concurrency Kit has it as
// `ck_sequence`.
//
//     seqlock<2> position;                  // two 64-bit words, read together
//     position.write({x, y});               // the one writer
//     auto [px, py] = position.read();      // any number of readers
//
// Contract
//   * write(v) stores the Words words of v. One writer at a time: the caller
//     serializes writers (a single writer thread, or a mutex around write).
//   * read() returns a copy equal to the initial value (all zeros) or to the
//     value of one write(), never a mix of two. It never blocks a writer
//     and writes no shared memory; it retries while a write overlaps it, so
//     a writer that never stops can starve readers.
//   * The words are wb::atomic and accessed relaxed, not plain memory: a read
//     that overlaps a write reads words while they are written, and on plain
//     memory that is a data race, undefined behaviour even if the copy is
//     then thrown away ([intro.races]).
//
// Memory ordering: a read() that returns the value of write(v) happens-after
// what the writer did before write(v) (the sequence store that ends a write
// is a release, the load that starts a read an acquire). And a read that
// overlapped a write must notice it, although its word loads are relaxed:
// a release fence between the writer's first sequence store and its word
// stores, and an acquire fence between the reader's word loads and its
// second sequence load ([atomics.fences]).
//
// Run the tests: ./workbook check seqlock      Hints: ./workbook hint seqlock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <thread>

template <std::size_t Words>
class seqlock {
 public:
  using value_type = std::array<std::uint64_t, Words>;

  seqlock() = default;
  seqlock(const seqlock&) = delete;
  seqlock& operator=(const seqlock&) = delete;

  value_type read() const noexcept {
    // TODO(exercise): loop: load the sequence (which order?); if it is even,
    // copy the words with load_word, then make sure the copy is ordered
    // before a second load of the sequence (a fence: which one, and why not
    // simply an acquire load?); return the copy if both loads agree.
    // Otherwise try again (wb::spin_loop_hint, and std::this_thread::yield
    // now and then).
    WB_NOT_IMPLEMENTED(
        "seqlock::read: acquire-load the sequence, copy if even, acquire fence, relaxed re-load, "
        "retry unless equal");
  }

  // One writer at a time (the caller serializes writers).
  void write(const value_type& value) noexcept {
    // TODO(exercise): make the sequence odd, then a fence so that no reader
    // can see a new word without also seeing the odd number, then the words
    // (store_word), then make it even again with a release store.
    (void)value;
    WB_NOT_IMPLEMENTED(
        "seqlock::write: sequence + 1, release fence, store the words, release-store sequence + 2");
  }

 private:
  std::uint64_t load_word(std::size_t i) const noexcept {
    return words_[i].load(wb::memory_order_relaxed);
  }
  void store_word(std::size_t i, std::uint64_t value) noexcept {
    words_[i].store(value, wb::memory_order_relaxed);
  }

  wb::atomic<std::uint64_t> sequence_{0};  // odd while a write is in progress
  std::array<wb::atomic<std::uint64_t>, Words> words_{};
};
