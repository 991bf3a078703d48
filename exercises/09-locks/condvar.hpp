// Exercise 9.4 — condvar: a condition variable from a counter and a futex.
//
// A condition variable lets a thread that holds a mutex sleep until another
// thread says "something changed". This one is a 32-bit counter: notify
// bumps it, and wait sleeps on it with wb::wait as long as it holds the
// value wait read while it still held the mutex. A second counter,
// waiters_, lets notify skip the bump and the wake call when
// nobody waits.
//
//     wb::mutex mutex;  condvar changed;  bool ready = false;
//     // waiter                                   // notifier
//     std::unique_lock lock(mutex);               { std::lock_guard g(mutex); ready = true; }
//     changed.wait(lock, [&] { return ready; });  changed.notify_one();
//
// Contract
//   * wait(lock): `lock` owns a locked mutex (any type with lock() and
//     unlock(): wb::mutex, this chapter's mutexes). wait releases it,
//     sleeps, and re-locks it before returning. A notify that happens after
//     wait released the mutex is never lost: that wait returns.
//   * wait may also return without a notify, or several waits may return for
//     one notify_one (spurious wake-ups): callers re-check their condition
//     in a loop. wait(lock, pred) is that loop.
//   * notify_one() makes at least one waiting thread return; notify_all()
//     makes every waiting thread return. "Waiting" means: wait was called
//     and released the mutex before the notify.
//   * The condition must be changed under the same mutex (notify itself may
//     be called with or without the mutex held).
//   * A notify that finds no waiter makes no wake call.
//   * Not copyable.
//
// Memory ordering: none of the condition variable's own accesses needs more
// than relaxed. The data the waiter looks at after waking is protected by
// the mutex, whose unlock/lock provides happens-before. The counter only
// has to change; and that notify sees the waiter count follows from the
// mutex too: a waiter registers while it holds the mutex, and a notifier
// that changed the condition under the mutex after that is ordered after
// the registration ([intro.races]).
//
// Run the tests: ./workbook check condvar      Hints: ./workbook hint condvar
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): register as a waiter and read the counter while you
    // still hold the mutex; then unlock, sleep while the counter still
    // holds what you read, unregister, and lock again. What goes wrong if
    // you read the counter, or register, after lock.unlock()?
    (void)lock;
    WB_NOT_IMPLEMENTED(
        "condvar::wait: waiters_++, read counter_, unlock, wb::wait(counter_, seen), waiters_--, "
        "lock");
  }

  /// Waits until pred() is true; pred is evaluated with the lock held.
  template <class Mutex, class Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate pred) {
    while (!pred()) wait(lock);
  }

  void notify_one() noexcept {
    // TODO(exercise): if anyone waits, bump the counter, then wake one.
    WB_NOT_IMPLEMENTED(
        "condvar::notify_one: if waiters_ != 0, counter_++ then wb::wake_one(counter_)");
  }

  void notify_all() noexcept {
    // TODO(exercise): if anyone waits, bump the counter, then wake them all.
    WB_NOT_IMPLEMENTED(
        "condvar::notify_all: if waiters_ != 0, counter_++ then wb::wake_all(counter_)");
  }

 private:
  wb::atomic<std::uint32_t> counter_{0};  // bumped by every notify that finds waiters
  wb::atomic<std::uint32_t> waiters_{0};  // threads inside wait
};
