// Exercise 7.2 — sharded_counter: a counter many threads bump without sharing a line.
//
// One atomic counter bumped by every thread is one cache line that every
// core wants to write: each fetch_add must first take the line from the
// core that wrote it last, and the threads spend their time queueing for it
// (demo 07-03). A sharded counter gives each thread a shard of its own, on a
// line of its own, and adds the shards up only when someone asks for the
// total. Writes stay local; reading the total is the rare, slow operation.
//
//     sharded_counter hits(4);                  // four shards
//     // thread t:
//     hits.add(t);                              // its own shard, its own line
//     // after the joins:
//     long all = hits.total();                  // exact
//
// Contract
//   * sharded_counter(n): n >= 1 shards, each starting at 0, each on its own
//     cache line: shard i's value is aligned to shard_bytes, and no two
//     shards touch the same shard_bytes-sized line (the tests check
//     address(i)).
//   * add(i, n): adds n to shard i. Misuse rule: at any moment each shard has
//     at most one thread adding to it (its owner); the owner may change when
//     something orders the two owners' adds (a join, a lock). i < shards().
//   * total(): the sum of all shards. It may be called while owners add:
//     then it returns some value between the total when it started and the
//     total when it returned. Once every owner has been joined it is exact.
//   * count(i): shard i's value. address(i): where shard i's value lives.
//
// Memory ordering: everything may be relaxed. The counter publishes nothing
// but its own value, and the exact totals after the joins come from the
// joins. Ask yourself whether add needs a read-modify-write at all, given
// the misuse rule; and why the shard's value must still be an atomic.
//
// Run the tests: ./workbook check sharded_counter      Hints: ./workbook hint sharded_counter
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): add n to shards_[index].value. Is a fetch_add needed,
    // when nobody else writes this shard right now?
    static_cast<void>(index);
    static_cast<void>(n);
    WB_NOT_IMPLEMENTED("sharded_counter::add: add n to this shard (one writer per shard)");
  }

  /// The sum of every shard: exact once the writers are joined.
  long total() const noexcept {
    // TODO(exercise): sum every shard's value.
    WB_NOT_IMPLEMENTED("sharded_counter::total: sum every shard with relaxed loads");
  }

  /// One shard's count, and where it lives (for the tests' layout checks).
  long count(std::size_t index) const noexcept {
    return shards_[index].value.load(wb::memory_order_relaxed);
  }
  const void* address(std::size_t index) const noexcept {
    // TODO(exercise): once the shards have their own lines, return &shards_[index].value.
    static_cast<void>(index);
    WB_NOT_IMPLEMENTED(
        "sharded_counter::address: give each shard its own line, then return "
        "&shards_[index].value");
  }

 private:
  // TODO(exercise): each shard must start on a line of its own and fill it.
  struct shard {
    wb::atomic<long> value{0};
  };

  std::unique_ptr<shard[]> shards_;
  std::size_t count_;
};
