// Exercise 2.1 — id_allocator: unique IDs from one atomic counter.
//
// Many threads need small unique numbers: connection IDs, slots in a table,
// thread indices. A mutex around `next++` works; one atomic read-modify-write
// per ID is faster and cannot block. The catch is the limit: once every ID is
// in use, allocate must fail, and keep failing, without ever disturbing the
// counter — a counter that is incremented even when the call fails
// eventually wraps around to 0 and hands out IDs that are still in use.
//
//     id_allocator ids(3);
//     ids.allocate();  // 0
//     ids.allocate();  // 1
//     ids.allocate();  // 2
//     ids.allocate();  // throws std::runtime_error, and so does every later call
//
// Contract
//   * allocate() returns 0, 1, 2, ... in the order the calls take effect:
//     every ID below `limit` exactly once across all threads, never `limit`
//     or anything above it. limit may be as large as UINT32_MAX.
//   * When all IDs are in use, allocate() throws std::runtime_error with the
//     message "id_allocator: all <limit> ids are in use" — on that call and
//     on every later one, however many threads make them.
//   * id_allocator(first_free, limit) treats the IDs below first_free as
//     already in use (e.g. to reserve 0 as "no id"); the first ID handed out
//     is first_free. first_free > limit throws std::invalid_argument.
//   * allocated() returns how many IDs are in use: every ID below it has been
//     handed out (or reserved). It never exceeds limit; read while other
//     threads allocate, it is a snapshot that may already be out of date.
//   * Thread-safe: any number of threads may call allocate and allocated at
//     once. IDs are never given back (no free()).
//
// Memory ordering: relaxed is enough. The counter publishes no other data;
// uniqueness follows from the atomicity of read-modify-write operations and
// the single modification order of the counter ([atomics.order],
// [intro.races]), which hold for every memory order.
//
// Run the tests: ./workbook check id_allocator      Hints: ./workbook hint id_allocator
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): read next_, and if it is below limit_, move it one up
    //   with a single atomic step that fails if another thread moved it
    //   first (then look again). Return the value you moved it from.
    // TODO(exercise): when next_ has reached limit_, call throw_exhausted()
    //   WITHOUT changing next_: a failed call must leave no trace.
    WB_NOT_IMPLEMENTED("id_allocator::allocate: compare_exchange next_ up while below limit_");
  }

  std::uint32_t allocated() const noexcept {
    // TODO(exercise): how many IDs are in use? Which memory order is enough?
    WB_NOT_IMPLEMENTED("id_allocator::allocated: load next_");
  }

 private:
  [[noreturn]] void throw_exhausted() const {
    throw std::runtime_error("id_allocator: all " + std::to_string(limit_) + " ids are in use");
  }

  wb::atomic<std::uint32_t> next_{0};  // lowest ID not handed out yet; never above limit_
  const std::uint32_t limit_;          // IDs are 0 .. limit_ - 1
};
