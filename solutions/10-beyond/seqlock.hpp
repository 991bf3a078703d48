// Exercise 10.2 — seqlock: a sequence lock, readers that never write shared memory and retry.
// Reference solution. (Contract: see exercises/10-beyond/seqlock.hpp.)
//
// Why it is correct
//   * The writer makes the sequence odd, writes the words, makes it even
//     again. A reader that read the same even number before and after its
//     copy has a copy no writer touched in between, *provided* "before" and
//     "after" are ordered with the copy. That is all the fences are for.
//   * The words are atomics, read and written relaxed. With plain words a
//     reader that overlaps a write is a data race, undefined behaviour
//     ([intro.races] p21), even though the reader would throw the copy
//     away: the compiler may assume no race and, for example, read a word
//     twice and get two values. Relaxed atomics cost nothing more than plain
//     loads and stores on x86 and ARM.
//
// Memory ordering (Boehm, "Can seqlocks get along with programming language
// memory models?", MSPC 2012, the version with fences):
//
//       writer                                reader
//       sequence_ = s + 1 (relaxed)
//       fence(release) ----------.            before = sequence_ (acquire)
//       word[i] = v (relaxed)     \           copy[i] = word[i] (relaxed)
//       sequence_ = s + 2 (release)`--------> fence(acquire)
//                                             after = sequence_ (relaxed)
//
//   * If the copy read any word the writer wrote, the writer's release fence
//     synchronizes with the reader's acquire fence ([atomics.fences] p4), so
//     the store of s + 1 happens-before the load of `after`, which by
//     write-read coherence ([intro.races] p18) reads s + 1 or later: not
//     `before` (which was at most s). The copy is thrown away. Without the
//     acquire fence, `after` is a relaxed load that may still read the old
//     even value; without the release fence, nothing orders the store of
//     s + 1 before the word the reader saw. Either way a torn copy passes.
//   * If `before` read s + 2 (acquire, from the release store), every word
//     written before it happens-before the copy: the copy reads those values
//     or later ones, and later ones change the sequence first and are caught
//     by `after` as above.
//   * The acquire fence sits between the word loads and `after`, where a
//     plain acquire load of `after` would not help: acquire orders what comes
//     *after* a load, and the word loads come before it.
//   * Only the writer changes the sequence, so it reads it relaxed.
#pragma once

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
    value_type copy;  // one object, returned in place: no second copy
    for (unsigned tries = 1;; ++tries) {
      const std::uint64_t before = sequence_.load(wb::memory_order_acquire);
      if (before % 2 == 0) {
        for (std::size_t i = 0; i < Words; ++i) copy[i] = load_word(i);
        wb::atomic_thread_fence(wb::memory_order_acquire);  // the copy before `after`
        const std::uint64_t after = sequence_.load(wb::memory_order_relaxed);
        if (after == before) return copy;
      }
      // A writer is inside or was: try again, and give the core away now and
      // then in case the writer is waiting for it (a heuristic).
      if (tries % 64 == 0) std::this_thread::yield();  // not a model operation: harmless there
      wb::spin_loop_hint();
    }
  }

  // One writer at a time (the caller serializes writers).
  void write(const value_type& value) noexcept {
    const std::uint64_t sequence = sequence_.load(wb::memory_order_relaxed);  // ours only
    sequence_.store(sequence + 1, wb::memory_order_relaxed);
    wb::atomic_thread_fence(wb::memory_order_release);  // odd before any word
    for (std::size_t i = 0; i < Words; ++i) store_word(i, value[i]);
    sequence_.store(sequence + 2, wb::memory_order_release);
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
