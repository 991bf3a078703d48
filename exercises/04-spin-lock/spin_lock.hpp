// Exercise 4.1 — spin_lock: the smallest lock there is.
//
// A mutex puts a waiting thread to sleep and asks the kernel to wake it. A
// spin lock does not: a thread that finds it held simply tries again, and
// again, until the owner lets go. That costs a core for as long as it waits,
// which is only worth it when critical sections are a handful of
// instructions — but it is the whole idea of a lock in one atomic bool, and
// every other lock in this book is built on the same two operations.
//
//     spin_lock lock;
//     long counter = 0;               // plain data, guarded by lock
//     // on any thread:
//     lock.lock();
//     ++counter;
//     lock.unlock();
//     // or, better: std::lock_guard guard(lock); ++counter;
//
// Contract
//   * lock() returns once the calling thread holds the lock, spinning (never
//     sleeping) while another thread holds it. At most one thread holds the
//     lock at any time.
//   * try_lock() tries once: it returns true if the caller now holds the
//     lock, false if another thread held it. It never waits.
//   * unlock() releases the lock. Only the thread that holds it may call it;
//     unlocking a free lock is a bug (an assert in debug builds).
//   * The lock is not recursive: lock() by the thread that already holds it
//     spins forever.
//   * lock/try_lock/unlock make spin_lock a Lockable type, so
//     std::lock_guard, std::unique_lock and std::scoped_lock work with it.
//   * Not copyable or movable: threads refer to a lock by its address.
//
// Memory ordering: everything a thread does while it holds the lock
// happens-before everything the next thread to take the lock does while it
// holds it. That is why the guarded counter above is not a data race. unlock
// must therefore be a release and the successful exchange in lock/try_lock an
// acquire: the release store of `false` synchronizes with the acquire
// exchange that reads it ([atomics.order]).
//
// Run the tests: ./workbook check spin_lock      Hints: ./workbook hint spin_lock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cassert>

class spin_lock {
 public:
  spin_lock() = default;
  spin_lock(const spin_lock&) = delete;
  spin_lock& operator=(const spin_lock&) = delete;

  void lock() noexcept {
    // TODO(exercise): set locked_ to true and find out, in the same
    // indivisible step, whether it was false before (then the lock is yours).
    // If it was already true, somebody else holds it: wb::spin_loop_hint(),
    // then try again. Which memory order makes the previous owner's writes
    // visible to you?
    WB_NOT_IMPLEMENTED("spin_lock::lock: exchange(true) with acquire until it returns false");
  }

  [[nodiscard]] bool try_lock() noexcept {
    // TODO(exercise): one attempt of what lock() does. No loop.
    WB_NOT_IMPLEMENTED("spin_lock::try_lock: one exchange(true) with acquire");
  }

  void unlock() noexcept {
    // TODO(exercise): set locked_ back to false so that the next thread's
    // exchange sees your critical section's writes. Which memory order?
    WB_NOT_IMPLEMENTED("spin_lock::unlock: store(false) with release");
  }

 private:
  wb::atomic<bool> locked_{false};  // false = free, true = held by some thread
};
