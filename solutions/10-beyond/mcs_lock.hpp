// Exercise 10.3 — mcs_lock: a queued spin lock in which each waiter spins on its own node.
// Reference solution. (Contract: see exercises/10-beyond/mcs_lock.hpp.)
//
// Why it is correct
//   * tail_ is the end of a queue of nodes. lock() appends its node with one
//     exchange: the exchanges form one modification order ([atomics.order]
//     p10), so every node gets exactly one predecessor (or none: the lock was
//     free), and the queue is a chain in the order of the exchanges.
//   * A waiter spins on its own node's `waiting_`, which only its predecessor
//     writes, once: no cache line is shared by all waiters, as the ticket
//     lock's `now_serving` is.
//   * The queue has a gap: between a thread's exchange and its store into its
//     predecessor's `next_`, the predecessor cannot reach it. unlock()
//     therefore has three cases:
//       - next_ is set: hand over by clearing the successor's `waiting_`;
//       - next_ is null and tail_ is still our node: nobody waits; the
//         compare-exchange to null frees the lock;
//       - next_ is null but tail_ moved on: a successor has exchanged itself
//         in and not linked yet. We must wait for the link: returning would
//         leave it spinning on a flag nobody will ever clear.
//
// Memory ordering
//   * Handing over: `successor->waiting_ = false` is a release, the
//     successor's spin reads it with acquire: each critical section
//     happens-before the next ([atomics.order] p2).
//   * A free lock: the unlock compare-exchange to null is a release, and the
//     next lock()'s exchange an acquire, which reads it (or a later value in
//     its release sequence: [intro.races] p5).
//   * Our node must be ready before anyone touches it: the stores of null to
//     `next_` and true to `waiting_` come before the exchange that publishes
//     the node, which is a release as well, so that the successor's store to
//     our `next_` is ordered after our store of null (the successor's
//     exchange is an acquire that reads ours). And the successor stores true
//     to its own `waiting_` before the release store that links it, and the
//     predecessor reads that link with acquire before it writes false: so
//     false comes after true in `waiting_`'s modification order
//     ([intro.races] p16, write-write coherence).
#pragma once

#include <wb/sync.hpp>

#include <thread>

class mcs_lock {
 public:
  class alignas(64) node {  // one cache line per waiter: no false sharing
   public:
    node() = default;
    node(const node&) = delete;
    node& operator=(const node&) = delete;

   private:
    friend class mcs_lock;
    wb::atomic<node*> next_{nullptr};  // our successor, once it has linked itself
    wb::atomic<bool> waiting_{false};  // true until our predecessor hands over
  };

  // Holds the lock for a scope, with its own node.
  class guard {
   public:
    explicit guard(mcs_lock& lock) noexcept : lock_(lock) { lock_.lock(node_); }
    ~guard() { lock_.unlock(node_); }
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;

   private:
    mcs_lock& lock_;
    node node_;
  };

  mcs_lock() = default;
  mcs_lock(const mcs_lock&) = delete;
  mcs_lock& operator=(const mcs_lock&) = delete;

  void lock(node& mine) noexcept {
    mine.next_.store(nullptr, wb::memory_order_relaxed);
    mine.waiting_.store(true, wb::memory_order_relaxed);
    node* const predecessor = tail_.exchange(&mine, wb::memory_order_acq_rel);
    if (predecessor == nullptr) return;                         // the lock was free
    predecessor->next_.store(&mine, wb::memory_order_release);  // now it can hand over
    for (unsigned spins = 1; mine.waiting_.load(wb::memory_order_acquire); ++spins) {
      // Heuristic: on an oversubscribed machine the holder may need our core.
      if (spins % 128 == 0) std::this_thread::yield();
      wb::spin_loop_hint();
    }
  }

  void unlock(node& mine) noexcept {
    node* successor = mine.next_.load(wb::memory_order_acquire);
    if (successor == nullptr) {
      node* expected = &mine;
      if (tail_.compare_exchange_strong(expected, nullptr, wb::memory_order_release,
                                        wb::memory_order_relaxed)) {
        return;  // nobody behind us
      }
      // Somebody is behind us but has not linked itself yet: wait for it.
      for (unsigned spins = 1; (successor = mine.next_.load(wb::memory_order_acquire)) == nullptr;
           ++spins) {
        if (spins % 128 == 0) std::this_thread::yield();
        wb::spin_loop_hint();
      }
    }
    successor->waiting_.store(false, wb::memory_order_release);  // hand over
  }

 private:
  wb::atomic<node*> tail_{nullptr};  // the last node in the queue, null when free
};
