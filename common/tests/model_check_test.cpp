// check() itself: repetition in a non-model build, exhaustiveness and the
// execution cap in the model (replay keys: model_report_test.cpp).
#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

using Catch::Matchers::Contains;

TEST_CASE("model check: a body without choices runs once in the model and repeat times otherwise",
          "[model]") {
  int runs = 0;
  wb::model::options opts;
  opts.repeat = 7;
  const auto s = wb::model::check([&] { ++runs; }, opts);
  if (wb::model::enabled()) {
    CHECK(runs == 1);
    CHECK(s.executions == 1);
    CHECK(s.exhaustive);
  } else {
    CHECK(runs == 7);
    CHECK(s.executions == 7);
    CHECK_FALSE(s.exhaustive);
  }
}

TEST_CASE("model check: objects made outside the body start fresh in every execution", "[model]") {
  wb::atomic<int> outside{5};  // plain outside check(), registered lazily inside
  int max_seen = 0;
  wb::model::check([&] {
    wb::thread t([&] { outside.fetch_add(1, wb::memory_order_relaxed); });
    const int v = outside.load(wb::memory_order_relaxed);
    max_seen = v > max_seen ? v : max_seen;
    t.join();
    REQUIRE(outside.load(wb::memory_order_relaxed) == 6);
    outside.store(5, wb::memory_order_relaxed);  // (needed only without the model)
  });
  if (wb::model::enabled()) CHECK(max_seen == 6);  // some execution runs t first
}

TEST_CASE("model check: reaching max_executions is not an exhaustive pass", "[model]") {
  if (!wb::model::enabled()) return;
  wb::model::options opts;
  opts.max_executions = 3;
  const auto s = wb::model::check(
      [] {
        wb::atomic<int> x{0};
        wb::thread t1([&] { x.store(1, wb::memory_order_relaxed); });
        wb::thread t2([&] { x.store(2, wb::memory_order_relaxed); });
        (void)x.load(wb::memory_order_relaxed);
        t1.join();
        t2.join();
      },
      opts);
  CHECK(s.executions == 3);
  CHECK_FALSE(s.exhaustive);
}

TEST_CASE("model check: an order the access does not allow is reported", "[model]") {
  if (!wb::model::enabled()) return;  // elsewhere it is undefined behaviour, not a test
  // Read from a variable so that no compiler sees a constant invalid order.
  volatile int release = static_cast<int>(wb::memory_order_release);
  volatile int acquire = static_cast<int>(wb::memory_order_acquire);
  const auto rel = static_cast<wb::memory_order>(release);
  const auto acq = static_cast<wb::memory_order>(acquire);
  REQUIRE_THROWS_WITH(wb::model::check([&] {
                        wb::atomic<int> x{0};
                        (void)x.load(rel);
                      }),
                      Contains("invalid memory order: load with memory_order_release"));
  REQUIRE_THROWS_WITH(wb::model::check([&] {
                        wb::atomic<int> x{0};
                        x.store(1, acq);
                      }),
                      Contains("invalid memory order: store with memory_order_acquire"));
  REQUIRE_THROWS_WITH(
      wb::model::check([&] {
        wb::atomic<int> x{0};
        int expected = 1;
        (void)x.compare_exchange_strong(expected, 2, acq, rel);
      }),
      Contains("invalid memory order: compare-exchange failure with memory_order_release"));
}
