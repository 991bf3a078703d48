// Exercise 10.3 — mcs_lock: a queued spin lock in which each waiter spins on its own node.
//
// Chapter 4's ticket lock is fair, but every waiter spins on the same
// `now_serving` word: each unlock invalidates that cache line in every
// waiting core, and they all fetch it again. Mellor-Crummey and Scott's lock
// (ACM TOCS, 1991) queues the waiters instead. Each brings a node; the lock
// is a pointer to the last node; a waiter spins on a flag in its *own*
// node, and the owner's unlock clears its successor's flag only. One cache
// line moves per hand-over, whatever the number of waiters. Java's
// AbstractQueuedSynchronizer and Linux's qspinlock are built on the idea.
//
//     mcs_lock lock;
//     {
//       mcs_lock::guard hold(lock);      // a node on this stack frame
//       ...
//     }
//
// Contract
//   * lock(n) returns once the calling thread holds the lock; unlock(n),
//     with the same node, releases it. A node is used by one lock() at a time
//     and must live until the matching unlock() has returned; it may then be
//     used again. guard does all of that for a scope.
//   * At most one thread holds the lock. Threads get it in the order in which
//     they entered the queue (FIFO).
//   * A waiter spins (it does not sleep) and reads only its own node. A
//     waiter that has spun a while gives its core away now and then
//     (std::this_thread::yield): on a machine with more threads than cores
//     the owner it waits for may need that core to reach unlock().
//   * Not recursive, not copyable.
//
// Memory ordering: everything a thread does while it holds the lock
// happens-before everything the next owner does while it holds it, whether
// the lock was handed from node to node or freed and taken. And a node must
// be set up before another thread can see it: its successor writes into it.
//
// Run the tests: ./workbook check mcs_lock      Hints: ./workbook hint mcs_lock
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): prepare the node (no successor yet, waiting), append
    // it with one exchange on tail_ (which order: who reads what you wrote
    // into the node, and what must you see when the lock was free?). If there
    // was a predecessor, link yourself into its next_ and spin on your own
    // waiting_ until it clears it (yielding now and then, see the contract).
    (void)mine;
    WB_NOT_IMPLEMENTED(
        "mcs_lock::lock: init the node, exchange tail_ (acq_rel), link into the predecessor, spin "
        "on waiting_ (acquire)");
  }

  void unlock(node& mine) noexcept {
    // TODO(exercise): with a successor linked, clear its waiting_ (release).
    // Without one, try to swing tail_ from your node back to null. If that
    // fails, someone is behind you but has not linked itself yet: what
    // happens to it if you simply return?
    (void)mine;
    WB_NOT_IMPLEMENTED(
        "mcs_lock::unlock: hand over to next_, or compare_exchange tail_ to null, or wait for the "
        "successor to link");
  }

 private:
  wb::atomic<node*> tail_{nullptr};  // the last node in the queue, null when free
};
