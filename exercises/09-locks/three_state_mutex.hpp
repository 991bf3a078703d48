// Exercise 9.2 — three_state_mutex: no wake call when nobody waits.
//
// Exercise 9.1's unlock wakes on every call, because its state cannot tell
// "held" from "held, and someone sleeps". A third state can:
//
//     state_                meaning
//     unlocked              free
//     locked                held, nobody waits
//     locked_with_waiters   held, and threads may be asleep: unlock must wake one
//
// The uncontended lock and unlock stay in user space: one compare-exchange
// 0 -> 1, one exchange 1 -> 0 that sees 1 and wakes nobody.
//
//     three_state_mutex mutex;
//     std::lock_guard guard(mutex);
//
// Contract
//   * lock(), try_lock() and unlock() as for two_state_mutex (exercise 9.1):
//     mutual exclusion; lock sleeps instead of spinning; try_lock never
//     blocks and never fails on a free mutex; only the owner unlocks; no
//     lost wake-up; not recursive, not fair, not copyable. Lockable.
//   * An unlock that finds `locked` makes no wake call.
//     An unlock that finds `locked_with_waiters` wakes one sleeper.
//   * A thread that goes to sleep first makes the state
//     `locked_with_waiters`, and a thread that takes the mutex after
//     sleeping leaves it `locked_with_waiters` too: it cannot know whether
//     others still sleep. (Taking it as `locked` there forgets them.)
//   * The uncontended lock() is a single compare-exchange; the rest lives in
//     lock_contended(), out of line.
//
// Memory ordering: everything a thread does while it holds the mutex
// happens-before everything the next owner does while it holds it. Every
// operation that can take the mutex (the compare-exchanges in lock and
// try_lock, the exchange in lock_contended) is an acquire; unlock's
// exchange is a release, and the acquire that reads its `unlocked`
// synchronizes with it ([atomics.order]). Failed attempts and the load
// inside wb::wait may be relaxed. unlock is a read-modify-write, not a
// store, because it must learn atomically what it replaced.
//
// Run the tests: ./workbook check three_state_mutex      Hints: ./workbook hint three_state_mutex
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class three_state_mutex {
 public:
  three_state_mutex() = default;
  three_state_mutex(const three_state_mutex&) = delete;
  three_state_mutex& operator=(const three_state_mutex&) = delete;

  void lock() noexcept {
    // TODO(exercise): the fast path: unlocked -> locked in one
    // compare-exchange. If that fails, call lock_contended().
    WB_NOT_IMPLEMENTED(
        "three_state_mutex::lock: compare_exchange unlocked -> locked (acquire), else "
        "lock_contended()");
  }

  bool try_lock() noexcept {
    // TODO(exercise): as the fast path, without the slow path. Why must it
    // not be an exchange(locked)?
    WB_NOT_IMPLEMENTED(
        "three_state_mutex::try_lock: compare_exchange unlocked -> locked with acquire");
  }

  void unlock() noexcept {
    // TODO(exercise): free the mutex and learn, in the same step, what the
    // state was. Wake one sleeper only if it said "waiters".
    WB_NOT_IMPLEMENTED(
        "three_state_mutex::unlock: exchange(unlocked, release); wb::wake_one if it was "
        "locked_with_waiters");
  }

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;               // held, nobody waits
  static constexpr std::uint32_t locked_with_waiters = 2;  // held, someone may sleep

  void lock_contended() noexcept {
    // TODO(exercise): announce that you are going to sleep and try to take
    // the mutex in the same read-modify-write; while it was not free, sleep
    // on the state and try again. Which value do you write, before and
    // after sleeping?
    WB_NOT_IMPLEMENTED(
        "three_state_mutex::lock_contended: exchange(locked_with_waiters, acquire) until unlocked, "
        "wb::wait in between");
  }

  wb::atomic<std::uint32_t> state_{unlocked};
};
