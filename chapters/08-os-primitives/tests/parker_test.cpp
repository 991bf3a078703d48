// Tests for exercise 8.2, parker (exercises/08-os-primitives/parker.hpp).
//
// What each case can catch
//   * A token left by an unpark before the park: park must return at once
//     (a park that overwrites the token sleeps forever: a deadline here, a
//     deadlock report in the model).
//   * Tokens do not count: two unparks, then the first park returns and the
//     second sleeps until the next unpark.
//   * A parked thread is woken by one unpark, and sees what the unparking
//     thread wrote before it (a plain int here, read by ThreadSanitizer; a
//     wb::cell in the model, where a relaxed exchange or fetch_sub is a data
//     race with both source lines).
//   * Lost unparks in every interleaving of park and unpark, including an
//     unpark that wakes before it leaves its token or that decides to wake
//     from a load taken before the owner parked: model scenarios with one
//     and two unparking threads.
// Sleeps only give the owner time to fall asleep, so that a wrong unpark is
// caught; a correct parker passes whatever the scheduling.
#include <catch2/catch.hpp>

#include "parker.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

TEST_CASE("parker: an unpark before the park is not lost", "[ch08][parker]") {
  parker p;
  wb::test::finishes_within(wb::test::default_deadline, "park() after unpark() on the same thread",
                            [&] {
                              p.unpark();
                              p.park();  // the token is there: returns at once
                            });
  wb::test::finishes_within(wb::test::default_deadline,
                            "park() after an unpark() from another thread", [&] {
                              std::thread([&] { p.unpark(); }).join();
                              p.park();
                            });
}

TEST_CASE("parker: park sleeps until unpark and sees what came before it", "[ch08][parker]") {
  parker p;
  int message = 0;  // plain data: published by unpark, read after park
  int received = 0;
  std::atomic<bool> returned{false};
  wb::test::thread_group group("a thread in park(), unparked by the test");
  group.spawn([&] {
    p.park();
    returned.store(true);
    received = message;
  });
  std::this_thread::sleep_for(20ms);  // time to fall asleep
  const bool returned_early = returned.load();
  message = 42;
  p.unpark();
  group.join_within();
  CHECK_FALSE(returned_early);
  CHECK(received == 42);
}

TEST_CASE("parker: tokens do not add up", "[ch08][parker]") {
  parker p;
  p.unpark();
  p.unpark();  // still one token
  wb::test::finishes_within(wb::test::default_deadline, "park() with a token", [&] { p.park(); });
  std::atomic<bool> returned{false};
  wb::test::thread_group group("a second park() after two unparks, unparked again by the test");
  group.spawn([&] {
    p.park();
    returned.store(true);
  });
  std::this_thread::sleep_for(20ms);
  const bool second_park_returned_early = returned.load();
  p.unpark();
  group.join_within();
  CHECK_FALSE(second_park_returned_early);
}

TEST_CASE("parker: two threads hand a turn back and forth", "[ch08][parker][stress]") {
  constexpr int turns = 1000;
  wb::test::repeat(3, [&](unsigned) {
    parker parkers[2];
    std::atomic<int> turn{0};
    long handed = 0;  // plain data: each thread adds while it has the turn
    wb::test::run_concurrently(
        2,
        [&](unsigned me) {
          for (int mine = static_cast<int>(me); mine < 2 * turns; mine += 2) {
            while (turn.load(std::memory_order_acquire) != mine) parkers[me].park();
            ++handed;
            turn.store(mine + 1, std::memory_order_release);
            parkers[1 - me].unpark();
            if (mine % 200 == static_cast<int>(me)) wb::test::progress();
          }
        },
        wb::test::default_deadline, "two threads passing a turn 2000 times with park and unpark");
    CHECK(handed == 2 * turns);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("parker: model park returns after an unpark from another thread",
          "[ch08][parker][model]") {
  wb::model::check([] {
    parker p;
    wb::cell<int> message{0};
    wb::thread unparker([&] {
      message.set(42);
      p.unpark();
    });
    p.park();  // before, during or after the unpark: never lost
    REQUIRE(message.get() == 42);
    unparker.join();
  });
}

TEST_CASE("parker: model a loop of parks sees both unparkers", "[ch08][parker][model]") {
  wb::model::check([] {
    parker p;
    wb::atomic<int> done{0};
    wb::cell<int> first{0};
    wb::cell<int> second{0};
    wb::thread a([&] {
      first.set(1);
      done.fetch_add(1, wb::memory_order_relaxed);
      p.unpark();
    });
    wb::thread b([&] {
      second.set(2);
      done.fetch_add(1, wb::memory_order_relaxed);
      p.unpark();
    });
    while (done.load(wb::memory_order_relaxed) != 2) p.park();
    // The last unpark's release, read by a park's acquire (or the joins),
    // makes both writes visible; read them after the joins to be sure.
    a.join();
    b.join();
    REQUIRE(first.get() + second.get() == 3);
  });
}
