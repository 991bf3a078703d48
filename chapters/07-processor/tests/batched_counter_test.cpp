// Tests for exercise 7.3, batched_counter (exercises/07-processor/batched_counter.hpp).
//
// On one thread the value after every increment is known exactly (flushes
// happen at multiples of the batch), which catches a flush that comes one
// increment late, a tally that is never reset, and a counter that does not
// batch at all. With several threads, the total must be exact after the
// joins (a tally dropped at thread exit loses its rest; a flush written as a
// load and a store loses other threads' flushes), and each thread checks,
// as it goes, that value() is never further behind its own increments than
// its pending tally: the staleness bound.
#include <catch2/catch.hpp>

#include "batched_counter.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <vector>

TEST_CASE("batched_counter: one thread sees a flush every batch", "[ch07][batched_counter]") {
  batched_counter counter(4);
  CHECK(counter.batch() == 4);
  batched_counter::tally mine(counter);
  std::vector<long> values, pendings;
  for (int k = 1; k <= 10; ++k) {
    mine.increment();
    values.push_back(counter.value());
    pendings.push_back(mine.pending());
  }
  CHECK(values == std::vector<long>{0, 0, 0, 4, 4, 4, 4, 8, 8, 8});
  CHECK(pendings == std::vector<long>{1, 2, 3, 0, 1, 2, 3, 0, 1, 2});
  mine.flush();
  CHECK(counter.value() == 10);
  CHECK(mine.pending() == 0);
  mine.flush();
  CHECK(counter.value() == 10);
  mine.increment();
  CHECK(counter.value() == 10);
  CHECK(mine.pending() == 1);
}

TEST_CASE("batched_counter: a tally hands in its rest when destroyed", "[ch07][batched_counter]") {
  batched_counter counter(100);
  {
    batched_counter::tally first(counter);
    for (int k = 0; k < 3; ++k) first.increment();
    CHECK(counter.value() == 0);
  }
  CHECK(counter.value() == 3);
  {
    batched_counter::tally second(counter);
    second.increment();
    second.flush();
  }
  CHECK(counter.value() == 4);
  batched_counter every(1);
  batched_counter::tally each(every);
  each.increment();
  each.increment();
  CHECK(every.value() == 2);
  CHECK(each.pending() == 0);
}

TEST_CASE("batched_counter: exact after the joins and never further behind than the tally",
          "[ch07][batched_counter][stress]") {
  constexpr unsigned threads = 3;
  constexpr long per_thread =
      20001;  // not a multiple of any batch below: every thread ends mid-batch
  for (long batch : {1L, 16L, 64L}) {
    wb::test::repeat(2, [&](unsigned) {
      batched_counter counter(batch);
      std::atomic<bool> too_stale{false};
      wb::test::run_concurrently(
          threads,
          [&](unsigned) {
            batched_counter::tally mine(counter);  // flushed when this function returns
            for (long k = 1; k <= per_thread; ++k) {
              mine.increment();
              // Our own flushes come before this load in our own order, so it sees them.
              if (k % 97 == 0 && counter.value() < k - mine.pending()) too_stale.store(true);
            }
          },
          wb::test::default_deadline, "3 threads counting through their tallies");
      INFO("batch " << batch);
      CHECK_FALSE(too_stale.load());
      CHECK(counter.value() == threads * per_thread);
    });
  }
}

// ---- Model-checked case (layer 4: `[model]`, see common/MODEL.md) -----------
// Two tallies flush at the same moment: under the model every interleaving
// of the two flushes is tried, so a flush written as a load and a store is
// seen losing one of them every time, not only when the machine happens to
// interleave them (the stress case above catches it only sometimes).

TEST_CASE("batched_counter: model two tallies flush at the same moment",
          "[ch07][batched_counter][model]") {
  wb::model::check([] {
    batched_counter counter(2);
    wb::thread other([&] {
      batched_counter::tally mine(counter);
      for (int k = 0; k < 3; ++k) mine.increment();
    });
    {
      batched_counter::tally mine(counter);
      for (int k = 0; k < 3; ++k) mine.increment();
    }
    other.join();
    REQUIRE(counter.value() == 6);
  });
}
