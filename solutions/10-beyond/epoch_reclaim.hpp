// Exercise 10.8 — epoch_reclaim: epoch-based memory reclamation (reference
// solution).
//
// Hazard pointers protect one node at a time and pay a fence for each. Epochs
// (Keir Fraser, 2004; the scheme of Rust's crossbeam-epoch) protect a whole
// operation at once: a thread *pins* itself before it touches the structure
// and *unpins* after, and a node that is unlinked is retired with the global
// epoch number of that moment. The global epoch advances by one only when
// every pinned thread has seen the current one; a node retired in epoch e is
// deleted once the global epoch has reached e + 2, because by then every
// thread that was pinned when the node was unlinked has unpinned.
//
//     epoch_domain<node> epochs(threads);
//     epochs.pin(t);
//     ... read the list, unlink a node ...
//     epochs.retire(t, node);   // deleted two epochs later
//     epochs.unpin(t);
//
// Contract
//   * epoch_domain(threads): threads numbered 0..threads-1; one thread at a
//     time uses a number (its identity: the model checker runs every thread on
//     one OS thread, so a thread_local would not do).
//   * pin(t) / unpin(t) bracket a thread's use of the structure; pins do not
//     nest. While t is pinned, no node it could reach in the structure after
//     pin is deleted.
//   * retire(t, node) (t pinned, node already unlinked): the node is deleted
//     once no thread can hold it: when the global epoch is two past the one
//     it was retired in. retire also tries to advance the epoch and deletes
//     what thread t retired long enough ago (reclaim).
//   * reclaim(t) tries to advance the global epoch and deletes thread t's
//     retired nodes that are old enough. It may be called pinned or not.
//   * The destructor deletes every node still retired.
//
// Memory ordering: like hazard pointers, pinning is a store-buffering
// handshake: the reader announces its epoch and then reads links; the
// retiring thread unlinks and then reads the global epoch; the advancing
// thread reads the global epoch and then the threads' announcements. A seq_cst
// fence after each announcement (pin) and before each of those reads (retire,
// advance), with the global epoch read and advanced seq_cst, rules out that
// the epoch passes e + 1 while a thread that could hold the node is still
// pinned ([atomics.order] p4). Every store of a thread's announcement is a
// release and the advancing thread's loads acquire, so a thread's last reads
// of a node happen-before the advance that lets the node go, and the advance
// (a seq_cst read-modify-write, hence a release) before the delete of the
// thread that reads its value ([intro.races]).
//
// Run the tests: ./workbook check epoch_reclaim      Hints: ./workbook hint epoch_reclaim
#pragma once

#include <wb/sync.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

template <class Node>
class epoch_domain {
 public:
  explicit epoch_domain(int threads)
      : threads_(threads),
        announced_(
            std::make_unique<wb::atomic<std::uint64_t>[]>(static_cast<std::size_t>(threads))),
        retired_(static_cast<std::size_t>(threads)) {}

  epoch_domain(const epoch_domain&) = delete;
  epoch_domain& operator=(const epoch_domain&) = delete;

  ~epoch_domain() {
    for (auto& list : retired_)
      for (const limbo& entry : list) delete entry.node;
  }

  void pin(int t) {
    // seq_cst: this read takes its place in S before our fence, so it cannot
    // read an advance that follows a retire our fence precedes.
    const std::uint64_t epoch = global_.load(wb::memory_order_seq_cst);
    // Release, like every store to the announcement (see unpin).
    announced_[static_cast<std::size_t>(t)].store(pinned(epoch), wb::memory_order_release);
    // Our half of the handshake: announced before any link is read.
    wb::atomic_thread_fence(wb::memory_order_seq_cst);
  }

  void unpin(int t) {
    // Release: our reads of nodes happen-before the advance that reads this.
    announced_[static_cast<std::size_t>(t)].store(idle, wb::memory_order_release);
  }

  void retire(int t, Node* node) {
    // The unlink (before this call) before the epoch read below.
    wb::atomic_thread_fence(wb::memory_order_seq_cst);
    const std::uint64_t epoch = global_.load(wb::memory_order_seq_cst);
    retired_[static_cast<std::size_t>(t)].push_back(limbo{node, epoch});
    reclaim(t);
  }

  void reclaim(int t) {
    try_advance();
    // seq_cst (an acquire): reading an advance, or a later one (each a
    // read-modify-write, so in its release sequence), orders the reads of
    // every thread that advance waited for before our deletes.
    const std::uint64_t now = global_.load(wb::memory_order_seq_cst);
    std::vector<limbo>& mine = retired_[static_cast<std::size_t>(t)];
    std::size_t kept = 0;
    for (const limbo& entry : mine) {
      // Retired in epoch e: a thread pinned then may be pinned in e or e + 1
      // until it unpins, and the epoch cannot pass e + 1 while it is.
      if (entry.epoch + 2 <= now) {
        delete entry.node;
      } else {
        mine[kept++] = entry;
      }
    }
    mine.resize(kept);
  }

 private:
  struct limbo {
    Node* node;
    std::uint64_t epoch;
  };

  static constexpr std::uint64_t idle = 0;
  static constexpr std::uint64_t pinned(std::uint64_t epoch) { return (epoch << 1) | 1; }

  void try_advance() {
    const std::uint64_t epoch = global_.load(wb::memory_order_seq_cst);
    // The advancing side of the handshake: the epoch read before the
    // announcements read.
    wb::atomic_thread_fence(wb::memory_order_seq_cst);
    for (int u = 0; u < threads_; ++u) {
      const std::uint64_t a =
          announced_[static_cast<std::size_t>(u)].load(wb::memory_order_acquire);
      if (a != idle && a != pinned(epoch)) return;  // u is pinned in an older epoch
    }
    std::uint64_t expected = epoch;  // fails harmlessly if another thread advanced
    global_.compare_exchange_strong(expected, epoch + 1, wb::memory_order_seq_cst,
                                    wb::memory_order_seq_cst);
  }

  const int threads_;
  wb::atomic<std::uint64_t> global_{0};
  std::unique_ptr<wb::atomic<std::uint64_t>[]> announced_;  // per thread: idle, or pinned(epoch)
  std::vector<std::vector<limbo>> retired_;                 // per thread, touched only by it
};
