// Exercise 4.1 — spin_lock: the smallest lock there is.
// Reference solution. (Contract: see exercises/04-spin-lock/spin_lock.hpp.)
//
// Why it is correct
//   * locked_ is the whole state: false = free, true = held. Taking the lock
//     is exchange(true): one indivisible read-modify-write
//     ([atomics.types.operations]) that returns what was there before. In
//     locked_'s single modification order, after each `false` there is
//     exactly one exchange that reads it, so exactly one thread sees the
//     lock free and wins; every other exchange reads `true` (its own write of
//     true changes nothing) and that thread tries again.
//   * A load followed by a store would not do: two threads can both load
//     `false` before either stores `true`, and both enter.
//   * try_lock is one attempt of the same exchange. It must not loop: a
//     caller of try_lock wants to hear "held by someone else" and do
//     something else, not wait.
//   * unlock is a plain store of false. Only the owner calls it, and nobody
//     else writes `false`, so no read-modify-write is needed.
//
// Memory ordering: what makes a lock a lock is that everything one owner did
// in its critical section happens-before everything the next owner does in
// its own. unlock's store is a release; lock's and try_lock's exchange is an
// acquire. The next owner's exchange reads the `false` written by the
// previous owner's release store, so the store synchronizes with the
// exchange ([atomics.order]/2), and
//
//   T1: ... write data ... ; locked_.store(false, release)
//                                   |  synchronizes with
//                                   v
//   T2:                    locked_.exchange(true, acquire) -> false ; ... read data ...
//
// T1's writes happen-before T2's reads ([intro.races]), so they are not a
// data race and T2 sees them. Relaxed on either side removes the arrow: the
// lock still lets one thread in at a time, but the protected data is raced
// on. The failed exchanges that read `true` write `true` again; they are
// acquires that synchronize with nothing useful, and that is fine. Nothing
// needs seq_cst: there is one atomic, and no decision depends on the order
// of operations on two different ones. (acq_rel on the exchange would be
// wasted too: nothing a thread does *before* lock() needs publishing.)
#pragma once

#include <wb/sync.hpp>

#include <cassert>

class spin_lock {
 public:
  spin_lock() = default;
  spin_lock(const spin_lock&) = delete;
  spin_lock& operator=(const spin_lock&) = delete;

  void lock() noexcept {
    while (locked_.exchange(true, wb::memory_order_acquire)) {
      wb::spin_loop_hint();  // someone else holds it: tell the core we are spinning, try again
    }
  }

  [[nodiscard]] bool try_lock() noexcept {
    return !locked_.exchange(true, wb::memory_order_acquire);  // false before: it is ours now
  }

  void unlock() noexcept {
    assert(locked_.load(wb::memory_order_relaxed) && "spin_lock::unlock: the lock is not held");
    locked_.store(false, wb::memory_order_release);
  }

 private:
  wb::atomic<bool> locked_{false};  // false = free, true = held by some thread
};
