// The test helpers themselves: they must run every thread, carry exceptions
// to the test's thread, and scale deadlines. (Their failure paths, which end
// the process, are tested by failure_paths_test.cpp.)
#include <catch2/catch.hpp>

#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

TEST_CASE("testing: run_concurrently runs the body once per thread index", "[common][testing]") {
  constexpr unsigned n = 8;
  std::vector<std::atomic<int>> runs(n);
  wb::test::run_concurrently(n, [&](unsigned i) { runs[i].fetch_add(1); });
  for (unsigned i = 0; i < n; ++i) CHECK(runs[i].load() == 1);
}

TEST_CASE("testing: run_concurrently runs all bodies at the same time", "[common][testing]") {
  // Every body waits until all n are inside: a helper that ran the bodies
  // one after another would never finish (and the deadline would say so).
  constexpr unsigned n = 4;
  std::atomic<unsigned> inside{0};
  wb::test::run_concurrently(n, [&](unsigned) {
    inside.fetch_add(1);
    while (inside.load() < n) std::this_thread::yield();
  });
  CHECK(inside.load() == n);
}

TEST_CASE("testing: an exception on a worker reaches the test's thread", "[common][testing]") {
  wb::test::thread_group group("a throwing worker");
  group.spawn([] { throw std::runtime_error("from the worker"); });
  group.spawn([] {});
  CHECK_THROWS_WITH(group.join_within(), "from the worker");
  CHECK(group.size() == 0);
}

TEST_CASE("testing: finishes_within returns once the call returns", "[common][testing]") {
  std::atomic<bool> ran{false};
  wb::test::finishes_within(wb::test::default_deadline, "a quick call", [&] { ran = true; });
  CHECK(ran.load());
}

TEST_CASE("testing: repeat runs every round in order", "[common][testing]") {
  std::vector<unsigned> rounds;
  wb::test::repeat(5, [&](unsigned round) { rounds.push_back(round); });
  REQUIRE(rounds.size() >= 5);
  for (unsigned i = 0; i < rounds.size(); ++i) CHECK(rounds[i] == i);
}

TEST_CASE("testing: deadlines scale with the build", "[common][testing]") {
  CHECK(wb::test::deadline_scale() >= 1.0);
  CHECK(wb::test::scaled(std::chrono::milliseconds{1000}) >= std::chrono::milliseconds{1000});
}

TEST_CASE("testing: a join outlasts its deadline while its threads make progress",
          "[common][testing]") {
  // A deadline bounds the time without progress, not the time the work takes
  // (a busy machine makes correct work slow): 4 steps of 150 ms, each marking
  // progress, pass a 500 ms deadline (scaled) that their total overruns.
  const auto deadline = std::chrono::milliseconds{500};
  const auto step = wb::test::scaled(deadline) * 3 / 10;
  const auto started = std::chrono::steady_clock::now();
  wb::test::finishes_within(deadline, "4 slow steps that each make progress", [&] {
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(step);
      wb::test::progress();
    }
  });
  CHECK(std::chrono::steady_clock::now() - started > wb::test::scaled(deadline));
}

TEST_CASE("testing: a finished thread and a finished round are progress", "[common][testing]") {
  const auto before = wb::test::progress_mark();
  wb::test::repeat(1, [](unsigned) {});
  const auto after_round = wb::test::progress_mark();
  CHECK(after_round > before);
  wb::test::finishes_within(wb::test::default_deadline, "a quick call", [] {});
  CHECK(wb::test::progress_mark() > after_round);
}
