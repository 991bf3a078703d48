// Exercise 2.5 — statistics: count, total and maximum, recorded by many threads.
// Reference solution. (Contract: see exercises/02-atomics/statistics.hpp.)
//
// Why it is correct
//   * count_ and total_ change only through fetch_add, one indivisible
//     read-modify-write. Two threads that add at once are put one after the
//     other in the object's modification order, and the second reads the
//     first's result ([atomics.order]: an RMW reads the last value before its
//     own write). `count_.store(count_.load() + 1)` is two operations: both
//     threads may load 7 and both store 8, and one sample is lost.
//   * max_ can only be raised by a compare-exchange loop: "if larger, store"
//     is a load, a compare and a store, and a larger maximum stored by another
//     thread between the load and the store would be overwritten by our
//     smaller one. compare_exchange_weak stores only if max_ still holds the
//     value we compared against; if not, it hands us the current value and we
//     compare again. The loop ends when our sample is not larger (nothing to
//     do) or our store succeeded, so every modification of max_ raises it:
//     max_ never goes down.
//   * _weak may fail spuriously (on LL/SC machines such as ARM); in a loop
//     that re-checks the condition, a spurious failure only costs a retry, so
//     the cheaper weak form is the right one.
//   * read() loads each field once. A field's value is always one its
//     modification order really contains, and a later read() on the same
//     thread never reads an earlier one (coherence, [intro.races]). The three
//     loads are separate, so the snapshot mixes moments; the contract says so
//     rather than pretending otherwise. (seq_cst would not fix that either: a
//     record() can still run between two of read()'s loads.)
//
// Memory ordering: every operation is relaxed. The fields publish nothing —
// no reader uses them to decide that some OTHER memory is ready — so no
// operation needs to synchronize with another; atomicity and the per-object
// modification order are all the contract asks for, and they hold for every
// memory order. Exactness after the join comes from the join itself: a
// thread's completion synchronizes with the return of join(), so every
// record() happens-before a read() made after it.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>

class statistics {
 public:
  /// Records one sample. Safe to call from many threads at once.
  void record(std::uint64_t sample) noexcept {
    count_.fetch_add(1, wb::memory_order_relaxed);
    total_.fetch_add(sample, wb::memory_order_relaxed);  // wraps modulo 2^64
    raise_max(sample);
  }

  /// Each field exact once all recording threads have been joined; while
  /// they run, each field separately is some value it really held.
  struct snapshot {
    std::uint64_t count, total, max;
  };

  snapshot read() const noexcept {
    return {count_.load(wb::memory_order_relaxed), total_.load(wb::memory_order_relaxed),
            max_.load(wb::memory_order_relaxed)};
  }

 private:
  // Raises max_ to `sample` unless it already holds at least as much.
  void raise_max(std::uint64_t sample) noexcept {
    std::uint64_t seen = max_.load(wb::memory_order_relaxed);
    // On failure compare_exchange_weak stores the current value into `seen`.
    while (seen < sample && !max_.compare_exchange_weak(seen, sample, wb::memory_order_relaxed,
                                                        wb::memory_order_relaxed)) {}
  }

  wb::atomic<std::uint64_t> count_{0}, total_{0}, max_{0};
};
