// Exercise 10.7 — hazard_pointers: safe memory reclamation for lock-free
// structures.
//
// In a lock-free linked structure a thread may be about to read a node that
// another thread has just unlinked. The unlinking thread cannot delete it
// there and then. Maged Michael's hazard pointers (2004) let each thread
// *publish* the few nodes it is about to touch; a node that is unlinked is
// *retired*, and deleted only later, by a *scan* that finds no hazard pointer
// holding it. The chapter's lock-free sorted list (tests/sorted_list.hpp)
// uses three per thread: the previous node, the current one and the next.
//
//     hazard_pointers<node> hp(threads);
//     std::uintptr_t word = hp.protect(t, 0, list_head);  // safe to read *word's node
//     ...
//     hp.clear(t);                                        // done with every node
//     hp.retire(t, unlinked);                             // deleted once nobody holds it
//
// Contract
//   * hazard_pointers(threads, scan_threshold): `threads` threads numbered
//     0..threads-1, each with `slots` hazard pointers. A thread uses only its
//     own number, and one thread at a time uses a number (it is the thread's
//     identity: the model checker runs every thread on one OS thread, so a
//     thread_local would not do).
//   * protect(t, slot, src) reads the link `src` and returns its value, after
//     publishing the node it points to in the thread's hazard pointer `slot`,
//     such that the node is not deleted until that slot is overwritten or
//     cleared. The link's low bit may be a mark (the list marks the links of
//     deleted nodes); the hazard pointer is the address without it. A link
//     to nothing (0) returns 0 and protects nothing.
//   * clear(t) empties all of thread t's hazard pointers.
//   * retire(t, node): `node` has been unlinked, so no thread can find it
//     from now on; it is deleted once no hazard pointer holds it. Thread t's
//     retired nodes are scanned when there are scan_threshold of them.
//   * The destructor deletes every node still retired; no thread may be
//     using the domain then.
//
// Memory ordering: protecting is a store-buffering handshake with the scan.
// The protector stores its hazard pointer, then re-reads the link; the
// retiring thread unlinked the node, then reads the hazard pointers. A
// seq_cst fence on each side between the two makes one of them see the
// other ([atomics.order] p4): either the scan sees the hazard pointer and
// keeps the node, or the re-read sees the link changed and the protector
// tries again. Every store to a hazard pointer is a release and the scan's
// loads are acquires, so that a thread's reads of a node before it moved or
// cleared its hazard pointer happen-before the delete ([intro.races]).
//
// Run the tests: ./workbook check hazard_pointers      Hints: ./workbook hint hazard_pointers
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

template <class Node>
class hazard_pointers {
 public:
  static constexpr int slots = 3;

  explicit hazard_pointers(int threads, std::size_t scan_threshold = 8)
      : threads_(threads),
        scan_threshold_(scan_threshold),
        hazards_(std::make_unique<wb::atomic<std::uintptr_t>[]>(
            static_cast<std::size_t>(threads * slots))),
        retired_(static_cast<std::size_t>(threads)) {}

  hazard_pointers(const hazard_pointers&) = delete;
  hazard_pointers& operator=(const hazard_pointers&) = delete;

  ~hazard_pointers() {
    for (auto& list : retired_)
      for (Node* node : list) delete node;
  }

  std::uintptr_t protect(int t, int slot, const wb::atomic<std::uintptr_t>& src) {
    wb::atomic<std::uintptr_t>& hazard = hazard_of(t, slot);
    // TODO(exercise): read src, publish the node's address (without the mark
    //   bit) in `hazard`, and make sure the node was still linked once your
    //   hazard pointer was visible to every scan that could delete it. What do
    //   you read after publishing, and what must come between the two?
    (void)hazard;
    (void)src;
    WB_NOT_IMPLEMENTED(
        "hazard_pointers protect: publish, fence, re-read the link, retry if it changed");
  }

  void clear(int t) {
    for (int slot = 0; slot < slots; ++slot) hazard_of(t, slot).store(0, wb::memory_order_release);
  }

  void retire(int t, Node* node) {
    std::vector<Node*>& mine = retired_[static_cast<std::size_t>(t)];
    mine.push_back(node);
    if (mine.size() >= scan_threshold_) scan(mine);
  }

 private:
  static constexpr std::uintptr_t mark = 1;

  wb::atomic<std::uintptr_t>& hazard_of(int t, int slot) {
    return hazards_[static_cast<std::size_t>(t * slots + slot)];
  }

  void scan(std::vector<Node*>& mine) {
    // TODO(exercise): delete each node of `mine` that no thread's hazard
    //   pointer holds, and keep the others for a later scan. The retiring
    //   thread unlinked the node before retire: what must come between that
    //   and reading the hazard pointers? Which order on those loads makes a
    //   reader's last use of a node happen-before the delete?
    (void)mine;
    WB_NOT_IMPLEMENTED("hazard_pointers scan: fence, read every hazard pointer, delete the unheld");
  }

  const int threads_;
  const std::size_t scan_threshold_;
  std::unique_ptr<wb::atomic<std::uintptr_t>[]> hazards_;  // thread t's slot s at t * slots + s
  std::vector<std::vector<Node*>> retired_;                // per thread, touched only by it
};
