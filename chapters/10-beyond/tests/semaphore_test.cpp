// Tests for exercise 10.1, semaphore (exercises/10-beyond/semaphore.hpp).
//
// What each case can catch
//   * try_acquire on 0 and on a positive count, and a count that must never
//     go below zero: a fetch_sub that takes a permit that is not there.
//   * A waiter that must sleep until a release: one that does not wait.
//   * Never more holders than permits: threads count themselves inside.
//   * release(n) waking n sleepers: a release that wakes one only leaves
//     sleepers behind free permits (deadline "did not finish").
//   * Model: a permit handed from one thread to another carries the data
//     written before release() (a relaxed release or acquire is a data race
//     on the wb::cell); a release that wakes nobody is a deadlock report.
// Assertions only on the test's thread, after the joins.
#include <catch2/catch.hpp>

#include "semaphore.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <thread>

TEST_CASE("semaphore: try_acquire takes the permits there are and no more", "[ch10][semaphore]") {
  semaphore permits(2);
  bool first = false, second = false, third = true;
  wb::test::finishes_within(wb::test::default_deadline, "try_acquire three times on two permits",
                            [&] {
                              first = permits.try_acquire();
                              second = permits.try_acquire();
                              third = permits.try_acquire();
                            });
  CHECK(first);
  CHECK(second);
  CHECK_FALSE(third);
  bool again = false;
  wb::test::finishes_within(wb::test::default_deadline, "release then try_acquire", [&] {
    permits.release();
    again = permits.try_acquire();
  });
  CHECK(again);
  bool after_empty = true;
  wb::test::finishes_within(wb::test::default_deadline, "try_acquire on 0 permits",
                            [&] { after_empty = permits.try_acquire(); });
  CHECK_FALSE(after_empty);
}

TEST_CASE("semaphore: acquire takes a permit without waiting when there is one",
          "[ch10][semaphore]") {
  semaphore permits(3);
  bool left = true;
  wb::test::finishes_within(wb::test::default_deadline, "three acquire() on three permits", [&] {
    permits.acquire();
    permits.acquire();
    permits.acquire();
    left = permits.try_acquire();
  });
  CHECK_FALSE(left);  // the count is 0, not below
}

TEST_CASE("semaphore: acquire sleeps until a release", "[ch10][semaphore]") {
  semaphore permits(0);
  std::atomic<bool> acquired{false};
  wb::test::thread_group group("a thread in acquire() on 0 permits, after a release");
  group.spawn([&] {
    permits.acquire();
    acquired.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // time to get through, if wrong
  const bool acquired_early = acquired.load();
  permits.release();
  group.join_within();
  CHECK_FALSE(acquired_early);
  CHECK(acquired.load());
}

TEST_CASE("semaphore: never more holders than permits", "[ch10][semaphore][stress]") {
  constexpr unsigned threads = 6;
  constexpr std::uint32_t permits_given = 2;
  constexpr int rounds = 1500;
  wb::test::repeat(4, [&](unsigned) {
    semaphore permits(permits_given);
    std::atomic<int> inside{0};
    std::atomic<int> most_inside{0};
    wb::test::run_concurrently(
        threads,
        [&](unsigned) {
          for (int i = 0; i < rounds; ++i) {
            permits.acquire();
            const int now = inside.fetch_add(1) + 1;
            int most = most_inside.load();
            while (now > most && !most_inside.compare_exchange_weak(most, now)) {}
            if (i % 64 == 0) std::this_thread::yield();  // let another try while we hold it
            inside.fetch_sub(1);
            permits.release();
            if (i % 100 == 0) wb::test::progress();
          }
        },
        wb::test::default_deadline, "6 threads sharing 2 permits");
    CHECK(most_inside.load() <= int{permits_given});
    CHECK(permits.try_acquire());  // both permits are back, and no third
    CHECK(permits.try_acquire());
    CHECK_FALSE(permits.try_acquire());
  });
}

TEST_CASE("semaphore: release of n permits wakes n sleepers", "[ch10][semaphore][stress]") {
  constexpr int sleepers = 4;
  wb::test::repeat(6, [&](unsigned) {
    semaphore permits(0);
    std::atomic<int> woken{0};
    wb::test::thread_group group("4 threads in acquire() after release(4) (a lost wake-up?)");
    for (int s = 0; s < sleepers; ++s) {
      group.spawn([&] {
        permits.acquire();
        woken.fetch_add(1);
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let them fall asleep
    permits.release(sleepers);
    group.join_within();
    CHECK(woken.load() == sleepers);
    CHECK_FALSE(permits.try_acquire());
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("semaphore: model a permit carries what the releaser wrote", "[ch10][semaphore][model]") {
  wb::model::check([] {
    semaphore permits(0);
    wb::cell<int> message{0};
    int seen = 0;  // the consumer's own, read after the join
    wb::thread consumer([&] {
      permits.acquire();
      seen = message.get();
    });
    message.set(42);
    permits.release();
    consumer.join();
    REQUIRE(seen == 42);
    REQUIRE_FALSE(permits.try_acquire());
  });
}

TEST_CASE("semaphore: model two sleepers and release of two", "[ch10][semaphore][model]") {
  wb::model::check([] {
    semaphore permits(0);
    wb::cell<int> a{0};
    wb::cell<int> b{0};
    int seen_by_first = 0;  // each thread's own, read after the joins
    int seen_by_second = 0;
    wb::thread first([&] {
      permits.acquire();
      seen_by_first = a.get();
    });
    wb::thread second([&] {
      permits.acquire();
      seen_by_second = b.get();
    });
    a.set(1);
    b.set(1);
    permits.release(2);
    first.join();
    second.join();
    REQUIRE(seen_by_first == 1);
    REQUIRE(seen_by_second == 1);
    REQUIRE_FALSE(permits.try_acquire());
  });
}

TEST_CASE("semaphore: model a permit passed on from holder to holder", "[ch10][semaphore][model]") {
  wb::model::check([] {
    semaphore permits(1);
    wb::cell<int> counter{0};
    auto add_one = [&] {
      permits.acquire();
      counter.with_mut([](int& value) { ++value; });
      permits.release();
    };
    wb::thread other(add_one);
    add_one();
    other.join();
    REQUIRE(counter.get() == 2);
  });
}
