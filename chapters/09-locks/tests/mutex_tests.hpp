// Test cases every mutex of chapter 9 must pass (two_state_mutex,
// three_state_mutex, spinning_mutex): one body per property, run against each
// variant, in the spirit of one torture harness for many implementations. A
// test file defines MUTEX_EXERCISE (the exercise's name) and MUTEX_TYPE (the
// class) before including this header.
//
// What each case can catch
//   * Mutual exclusion and visibility: critical sections increment a
//     wb::cell. Two threads inside at once lose updates (and overlap, which
//     a counter of threads inside sees); a lock that is not an acquire, or
//     an unlock that is not a release, is a data race on the cell, reported
//     by ThreadSanitizer and, deterministically, by the model checker.
//   * Lost wake-ups: threads that went to sleep and are never woken make a
//     join miss its deadline ("did not finish within N s"), in the plain
//     trees, and are a deadlock report in the model, which explores the
//     schedules where every waiter is asleep before the owner unlocks (three
//     threads: the scenario that catches a lock that forgets "waiters").
//   * try_lock: succeeds on a free mutex, fails on a held one, never blocks.
//   * Lockable: the standard's guards, std::scoped_lock (std::lock, which
//     uses try_lock) and std::condition_variable_any work with the type.
//     That case uses a std::mutex inside condition_variable_any, so it is not
//     a model case.
// Sleeps only make a wrong mutex easier to catch (waiters have time to
// fall asleep); a correct one passes whatever the timing. Assertions only
// on the test's thread.
#pragma once

#include <catch2/catch.hpp>

#include "../../04-spin-lock/tests/lock_model_scenarios.hpp"
#include "../../04-spin-lock/tests/lock_stress.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#ifndef MUTEX_EXERCISE
#error "define MUTEX_EXERCISE and MUTEX_TYPE before including mutex_tests.hpp"
#endif

#define MUTEX_TAGS "[ch09][" MUTEX_EXERCISE "]"

namespace {

using tested_mutex = MUTEX_TYPE;

void add_one_long(wb::cell<long>& counter) {
  counter.with_mut([](long& value) { ++value; });
}

}  // namespace

TEST_CASE(MUTEX_EXERCISE ": try_lock takes a free mutex and fails on a held one", MUTEX_TAGS) {
  tested_mutex mutex;
  REQUIRE(mutex.try_lock());  // free: taken
  bool taken_by_other = true;
  wb::test::finishes_within(wb::test::default_deadline, "try_lock on a held mutex (must not block)",
                            [&] { taken_by_other = mutex.try_lock(); });
  CHECK_FALSE(taken_by_other);
  mutex.unlock();
  wb::test::finishes_within(wb::test::default_deadline, "try_lock on a free mutex", [&] {
    taken_by_other = mutex.try_lock();
    if (taken_by_other) mutex.unlock();
  });
  CHECK(taken_by_other);
  for (int i = 0; i < 1000; ++i) {  // never a spurious failure on a free mutex
    REQUIRE(mutex.try_lock());
    mutex.unlock();
  }
  wb::test::finishes_within(wb::test::default_deadline, "lock and unlock of a free mutex", [&] {
    mutex.lock();
    mutex.unlock();
  });
}

TEST_CASE(MUTEX_EXERCISE ": lock waits until the owner unlocks", MUTEX_TAGS) {
  tested_mutex mutex;
  wb::cell<int> data{0};
  std::atomic<bool> entered{false};
  int seen_inside = 0;  // written by the thread, read after the join
  mutex.lock();
  wb::test::thread_group group("a thread in lock() while the test holds the mutex");
  group.spawn([&] {
    mutex.lock();
    entered.store(true);
    seen_inside = data.get();
    mutex.unlock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // time to get in, if wrong
  const bool entered_while_held = entered.load();
  data.set(42);
  mutex.unlock();
  group.join_within();
  CHECK_FALSE(entered_while_held);
  CHECK(seen_inside == 42);
}

TEST_CASE(MUTEX_EXERCISE ": many threads never overlap and lose no update", MUTEX_TAGS "[stress]") {
  constexpr unsigned threads = 4;
  constexpr long per_thread = 2000;
  wb::test::repeat(4, [&](unsigned) {
    tested_mutex mutex;
    wb::cell<long> counter{0};  // plain data, guarded by mutex
    const auto seen = lock_stress::hammer(
        threads, per_thread, "4 threads taking the mutex 2000 times each", [&](auto section) {
          std::lock_guard guard(mutex);
          section([&] { add_one_long(counter); });
          return true;
        });
    CHECK_FALSE(seen.overlapped);
    CHECK(counter.get() == threads * per_thread);
  });
}

TEST_CASE(MUTEX_EXERCISE ": no waiter is left asleep behind a free mutex", MUTEX_TAGS "[stress]") {
  constexpr int waiters = 6;
  constexpr int rounds_each = 3;
  wb::test::repeat(8, [&](unsigned) {
    tested_mutex mutex;
    wb::cell<long> counter{0};
    mutex.lock();
    wb::test::thread_group group("6 threads that found the mutex held (a lost wake-up?)");
    for (int w = 0; w < waiters; ++w) {
      group.spawn([&] {
        for (int i = 0; i < rounds_each; ++i) {
          std::lock_guard guard(mutex);
          add_one_long(counter);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let them fall asleep
    mutex.unlock();
    group.join_within();
    CHECK(counter.get() == waiters * rounds_each);
  });
}

TEST_CASE(MUTEX_EXERCISE ": the standard guards and condition_variable_any work with it",
          MUTEX_TAGS) {
  tested_mutex first;
  tested_mutex second;
  {
    std::lock_guard guard(first);
    std::unique_lock other(second, std::try_to_lock);
    CHECK(other.owns_lock());
  }
  {
    std::unique_lock held(first);
    bool owned_by_other = true;
    wb::test::finishes_within(wb::test::default_deadline, "unique_lock with try_to_lock", [&] {
      owned_by_other = std::unique_lock(first, std::try_to_lock).owns_lock();
    });
    CHECK_FALSE(owned_by_other);
  }
  // std::scoped_lock takes both with std::lock's try-and-back-off algorithm:
  // opposite orders on two threads must not deadlock.
  long both = 0;  // guarded by first and second
  wb::test::run_concurrently(
      2,
      [&](unsigned t) {
        for (int i = 0; i < 500; ++i) {
          if (t == 0) {
            std::scoped_lock guard(first, second);
            ++both;
          } else {
            std::scoped_lock guard(second, first);
            ++both;
          }
        }
      },
      wb::test::default_deadline, "two threads taking two mutexes in opposite orders");
  CHECK(both == 1000);
  // condition_variable_any: any Lockable works as its mutex.
  std::condition_variable_any ready_changed;
  bool ready = false;  // guarded by first
  int seen = 0;
  wb::test::thread_group group("a thread waiting on condition_variable_any");
  group.spawn([&] {
    std::unique_lock lock(first);
    ready_changed.wait(lock, [&] { return ready; });
    seen = 1;
  });
  {
    std::lock_guard guard(first);
    ready = true;
  }
  ready_changed.notify_one();
  group.join_within();
  CHECK(seen == 1);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// The bodies are chapter 4's lock scenarios (lock_model_scenarios.hpp): a
// wb::cell incremented in each critical section, so a missing acquire or
// release is a data race with both source lines, and a thread asleep with
// nobody left to wake it is a deadlock report with the trace.

TEST_CASE(MUTEX_EXERCISE ": model two threads never share the critical section",
          MUTEX_TAGS "[model]") {
  lock_model::two_threads_once<tested_mutex>();
}

TEST_CASE(MUTEX_EXERCISE ": model a thread locks again after the other's turn",
          MUTEX_TAGS "[model]") {
  lock_model::one_thread_locks_again<tested_mutex>();
}

TEST_CASE(MUTEX_EXERCISE ": model a successful try_lock sees the previous section",
          MUTEX_TAGS "[model]") {
  lock_model::lock_and_try_lock<tested_mutex>();
}

TEST_CASE(MUTEX_EXERCISE ": model two sleepers for one owner are both woken",
          MUTEX_TAGS "[model]") {
  lock_model::two_waiters_for_one_owner<tested_mutex>();
}

// A try_lock that fails must leave the state as it found it: with a sleeper
// behind the owner, an exchange(locked) would turn "waiters" into "locked",
// and the owner's unlock would wake nobody.
TEST_CASE(MUTEX_EXERCISE ": model a failed try_lock does not hide a sleeper",
          MUTEX_TAGS "[model]") {
  wb::model::check([] {
    tested_mutex mutex;
    wb::cell<int> counter{0};
    mutex.lock();
    wb::thread sleeper([&] { lock_model::add_one_locked(mutex, counter); });
    bool taken = false;  // written by the trier, read after the join
    wb::thread trier([&] { taken = mutex.try_lock(); });
    trier.join();
    lock_model::add_one(counter);
    mutex.unlock();
    sleeper.join();
    REQUIRE_FALSE(taken);
    REQUIRE(counter.get() == 2);
  });
}
