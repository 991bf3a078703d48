// Exercise 3.4 — peterson_lock: mutual exclusion for two threads from loads and stores.
//
// Before processors had compare-and-swap, mutual exclusion was built from
// plain reads and writes. Peterson's algorithm (1981) does it for two
// threads with three shared variables: two "I want in" flags and a `turn`
// that says who gives way when both want in. On paper it is correct. On a
// real machine it breaks unless the memory orders are right — it is the
// store-buffering litmus test in disguise, and that is why it is here.
// (Use std::mutex in real code; this is about what memory orders mean.)
//
//     peterson_lock lock;
//     // thread 0:                      // thread 1:
//     lock.lock(0);                     lock.lock(1);
//     ++shared_counter;                 ++shared_counter;
//     lock.unlock(0);                   lock.unlock(1);
//
// Contract
//   * Exactly two threads use a lock, one as side 0 and one as side 1, each
//     passing its own side to lock() and unlock(). Other values are a
//     contract violation (assert). Any thread may play a side, but never
//     both sides at once.
//   * lock(me) returns only when the other side is not between its lock()
//     and unlock(): at most one side is inside at a time (mutual exclusion).
//     It spins while it waits (and yields the processor now and then).
//   * If both sides want in, one of them gets in (no deadlock), and a side
//     that waits gets in before the other side can enter twice (no
//     starvation).
//   * unlock(me) is called by the side that holds the lock, once per lock().
//
// Memory ordering: everything a side did inside one critical section
// happens-before everything the other side does inside its next one. The
// flag and turn stores and loads in lock() must be seq_cst: a store followed
// by a load of another variable is a store-buffering pattern, which
// release/acquire does not forbid ([atomics.order]). unlock() is a release
// store.
//
// Run the tests: ./workbook check peterson_lock      Hints: ./workbook hint peterson_lock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cassert>
#include <thread>

class peterson_lock {
 public:
  peterson_lock() = default;
  peterson_lock(const peterson_lock&) = delete;
  peterson_lock& operator=(const peterson_lock&) = delete;

  void lock(int me) {
    assert((me == 0 || me == 1) && "peterson_lock: the thread index must be 0 or 1");
    // TODO(exercise): say "I want in" (flag_[me]), then give the turn to the
    // other side, then wait while the other side wants in and it is its
    // turn. In which order must the two stores come? Which memory order
    // stops both sides from reading the other's flag as false? (Draw the
    // store-buffering diagram.) Use wb::spin_loop_hint() in the wait loop.
    WB_NOT_IMPLEMENTED("peterson_lock::lock: raise my flag, give the turn away, wait (seq_cst)");
  }

  void unlock(int me) {
    assert((me == 0 || me == 1) && "peterson_lock: the thread index must be 0 or 1");
    // TODO(exercise): lower my flag, with the order that publishes the
    // critical section to the next side that gets in.
    WB_NOT_IMPLEMENTED("peterson_lock::unlock: lower my flag (release)");
  }

 private:
  wb::atomic<bool> flag_[2] = {false, false};  // flag_[i]: side i wants in (or is in)
  wb::atomic<int> turn_{0};                    // who gives way when both want in
};
