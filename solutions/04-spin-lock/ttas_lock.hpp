// Exercise 4.3 — ttas_lock: spin politely (test-and-test-and-set with backoff).
// Reference solution. (Contract: see exercises/04-spin-lock/ttas_lock.hpp.)
//
// Why it is correct, and why it is polite
//   * Mutual exclusion comes, as in exercise 4.1, from one place only: the
//     exchange(true) that returns false. Exactly one exchange reads each
//     `false` in locked_'s modification order, so one thread wins. The
//     reads before it are only a filter: a stale `false` from a relaxed load
//     costs one failed exchange, never a second owner.
//   * The waiting is done with loads. An exchange is a write: the core must
//     take the cache line holding locked_ exclusively, invalidating it in
//     every other core's cache, even when it writes `true` over `true`. N
//     threads spinning on exchange keep the line moving from core to core
//     (ping-pong), and the owner's unlock has to fight for it too. A load
//     leaves a shared copy in each waiter's cache; waiters spin on their own
//     copy, and the line moves only when the owner writes `false`.
//   * The backoff puts growing pauses between reads (1, 2, 4 ... 64
//     spin_loop_hints), so that when the lock is freed the waiters do not
//     all rush at it in the same instant, and a core that would otherwise
//     hammer the line does less of it. It is bounded: without a bound a
//     waiter that has waited long sleeps ever longer and reacts late to a
//     lock that is free. The bound, like the start, is a heuristic; see the
//     chapter for how to measure it on your machine.
//   * The backoff is a local of each lock_contended call: each waiter has
//     its own, starting small every time it has to wait. One shared by all
//     waiters (a member) would be plain data written by several threads at
//     once, a data race, and would never start small again.
//   * The fast path is one exchange: when there is no contention, testing
//     first would only add a load.
//
// Memory ordering: as in exercise 4.1. unlock's store of false is a release,
// and the exchange that takes the lock is an acquire: reading the released
// `false` synchronizes with it ([atomics.order]/2), so the previous owner's
// critical section happens-before the new owner's. The loads that only
// wait are relaxed: no decision to touch the protected data is taken on
// their word, only the decision to try the exchange, and the exchange does
// the synchronizing. (An acquire on the waiting loads would be correct but
// useless, and on ARM or POWER it costs a barrier per spin.)
#pragma once

#include <wb/sync.hpp>

/// Bounded exponential backoff for spin loops: each pause() spins twice as
/// long as the one before (in wb::spin_loop_hint calls), up to max_spins.
class exponential_backoff {
 public:
  static constexpr unsigned first_spins = 1;
  static constexpr unsigned max_spins = 64;  // heuristic: a few microseconds on current x86

  void pause() noexcept {
    for (unsigned i = 0; i < spins_; ++i) wb::spin_loop_hint();
    if (spins_ < max_spins) spins_ *= 2;
  }

  unsigned spins() const noexcept { return spins_; }  // the length of the next pause

 private:
  unsigned spins_ = first_spins;
};

template <class Flag = wb::atomic<bool>>
class basic_ttas_lock {
 public:
  basic_ttas_lock() = default;
  basic_ttas_lock(const basic_ttas_lock&) = delete;
  basic_ttas_lock& operator=(const basic_ttas_lock&) = delete;

  void lock() noexcept {
    if (!locked_.exchange(true, wb::memory_order_acquire)) return;  // it was free: ours
    lock_contended();
  }

  [[nodiscard]] bool try_lock() noexcept {
    // Test first: on a held lock, a read leaves the cache line shared.
    return !locked_.load(wb::memory_order_relaxed) &&
           !locked_.exchange(true, wb::memory_order_acquire);
  }

  void unlock() noexcept { locked_.store(false, wb::memory_order_release); }

 private:
  void lock_contended() noexcept {
    exponential_backoff backoff;
    do {
      while (locked_.load(wb::memory_order_relaxed)) backoff.pause();  // test ...
    } while (locked_.exchange(true, wb::memory_order_acquire));        // ... and set
  }

  Flag locked_{false};  // false = free, true = held by some thread
};

using ttas_lock = basic_ttas_lock<>;
