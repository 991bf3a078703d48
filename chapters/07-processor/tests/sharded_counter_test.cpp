// Tests for exercise 7.2, sharded_counter (exercises/07-processor/sharded_counter.hpp).
//
// What can be checked without a stopwatch: where each shard lives (its
// address: aligned, and on a 64-byte line no other shard touches), that an
// add lands in its own shard, and that the total is exact after the joins
// while a reader sums the shards concurrently (a plain, non-atomic shard is
// then a data race that ThreadSanitizer reports). Whether the layout makes
// the counter fast is measured, not tested: demo 07-02 and the benchmark.
#include <catch2/catch.hpp>

#include "sharded_counter.hpp"

#include <wb/testing.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace {

constexpr std::uintptr_t line = 64;

std::uintptr_t line_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p) / line; }

}  // namespace

TEST_CASE("sharded_counter: each add goes to its own shard", "[ch07][sharded_counter]") {
  sharded_counter counter(4);
  CHECK(counter.shards() == 4);
  counter.add(0);
  counter.add(2, 5);
  counter.add(2);
  counter.add(3, -2);
  CHECK(counter.count(0) == 1);
  CHECK(counter.count(1) == 0);
  CHECK(counter.count(2) == 6);
  CHECK(counter.count(3) == -2);
  CHECK(counter.total() == 5);
}

TEST_CASE("sharded_counter: every shard has a line of its own", "[ch07][sharded_counter]") {
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
    sharded_counter counter(n);
    counter.add(n - 1);
    CHECK(counter.total() == 1);
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = line_of(counter.address(i));
      const auto last = line_of(static_cast<const char*>(counter.address(i)) + sizeof(long) - 1);
      CHECK(reinterpret_cast<std::uintptr_t>(counter.address(i)) % sharded_counter::shard_bytes ==
            0);
      CHECK(first == last);
      for (std::size_t j = i + 1; j < n; ++j) CHECK(line_of(counter.address(j)) != first);
    }
  }
}

TEST_CASE("sharded_counter: exact total after the joins while a reader sums",
          "[ch07][sharded_counter][stress]") {
  // The writers keep adding until the reader has summed 200 times (and at
  // least per_writer times each), so the sums really overlap the adds; the
  // flag between them is relaxed on purpose: it must not order the reader's
  // loads before the writers' stores, or a plain-long shard would hide its
  // data race from ThreadSanitizer.
  constexpr unsigned writers = 3;
  constexpr long per_writer = 20000;
  wb::test::repeat(3, [&](unsigned) {
    sharded_counter counter(writers);
    std::atomic<bool> reader_done{false};
    std::atomic<bool> went_down{false};  // a later total() smaller than an earlier one
    long added[writers] = {};            // each writer's own count, read after the join
    wb::test::thread_group group("3 threads adding to their shards and one summing");
    group.spawn([&] {
      long last = 0;
      for (int i = 0; i < 200; ++i) {
        const long now = counter.total();
        if (now < last) went_down.store(true);
        last = now;
      }
      reader_done.store(true, std::memory_order_relaxed);
    });
    for (unsigned w = 0; w < writers; ++w) {
      group.spawn([&, w] {
        long mine = 0;
        while (mine < per_writer || !reader_done.load(std::memory_order_relaxed)) {
          counter.add(w);
          ++mine;
        }
        added[w] = mine;
      });
    }
    group.join_within();
    CHECK_FALSE(went_down.load());
    long expected = 0;
    for (unsigned w = 0; w < writers; ++w) {
      CHECK(counter.count(w) == added[w]);
      expected += added[w];
    }
    CHECK(counter.total() == expected);
  });
}

TEST_CASE("sharded_counter: a shard changes owner after a join", "[ch07][sharded_counter]") {
  sharded_counter counter(2);
  for (int round = 0; round < 4; ++round) {
    wb::test::finishes_within(wb::test::default_deadline, "a thread adding 1000 times to shard 0",
                              [&] {
                                for (int i = 0; i < 1000; ++i) counter.add(0);
                              });
  }
  counter.add(1, 7);
  CHECK(counter.count(0) == 4000);
  CHECK(counter.total() == 4007);
}
