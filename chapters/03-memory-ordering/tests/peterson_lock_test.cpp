// Tests for exercise 3.4, peterson_lock (exercises/03-memory-ordering/peterson_lock.hpp).
//
// The lock protects a plain int counter (read, then written back: a lost
// update when two threads overlap) and an "occupied" marker checked on entry
// with relaxed loads and stores, which count every overlap without adding
// any ordering of their own (on x86 they are plain moves that do not drain
// the store buffer, so they do not hide a lock that lacks seq_cst).
//
// The stress cases hammer lock/unlock from both sides so that both threads
// often ask for the lock at the same moment: that is when a lock without
// seq_cst lets both in (store buffering, observable on x86).
#include <catch2/catch.hpp>

#include "peterson_lock.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// What a run of the two threads saw, checked after the join.
struct exclusion_report {
  int counter = 0;   // plain int incremented under the lock
  int overlaps = 0;  // entries that found the other thread inside
};

exclusion_report hammer(int rounds_per_thread) {
  peterson_lock lock;
  int counter = 0;                // guarded by lock
  std::atomic<int> occupied{-1};  // who is inside, -1 for nobody (relaxed: a detector only)
  std::vector<int> overlaps(2, 0);
  wb::test::run_concurrently(
      2,
      [&](unsigned thread) {
        const int me = static_cast<int>(thread);
        for (int i = 0; i < rounds_per_thread; ++i) {
          lock.lock(me);
          if (occupied.load(std::memory_order_relaxed) != -1) ++overlaps[thread];
          occupied.store(me, std::memory_order_relaxed);
          const int seen = counter;
          counter = seen + 1;
          if (occupied.load(std::memory_order_relaxed) != me) ++overlaps[thread];
          occupied.store(-1, std::memory_order_relaxed);
          lock.unlock(me);
          // A little work outside the lock, of varying length, so that the
          // two threads often arrive at lock() at the same moment instead of
          // always finding the other one already waiting.
          for (int work = (i * 7 + me * 3) % 32; work > 0; --work) {
            std::atomic_signal_fence(
                std::memory_order_seq_cst);  // kept by the compiler, no instruction
          }
        }
      },
      // A longer deadline than usual: when both threads always want in, the
      // lock hands over strictly in turn, and on an oversubscribed machine (a
      // sanitizer build, a busy CI runner) each handover may wait for the
      // scheduler. A lock that really livelocks is still reported, later.
      std::chrono::seconds(20), "2 threads taking a peterson_lock in turn");
  return {counter, overlaps[0] + overlaps[1]};
}

}  // namespace

TEST_CASE("peterson_lock: one thread can lock and unlock as either side", "[ch03][peterson_lock]") {
  peterson_lock lock;
  int entered = 0;
  // Nobody else wants in: lock returns at once, whoever we are, again and again.
  wb::test::finishes_within(wb::test::default_deadline, "lock and unlock with no contention", [&] {
    for (int i = 0; i < 100; ++i) {
      lock.lock(i % 2);
      ++entered;
      lock.unlock(i % 2);
    }
    lock.lock(0);
    lock.unlock(0);
    lock.lock(0);  // the same side twice in a row
    lock.unlock(0);
  });
  CHECK(entered == 100);
}

TEST_CASE("peterson_lock: the other thread waits until unlock", "[ch03][peterson_lock]") {
  peterson_lock lock;
  lock.lock(0);
  std::atomic<int> arrived{0};
  std::atomic<bool> entered{false};
  wb::test::thread_group other("thread 1 in lock while thread 0 holds it, then unlock(0)");
  other.spawn([&] {
    arrived.fetch_add(1);
    lock.lock(1);
    entered = true;
    lock.unlock(1);
  });
  while (arrived.load() < 1) std::this_thread::yield();
  std::this_thread::sleep_for(50ms);  // lets a lock that does not wait get in early
  CHECK_FALSE(entered.load());        // thread 0 holds the lock: thread 1 must wait
  lock.unlock(0);
  other.join_within();
  CHECK(entered.load());
  // And thread 0 can come back after thread 1 is done.
  wb::test::finishes_within(wb::test::default_deadline, "thread 0 locking again", [&] {
    lock.lock(0);
    lock.unlock(0);
  });
}

TEST_CASE("peterson_lock: two threads never overlap", "[ch03][peterson_lock][stress]") {
  wb::test::repeat(10, [&](unsigned round) {
    const exclusion_report report = hammer(1000);
    INFO("round " << round);
    CHECK(report.overlaps == 0);
    CHECK(report.counter == 2 * 1000);
  });
}

TEST_CASE("peterson_lock: many lock handovers lose no update", "[ch03][peterson_lock][stress]") {
  // Fewer, longer runs: the threads stay in step, asking for the lock at the
  // same moment round after round.
  const exclusion_report report = hammer(5000);
  CHECK(report.overlaps == 0);
  CHECK(report.counter == 2 * 5000);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree the body is explored under every schedule (bound 2) and
// every value each load may read, so store buffering (both threads reading
// the other's flag as false) happens whenever the orders allow it, not only
// when the hardware happens to show it. The counter is a wb::cell: two
// critical sections not ordered by happens-before are a data race the model
// reports with both lines; a lock that never lets a thread in is a livelock
// report. Elsewhere the body runs 100 times with real threads.

TEST_CASE("peterson_lock: model two threads never share the critical section",
          "[ch03][peterson_lock][model]") {
  wb::model::check([] {
    peterson_lock lock;
    wb::cell<int> counter{0};
    wb::thread other([&] {
      lock.lock(1);
      counter.with_mut([](int& v) { ++v; });
      lock.unlock(1);
    });
    lock.lock(0);
    counter.with_mut([](int& v) { ++v; });
    lock.unlock(0);
    other.join();
    REQUIRE(counter.get() == 2);
  });
}

TEST_CASE("peterson_lock: model a thread locks again after the other's turn",
          "[ch03][peterson_lock][model]") {
  // Two rounds on one side: the second lock(0) must wait for thread 1 if it
  // is inside, and thread 1's section must be published by its unlock.
  wb::model::check([] {
    peterson_lock lock;
    wb::cell<int> counter{0};
    wb::thread other([&] {
      lock.lock(1);
      counter.with_mut([](int& v) { ++v; });
      lock.unlock(1);
    });
    for (int round = 0; round < 2; ++round) {
      lock.lock(0);
      counter.with_mut([](int& v) { ++v; });
      lock.unlock(0);
    }
    other.join();
    REQUIRE(counter.get() == 3);
  });
}
