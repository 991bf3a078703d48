// Exercise 2.4 — progress_counter: count finished work, and sleep until enough is done.
// Reference solution. (Contract: see exercises/02-atomics/progress_counter.hpp.)
//
// Why it is correct
//   * advance uses fetch_add, one indivisible read-modify-write: concurrent
//     advances never lose an update, and done_ only grows.
//   * wait_until checks the count and sleeps on the value it checked:
//     wb::wait(done_, seen) compares done_ with `seen` and goes to sleep as
//     one step with respect to wake_all (the standard's "atomic waiting
//     operation is eligible to be unblocked by a notify" rule,
//     [atomics.wait]). So an advance that lands between the check and the
//     sleep makes done_ differ from `seen`, and wait returns at once instead
//     of sleeping through the only wake-up:
//
//       waiter                          worker
//       seen = load -> 99  (< 100)
//                                       fetch_add -> 100
//                                       wake_all (nobody asleep yet)
//       wait(done_, 99): done_ is 100, not 99 -> returns at once
//
//     Sleeping on a value loaded later than the check (or on the target)
//     would instead sleep until an advance that may never come, or not sleep
//     at all.
//   * wait returns when done_ is no longer `seen`, which says nothing about
//     the target: an advance by 1 wakes a waiter for 100 at 1. Hence the
//     loop: reload, recheck, sleep again on the new value. (std::atomic::wait
//     itself never returns while the value still equals `seen`.)
//   * advance wakes ALL sleepers: waiters have different targets, so the one
//     that wake_one would pick may not be the one whose target was reached;
//     the others would sleep on, and nothing might ever wake them again.
//     Each woken waiter rechecks its own target and goes back to sleep if it
//     is not reached yet.
//
// Memory ordering: advance's fetch_add is a release and every load in value
// and wait_until is an acquire (as is the load inside wb::wait). An acquire
// load that reads the value written by a release synchronizes with it
// ([atomics.order]/2), so a worker's writes before advance happen-before
// the waiter's reads after it. With several workers the count a waiter sees
// is the result of a chain of fetch_adds; each fetch_add is a read-modify-
// write, so it continues the release sequence of every earlier one
// ([intro.races]), and reading the final count synchronizes with ALL the
// advances it includes, not only the last. Relaxed would make the count
// right but the results unsafe to read: a data race ([intro.races]).
// Nothing here needs seq_cst: there is one atomic, and no decision depends
// on the order of operations on two different atomics.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>

class progress_counter {
 public:
  progress_counter() = default;
  progress_counter(const progress_counter&) = delete;
  progress_counter& operator=(const progress_counter&) = delete;

  void advance(std::uint64_t n = 1) noexcept {
    done_.fetch_add(n, wb::memory_order_release);
    wb::wake_all(done_);  // waiters have different targets: any of them may be satisfied now
  }

  std::uint64_t value() const noexcept { return done_.load(wb::memory_order_acquire); }

  void wait_until(std::uint64_t target) const {
    std::uint64_t seen = done_.load(wb::memory_order_acquire);
    while (seen < target) {
      wb::wait(done_, seen, wb::memory_order_acquire);  // sleeps only while done_ is still `seen`
      seen = done_.load(wb::memory_order_acquire);
    }
  }

 private:
  wb::atomic<std::uint64_t> done_{0};  // total of every advance so far
};
