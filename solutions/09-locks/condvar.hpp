// Exercise 9.4 — condvar: a condition variable from a counter and a futex.
// Reference solution. (Contract: see exercises/09-locks/condvar.hpp.)
//
// Why it is correct
//   * The counter is a "something happened" number: notify bumps it, and
//     wait sleeps while it still holds the value wait read before letting
//     go of the mutex. Whatever notify happens after that read changes the
//     counter, so the sleep either does not start or is ended by the wake.
//   * The read must come before the unlock. The notifier changes the
//     condition under the mutex, so it cannot notify before our unlock;
//     once we have read the counter while still holding the mutex, every
//     later notify changes it:
//
//       waiter (holds m)                      notifier
//       seen = counter_ (= 5)
//       m.unlock()
//                                             m.lock(); ready = true; m.unlock()
//                                             counter_ = 6; wake_one
//       wait(counter_, 5): it is 6 -> returns at once
//
//     Read after the unlock, and the waiter may read 6, sleep on 6, and
//     never be woken: the notification fell into the gap.
//   * waiters_ counts the threads between "registered" and "done waiting",
//     so notify can skip the bump and the wake call when it reads 0. A
//     waiter registers while it still holds the mutex, before it unlocks.
//     A notifier that changed the condition under the same mutex either
//     did so before the waiter locked (then the waiter sees the condition
//     and does not wait) or after the waiter's unlock: then the waiter's
//     increment happens-before the notifier's read of waiters_ (through
//     the mutex), and coherence ([intro.races] p18) makes that read see it.
//   * Spurious wake-ups are allowed, as for std::condition_variable: a
//     notify_one's bump also releases a waiter that has read the counter
//     but not gone to sleep yet, so one notify_one may return two waits.
//     Callers wait in a loop on their condition (the predicate overload
//     does that). Avoiding every spurious wake-up would need a queue of
//     waiters with a slot each; the chapter explains why that is not worth it.
//   * The 32-bit counter wraps around. A waiter would miss a notification
//     only if exactly 2^32 notifies happened between its read and its
//     sleep, which is not a practical concern.
//
// Memory ordering: all relaxed. The condition variable protects no data of
// its own: everything the waiter reads after waking is protected by the
// mutex, whose unlock/lock pairs provide happens-before ([thread.mutex.
// requirements.mutex]). The counter only has to change (atomicity and
// coherence, no ordering), and the waiter count's correctness comes from
// the mutex, as argued above, not from the order of its own accesses.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>
#include <mutex>

class condvar {
 public:
  condvar() = default;
  condvar(const condvar&) = delete;
  condvar& operator=(const condvar&) = delete;

  /// Releases the lock, sleeps until a notify (or spuriously), re-locks.
  template <class Mutex>
  void wait(std::unique_lock<Mutex>& lock) {
    waiters_.fetch_add(1, wb::memory_order_relaxed);                     // still under the mutex
    const std::uint32_t seen = counter_.load(wb::memory_order_relaxed);  // still under the mutex
    lock.unlock();
    wb::wait(counter_, seen, wb::memory_order_relaxed);  // returns once the counter moved
    waiters_.fetch_sub(1, wb::memory_order_relaxed);
    lock.lock();
  }

  /// Waits until pred() is true; pred is evaluated with the lock held.
  template <class Mutex, class Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate pred) {
    while (!pred()) wait(lock);
  }

  void notify_one() noexcept {
    if (waiters_.load(wb::memory_order_relaxed) == 0) return;  // nobody to wake: no wake call
    counter_.fetch_add(1, wb::memory_order_relaxed);
    wb::wake_one(counter_);
  }

  void notify_all() noexcept {
    if (waiters_.load(wb::memory_order_relaxed) == 0) return;
    counter_.fetch_add(1, wb::memory_order_relaxed);
    wb::wake_all(counter_);
  }

 private:
  wb::atomic<std::uint32_t> counter_{0};  // bumped by every notify that finds waiters
  wb::atomic<std::uint32_t> waiters_{0};  // threads inside wait
};
