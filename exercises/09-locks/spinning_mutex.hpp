// Exercise 9.3 — spinning_mutex: the three-state mutex that spins briefly before it sleeps.
//
// Going to sleep and being woken costs two system calls and a context
// switch: microseconds. Many critical sections are far shorter. If the
// owner is running on another core, it will probably let go while we watch,
// so a contended lock() first watches the state for a short while and only
// then sleeps as in exercise 9.2.
//
//     state_                meaning
//     unlocked              free
//     locked                held, nobody waits         <- worth spinning on
//     locked_with_waiters   held, threads may sleep    <- others sleep: do not spin
//
// Contract
//   * Everything exercise 9.2's three_state_mutex promises (mutual
//     exclusion, try_lock, no wake call when uncontended, no lost wake-up,
//     Lockable, not recursive, not fair, not copyable).
//   * lock_contended() first reads the state up to spin_limit times, with
//     wb::spin_loop_hint() between reads, while it is `locked`; it stops
//     early when it sees anything else. It spins by reading, never by
//     writing (chapter 4's test-and-test-and-set).
//   * If the spin saw `unlocked`, it tries to take the mutex as `locked`
//     with a compare-exchange (nobody has announced a sleep). Otherwise, or
//     if that fails, it goes on exactly as three_state_mutex's slow path.
//   * spin_limit is a heuristic, not a law: the chapter measures how many
//     spins a short critical section needs (demo 09-02).
//
// Memory ordering: as for three_state_mutex. Every operation that can take
// the mutex is an acquire, unlock's exchange is a release, and the acquire
// that reads the previous owner's `unlocked` synchronizes with it
// ([atomics.order]). The spinning loads only decide whether to try, so
// they may be relaxed: the compare-exchange that follows is what takes the
// mutex, and it is an acquire.
//
// Run the tests: ./workbook check spinning_mutex      Hints: ./workbook hint spinning_mutex
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class spinning_mutex {
 public:
  spinning_mutex() = default;
  spinning_mutex(const spinning_mutex&) = delete;
  spinning_mutex& operator=(const spinning_mutex&) = delete;

  void lock() noexcept {
    // TODO(exercise): the fast path, as in three_state_mutex.
    WB_NOT_IMPLEMENTED(
        "spinning_mutex::lock: compare_exchange unlocked -> locked (acquire), else "
        "lock_contended()");
  }

  bool try_lock() noexcept {
    // TODO(exercise): as in three_state_mutex.
    WB_NOT_IMPLEMENTED(
        "spinning_mutex::try_lock: compare_exchange unlocked -> locked with acquire");
  }

  void unlock() noexcept {
    // TODO(exercise): as in three_state_mutex.
    WB_NOT_IMPLEMENTED(
        "spinning_mutex::unlock: exchange(unlocked, release); wb::wake_one if it was "
        "locked_with_waiters");
  }

  /// How many times lock_contended reads the state before it sleeps: a
  /// heuristic (see the chapter and demo 09-02), not a measurement.
#if defined(WB_MODEL) && WB_MODEL
  // Under the model checker the spin is a single look. The algorithm must be
  // right for any limit, and every spinning read that sees `locked` is a
  // yield that costs the checker a preemption to keep the owner away: with
  // even one spin it runs out of preemptions before a spinner gives up and
  // sleeps, which is where the bugs are (measured on this exercise's mutants).
  static constexpr unsigned spin_limit = 0;
#else
  static constexpr unsigned spin_limit = 100;
#endif

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;               // held, nobody waits
  static constexpr std::uint32_t locked_with_waiters = 2;  // held, someone may sleep

  // Watches the state while it is `locked`, at most spin_limit times;
  // returns the last value seen.
  std::uint32_t spin() noexcept {
    // TODO(exercise): load (relaxed), and while the value is `locked` and
    // you have spun fewer than spin_limit times, wb::spin_loop_hint() and
    // load again. Why stop spinning at `locked_with_waiters`?
    WB_NOT_IMPLEMENTED(
        "spinning_mutex::spin: relaxed loads while locked, at most spin_limit times");
  }

  void lock_contended() noexcept {
    // TODO(exercise): spin(); if it saw `unlocked`, try unlocked -> locked
    // once, with a compare-exchange. Then the three-state slow path. Why is
    // writing `locked` honest here, and never after sleeping?
    WB_NOT_IMPLEMENTED(
        "spinning_mutex::lock_contended: spin, try the CAS if free, then "
        "exchange(locked_with_waiters) and wb::wait");
  }

  wb::atomic<std::uint32_t> state_{unlocked};
};
