// Exercise 10.8 — epoch_reclaim: epoch-based memory reclamation.
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

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): announce that thread t is pinned in the current global
    //   epoch (pinned(epoch)), so that no node it may reach is deleted. What
    //   must come between the announcement and the first link you read?
    (void)t;
    WB_NOT_IMPLEMENTED("epoch_reclaim pin: read the epoch, announce it, fence");
  }

  void unpin(int t) {
    announced_[static_cast<std::size_t>(t)].store(idle, wb::memory_order_release);
  }

  void retire(int t, Node* node) {
    // TODO(exercise): remember the node with the epoch it was retired in (the
    //   unlink came just before this call: what orders it before your read of
    //   the epoch?), then reclaim.
    (void)t;
    (void)node;
    WB_NOT_IMPLEMENTED("epoch_reclaim retire: fence, read the epoch, keep the node with it");
  }

  void reclaim(int t) {
    // TODO(exercise): try to advance the epoch (try_advance), then delete the
    //   nodes thread t retired long enough ago. How many epochs must have
    //   passed, and why is one not enough?
    (void)t;
    WB_NOT_IMPLEMENTED("epoch_reclaim reclaim: advance, then free what is two epochs old");
  }

 private:
  struct limbo {
    Node* node;
    std::uint64_t epoch;
  };

  static constexpr std::uint64_t idle = 0;
  static constexpr std::uint64_t pinned(std::uint64_t epoch) { return (epoch << 1) | 1; }

  void try_advance() {
    // TODO(exercise): advance the global epoch from e to e + 1 if every
    //   pinned thread announced e. Read e first, then the announcements:
    //   what must come between them? A failed compare-and-exchange means
    //   another thread advanced: nothing to do.
    WB_NOT_IMPLEMENTED("epoch_reclaim advance: read the epoch, fence, check every announcement");
  }

  const int threads_;
  wb::atomic<std::uint64_t> global_{0};
  std::unique_ptr<wb::atomic<std::uint64_t>[]> announced_;  // per thread: idle, or pinned(epoch)
  std::vector<std::vector<limbo>> retired_;                 // per thread, touched only by it
};
