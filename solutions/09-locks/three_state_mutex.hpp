// Exercise 9.2 — three_state_mutex: no wake call when nobody waits.
// Reference solution. (Contract: see exercises/09-locks/three_state_mutex.hpp.)
//
// Why it is correct
//   * One more state: `locked_with_waiters` (2) says "someone may be asleep;
//     whoever unlocks must wake one". The uncontended path never leaves
//     0 and 1: lock is one compare-exchange 0 -> 1 and unlock one exchange
//     1 -> 0 that sees 1 and wakes nobody. No wake call at all.
//   * A thread that has to sleep first sets 2 (exchange, so it also learns
//     whether the lock became free meanwhile) and sleeps only while the
//     state is still 2. Whoever then unlocks exchanges 0 in, sees 2 and
//     wakes one sleeper.
//   * After sleeping, the thread takes the lock by exchanging in 2 again,
//     not 1: it cannot know whether other threads still sleep, so it keeps
//     the conservative state. Storing 1 there would lose them:
//
//       A, B asleep on 2;   owner unlocks: sees 2, wakes A
//       A takes the lock with 1    <- forgets B
//       A unlocks: sees 1, wakes nobody;   B sleeps forever
//
//     The price is at most one needless wake when the last sleeper takes
//     the lock and later unlocks.
//   * State table (who writes what):
//
//       from \ to           unlocked         locked           locked_with_waiters
//       unlocked            -                lock/try_lock    lock_contended
//       locked              unlock           -                lock_contended
//       locked_with_waiters unlock (+ wake)  never            lock_contended
//
// Memory ordering: every operation that can take the lock (the fast-path
// compare-exchange, try_lock's, the exchange in lock_contended) is an
// acquire, and unlock's exchange is a release. Whichever of them reads the
// `unlocked` written by the previous owner's unlock synchronizes with it
// ([atomics.order] p2), so each critical section happens-before the next.
// The failure orders are relaxed (a failed attempt takes nothing), and so
// is the wait's load: it only decides whether to sleep. unlock needs a
// read-modify-write (not a store) because it must learn, atomically with
// freeing the lock, whether the state said "waiters".
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>

class three_state_mutex {
 public:
  three_state_mutex() = default;
  three_state_mutex(const three_state_mutex&) = delete;
  three_state_mutex& operator=(const three_state_mutex&) = delete;

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
    assert(previous != unlocked && "unlock of a free three_state_mutex");
    if (previous == locked_with_waiters) wake();
  }

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;               // held, nobody waits
  static constexpr std::uint32_t locked_with_waiters = 2;  // held, someone may sleep

  // Out of the fast path: the uncontended lock() stays a single inlined CAS.
  [[gnu::noinline]] void lock_contended() noexcept {
    while (state_.exchange(locked_with_waiters, wb::memory_order_acquire) != unlocked) {
      wb::wait(state_, locked_with_waiters, wb::memory_order_relaxed);
    }
  }

  void wake() noexcept { wb::wake_one(state_); }

  wb::atomic<std::uint32_t> state_{unlocked};
};
