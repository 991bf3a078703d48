// Tests for exercise 1.3, synchronized<T> (exercises/01-threads/synchronized.hpp).
//
// The protected value is an array whose elements a writer sets one by one
// to the same number: a reader or writer that ever sees them differ has
// overlapped with another call, i.e. the lock did not hold. ThreadSanitizer
// catches any unlocked access whether or not the overlap happens in a run.
#include <catch2/catch.hpp>

#include "synchronized.hpp"

#include <wb/testing.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using row = std::array<long, 64>;

bool all_equal(const row& r) {
  return std::all_of(r.begin(), r.end(), [&](long x) { return x == r[0]; });
}

// Sets every element to the next number, one at a time. Every 16th call
// yields halfway, which widens the window in which an unprotected reader sees
// a torn row. Not every call: a yield inside the critical section hands the
// core to whatever else the machine runs while every other thread waits for
// the lock, and 12,000 of them took longer than any deadline on a busy machine.
void advance(row& r) {
  const long next = r[0] + 1;
  for (std::size_t i = 0; i < r.size(); ++i) {
    r[i] = next;
    if (i == r.size() / 2 && next % 16 == 0) std::this_thread::yield();
  }
}

}  // namespace

TEST_CASE("synchronized: with_lock gives access and returns the result", "[ch01][synchronized]") {
  synchronized<std::vector<int>> log;
  log.with_lock([](std::vector<int>& v) { v.push_back(42); });
  log.with_lock([](std::vector<int>& v) { v.push_back(7); });
  const auto size = log.with_lock([](const std::vector<int>& v) { return v.size(); });
  CHECK(size == 2);
  CHECK(log.get() == std::vector<int>{42, 7});

  const synchronized<std::string> name(std::string("workbook"));
  CHECK(name.with_lock([](const std::string& s) { return s.size(); }) == 8);
  CHECK(name.get() == "workbook");
}

TEST_CASE("synchronized: with_lock calls never overlap", "[ch01][synchronized]") {
  constexpr unsigned threads = 6;
  constexpr long rounds = 1000;
  synchronized<row> value;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<bool> torn{false};
  wb::test::run_concurrently(threads, [&](unsigned) {
    for (long i = 0; i < rounds; ++i) {
      value.with_lock([&](row& r) {
        if (inside.fetch_add(1) != 0) overlapped = true;
        if (!all_equal(r)) torn = true;
        advance(r);
        inside.fetch_sub(1);
      });
      if (i % 100 == 0) wb::test::progress();  // a with_lock returned: not stuck
    }
  });
  CHECK_FALSE(overlapped.load());
  CHECK_FALSE(torn.load());
  const row final_row = value.get();
  CHECK(all_equal(final_row));
  CHECK(final_row[0] == threads * rounds);  // no update was lost
}

TEST_CASE("synchronized: get always returns a consistent copy", "[ch01][synchronized]") {
  synchronized<row> value;
  std::atomic<bool> torn{false};
  wb::test::run_concurrently(4, [&](unsigned index) {
    for (int i = 0; i < 1000; ++i) {
      if (index < 2) {
        value.with_lock([](row& r) { advance(r); });
      } else if (!all_equal(value.get())) {
        torn = true;
      }
      if (i % 100 == 0) wb::test::progress();
    }
  });
  CHECK_FALSE(torn.load());
  CHECK(value.get()[0] == 2 * 1000);
}

TEST_CASE("synchronized: const with_lock readers run alongside writers", "[ch01][synchronized]") {
  synchronized<row> value;
  const auto& reader_view = value;
  std::atomic<bool> torn{false};
  wb::test::run_concurrently(4, [&](unsigned index) {
    for (int i = 0; i < 1000; ++i) {
      if (index == 0) {
        value.with_lock([](row& r) { advance(r); });
      } else if (!reader_view.with_lock([](const row& r) { return all_equal(r); })) {
        torn = true;
      }
      if (i % 100 == 0) wb::test::progress();
    }
  });
  CHECK_FALSE(torn.load());
}

TEST_CASE("synchronized: the lock is released when f throws", "[ch01][synchronized]") {
  synchronized<int> value(1);
  CHECK_THROWS_AS(value.with_lock([](int&) -> int { throw std::runtime_error("boom"); }),
                  std::runtime_error);
  int seen = 0;
  wb::test::finishes_within(wb::test::default_deadline, "with_lock after a throwing with_lock",
                            [&] { seen = value.with_lock([](int& v) { return ++v; }); });
  CHECK(seen == 2);
}

// "No two calls of with_lock or get on one object ever overlap", scripted
// instead of left to chance: one with_lock stays inside f until the test
// lets it go, and meanwhile a get and a with_lock on other threads must not
// return. A call that skips the lock, or takes it only when try_lock
// succeeds (and, with an adopted guard, even unlocks the mutex the first
// call holds), returns at once and is caught every time. The test waits at
// most `patience` for such a return; a right solution waits all of it.
TEST_CASE("synchronized: get and with_lock wait while another with_lock is inside",
          "[ch01][synchronized]") {
  using namespace std::chrono_literals;
  constexpr auto patience = 200ms;
  synchronized<int> value(1);
  std::atomic<bool> inside{false};
  std::atomic<bool> let_go{false};
  std::atomic<int> returned_early{0};
  std::atomic<int> seen_by_get{0};
  std::atomic<int> seen_by_with_lock{0};
  wb::test::thread_group group("a with_lock held open, then a get and a with_lock");
  group.spawn([&] {
    value.with_lock([&](int& v) {
      inside.store(true);
      while (!let_go.load()) std::this_thread::yield();
      v = 2;
    });
  });
  while (!inside.load()) std::this_thread::yield();
  group.spawn([&] {
    seen_by_get.store(value.get());
    if (!let_go.load()) returned_early.fetch_add(1);
  });
  group.spawn([&] {
    seen_by_with_lock.store(value.with_lock([](int& v) { return v; }));
    if (!let_go.load()) returned_early.fetch_add(1);
  });
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (returned_early.load() == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(1ms);
  }
  const int early = returned_early.load();
  let_go.store(true);
  group.join_within();
  CHECK(early == 0);  // nothing returned while the first with_lock was inside
  CHECK(seen_by_get.load() == 2);
  CHECK(seen_by_with_lock.load() == 2);
}
