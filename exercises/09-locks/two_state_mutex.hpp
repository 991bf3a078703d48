// Exercise 9.1 — two_state_mutex: a mutex whose waiters sleep, from one atomic and a futex.
//
// Chapter 4's locks spin: a waiter burns its core until the owner lets go.
// This mutex puts a waiter to sleep instead, with wb::wait (a futex on
// Linux), and the owner wakes a sleeper when it unlocks. One 32-bit state,
// two values:
//
//     state_      meaning
//     unlocked    free
//     locked      held; threads may be asleep waiting for it
//
//     two_state_mutex mutex;
//     std::lock_guard guard(mutex);           // Lockable: the standard guards work
//
// Contract
//   * lock() returns once the calling thread holds the mutex. At most one
//     thread holds it at any time. A thread that finds it held sleeps in
//     wb::wait until an unlock wakes it; it does not spin.
//   * try_lock() takes the mutex if it is free and returns true, or returns
//     false at once if it is held. It never blocks and never fails on a
//     free mutex. (Lockable: std::unique_lock, std::scoped_lock and
//     std::condition_variable_any work with it.)
//   * unlock() frees the mutex and wakes one sleeping thread, if any. The
//     state cannot say whether anyone sleeps, so it wakes on every call: a
//     wake call per unlock, which on a raw futex is a system call
//     (exercise 9.2 removes it). Only the owner
//     unlocks.
//   * No waiter sleeps forever while the mutex is free (no lost wake-up).
//   * Not recursive (locking it twice on one thread deadlocks), not fair
//     (a running thread may take it before a woken one), not copyable.
//
// Memory ordering: everything a thread does while it holds the mutex
// happens-before everything the next owner does while it holds it. The
// read-modify-write that takes the mutex (in lock and try_lock) is an
// acquire; the store that frees it is a release; the acquire that reads the
// `unlocked` the previous owner stored synchronizes with that store
// ([atomics.order]). Waiting (the load inside wb::wait) may be relaxed: it
// only decides whether to sleep.
//
// Run the tests: ./workbook check two_state_mutex      Hints: ./workbook hint two_state_mutex
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class two_state_mutex {
 public:
  two_state_mutex() = default;
  two_state_mutex(const two_state_mutex&) = delete;
  two_state_mutex& operator=(const two_state_mutex&) = delete;

  void lock() noexcept {
    // TODO(exercise): take the mutex with one read-modify-write that also
    // tells you whether it was free. While it was not, sleep with
    // wb::wait(state_, locked, ...) and try again when you wake. Which order
    // must the operation that takes the mutex have?
    WB_NOT_IMPLEMENTED(
        "two_state_mutex::lock: exchange(locked, acquire) until it returns unlocked, wb::wait in "
        "between");
  }

  bool try_lock() noexcept {
    // TODO(exercise): take it only if it is free, in one step, and say
    // whether you did. Never wait.
    WB_NOT_IMPLEMENTED(
        "two_state_mutex::try_lock: compare_exchange unlocked -> locked with acquire");
  }

  void unlock() noexcept {
    // TODO(exercise): free the mutex, then wake one sleeper. Why must the
    // store come before the wake, and not after?
    WB_NOT_IMPLEMENTED("two_state_mutex::unlock: store unlocked with release, then wb::wake_one");
  }

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;  // held; waiters may be asleep

  wb::atomic<std::uint32_t> state_{unlocked};
};
