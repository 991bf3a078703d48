// Exercise 2.1 — id_allocator: unique IDs from one atomic counter.
// Reference solution. (Contract: see exercises/02-atomics/id_allocator.hpp.)
//
// Why it is correct
//   * Every ID is handed out by a successful compare_exchange that moves
//     next_ from `current` to `current + 1`. A compare_exchange is one
//     read-modify-write: it reads the value immediately before its own write
//     in next_'s modification order ([atomics.order]/10). So no two
//     successful calls can read the same `current`, and no ID is handed out
//     twice.
//   * The check `current < limit_` and the increment act on the SAME value:
//     the exchange only succeeds if next_ still holds the `current` that was
//     checked. next_ therefore never exceeds limit_, and `current + 1` never
//     overflows (current < limit_ <= UINT32_MAX), however many threads keep
//     calling after exhaustion: a failed allocate writes nothing at all.
//   * fetch_add-then-check would be shorter but wrong: every failed call
//     still increments, so after 2^32 - limit failures next_ wraps to 0 and
//     IDs are handed out a second time (and allocated() exceeds limit).
//   * compare_exchange_weak may fail spuriously; inside a loop that costs
//     one more iteration, and on LL/SC machines (ARM, POWER) weak is the
//     cheaper instruction sequence. On failure it stores the value it found
//     into `current`, so each retry checks the limit again with fresh data.
//
// Memory ordering: relaxed everywhere. The counter publishes nothing: a
// caller gets a number, not access to data another thread wrote, so there is
// no happens-before edge to create. Uniqueness needs only atomicity and the
// single modification order of next_, which every ordering, relaxed
// included, provides ([intro.races] coherence, [atomics.order]/10). If an ID
// later indexes data that one thread fills and another reads, THAT data needs
// its own release/acquire (or a lock) — the allocator cannot provide it.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

class id_allocator {
 public:
  explicit id_allocator(std::uint32_t limit) : id_allocator(0, limit) {}

  id_allocator(std::uint32_t first_free, std::uint32_t limit) : next_(first_free), limit_(limit) {
    if (first_free > limit) throw std::invalid_argument("id_allocator: first_free is above limit");
  }

  id_allocator(const id_allocator&) = delete;
  id_allocator& operator=(const id_allocator&) = delete;

  std::uint32_t allocate() {
    std::uint32_t current = next_.load(wb::memory_order_relaxed);
    do {
      if (current >= limit_) throw_exhausted();  // nothing written: next_ stays at limit_
    } while (!next_.compare_exchange_weak(current, current + 1, wb::memory_order_relaxed));
    return current;
  }

  std::uint32_t allocated() const noexcept { return next_.load(wb::memory_order_relaxed); }

 private:
  [[noreturn]] void throw_exhausted() const {
    throw std::runtime_error("id_allocator: all " + std::to_string(limit_) + " ids are in use");
  }

  wb::atomic<std::uint32_t> next_{0};  // lowest ID not handed out yet; never above limit_
  const std::uint32_t limit_;          // IDs are 0 .. limit_ - 1
};
