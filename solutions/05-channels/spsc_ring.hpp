// Exercise 5.5 — spsc_ring: a bounded single-producer single-consumer ring buffer.
// Reference solution. (Contract: see exercises/05-channels/spsc_ring.hpp.)
//
// Why it is correct
//   * head_ and tail_ are free-running counts (pops and pushes so far), not
//     positions: the ring holds tail_ - head_ values, it is empty when they
//     are equal and full when the difference is capacity. No slot is wasted
//     to tell full from empty, and with 64-bit counters they never wrap in
//     practice (2^64 pushes at a billion a second take 584 years). A count
//     becomes a slot with `& mask_`, which is why capacity is a power of two:
//     a mask instead of a division on every call.
//   * Each index has one writer: only the producer stores tail_, only the
//     consumer stores head_. So each side reads its own index relaxed (it
//     wrote it itself) and needs no read-modify-write anywhere.
//   * Slots [head_, tail_) hold values, the rest are raw storage. The
//     producer constructs slot tail_ and only then advances tail_; the
//     consumer moves out of slot head_, destroys it, and only then advances
//     head_. So a slot is never constructed over a live value nor read
//     before it is constructed.
//   * Cached indices: the producer keeps the last head_ it saw in
//     cached_head_ and reloads head_ only when the cache says "full"; the
//     consumer does the same with tail_. A stale cache is always on the safe
//     side (head_ and tail_ only grow, so a stale head makes the ring look
//     fuller, a stale tail emptier than it is), and while the cache says
//     there is room, the producer touches no cache line the consumer writes.
//   * Layout: the consumer's line (head_, cached_tail_) and the producer's
//     line (tail_, cached_head_) are apart, 64 bytes each (see cache_line).
//
// Memory ordering
//   * Producer: tail_.store(t + 1, release) after constructing slot t.
//     Consumer: tail_.load(acquire) before reading slot t. The acquire that
//     reads t + 1 (or anything later: each later store is by the same thread,
//     so it happens after) synchronizes with that release: constructing the
//     value happens-before moving it out ([atomics.order]/2).
//   * Consumer: head_.store(h + 1, release) after destroying slot h.
//     Producer: head_.load(acquire) before constructing into that slot again
//     (as slot h + capacity). The same argument in the other direction: the
//     consumer's read and destruction of the old value happen-before the
//     producer's construction of the new one. Without it, the two accesses
//     to the slot would be a data race ([intro.races]) even though they are
//     "far apart" in the ring.
//   * Each side's load of its own index is relaxed: it is the only writer, so
//     it always reads its own last store (coherence, [intro.races]).
//   * The destructor may run only after both sides are done (the contract),
//     which orders every push and pop before it.
#pragma once

#include <wb/sync.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

template <class T>
class spsc_ring {
 public:
  explicit spsc_ring(std::size_t capacity)
      : mask_(checked(capacity) - 1), slots_(std::make_unique<slot[]>(capacity)) {}

  spsc_ring(const spsc_ring&) = delete;
  spsc_ring& operator=(const spsc_ring&) = delete;

  ~spsc_ring() {
    const std::uint64_t tail = tail_.load(wb::memory_order_relaxed);
    for (std::uint64_t i = head_.load(wb::memory_order_relaxed); i != tail; ++i) at(i).~T();
  }

  std::size_t capacity() const noexcept { return mask_ + 1; }

  // Producer only.
  bool try_push(T&& value) {
    return push_with([&](void* where) { ::new (where) T(std::move(value)); });
  }
  bool try_push(const T& value) {
    return push_with([&](void* where) { ::new (where) T(value); });
  }

  // Consumer only.
  std::optional<T> try_pop() {
    const std::uint64_t head = head_.load(wb::memory_order_relaxed);  // we are its only writer
    if (head == cached_tail_) {
      cached_tail_ = tail_.load(wb::memory_order_acquire);  // pairs with the push's release
      if (head == cached_tail_) return std::nullopt;        // really empty
    }
    std::optional<T> value(std::move(at(head)));
    at(head).~T();
    head_.store(head + 1, wb::memory_order_release);  // hands the slot back to the producer
    return value;
  }

 private:
  // 64 bytes: the cache line of x86-64 and of most ARM cores.
  // std::hardware_destructive_interference_size says the same on g++ 12, but
  // g++ warns when it is used in a header (-Winterference-size): its value
  // depends on -mtune, so two files built with different flags would
  // disagree on this class's layout. Some cores (Apple M1, or Intel's
  // adjacent-line prefetcher) would prefer 128; that is a measurement to
  // make, not a correctness issue.
  static constexpr std::size_t cache_line = 64;

  struct slot {
    alignas(T) unsigned char bytes[sizeof(T)];
  };

  static std::size_t checked(std::size_t capacity) {
    if (capacity == 0 || (capacity & (capacity - 1)) != 0) {
      throw std::invalid_argument("spsc_ring: capacity must be a power of two (1, 2, 4, ...)");
    }
    return capacity;
  }

  template <class Construct>
  bool push_with(Construct construct) {
    const std::uint64_t tail = tail_.load(wb::memory_order_relaxed);  // we are its only writer
    if (tail - cached_head_ == capacity()) {
      cached_head_ = head_.load(wb::memory_order_acquire);  // pairs with the pop's release
      if (tail - cached_head_ == capacity()) return false;  // really full; value untouched
    }
    construct(static_cast<void*>(slots_[tail & mask_].bytes));
    tail_.store(tail + 1, wb::memory_order_release);  // publishes the value constructed above
    return true;
  }

  T& at(std::uint64_t index) noexcept {
    return *std::launder(reinterpret_cast<T*>(slots_[index & mask_].bytes));
  }

  // Read by both sides, written by neither after construction: sharing a
  // line that nobody writes costs nothing.
  const std::uint64_t mask_;
  const std::unique_ptr<slot[]> slots_;

  // The consumer's line: written by pops, read by pushes only when full.
  alignas(cache_line) wb::atomic<std::uint64_t> head_{0};  // values popped so far
  std::uint64_t cached_tail_ = 0;                          // consumer's last look at tail_

  // The producer's line: written by pushes, read by pops only when empty.
  alignas(cache_line) wb::atomic<std::uint64_t> tail_{0};  // values pushed so far
  std::uint64_t cached_head_ = 0;                          // producer's last look at head_
  // (alignas makes sizeof(spsc_ring) a multiple of cache_line, so whatever
  // follows the ring in memory starts on a line of its own.)
};
