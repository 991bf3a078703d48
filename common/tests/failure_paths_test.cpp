// Scenarios that must END the test run with a clear message, never hang.
// They are hidden test cases ([.]): CTest runs each by name and passes when
// the expected message appears (common/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <wb/not_implemented.hpp>
#include <wb/testing.hpp>

#include <condition_variable>
#include <mutex>

namespace {
int the_scenarios_stub() { WB_NOT_IMPLEMENTED("the scenario's stub"); }
}  // namespace

TEST_CASE("failure path: a stub called on a worker thread", "[.][failure-path]") {
  wb::test::thread_group group("a worker calling a stub");
  group.spawn([] { (void)the_scenarios_stub(); });
  group.join_within();
  FAIL("unreachable: the stub ends the process");
}

TEST_CASE("failure path: a join that never finishes", "[.][failure-path]") {
  std::mutex m;
  std::condition_variable never_notified;
  bool ready = false;
  wb::test::thread_group group("the deadlocked consumer");
  group.spawn([&] {
    std::unique_lock lock(m);
    never_notified.wait(lock, [&] { return ready; });
  });
  group.join_within();
  FAIL("unreachable: the deadline ends the process");
}

TEST_CASE("failure path: a test case that never finishes", "[.][failure-path]") {
  std::mutex m;
  std::condition_variable never_notified;
  std::unique_lock lock(m);
  never_notified.wait(lock, [] { return false; });  // the watchdog must end this
  FAIL("unreachable: the watchdog ends the process");
}
