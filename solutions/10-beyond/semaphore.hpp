// Exercise 10.1 — semaphore: a counting semaphore from one atomic count and address-based waiting.
// Reference solution. (Contract: see exercises/10-beyond/semaphore.hpp.)
//
// Why it is correct
//   * The count never goes below zero: a permit is taken only by a
//     compare-exchange from a value c > 0 to c - 1, and a compare-exchange
//     succeeds only if nobody changed the count since we read it
//     ([atomics.order] p10: a read-modify-write reads the last value before
//     its own write in the modification order). A fetch_sub would take a
//     permit that is not there and leave the count at -1 (or, unsigned, at
//     four billion permits).
//   * A thread that finds no permit sleeps with wb::wait(count_, 0): the
//     kernel compares the count with 0 and sleeps as one step with respect to
//     a wake on the same address ([atomics.wait]). release() adds first and
//     wakes after, so either the sleeper's comparison sees the new count and
//     it does not sleep, or it is asleep when the wake comes:
//
//       acquirer                                releaser
//       load count_ -> 0
//                                               fetch_add(1) -> count_ is 1
//                                               wake_one   (nobody asleep yet)
//       wait(count_, 0): count_ is 1 -> returns at once
//
//   * release(n) with n > 1 wakes everyone: one wake per permit would do
//     too, but a woken thread that loses the race for a permit goes back to
//     sleep without passing the wake on, and wake_all is one call. release(1)
//     wakes one: the permit can serve one thread only.
//   * Every release wakes, whether or not anyone sleeps: the count does not
//     say. libstdc++ 12's notify skips the system call when its own table of
//     waiter counts says nobody waits (chapter 9). std::counting_semaphore
//     in libstdc++ 12 decides differently: it wakes only when its fetch_add
//     found the count at 0, and then wakes every sleeper (a sleeper sleeps
//     only while the count is 0, so a release that finds it above 0 has
//     nobody left to wake).
//
// Memory ordering: release() is a release read-modify-write, and the
// compare-exchange that takes the permit is an acquire. The acquire reads
// the value that release() wrote, or a later value in the release sequence
// headed by it (other threads' fetch_add and compare-exchange are
// read-modify-writes, [intro.races] p5), so it synchronizes with that
// release ([atomics.order] p2): what the releaser did before release()
// happens-before what the acquirer does after acquire(). The load that
// decides to wait and the load inside wb::wait are relaxed: they decide
// only whether to sleep, the compare-exchange is what takes the permit.
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>

class semaphore {
 public:
  explicit semaphore(std::uint32_t initial) noexcept : count_(initial) {}
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  void acquire() noexcept {
    std::uint32_t count = count_.load(wb::memory_order_relaxed);
    for (;;) {
      if (count == 0) {
        wb::wait(count_, std::uint32_t{0}, wb::memory_order_relaxed);  // sleeps only while 0
        count = count_.load(wb::memory_order_relaxed);
        continue;
      }
      // On failure `count` is reloaded: try again with what is there now.
      if (count_.compare_exchange_weak(count, count - 1, wb::memory_order_acquire,
                                       wb::memory_order_relaxed)) {
        return;
      }
    }
  }

  bool try_acquire() noexcept {
    std::uint32_t count = count_.load(wb::memory_order_relaxed);
    while (count != 0) {
      if (count_.compare_exchange_weak(count, count - 1, wb::memory_order_acquire,
                                       wb::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  void release(std::uint32_t n = 1) noexcept {
    assert(n > 0);
    count_.fetch_add(n, wb::memory_order_release);
    if (n == 1) {
      wb::wake_one(count_);
    } else {
      wb::wake_all(count_);  // n permits: a woken loser does not pass a wake on
    }
  }

 private:
  wb::atomic<std::uint32_t> count_;
};
