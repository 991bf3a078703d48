// Tests for exercise 5.5, spsc_ring (exercises/05-channels/spsc_ring.hpp).
//
// The single-threaded cases pin down the arithmetic: exactly `capacity`
// values fit, a failed push leaves the value with the caller, values come out
// in order across many wrap-arounds, and values left in the ring are
// destroyed with it (`tracked`, drop_counter.hpp).
//
// The concurrent cases run one producer and one consumer, the only use the
// contract allows, with small rings so that both sides find the ring full or
// empty all the time and the slots are reused constantly. Neither side ever
// blocks: each retries try_push/try_pop with a yield, and the join has a
// deadline, so a ring that never again reports room or a value (a cached
// index that is never refreshed) ends with "did not finish within". The
// consumer records every value; the test checks, after the join, that it
// received 0, 1, 2, ... in order. A value read from a slot before it was
// written, or overwritten before it was read, is a data race on the slot that
// ThreadSanitizer reports (the payload lives on the heap), and often a wrong
// or missing value in a plain run.
#include <catch2/catch.hpp>

#include "drop_counter.hpp"
#include "shadowed.hpp"
#include "spsc_ring.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

int value_of(const std::optional<tracked>& v) { return v ? v->value() : -2; }

// Pushes 0..count-1 from one thread and pops them on another; returns what
// the consumer saw, in order.
std::vector<int> transfer(spsc_ring<tracked>& ring, drop_stats& stats, int count) {
  std::vector<int> seen;  // written by the consumer, read after the join
  seen.reserve(static_cast<std::size_t>(count));
  wb::test::run_concurrently(
      2,
      [&](unsigned thread) {
        if (thread == 0) {
          for (int i = 0; i < count; ++i) {
            tracked value(stats, i);
            while (!ring.try_push(std::move(value))) std::this_thread::yield();
            if (i % 64 == 0) wb::test::progress();  // a value went in: not stuck
          }
        } else {
          while (static_cast<int>(seen.size()) < count) {
            if (std::optional<tracked> value = ring.try_pop()) seen.push_back(value->value());
            else std::this_thread::yield();
          }
        }
      },
      wb::test::default_deadline, "one producer and one consumer on the ring");
  return seen;
}

int out_of_place(const std::vector<int>& seen, int count) {
  int wrong = static_cast<int>(seen.size()) == count ? 0 : 1;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] != static_cast<int>(i)) ++wrong;
  }
  return wrong;
}

}  // namespace

TEST_CASE("spsc_ring: holds exactly capacity values in order", "[ch05][spsc_ring]") {
  drop_stats stats;
  {
    spsc_ring<tracked> ring(4);
    CHECK(ring.capacity() == 4);
    CHECK(value_of(ring.try_pop()) == -2);  // empty
    for (int i = 0; i < 4; ++i) CHECK(ring.try_push(tracked(stats, i)));
    tracked extra(stats, 99);
    CHECK_FALSE(ring.try_push(std::move(extra)));  // full
    CHECK(extra.value() == 99);                    // a failed push leaves the value alone
    for (int i = 0; i < 4; ++i) CHECK(value_of(ring.try_pop()) == i);
    CHECK(value_of(ring.try_pop()) == -2);
    // Round and round: the counts pass the capacity many times.
    for (int i = 0; i < 37; ++i) {
      CHECK(ring.try_push(tracked(stats, i)));
      CHECK(ring.try_push(tracked(stats, i + 1000)));
      CHECK(value_of(ring.try_pop()) == i);
      CHECK(value_of(ring.try_pop()) == i + 1000);
    }
    CHECK(value_of(ring.try_pop()) == -2);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("spsc_ring: capacity must be a power of two", "[ch05][spsc_ring]") {
  CHECK_THROWS_AS(spsc_ring<int>(0), std::invalid_argument);
  CHECK_THROWS_AS(spsc_ring<int>(3), std::invalid_argument);
  CHECK_THROWS_AS(spsc_ring<int>(12), std::invalid_argument);
  spsc_ring<int> one(1);
  CHECK(one.capacity() == 1);
  const int value = 5;
  CHECK(one.try_push(value));  // the copying overload
  CHECK_FALSE(one.try_push(value));
  CHECK(one.try_pop() == std::optional<int>(5));
  CHECK(one.try_pop() == std::nullopt);
}

TEST_CASE("spsc_ring: values left in the ring are destroyed with it", "[ch05][spsc_ring]") {
  drop_stats stats;
  {
    spsc_ring<tracked> ring(8);
    for (int i = 0; i < 11; ++i) {  // wraps: head and tail are not at slot 0
      CHECK(ring.try_push(tracked(stats, i)));
      if (i % 2 == 0) CHECK(value_of(ring.try_pop()) >= 0);
    }
    CHECK(stats.alive() == 5);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("spsc_ring: a producer and a consumer thread pass every value in order",
          "[ch05][spsc_ring][stress]") {
  const std::size_t capacity = GENERATE(1u, 4u, 64u);
  // Small rings make the two threads take turns, and each turn may cost a
  // yield (a trip through the scheduler on a busy machine): fewer values.
  const int count = capacity == 1 ? 100 : capacity == 4 ? 300 : 2000;
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(2, [&](unsigned) {
    spsc_ring<tracked> ring(capacity);
    wrong += out_of_place(transfer(ring, stats, count), count);
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("spsc_ring: many short runs on fresh rings", "[ch05][spsc_ring][stress]") {
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(40, [&](unsigned round) {
    spsc_ring<tracked> ring(2);
    const int count = 50 + static_cast<int>(round % 7);
    wrong += out_of_place(transfer(ring, stats, count), count);
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree the body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads, within a deadline (check_blocking, shadowed.hpp). Two values go
// through a ring of one slot, so the slot is written, read, freed and
// written again, and each side finds the ring full or empty on the way. The
// values are `shadowed` (shadowed.hpp): constructing one in a slot, moving it
// out and destroying it access a wb::cell that stands for that slot's
// memory. A value read before it is published (or without an acquire that
// sees the publication), or a slot written again before the consumer is
// done with it (or without an acquire that sees the consumer's release), is
// a data race on the slot's cell that the model reports with both lines.
// The spin loops are fine in the model: a load that sees nothing new lets
// the other thread run. Assertions only on the body's thread, after the join.

TEST_CASE("spsc_ring: model two values pass through a ring of one slot",
          "[ch05][spsc_ring][model]") {
  check_blocking(
      [] {
        shadow_memory memory;
        spsc_ring<shadowed> ring(1);
        wb::thread producer([&] {
          for (int i = 1; i <= 2; ++i) {
            shadowed value(memory, i);
            while (!ring.try_push(std::move(value))) pause_polling();
          }
        });
        std::vector<int> seen;
        while (seen.size() < 2) {
          if (const std::optional<shadowed> value = ring.try_pop()) {
            seen.push_back(value->value());
          } else {
            pause_polling();
          }
        }
        producer.join();
        REQUIRE(seen == std::vector<int>{1, 2});
      },
      "100 runs of a producer and a consumer passing two values");
}
