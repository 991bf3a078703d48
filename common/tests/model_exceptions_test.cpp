// The model checker's own tests for exceptions: a failed check ends the
// execution with a trace, exceptions handled inside threads survive switches,
// and failures in or around noexcept functions are reported, not terminate().
// Each failing scenario checks the report. Model-only (a real deadlock would hang).
#include "model_test_support.hpp"

TEST_CASE("model: a failed REQUIRE-like exception ends the check with a trace", "[model]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::atomic<int> x{0};
    wb::thread t([&] { x.store(1, relaxed); });
    if (x.load(relaxed) == 1) throw std::runtime_error("saw the store");
    t.join();
  });
  CHECK_THAT(report, Contains("thread t0 threw: saw the store"));
  CHECK_THAT(report, Contains("store a1 := 1 relaxed"));
  CHECK_THAT(report, Contains("load a1 -> 1 relaxed (reads #1 by t1)"));
}

TEST_CASE("model: exceptions handled inside threads survive switches", "[model]") {
  // Each fiber has its own C++ exception state: a thread suspended inside a
  // catch block, while another throws and catches, still rethrows its own.
  const auto s = wb::model::check([] {
    wb::atomic<int> n{0};
    const auto worker = [&](int mine) {
      try {
        throw mine;
      } catch (int) {
        n.fetch_add(1, relaxed);  // a scheduling point inside the handler
        try {
          throw;
        } catch (int again) {
          if (again != mine) throw std::logic_error("rethrew another thread's exception");
        }
      }
      if (std::uncaught_exceptions() != 0) throw std::logic_error("exception state leaked");
    };
    wb::thread t1(worker, 1);
    wb::thread t2(worker, 2);
    t1.join();
    t2.join();
    REQUIRE(n.load(relaxed) == 2);
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: a failure inside or around noexcept functions is reported (no terminate)",
          "[model]") {
  MODEL_ONLY();
  // t1 blocks inside a noexcept function while t0 throws; then a race is
  // found inside a noexcept function. Exercise code is full of noexcept (as
  // std::atomic's members are): the checker must never throw through it.
  const std::string thrown = report_of([] {
    wb::mutex m;
    m.lock();
    wb::thread t([&]() noexcept { m.lock(); });
    throw std::runtime_error("the body failed while t1 waits");
  });
  CHECK_THAT(thrown, Contains("thread t0 threw: the body failed while t1 waits"));
  const std::string race = report_of([] {
    wb::cell<int> c{0};
    const auto bump = [&]() noexcept { c.with_mut([](int& v) { ++v; }); };
    wb::thread t(bump);
    bump();
    t.join();
  });
  CHECK_THAT(race, Contains("data race on c1"));
}
