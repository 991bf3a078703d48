// Exercise 3.4 — peterson_lock: mutual exclusion for two threads from loads and stores.
// Reference solution. (Contract: see exercises/03-memory-ordering/peterson_lock.hpp.)
//
// Why it is correct (under sequential consistency)
//   * flag_[me] says "I want in"; turn_ = other says "but you go first if you
//     want too". A thread waits while the other wants in AND it is the
//     other's turn. The last thread to write turn_ is the one that waits:
//     both may write it, only one write can be last.
//   * Progress: if both want in, turn_ holds one value, so exactly one of the
//     two wait conditions is false. Fairness: after unlock, a waiting
//     thread gets in before the unlocker can come back (the unlocker's next
//     lock writes turn_ = other, handing over).
//
// Memory ordering: every operation in lock() is seq_cst, and it must be.
// Peterson's entry is a store-buffering pattern: each thread stores its flag
// and then loads the other's. Release/acquire does not order a store before
// a later load of a different location, and neither do x86 CPUs, which keep
// the store in a store buffer while the load runs ahead:
//
//   T0                                   T1
//   flag_[0] = true   (in store buffer)  flag_[1] = true   (in store buffer)
//   turn_ = 1         (in store buffer)  turn_ = 0         (in store buffer)
//   flag_[1] -> false (old value)        flag_[0] -> false (old value)
//   enters                               enters            <- both inside
//
// With seq_cst there is a single total order S of all these operations,
// consistent with each thread's program order ([atomics.order] p4). Say T0's
// store to turn_ comes before T1's in S (the other case is symmetric). If
// both were inside, T1 must have read flag_[0] == false or turn_ == 1. But
// T0: flag_[0]=true <S T0: turn_=1 <S T1: turn_=0 <S T1's loads. A seq_cst
// load that read an older value of flag_[0] than T0's store would be
// coherence-ordered before that store, hence before it in S — a cycle. So
// T1 reads flag_[0] == true, and turn_ == 0 (its own store, the last one in
// S): T1 waits. On x86, g++ compiles the seq_cst stores as xchg (a full
// barrier), which drains the store buffer before the loads.
//   * unlock() is a release store: it publishes the critical section. The
//     next thread in either reads flag_[me] == false (an acquire load of that
//     release store: it synchronizes-with) or reads turn_ written by this
//     thread's next lock(), which is sequenced after this unlock; either way
//     this critical section happens-before the next one ([intro.races]).
//     It need not be seq_cst: the argument above uses only the stores and
//     loads inside lock(), and a stale `true` only makes the other wait.
#pragma once

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
    const int other = 1 - me;
    flag_[me].store(true, wb::memory_order_seq_cst);  // I want in ...
    turn_.store(other, wb::memory_order_seq_cst);     // ... but you go first
    for (unsigned spins = 1; flag_[other].load(wb::memory_order_seq_cst) &&
                             turn_.load(wb::memory_order_seq_cst) == other;
         ++spins) {
      wait_a_little(spins);
    }
  }

  void unlock(int me) {
    assert((me == 0 || me == 1) && "peterson_lock: the thread index must be 0 or 1");
    flag_[me].store(false, wb::memory_order_release);  // publishes the critical section
  }

 private:
  // Spins, and now and then gives the processor away: when the two threads
  // share one core (an oversubscribed machine, a sanitizer build), the
  // holder can only leave the critical section if the waiter stops spinning.
  // 64 spins per yield is a heuristic, not a measurement.
  static void wait_a_little(unsigned spins) {
    wb::spin_loop_hint();
    if (spins % 64 == 0) std::this_thread::yield();
  }

  wb::atomic<bool> flag_[2] = {false, false};  // flag_[i]: thread i wants in (or is in)
  wb::atomic<int> turn_{0};                    // who yields when both want in
};
