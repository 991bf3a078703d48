// Exercise 10.1 — semaphore: a counting semaphore from one atomic count and address-based waiting.
//
// A semaphore holds a number of permits. acquire() takes one, sleeping while
// there is none; release(n) puts n back and wakes threads that sleep for
// them. With one permit it is a lock that any thread may release; with N it
// bounds how many threads do something at once (N connections, N buffers).
// C++20 has it as std::counting_semaphore; this one is built the way
// libstdc++ builds its own: one atomic count, and wb::wait / wb::wake_one /
// wb::wake_all on it (a futex on Linux).
//
//     semaphore slots(4);                  // four permits
//     slots.acquire();                     // sleeps while all four are taken
//     use_a_slot();
//     slots.release();
//
// Contract
//   * acquire() returns once it has taken a permit: the count was above 0
//     and it lowered it by one, in one step. While the count is 0 the thread
//     sleeps in wb::wait (it does not spin).
//   * try_acquire() takes a permit if there is one and returns true, or
//     returns false at once. It never blocks and never fails while the count
//     is above 0.
//   * release(n), n > 0: adds n permits and wakes threads asleep in acquire
//     (at least n of them, if that many sleep). Any thread may release, not
//     only one that acquired.
//   * The count never goes below 0, and no thread sleeps while a permit is
//     free (no lost wake-up).
//   * Not copyable. The count must stay below 2^32 (not checked).
//
// Memory ordering: what a thread does before release() happens-before what
// a thread does after the acquire() (or successful try_acquire()) that takes
// one of those permits. So release() is a release read-modify-write, and the
// operation that takes a permit an acquire ([atomics.order]). A failed
// try_acquire() synchronizes with nothing.
//
// Run the tests: ./workbook check semaphore      Hints: ./workbook hint semaphore
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>

class semaphore {
 public:
  explicit semaphore(std::uint32_t initial) noexcept : count_(initial) {}
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  void acquire() noexcept {
    // TODO(exercise): read the count. While it is 0, sleep with
    // wb::wait(count_, 0, ...) and read it again. When it is above 0, take
    // one with a compare-exchange from the value you read: why not
    // fetch_sub(1)? Which order must the operation that takes it have?
    WB_NOT_IMPLEMENTED(
        "semaphore::acquire: wb::wait while the count is 0, then compare_exchange count -> count - "
        "1 with acquire");
  }

  bool try_acquire() noexcept {
    // TODO(exercise): the same compare-exchange loop, but return false
    // instead of sleeping when the count is 0.
    WB_NOT_IMPLEMENTED(
        "semaphore::try_acquire: compare_exchange count -> count - 1 while the count is above 0");
  }

  void release(std::uint32_t n = 1) noexcept {
    assert(n > 0);
    // TODO(exercise): add n permits with one read-modify-write, then wake.
    // How many sleepers may need waking? Why add first and wake after?
    (void)n;
    WB_NOT_IMPLEMENTED(
        "semaphore::release: fetch_add(n, release), then wb::wake_one (n == 1) or wb::wake_all");
  }

 private:
  wb::atomic<std::uint32_t> count_;
};
