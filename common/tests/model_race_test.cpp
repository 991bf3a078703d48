// The model checker's own tests for data races on plain data (wb::cell):
// a race is reported with both source lines; release/acquire publication is
// race-free.
// Each failing scenario checks the report: what failed, both source lines
// for a race, and the replay key. Model-only (a real deadlock would hang).
#include "model_test_support.hpp"

namespace {

std::string here(int line) { return "common/tests/model_race_test.cpp:" + std::to_string(line); }

}  // namespace

TEST_CASE("model: a race on a cell is reported with both lines", "[model][race]") {
  MODEL_ONLY();
  int write_line = 0;
  int read_line = 0;
  const std::string report = report_of([&] {
    wb::cell<int> data{0};
    wb::atomic<bool> ready{false};
    wb::thread writer([&] {
      write_line = __LINE__ + 1;
      data.set(42);
      ready.store(true, relaxed);  // relaxed: publishes nothing
    });
    if (ready.load(relaxed)) {
      read_line = __LINE__ + 1;
      (void)data.get();
    }
    writer.join();
  });
  CHECK_THAT(report, Contains("data race on c1"));
  CHECK_THAT(report, Contains(here(write_line)));
  CHECK_THAT(report, Contains(here(read_line)));
}

TEST_CASE("model: release/acquire publication of a cell is race-free", "[model][race]") {
  const auto s = wb::model::check([] {
    wb::cell<int> data{0};
    wb::atomic<bool> ready{false};
    wb::thread writer([&] {
      data.set(42);
      ready.store(true, release);
    });
    if (ready.load(acquire)) REQUIRE(data.get() == 42);
    writer.join();
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}
