// Tests for exercise 8.3, event (exercises/08-os-primitives/event.hpp).
//
// What each case can catch
//   * wait() after set() returns at once; set() twice is harmless;
//     is_set() says what happened.
//   * Every sleeper is woken by one set(): with five threads asleep, a set
//     that wakes one leaves four asleep (a deadline here; in the model, two
//     sleepers and a deadlock report).
//   * What the setter wrote before set() is seen after wait() returns and
//     after is_set() returned true (plain data read by ThreadSanitizer, a
//     wb::cell in the model): a relaxed set or is_set is a data race.
//   * Lost wake-ups in every interleaving of wait and set: a waiter that
//     sleeps without announcing it, or overwrites `set` with its
//     announcement; a set that wakes before it changes the state, or that
//     decides whether to wake from a load taken before its store.
// Sleeps only give waiters time to fall asleep; a correct event passes
// whatever the scheduling.
#include <catch2/catch.hpp>

#include "event.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

TEST_CASE("event: set once and wait returns at once", "[ch08][event]") {
  event e;
  CHECK_FALSE(e.is_set());
  e.set();
  CHECK(e.is_set());
  e.set();  // harmless
  CHECK(e.is_set());
  wb::test::finishes_within(wb::test::default_deadline, "wait() on an event already set", [&] {
    e.wait();
    e.wait();
  });
}

TEST_CASE("event: one set wakes every sleeper and publishes to each", "[ch08][event]") {
  constexpr int sleepers = 5;
  event e;
  int message = 0;  // plain data, published by set()
  std::array<int, sleepers> received{};
  std::atomic<int> returned_early{0};
  wb::test::thread_group group("5 threads in event::wait(), woken by one set()");
  for (int i = 0; i < sleepers; ++i) {
    group.spawn([&, i] {
      e.wait();
      received[static_cast<std::size_t>(i)] = message;
      if (received[static_cast<std::size_t>(i)] != 42) returned_early.fetch_add(1);
    });
  }
  std::this_thread::sleep_for(30ms);  // time for all of them to fall asleep
  message = 42;
  e.set();
  group.join_within();
  CHECK(returned_early.load() == 0);
  for (int seen : received) CHECK(seen == 42);
}

TEST_CASE("event: is_set true publishes what came before set", "[ch08][event]") {
  event e;
  int message = 0;
  int received = 0;
  wb::test::thread_group group("a thread polling event::is_set()");
  group.spawn([&] {
    while (!e.is_set()) std::this_thread::yield();
    received = message;
  });
  message = 42;
  e.set();
  group.join_within();
  CHECK(received == 42);
}

TEST_CASE("event: waiters before and after set all return", "[ch08][event][stress]") {
  constexpr unsigned threads = 4;
  wb::test::repeat(50, [&](unsigned round) {
    event e;
    long message = 0;
    std::atomic<int> saw_message{0};
    wb::test::run_concurrently(
        threads,
        [&](unsigned t) {
          if (t == round % threads) {  // the setter, a different thread each round
            message = 7;
            e.set();
          } else {
            e.wait();
            if (message == 7) saw_message.fetch_add(1, std::memory_order_relaxed);
          }
        },
        wb::test::default_deadline, "3 threads in event::wait() and one calling set()");
    CHECK(saw_message.load() == static_cast<int>(threads) - 1);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("event: model a waiter sees what came before set", "[ch08][event][model]") {
  wb::model::check([] {
    event e;
    wb::cell<int> message{0};
    wb::thread setter([&] {
      message.set(42);
      e.set();
    });
    e.wait();
    REQUIRE(message.get() == 42);
    setter.join();
  });
}

TEST_CASE("event: model one set wakes both sleepers", "[ch08][event][model]") {
  wb::model::check([] {
    event e;
    wb::cell<int> message{0};
    int seen_a = 0;  // written by its thread, read after the join
    int seen_b = 0;
    wb::thread a([&] {
      e.wait();
      seen_a = message.get();
    });
    wb::thread b([&] {
      e.wait();
      seen_b = message.get();
    });
    message.set(1);
    e.set();
    a.join();
    b.join();
    REQUIRE(seen_a + seen_b == 2);
  });
}

TEST_CASE("event: model is_set true sees what came before set", "[ch08][event][model]") {
  wb::model::check([] {
    event e;
    wb::cell<int> message{0};
    int seen = -1;  // -1: the event was not set yet when looked at
    wb::thread reader([&] {
      if (e.is_set()) seen = message.get();
    });
    message.set(42);
    e.set();
    reader.join();
    REQUIRE((seen == -1 || seen == 42));
  });
}
