// Exercise 10.5 — treiber_stack: a lock-free stack of slot numbers, safe from ABA
// (reference solution).
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
    // Relaxed: we only copy the old top into our link; the compare-and-exchange
    // checks that it is still the top.
    std::uint64_t old = head_.load(wb::memory_order_relaxed);
    do {
      next_[slot].store(top_of(old), wb::memory_order_relaxed);
      // Release: publishes the link above and the caller's writes to the slot.
    } while (!head_.compare_exchange_weak(old, pack(slot, bump(tag_of(old))),
                                          wb::memory_order_release, wb::memory_order_relaxed));
  }

  std::optional<std::uint32_t> pop() {
    // Acquire: we are about to read the link of the top slot, written by the
    // thread that pushed it.
    std::uint64_t old = head_.load(wb::memory_order_acquire);
    for (;;) {
      const std::uint32_t top = top_of(old);
      if (top == empty) return std::nullopt;
      // The link may be stale: another thread may pop `top` and push it again
      // with a new link before our compare-and-exchange. The tag makes that
      // compare-and-exchange fail. (The link is atomic because such a push
      // may write it while we read it.)
      const std::uint32_t below = next_[top].load(wb::memory_order_relaxed);
      // Success: acquire, so that the slot's contents are ours to read (the
      // load above already synchronised with the push of `top`; this keeps
      // the guarantee local to the operation that hands the slot over).
      // Failure: acquire, because we read the new top's link next.
      if (head_.compare_exchange_weak(old, pack(below, bump(tag_of(old))), wb::memory_order_acquire,
                                      wb::memory_order_acquire)) {
        return top;
      }
    }
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
