// Exercise 9.3 — spinning_mutex: the three-state mutex that spins briefly before it sleeps.
// Reference solution. (Contract: see exercises/09-locks/spinning_mutex.hpp.)
//
// Why it is correct
//   * It is exercise 9.2's mutex with one addition in the slow path: before
//     going to sleep, watch the state for a short while. Critical sections
//     are often shorter than a sleep and a wake-up (two system calls and a
//     context switch, microseconds); if the owner is running on another
//     core, it will likely let go while we watch, and we take the lock
//     without ever entering the kernel.
//   * Spin only while the state is `locked`. Once it is
//     `locked_with_waiters`, other threads are already asleep; the lock
//     will be handed on by a wake, and spinning would only burn a core (and
//     let us overtake threads that have waited longer).
//   * Spinning only reads (test-and-test-and-set, chapter 4): a read keeps
//     a shared copy of the cache line and does not slow the owner down.
//   * If the spin saw `unlocked`, try to take the lock as `locked` with a
//     compare-exchange 0 -> 1: nobody has announced a sleep (the state was
//     not 2), so "locked" is honest. If it fails, fall back to the
//     three-state slow path, which only ever writes 2. (An exchange(1)
//     here would write 1 over a 2 that another thread set meanwhile; the
//     slow path's exchange(2) right after repairs it, so nothing is lost,
//     but the compare-exchange never opens that window.)
//   * spin_limit = 100 is a heuristic: roughly the length of a short
//     critical section (a few hundred cycles with the pause instruction on
//     most x86 cores; pause lasts about 140 cycles on Skylake and later, so
//     longer there). The chapter measures how many spins a short critical
//     section needs (demo 09-02) and the benchmark compares it with 9.2.
//
// Memory ordering: as in exercise 9.2. Every operation that can take the
// lock is an acquire (the fast-path and post-spin compare-exchanges,
// try_lock's, the exchange in the sleeping loop), unlock's exchange is a
// release, and the one that reads the previous owner's `unlocked`
// synchronizes with it ([atomics.order] p2). The spinning loads are
// relaxed: they only decide whether to try; an acquire there would publish
// nothing, because the attempt that follows is what takes the lock.
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>

class spinning_mutex {
 public:
  spinning_mutex() = default;
  spinning_mutex(const spinning_mutex&) = delete;
  spinning_mutex& operator=(const spinning_mutex&) = delete;

  void lock() noexcept {
    std::uint32_t expected = unlocked;
    if (!state_.compare_exchange_strong(expected, locked, wb::memory_order_acquire,
                                        wb::memory_order_relaxed)) {
      lock_contended();
    }
  }

  bool try_lock() noexcept {
    std::uint32_t expected = unlocked;
    return state_.compare_exchange_strong(expected, locked, wb::memory_order_acquire,
                                          wb::memory_order_relaxed);
  }

  void unlock() noexcept {
    const std::uint32_t previous = state_.exchange(unlocked, wb::memory_order_release);
    assert(previous != unlocked && "unlock of a free spinning_mutex");
    if (previous == locked_with_waiters) wb::wake_one(state_);
  }

  /// How many times lock_contended reads the state before it sleeps: a
  /// heuristic (see the solution's comment and demo 09-02), not a measurement.
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

  // Watches the state while it is `locked` (held, nobody asleep), at most
  // spin_limit times; returns the last value seen.
  std::uint32_t spin() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_relaxed);
    for (unsigned spins = 0; state == locked && spins < spin_limit; ++spins) {
      wb::spin_loop_hint();
      state = state_.load(wb::memory_order_relaxed);
    }
    return state;
  }

  [[gnu::noinline]] void lock_contended() noexcept {
    std::uint32_t state = spin();
    if (state == unlocked && state_.compare_exchange_strong(state, locked, wb::memory_order_acquire,
                                                            wb::memory_order_relaxed)) {
      return;  // freed while we watched: taken without sleeping
    }
    while (state_.exchange(locked_with_waiters, wb::memory_order_acquire) != unlocked) {
      wb::wait(state_, locked_with_waiters, wb::memory_order_relaxed);
      spin();  // woken: the lock may be taken again by a thread that did not sleep
    }
  }

  wb::atomic<std::uint32_t> state_{unlocked};
};
