// Exercise 7.3 — batched_counter: count locally, publish every N.
// Reference solution. (Contract: see exercises/07-processor/batched_counter.hpp.)
//
// Why it is correct
//   * Every increment is counted exactly once: it goes into one tally's
//     pending_, and pending_ goes into the shared total exactly once, by the
//     flush that then sets it back to 0. The destructor flushes, so a thread
//     that ends (its tally is a local of the thread's function) hands in
//     what it had not yet flushed: nothing is lost at thread exit.
//   * The shared total is changed only by fetch_add, a read-modify-write:
//     two tallies flushing at once each add their own amount, and neither
//     is lost ([atomics.order]/10: an RMW reads the last value in the
//     modification order). A load followed by a store would lose one.
//   * Bounded staleness: a tally holds at most batch - 1 increments, since
//     the increment that makes pending_ reach batch flushes. So value() is
//     never more than (live tallies) x (batch - 1) behind the increments
//     already made. And a thread that reads value() after its own flush sees
//     at least that flush: the read comes after the RMW on the same atomic
//     in the thread's own order (write-read coherence, [intro.races]/18).
//   * Why it is fast: with batch = 64 the shared line is written once per 64
//     increments, and the other 63 are a register increment.
//
// Memory ordering: relaxed. The total is a statistic: no thread reads other
// data because the total reached some value. The exact value after the
// joins comes from the joins ([thread.thread.member]/4), which make every
// flush happen-before the final load.
#pragma once

#include <wb/sync.hpp>

class batched_counter {
 public:
  explicit batched_counter(long batch) : batch_(batch) {}

  batched_counter(const batched_counter&) = delete;
  batched_counter& operator=(const batched_counter&) = delete;

  long batch() const noexcept { return batch_; }

  /// What has been flushed so far: behind the increments by at most
  /// (live tallies) x (batch - 1).
  long value() const noexcept { return total_.load(wb::memory_order_relaxed); }

  /// One thread's share of the counting: a local of the thread function.
  class tally {
   public:
    explicit tally(batched_counter& counter) noexcept : counter_(counter) {}
    tally(const tally&) = delete;
    tally& operator=(const tally&) = delete;
    ~tally() { flush(); }

    void increment() noexcept {
      if (++pending_ == counter_.batch_) flush();
    }

    void flush() noexcept {
      if (pending_ == 0) return;  // nothing to hand in: do not touch the shared line
      counter_.total_.fetch_add(pending_, wb::memory_order_relaxed);
      pending_ = 0;
    }

    long pending() const noexcept { return pending_; }

   private:
    batched_counter& counter_;
    long pending_ = 0;  // this thread's increments not yet in the total
  };

 private:
  const long batch_;
  wb::atomic<long> total_{0};
};
