// Tests for exercise 1.1, joining_thread (exercises/01-threads/joining_thread.hpp).
//
// "The thread finished" is checked through a plain bool written by the thread
// and read by the test after the join: correct only if the join really
// happened. A solution that detaches instead is caught twice: the thread
// sleeps first, so the bool is usually still false, and ThreadSanitizer
// reports the unsynchronised read every time.
#include <catch2/catch.hpp>

#include "joining_thread.hpp"

#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <system_error>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {
// Slow enough that a thread that is not waited for has not finished yet.
void finish_later(bool& finished) {
  std::this_thread::sleep_for(20ms);
  finished = true;
}
}  // namespace

TEST_CASE("joining_thread: the destructor waits for the thread", "[ch01][joining_thread]") {
  bool finished = false;
  wb::test::finishes_within(wb::test::default_deadline, "a scope holding a joining_thread", [&] {
    joining_thread t(finish_later, std::ref(finished));
    CHECK(t.joinable());
  });
  CHECK(finished);
}

TEST_CASE("joining_thread: runs the function with its arguments", "[ch01][joining_thread]") {
  int sum = 0;
  std::thread::id seen_inside;
  std::thread::id reported;
  {
    joining_thread t(
        [&sum, &seen_inside](int a, int b) {
          seen_inside = std::this_thread::get_id();
          sum = a + b;
        },
        40, 2);
    reported = t.get_id();
  }
  CHECK(sum == 42);
  CHECK(seen_inside == reported);
  CHECK(seen_inside != std::this_thread::get_id());
}

TEST_CASE("joining_thread: an object without a thread destroys quietly", "[ch01][joining_thread]") {
  joining_thread empty;
  CHECK_FALSE(empty.joinable());
  CHECK(empty.get_id() == std::thread::id{});

  joining_thread source([] {});
  joining_thread target(std::move(source));
  CHECK_FALSE(source.joinable());  // NOLINT(bugprone-use-after-move): moved-from is specified
  CHECK(target.joinable());
  // Leaving the scope destroys target (joins) and source, empty (nothing to join).
}

TEST_CASE("joining_thread: move-assignment joins the thread it replaces", "[ch01][joining_thread]") {
  bool first_finished = false;
  bool second_finished = false;
  joining_thread t(finish_later, std::ref(first_finished));
  const auto second = [&] { second_finished = true; };
  wb::test::finishes_within(wb::test::default_deadline, "move-assignment over a running thread",
                            [&] { t = joining_thread(second); });
  CHECK(first_finished);  // the replaced thread was joined, not abandoned
  t.join();
  CHECK(second_finished);
  CHECK_FALSE(t.joinable());
}

TEST_CASE("joining_thread: moving into an empty object takes the thread", "[ch01][joining_thread]") {
  bool finished = false;
  joining_thread t;
  t = joining_thread(finish_later, std::ref(finished));
  CHECK(t.joinable());
  t.join();
  CHECK(finished);
}

TEST_CASE("joining_thread: join waits, then the object is empty", "[ch01][joining_thread]") {
  bool finished = false;
  joining_thread t(finish_later, std::ref(finished));
  t.join();
  CHECK(finished);
  CHECK_FALSE(t.joinable());
  CHECK_THROWS_AS(t.join(), std::system_error);
}

TEST_CASE("joining_thread: many threads in a vector all run and are joined", "[ch01][joining_thread]") {
  wb::test::repeat(20, [](unsigned) {
    constexpr int n = 8;
    std::vector<int> ran(n, 0);  // each thread writes only its own slot
    wb::test::finishes_within(wb::test::default_deadline, "a vector of joining_threads", [&] {
      std::vector<joining_thread> threads;
      for (int i = 0; i < n; ++i) threads.emplace_back([&ran, i] { ran[i] = 1; });
    });
    for (int i = 0; i < n; ++i) CHECK(ran[i] == 1);
  });
}
