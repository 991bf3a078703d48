// Exercise 7.3 — batched_counter: count locally, publish every N.
//
// Exercise 7.2 gave every thread its own line. Another way to stop fighting
// over one line is to write it less often: each thread counts in a tally of
// its own (a plain long, in a register most of the time), and adds the tally
// to the shared atomic once every `batch` increments, and once more when the
// thread is done. The shared total is then a little behind, by a bounded
// amount, and exact once every thread has finished.
//
//     batched_counter events(64);
//     // in each thread:
//     batched_counter::tally mine(events);   // a local: flushed when the thread ends
//     for (...) mine.increment();
//     // after the joins:
//     long all = events.value();             // exact
//
// Contract
//   * batched_counter(batch): batch >= 1. value() is the sum of everything
//     flushed so far; batch() the batch size.
//   * tally(counter): a thread's own tally, starting at 0. It belongs to one
//     thread at a time and is neither copied nor moved; the counter outlives
//     it.
//   * increment(): adds 1 to the tally; when the tally reaches batch, flushes.
//     So a tally never holds batch increments or more.
//   * flush(): adds the tally to the shared total, and the tally restarts at
//     0. (A flush of an empty tally need not touch the shared line at all.)
//   * ~tally(): flushes. Every increment reaches the total exactly once.
//   * pending(): the increments not yet flushed.
//   * Staleness, which the tests check: a thread that has made k increments
//     through its tally, and reads value(), sees at least k - pending();
//     value() never counts an increment twice.
//
// Memory ordering: relaxed is enough. Nobody reads other data because the
// total reached a value, and the exact total after the joins comes from the
// joins. What must not be relaxed away is atomicity: two tallies flushing
// at the same moment must both count.
//
// Run the tests: ./workbook check batched_counter      Hints: ./workbook hint batched_counter
#pragma once

#include <wb/not_implemented.hpp>
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
    ~tally() {
      // TODO(exercise): what happens to the increments not yet flushed?
    }

    void increment() noexcept {
      // TODO(exercise): count one; flush when the tally reaches the batch.
      WB_NOT_IMPLEMENTED("tally::increment: ++pending_, and flush() when it reaches batch");
    }

    void flush() noexcept {
      // TODO(exercise): hand pending_ to the shared total (an atomic
      // read-modify-write), then restart at 0. Skip it when there is nothing.
      WB_NOT_IMPLEMENTED(
          "tally::flush: add pending_ to the total with one fetch_add, then zero it");
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
