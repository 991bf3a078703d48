// Exercise 9.1 — two_state_mutex: a mutex whose waiters sleep, from one atomic and a futex.
// Reference solution. (Contract: see exercises/09-locks/two_state_mutex.hpp.)
//
// Why it is correct
//   * Mutual exclusion comes from the exchange, as in chapter 4's spin lock:
//     the writes to state_ form one modification order, and only the
//     exchange that reads `unlocked` takes the lock ([atomics.order] p10: a
//     read-modify-write reads the value just before its own write).
//   * Instead of spinning, a thread that finds the lock held sleeps with
//     wb::wait(state_, locked): the kernel (the futex) compares state_ with
//     `locked` and puts the thread to sleep as one step with respect to a
//     wake on the same address ([atomics.wait]). So no wake-up is lost:
//
//       waiter                                owner
//       exchange(locked) -> locked
//                                             store(unlocked)
//                                             wake_one   (nobody asleep yet)
//       wait(state_, locked): state_ is unlocked -> returns at once
//
//     and if the waiter is asleep before the store, the wake_one after the
//     store finds it. The order in unlock matters: store first, then wake.
//   * The state does not say whether anyone sleeps, so unlock must wake on
//     every call: a wake call per unlock even when nobody waits (a system
//     call on a raw futex; libstdc++ 12's notify_one skips it when its own
//     table of waiter counts says nobody waits). That is the cost exercise
//     9.2 removes by itself, without relying on the library.
//   * wake_one is enough: every unlock wakes one sleeper, the woken thread
//     either takes the lock (and will wake the next one in its own unlock)
//     or finds it taken again and sleeps, and then the new owner's unlock
//     wakes one. A sleeper is never left behind a free lock.
//
// Memory ordering: the exchange that takes the lock is an acquire and the
// store that frees it a release. The acquire exchange that reads the
// owner's `unlocked` synchronizes with that release store ([atomics.order]
// p2), so each critical section happens-before the next. The wait's own
// load is relaxed: it only decides whether to sleep, and the exchange that
// follows it is the access that takes the lock. try_lock's exchange is an
// acquire for the same reason as lock's.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>

class two_state_mutex {
 public:
  two_state_mutex() = default;
  two_state_mutex(const two_state_mutex&) = delete;
  two_state_mutex& operator=(const two_state_mutex&) = delete;

  void lock() noexcept {
    while (state_.exchange(locked, wb::memory_order_acquire) == locked) {
      wb::wait(state_, locked, wb::memory_order_relaxed);  // sleeps only while still locked
    }
  }

  bool try_lock() noexcept {
    std::uint32_t expected = unlocked;
    return state_.compare_exchange_strong(expected, locked, wb::memory_order_acquire,
                                          wb::memory_order_relaxed);
  }

  void unlock() noexcept {
    state_.store(unlocked, wb::memory_order_release);
    wb::wake_one(state_);  // we cannot know whether anyone sleeps: always wake
  }

 private:
  static constexpr std::uint32_t unlocked = 0;
  static constexpr std::uint32_t locked = 1;  // held; waiters may be asleep

  wb::atomic<std::uint32_t> state_{unlocked};
};
