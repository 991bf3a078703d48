// Exercise 5.5 — spsc_ring: a bounded single-producer single-consumer ring buffer.
//
// The channel that high-throughput code actually uses between two threads
// (an audio callback and a mixer, a network thread and a parser): a fixed
// array of slots and two indices. With exactly one producer and one
// consumer, each index has a single writer, so no locks and no
// read-modify-writes are needed: one release store per call publishes the
// work, one acquire load sees the other side's.
//
//     spsc_ring<packet> ring(1024);
//     // producer thread only:              // consumer thread only:
//     if (!ring.try_push(std::move(p)))     if (auto p = ring.try_pop()) handle(*p);
//       drop_or_retry(p);                   else idle();
//
// Design (yours to keep or change, as long as the contract holds)
//   * head_ counts the values popped so far, tail_ the values pushed; both
//     only grow. tail_ - head_ is the number of values in the ring: equal
//     means empty, capacity apart means full. A count becomes a slot with
//     `count & mask_`, which is why the capacity must be a power of two.
//   * Each side caches the other side's index (cached_head_ for the
//     producer, cached_tail_ for the consumer) and reloads the real one only
//     when the cache says "full" or "empty". A stale cache errs on the safe
//     side, and most calls then touch no line the other side writes.
//   * head_ and tail_ live on separate cache lines (alignas(cache_line)):
//     two cores writing the same line take turns owning it, even when they
//     write different variables in it (false sharing).
//
// Contract
//   * spsc_ring<T>(capacity): capacity a power of two (1, 2, 4, ...), else
//     std::invalid_argument. T only needs to be movable for the rvalue
//     try_push and copyable for the const& one.
//   * try_push(v): if the ring holds fewer than capacity values, stores v
//     and returns true; otherwise returns false and leaves v untouched (an
//     rvalue argument is not moved from). Never blocks.
//   * try_pop(): the oldest value, or std::nullopt if the ring is empty.
//     Never blocks. Values come out in the order they went in, each once.
//   * At most ONE thread calls try_push and at most ONE thread calls try_pop
//     during the ring's life (they may be different threads, or the same).
//     A second producer or consumer is a data race, undefined behaviour;
//     the ring does not check for it.
//   * Destroying the ring destroys the values still in it; the ring must
//     outlive both threads' calls.
//
// Memory ordering: everything the producer did before a try_push(v) that
// returned true happens-before everything the consumer does after the
// try_pop that returns v (release store of tail_, acquire load of it). And
// the consumer's reading and destroying a value happens-before the producer
// constructs a new one in the same slot (release store of head_, acquire
// load of it). Each side reads its own index relaxed.
//
// Run the tests: ./workbook check spsc_ring      Hints: ./workbook hint spsc_ring
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): destroy the values still in the ring: slots head_ up
    // to (not including) tail_.
    WB_NOT_IMPLEMENTED("spsc_ring::~spsc_ring: destroy the values from head_ to tail_");
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
    // TODO(exercise): if head_ equals the cached tail, refresh cached_tail_
    // from tail_ (acquire: the producer's construction of the value must be
    // visible); still equal means empty. Otherwise move the value out of
    // slot head_, destroy the husk, and only then publish head_ + 1 (release:
    // the producer may construct into this slot as soon as it sees it).
    WB_NOT_IMPLEMENTED(
        "spsc_ring::try_pop: check (refresh cached_tail_), move out, destroy, publish head_");
  }

 private:
  // 64 bytes: the cache line of x86-64 and of most ARM cores. (Why not
  // std::hardware_destructive_interference_size? The chapter explains.)
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

  // The producer's side of both try_push overloads: construct(where) builds
  // the value in a raw slot.
  template <class Construct>
  bool push_with(Construct construct) {
    // TODO(exercise): if tail_ is capacity ahead of the cached head, refresh
    // cached_head_ from head_ (acquire: the consumer must be done with the
    // slot you are about to reuse); still full means return false without
    // touching the value. Otherwise construct into slot tail_, and only then
    // publish tail_ + 1 (release).
    (void)construct;
    WB_NOT_IMPLEMENTED(
        "spsc_ring::try_push: check (refresh cached_head_), construct, publish tail_");
  }

  T& at(std::uint64_t index) noexcept {
    return *std::launder(reinterpret_cast<T*>(slots_[index & mask_].bytes));
  }

  // Read by both sides, written by neither after construction.
  const std::uint64_t mask_;
  const std::unique_ptr<slot[]> slots_;

  // The consumer's line: written by pops, read by pushes only when full.
  alignas(cache_line) wb::atomic<std::uint64_t> head_{0};  // values popped so far
  std::uint64_t cached_tail_ = 0;                          // consumer's last look at tail_

  // The producer's line: written by pushes, read by pops only when empty.
  alignas(cache_line) wb::atomic<std::uint64_t> tail_{0};  // values pushed so far
  std::uint64_t cached_head_ = 0;                          // producer's last look at head_
};
