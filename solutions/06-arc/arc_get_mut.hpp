// Exercise 6.2 — arc_get_mut: the arc of exercise 6.1, plus get_mut.
// Reference solution. (Contract: see exercises/06-arc/arc_get_mut.hpp.)
//
// Why it is correct
//   * get_mut: when the count is 1, this arc is the only reference, so no
//     other thread can reach the value, and none can gain a reference
//     either: a new reference is made only from an existing one, and the
//     only one is ours (the caller must not share this arc object while it
//     uses the pointer). So the value may be changed in place. When the
//     count is above 1 another arc exists and get_mut returns nullptr.
//   * One heap block holds the count and the value. The count is the number
//     of arc objects pointing at the block; it starts at 1 (the arc that
//     made it), every copy adds 1 and every destructor subtracts 1. The
//     destructor whose fetch_sub returned 1 took the count to 0: it held the
//     last reference, nobody else can reach the block, and it deletes it.
//     A fetch_sub is one read-modify-write, so exactly one destructor reads
//     1 ([atomics.order]/10): the block is deleted exactly once.
//   * A moved-from arc has no block (block_ == nullptr) and its destructor
//     does nothing; moving never touches the count.
//   * Overflow: a count that wrapped to 0 would let the next destructor free
//     a block that is still in use. clone checks the value it incremented
//     and, once it has reached max_count (half the counter's range), ends
//     the process (std::abort) with a message. Checking after the increment
//     leaves the other half of the range as a margin: it would take more
//     threads than max_count, each between its fetch_add and its check, to
//     wrap the count.
//     Throwing is no option: the copy constructor is noexcept, and the
//     count would stay too high, so the block would leak or later wrap.
//
// Memory ordering
//   * clone: relaxed. A new reference is made only from an existing one,
//     which already keeps the block alive, so the increment needs to publish
//     nothing and to wait for nothing; its atomicity keeps the count right.
//   * drop: fetch_sub with release, and an acquire on the last one. Every
//     owner's use of the value is sequenced before its own decrement (a
//     release). The decrement that reads 1 is the last in the count's
//     modification order; the decrements before it form a release sequence
//     that continues through every later read-modify-write ([intro.races]),
//     so an acquire that reads the final 0 synchronizes with ALL of them
//     ([atomics.order]/2): every other owner's reads and writes of the value
//     happen-before the destructor and the delete. Without it, the delete
//     races with another owner's read, a data race ([intro.races]/21):
//
//       T1 (not last)                     T2 (last)
//       reads (*a).value
//       count.fetch_sub(1)   2 -> 1
//                                          count.fetch_sub(1)   1 -> 0
//                                          delete block     <- may run before T1's
//                                                              read is complete (ARM)
//
//   * The acquire is a separate load of the count after the last decrement,
//     not the std::atomic_thread_fence(acquire) of the classic version
//     (chapter text, demo 06-03). Both are correct: the load reads the 0 our
//     own fetch_sub wrote, which is in the release sequence of every earlier
//     decrement. We use the load because ThreadSanitizer understands an
//     acquire load but not a standalone fence, and would report a race on
//     the delete that is not there. (fetch_sub(1, acq_rel) would also do,
//     at the price of an acquire on every decrement, not only the last.)
//   * get_mut: the count load is an acquire. The 1 it reads was written by
//     the last decrement of another owner (or is the initial 1); the load
//     synchronizes with that release decrement and, through the release
//     sequence, with every earlier one, so every other owner's reads of the
//     value happen-before our writes through the pointer. A relaxed load
//     would see 1 just as well and leave those reads racing with our writes:
//
//       T1 (a clone)                      T2 (get_mut)
//       reads (*a).value
//       count.fetch_sub(1)   2 -> 1
//                                          count.load() == 1
//                                          p->value = 42   <- races with T1's read
//                                                             unless the load acquires
//
//   * use_count: relaxed; a snapshot for tests and diagnostics, never a
//     reason to touch the value.
#pragma once

#include <wb/sync.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

template <class T, class Count = std::size_t>
class arc {
 public:
  /// The highest count clone accepts; one more and the process aborts.
  static constexpr Count max_count = std::numeric_limits<Count>::max() / 2;

  explicit arc(T value) : block_(new control_block(std::move(value))) {}

  arc(const arc& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    // Relaxed: `other` is a live reference, so the block cannot go away meanwhile.
    const Count old = block_->count.fetch_add(1, wb::memory_order_relaxed);
    if (old >= max_count) abort_on_overflow();
  }

  arc(arc&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  arc& operator=(arc other) noexcept {  // copy or move, then release what we had
    std::swap(block_, other.block_);
    return *this;
  }

  ~arc() {
    if (block_ == nullptr) return;
    if (block_->count.fetch_sub(1, wb::memory_order_release) != 1) return;
    // We dropped the last reference. Synchronize with every earlier release
    // decrement before destroying (see "Memory ordering" above).
    (void)block_->count.load(wb::memory_order_acquire);
    delete block_;
  }

  /// The value, for writing, when this arc is its only reference; else nullptr.
  T* get_mut() noexcept {
    if (block_ == nullptr) return nullptr;
    if (block_->count.load(wb::memory_order_acquire) != 1) return nullptr;
    return &block_->value;  // unique: nobody else can see it, nobody can clone us
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  /// How many arcs share the value (0 for a moved-from arc). A snapshot.
  Count use_count() const noexcept {
    return block_ == nullptr ? 0 : block_->count.load(wb::memory_order_relaxed);
  }

 private:
  struct control_block {
    explicit control_block(T&& v) : value(std::move(v)) {}
    wb::atomic<Count> count{1};  // arcs pointing here
    T value;
  };

  [[noreturn]] static void abort_on_overflow() noexcept {
    std::fputs("arc: reference count overflow (too many clones, or clones leaked)\n", stderr);
    std::abort();
  }

  control_block* block_;  // nullptr only in a moved-from arc
};
