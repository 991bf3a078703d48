// Tests for exercise 2.3, lazy_value (exercises/02-atomics/lazy_value.hpp).
//
// make() counts its calls and, in the racing cases, returns a different
// number on every call (1, 2, 3, ...), so two callers that were given
// different answers are seen at once. Each thread writes only its own slot
// (what get returned, what its make calls produced); the test checks the
// slots after the join.
//
// The racing case starts its threads together on a fresh object, many times
// over: each round is one chance for several callers to find no value and
// compute at the same time. make() yields once before returning, as an
// expensive computation would be descheduled, which widens the window in
// which a second caller also finds 0.
#include <catch2/catch.hpp>

#include "lazy_value.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

TEST_CASE("lazy_value: the first get computes and later calls return the same value",
          "[ch02][lazy_value]") {
  lazy_value v;
  int calls = 0;
  CHECK(v.get([&] {
    ++calls;
    return std::uint64_t{42};
  }) == 42);
  CHECK(calls == 1);
  // Once a value is stored, make is never called again, whatever it would return.
  for (int i = 0; i < 10; ++i) {
    CHECK(v.get([&] {
      ++calls;
      return std::uint64_t{7};
    }) == 42);
  }
  CHECK(calls == 1);
}

TEST_CASE("lazy_value: every object computes its own value", "[ch02][lazy_value]") {
  lazy_value small;
  lazy_value large;
  constexpr std::uint64_t largest = std::numeric_limits<std::uint64_t>::max();
  CHECK(small.get([] { return std::uint64_t{1}; }) == 1);
  CHECK(large.get([] { return largest; }) == largest);
  CHECK(small.get([] { return std::uint64_t{2}; }) == 1);
  CHECK(large.get([] { return std::uint64_t{2}; }) == largest);
}

TEST_CASE("lazy_value: a make that throws stores nothing", "[ch02][lazy_value]") {
  lazy_value v;
  CHECK_THROWS_AS(v.get([]() -> std::uint64_t { throw std::runtime_error("not today"); }),
                  std::runtime_error);
  CHECK(v.get([] { return std::uint64_t{5}; }) == 5);
  CHECK(v.get([] { return std::uint64_t{6}; }) == 5);
}

TEST_CASE("lazy_value: racing callers all get the same value", "[ch02][lazy_value][stress]") {
  constexpr unsigned threads = 4;
  wb::test::repeat(120, [&](unsigned) {
    lazy_value v;
    std::atomic<std::uint64_t> next{1};  // make() returns 1, 2, 3, ... : distinct per call
    std::vector<std::uint64_t> returned(threads, 0);
    std::vector<std::vector<std::uint64_t>> produced(threads);  // what each thread's make returned
    wb::test::run_concurrently(
        threads,
        [&](unsigned i) {
          returned[i] = v.get([&] {
            const std::uint64_t mine = next.fetch_add(1);
            std::this_thread::yield();  // an expensive make: others may start theirs meanwhile
            produced[i].push_back(mine);
            return mine;
          });
        },
        wb::test::default_deadline, "4 threads calling get on a fresh lazy_value");

    std::vector<std::uint64_t> all_produced;
    for (const auto& mine : produced) {
      CHECK(mine.size() <= 1);  // one get calls make at most once
      all_produced.insert(all_produced.end(), mine.begin(), mine.end());
    }
    CHECK_FALSE(all_produced.empty());  // somebody computed the value

    const std::uint64_t first = returned[0];
    CHECK(std::count(returned.begin(), returned.end(), first) == threads);
    CHECK(std::count(all_produced.begin(), all_produced.end(), first) == 1);
    // And the value stays: a later call returns it without computing.
    bool called_again = false;
    CHECK(v.get([&] {
      called_again = true;
      return std::uint64_t{1000};
    }) == first);
    CHECK_FALSE(called_again);
  });
}

TEST_CASE("lazy_value: callers that arrive after the value is stored never call make",
          "[ch02][lazy_value]") {
  constexpr unsigned threads = 4;
  lazy_value v;
  REQUIRE(v.get([] { return std::uint64_t{99}; }) == 99);
  std::atomic<int> calls{0};
  std::vector<int> wrong(threads, 0);
  wb::test::run_concurrently(threads, [&](unsigned i) {
    for (int k = 0; k < 1000; ++k) {
      const std::uint64_t got = v.get([&] {
        calls.fetch_add(1);
        return std::uint64_t{1};
      });
      if (got != 99) ++wrong[i];
    }
  });
  CHECK(calls.load() == 0);
  for (int w : wrong) CHECK(w == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree the body is explored under every schedule (bound 2), and
// a compare_exchange_weak may fail spuriously once per execution; elsewhere
// it runs 100 times with real threads. Assertions only on the body's thread.

TEST_CASE("lazy_value: model two racing callers get the same value", "[ch02][lazy_value][model]") {
  wb::model::check([] {
    lazy_value v;
    std::uint64_t from_thread = 0;
    int thread_makes = 0;  // each counter is written by one thread only
    int main_makes = 0;
    wb::thread t([&] {
      from_thread = v.get([&] {
        ++thread_makes;
        return std::uint64_t{1};
      });
    });
    const std::uint64_t from_main = v.get([&] {
      ++main_makes;
      return std::uint64_t{2};
    });
    t.join();
    REQUIRE(from_main != 0);
    REQUIRE(from_main == from_thread);
    REQUIRE(thread_makes <= 1);
    REQUIRE(main_makes <= 1);
    bool called_again = false;
    REQUIRE(v.get([&] {
      called_again = true;
      return std::uint64_t{3};
    }) == from_main);
    REQUIRE_FALSE(called_again);
  });
}
