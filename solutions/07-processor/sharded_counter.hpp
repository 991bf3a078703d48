// Exercise 7.2 — sharded_counter: a counter many threads bump without sharing a line.
// Reference solution. (Contract: see exercises/07-processor/sharded_counter.hpp.)
//
// Why it is correct, and why it is fast
//   * Each shard is a struct alignas(shard_bytes): it starts on a line and
//     the compiler pads it to a whole line, so shard i and shard i+1 never
//     share one. new shard[n] honours the alignment (C++17 aligned new,
//     [expr.new]/19). A thread that adds to its shard keeps that line in its
//     own cache in the Modified state; nobody else writes it, so it never
//     leaves, and an add costs a few cycles instead of a cross-core transfer.
//   * add() is a relaxed load and a relaxed store, not a fetch_add. The
//     contract gives each shard one writer at a time, so no other write can
//     slip in between our load and our store; a plain load and store (a
//     `mov` each on x86-64, `ldr`/`str` on AArch64) suffices, where
//     fetch_add would be a `lock xadd` or an LL/SC loop. The operations are
//     still atomic because total() reads every shard while writers run:
//     with a plain long that would be a data race ([intro.races]/21).
//   * total() sums relaxed loads. While writers run it is a snapshot of
//     nothing in particular (each shard is read at a different moment), but
//     every value it returns is between the count when total() started and
//     the count when it returned, since each shard only grows. After the
//     writers have been joined, the join makes every add happen-before the
//     loads ([thread.thread.member]/4), so total() is exact.
//
// Memory ordering: relaxed throughout. The counter publishes no other data:
// nobody decides to read something because a count reached a value. Exact
// totals come from the happens-before that joining gives, not from the
// counter's own orders.
#pragma once

#include <wb/sync.hpp>

#include <cstddef>
#include <memory>

class sharded_counter {
 public:
  /// The size of the line each shard has to itself.
  static constexpr std::size_t shard_bytes = 64;

  explicit sharded_counter(std::size_t shards) : shards_(new shard[shards]), count_(shards) {}

  sharded_counter(const sharded_counter&) = delete;
  sharded_counter& operator=(const sharded_counter&) = delete;

  std::size_t shards() const noexcept { return count_; }

  /// Adds n to shard `index`, which only this thread writes at the moment.
  void add(std::size_t index, long n = 1) noexcept {
    wb::atomic<long>& value = shards_[index].value;
    value.store(value.load(wb::memory_order_relaxed) + n, wb::memory_order_relaxed);
  }

  /// The sum of every shard: exact once the writers are joined.
  long total() const noexcept {
    long sum = 0;
    for (std::size_t i = 0; i < count_; ++i) sum += shards_[i].value.load(wb::memory_order_relaxed);
    return sum;
  }

  /// One shard's count, and where it lives (for the tests' layout checks).
  long count(std::size_t index) const noexcept {
    return shards_[index].value.load(wb::memory_order_relaxed);
  }
  const void* address(std::size_t index) const noexcept { return &shards_[index].value; }

 private:
  struct alignas(shard_bytes) shard {
    wb::atomic<long> value{0};
  };

  std::unique_ptr<shard[]> shards_;
  std::size_t count_;
};
