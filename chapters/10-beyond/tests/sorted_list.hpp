// A lock-free sorted linked list of distinct keys (Harris 2001, with Michael's
// 2002 changes for safe reclamation), used by the tests of the two
// reclamation exercises of chapter 10: hazard_pointers and epoch_reclaim.
// The list is given, not an exercise; what it needs from a reclamation
// scheme is a small policy (below), and the chapter's README walks through it.
//
// Deleting a key is two steps. First the node is *marked*: the low bit of its
// own `next` link is set with a compare-and-exchange, which freezes the link
// (every later compare-and-exchange on it expects an unmarked value and
// fails) and is the moment the key leaves the set. Then the node is
// *unlinked*: its predecessor's link is swung past it. Any thread that meets
// a marked node on its way helps to unlink it, so a remove never waits for
// another thread. Only the thread whose compare-and-exchange unlinks a node
// retires it: after that no thread can find the node from the list, but one
// may still be reading it, which is the reclamation scheme's problem.
//
// Policy (one object shared by all threads; `t` is the calling thread's number):
//   void enter(int t);                 before an operation (epochs: pin)
//   void leave(int t);                 after it (hazard pointers: clear)
//   std::uintptr_t protect(int t, int slot, const wb::atomic<std::uintptr_t>& link);
//                                      read a link so that its node stays alive
//   void retire(int t, list_node* node);
//
// Memory ordering: a node is published by the release compare-and-exchange
// that links it and read through links loaded with acquire (in protect), so a
// thread that finds a node sees its key and link as they were built. Marking
// and unlinking are releases too, so that the chain of links a reader follows
// carries happens-before from each node's builder.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>
#include <utility>

struct list_node {
  wb::atomic<long> key;  // never changes; atomic so that the model sees reads of it
  wb::atomic<std::uintptr_t>
      next;  // the next node's address, low bit set once this node is deleted
  list_node(long k, std::uintptr_t n) : key(k), next(n) {}
};

template <class Policy>
class sorted_list {
 public:
  explicit sorted_list(Policy& policy) : policy_(policy) {}
  sorted_list(const sorted_list&) = delete;
  sorted_list& operator=(const sorted_list&) = delete;

  ~sorted_list() {  // no thread may use the list any more
    std::uintptr_t word = head_.load(wb::memory_order_relaxed);
    while (list_node* node = to_node(word)) {
      word = node->next.load(wb::memory_order_relaxed);
      delete node;
    }
  }

  bool contains(int t, long key) {
    policy_.enter(t);
    position pos;
    const bool found = find(t, key, pos);
    policy_.leave(t);
    return found;
  }

  bool insert(int t, long key) {
    list_node* fresh = new list_node(key, 0);
    policy_.enter(t);
    for (;;) {
      position pos;
      if (find(t, key, pos)) {
        policy_.leave(t);
        delete fresh;  // never published
        return false;
      }
      fresh->next.store(to_word(pos.cur), wb::memory_order_relaxed);
      std::uintptr_t expected = to_word(pos.cur);
      // Release: publishes the node's key and link.
      if (pos.prev->compare_exchange_strong(expected, to_word(fresh), wb::memory_order_release,
                                            wb::memory_order_relaxed)) {
        policy_.leave(t);
        return true;
      }
    }
  }

  bool remove(int t, long key) {
    policy_.enter(t);
    for (;;) {
      position pos;
      if (!find(t, key, pos)) {
        policy_.leave(t);
        return false;
      }
      // Step 1, mark: from here on the key is not in the set. Fails if the
      // node was marked by another remove, or a node was inserted after it.
      std::uintptr_t next = pos.next;
      if (!pos.cur->next.compare_exchange_strong(next, next | mark, wb::memory_order_release,
                                                 wb::memory_order_relaxed)) {
        continue;
      }
      // Step 2, unlink; if another thread changed the predecessor, a find
      // unlinks it for us (and retires it).
      std::uintptr_t expected = to_word(pos.cur);
      if (pos.prev->compare_exchange_strong(expected, next, wb::memory_order_release,
                                            wb::memory_order_relaxed)) {
        policy_.retire(t, pos.cur);
      } else {
        position again;
        (void)find(t, key, again);
      }
      policy_.leave(t);
      return true;
    }
  }

 private:
  static constexpr std::uintptr_t mark = 1;

  static list_node* to_node(std::uintptr_t word) {
    return reinterpret_cast<list_node*>(word & ~mark);
  }
  static std::uintptr_t to_word(list_node* node) { return reinterpret_cast<std::uintptr_t>(node); }

  // Where `key` is or would go: *prev is an unmarked link to cur, cur is the
  // first node with a key >= key (nullptr at the end), next is cur's link.
  struct position {
    wb::atomic<std::uintptr_t>* prev = nullptr;
    list_node* cur = nullptr;
    std::uintptr_t next = 0;
  };

  bool find(int t, long key, position& pos) {
  retry:
    // Three hazard slots whose roles rotate as we walk, so that a node stays
    // protected from the moment it is `next` until it is no longer `prev`.
    int prev_slot = 0, cur_slot = 1, next_slot = 2;
    wb::atomic<std::uintptr_t>* prev = &head_;
    std::uintptr_t cur_word = policy_.protect(t, cur_slot, *prev);
    for (;;) {
      list_node* cur = to_node(cur_word);
      if (cur == nullptr) {
        pos = {prev, nullptr, 0};
        return false;
      }
      const std::uintptr_t next_word = policy_.protect(t, next_slot, cur->next);
      // Is cur still linked from prev (and prev not deleted)? Otherwise the
      // node `next` may already be unlinked, and our protection too late.
      if (prev->load(wb::memory_order_acquire) != to_word(cur)) goto retry;
      if ((next_word & mark) != 0) {
        // cur is deleted: help unlink it.
        std::uintptr_t expected = to_word(cur);
        if (!prev->compare_exchange_strong(expected, next_word & ~mark, wb::memory_order_release,
                                           wb::memory_order_relaxed)) {
          goto retry;
        }
        policy_.retire(t, cur);
        cur_word = next_word & ~mark;
        std::swap(cur_slot, next_slot);  // the next node's protection is now cur's
        continue;
      }
      const long cur_key = cur->key.load(wb::memory_order_relaxed);
      if (cur_key >= key) {
        pos = {prev, cur, next_word};
        return cur_key == key;
      }
      prev = &cur->next;
      const int free_slot = prev_slot;
      prev_slot = cur_slot;
      cur_slot = next_slot;
      next_slot = free_slot;
      cur_word = next_word;
    }
  }

  Policy& policy_;
  wb::atomic<std::uintptr_t> head_{0};
};
