// Exercise 10.5 — treiber_stack: a lock-free stack of slot numbers, safe from ABA
//
// R. K. Treiber's stack (IBM, 1986): a singly linked list whose head is one
// atomic word, pushed and popped with compare-and-exchange. Here the nodes are
// *slots* of a fixed array, named by their number, which is what a lock-free
// free list is: a pool of `capacity` buffers, and a stack of the numbers of the
// free ones. pop() hands a free slot out, push() takes it back.
//
//     treiber_stack free_slots(64);
//     for (std::uint32_t s = 0; s < 64; ++s) free_slots.push(s);
//     if (auto s = free_slots.pop()) { buffers[*s] = ...; /* use */ free_slots.push(*s); }
//
// Because slots come back, a slot can leave the stack and return to its top
// while another thread is in the middle of a pop: that thread's
// compare-and-exchange sees the same top slot as before and succeeds, though
// the slot under it is not the one it read. That is the ABA problem (chapter
// 10 shows it step by step). The head therefore holds a *tag* beside the slot
// number, changed by every successful update, so that "the same top" also
// means "no update since I read it".
//
// Contract
//   * treiber_stack(capacity): an empty stack for slots 0..capacity-1
//     (capacity < 2^32 - 1).
//   * push(slot): puts `slot` on top. Each slot is in the stack at most once:
//     push only a slot you hold (one you pushed never, or popped since).
//   * pop(): takes the top slot and returns it, or std::nullopt when the
//     stack is empty. The caller holds the slot until it pushes it again.
//   * Lock-free: a thread that fails a compare-and-exchange retries because
//     another thread's succeeded. Any thread may push and pop at any time.
//
// Memory ordering: what a thread wrote before push(slot) (the slot's buffer,
// and its link to the slot below) happens-before whatever the thread that pops
// that slot does after pop returns: push's compare-and-exchange is a release,
// pop's load of the head an acquire. Every change of the head is a
// read-modify-write, so an acquire load synchronises with every push before
// it in the head's modification order (a release sequence, [intro.races]).
//
// Run the tests: ./workbook check treiber_stack      Hints: ./workbook hint treiber_stack
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>
#include <memory>
#include <optional>

class treiber_stack {
 public:
  explicit treiber_stack(std::uint32_t capacity)
      : next_(std::make_unique<wb::atomic<std::uint32_t>[]>(capacity)), head_(pack(empty, 0)) {
    for (std::uint32_t s = 0; s < capacity; ++s) next_[s].store(empty, wb::memory_order_relaxed);
  }

  treiber_stack(const treiber_stack&) = delete;
  treiber_stack& operator=(const treiber_stack&) = delete;

  void push(std::uint32_t slot) {
    // TODO(exercise): link `slot` to the current top (next_[slot]) and swing
    //   head_ to it with a compare-and-exchange loop; the new head word carries
    //   a new tag (bump). Which order publishes what the caller wrote to the slot?
    (void)slot;
    WB_NOT_IMPLEMENTED("treiber_stack push: link the slot and swing the head with a new tag");
  }

  std::optional<std::uint32_t> pop() {
    // TODO(exercise): read the head, its top slot and that slot's link, and
    //   swing head_ to the link with a compare-and-exchange loop, with a new
    //   tag. Why must the head word change even when the same slot is on top
    //   again? Return std::nullopt when the stack is empty.
    WB_NOT_IMPLEMENTED("treiber_stack pop: read top and link, swing the head with a new tag");
  }

 private:
  static constexpr std::uint32_t empty = 0xffffffffu;  // "no slot": the end of the list

  // The head word: the top slot in the low 32 bits, the tag in the high 32.
  static constexpr std::uint64_t pack(std::uint32_t top, std::uint32_t tag) {
    return (static_cast<std::uint64_t>(tag) << 32) | top;
  }
  static constexpr std::uint32_t top_of(std::uint64_t head) {
    return static_cast<std::uint32_t>(head);
  }
  static constexpr std::uint32_t tag_of(std::uint64_t head) {
    return static_cast<std::uint32_t>(head >> 32);
  }
  // Every successful update gets a new tag. It wraps after 2^32 updates; ABA
  // would then need a pop to stall across exactly a multiple of 2^32 updates
  // and find the same slot on top, which we accept (as every tagged-pointer
  // stack does, with fewer bits: boost::lockfree uses 16).
  static constexpr std::uint32_t bump(std::uint32_t tag) { return tag + 1; }

  std::unique_ptr<wb::atomic<std::uint32_t>[]> next_;  // per slot: the slot below it
  wb::atomic<std::uint64_t> head_;                     // pack(top slot, tag)
};
