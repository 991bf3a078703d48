// Tests for exercise 10.4, parking_lot (exercises/10-beyond/parking_lot.hpp).
//
// What each case can catch
//   * park() must sleep only when validate() says so, and unpark_one() must
//     report what it did: a parked thread is found, woken and counted; an
//     address with nobody parked is reported empty; a thread parked on one
//     address is not woken for another (addresses share buckets).
//   * A wake-up lost between validate() and the queueing (validate outside
//     the bucket's mutex): the parker sleeps with nobody left to wake it. In
//     the model, a deadlock report; in the plain trees, a missed deadline
//     now and then.
//   * byte_mutex: mutual exclusion and visibility on a wb::cell (orders:
//     the model), no sleeper left behind (a `parked` bit cleared while
//     others are still queued: the model's two sleepers, and a deadline),
//     and its size: one byte.
// Assertions only on the test's thread, after the joins (or in the model).
#include <catch2/catch.hpp>

#include "parking_lot.hpp"

#include "../../04-spin-lock/tests/lock_model_scenarios.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace {

// Unparks one thread on `address`, waiting (with a deadline) until one has
// parked there: a thread started by the test parks when the scheduler lets it.
parking_lot::unpark_result unpark_when_parked(parking_lot& lot, const void* address) {
  parking_lot::unpark_result result{.unparked = false, .have_more = false};
  wb::test::finishes_within(wb::test::default_deadline, "a thread to park (is it queued?)", [&] {
    while (!(result = lot.unpark_one(address, [](parking_lot::unpark_result) {})).unparked) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  return result;
}

}  // namespace

TEST_CASE("parking_lot: park returns at once when validate says no", "[ch10][parking_lot]") {
  parking_lot lot;
  int key = 0;
  bool parked = true;
  int validated = 0;
  parking_lot::unpark_result empty{.unparked = true, .have_more = true};
  bool callback_saw_unparked = true;
  wb::test::finishes_within(wb::test::default_deadline, "park with a false validate", [&] {
    parked = lot.park(&key, [&] {
      ++validated;
      return false;
    });
    empty = lot.unpark_one(
        &key, [&](parking_lot::unpark_result r) { callback_saw_unparked = r.unparked; });
  });
  CHECK_FALSE(parked);
  CHECK(validated == 1);
  CHECK_FALSE(empty.unparked);
  CHECK_FALSE(empty.have_more);
  CHECK_FALSE(callback_saw_unparked);
}

TEST_CASE("parking_lot: unpark_one wakes the threads parked on its address one at a time",
          "[ch10][parking_lot]") {
  parking_lot lot;
  int key = 0;
  std::vector<int> woken;  // guarded by woken_mutex
  std::mutex woken_mutex;
  wb::test::thread_group group("threads parked on one address");
  for (int t = 0; t < 2; ++t) {
    group.spawn([&, t] {
      lot.park(&key, [] { return true; });
      std::lock_guard hold(woken_mutex);
      woken.push_back(t);
    });
    // Thread t is queued when an unpark would find it; we wait for that by
    // looking, not by time: until then unpark_one reports nobody.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto first = unpark_when_parked(lot, &key);
  const auto second = unpark_when_parked(lot, &key);
  group.join_within();
  CHECK(first.have_more);
  CHECK_FALSE(second.have_more);
  CHECK(woken.size() == 2);
}

TEST_CASE("parking_lot: a thread parked on one address is not woken for another",
          "[ch10][parking_lot]") {
  parking_lot lot;
  std::vector<int> keys(300);  // more addresses than buckets: some share one
  std::atomic<bool> woken{false};
  wb::test::thread_group group("a thread parked on keys[0]");
  group.spawn([&] {
    lot.park(&keys[0], [] { return true; });
    woken.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  int others_unparked = 0;
  for (std::size_t k = 1; k < keys.size(); ++k) {
    if (lot.unpark_one(&keys[k], [](parking_lot::unpark_result) {}).unparked) ++others_unparked;
  }
  const bool woken_by_others = woken.load();
  unpark_when_parked(lot, &keys[0]);
  group.join_within();
  CHECK(others_unparked == 0);
  CHECK_FALSE(woken_by_others);
}

TEST_CASE("parking_lot: byte_mutex is one byte", "[ch10][parking_lot]") {
#if !(defined(WB_MODEL) && WB_MODEL)
  STATIC_REQUIRE(sizeof(byte_mutex) == 1);
#endif
  byte_mutex mutex;
  bool taken_by_other = true;
  REQUIRE(mutex.try_lock());
  wb::test::finishes_within(wb::test::default_deadline, "try_lock on a held byte_mutex",
                            [&] { taken_by_other = mutex.try_lock(); });
  CHECK_FALSE(taken_by_other);
  mutex.unlock();
  wb::test::finishes_within(wb::test::default_deadline, "lock and unlock a free byte_mutex",
                            [&] { std::lock_guard hold(mutex); });
}

TEST_CASE("parking_lot: byte_mutex never overlaps and leaves nobody asleep",
          "[ch10][parking_lot][stress]") {
  constexpr unsigned threads = 4;
  constexpr long per_thread = 3000;
  wb::test::repeat(4, [&](unsigned) {
    std::vector<byte_mutex> mutexes(3);  // three neighbouring bytes, one table
    std::vector<wb::cell<long>> counters(3);
    std::atomic<int> overlaps{0};
    std::vector<std::atomic<int>> inside(3);
    wb::test::run_concurrently(
        threads,
        [&](unsigned t) {
          for (long i = 0; i < per_thread; ++i) {
            const std::size_t m = (i + t) % 3;
            std::lock_guard hold(mutexes[m]);
            if (inside[m].fetch_add(1) != 0) overlaps.fetch_add(1);
            counters[m].with_mut([](long& value) { ++value; });
            if (i % 128 == 0) std::this_thread::yield();  // make others park now and then
            inside[m].fetch_sub(1);
            if (i % 200 == 0) wb::test::progress();
          }
        },
        wb::test::default_deadline, "4 threads on 3 byte mutexes (a lost wake-up?)");
    CHECK(overlaps.load() == 0);
    CHECK(counters[0].get() + counters[1].get() + counters[2].get() == threads * per_thread);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// byte_mutex uses parking_lot::global(): it is made before each check, so its
// mutexes are registered afresh in every execution (common/MODEL.md).

TEST_CASE("parking_lot: model a wake-up is not lost between the check and the queueing",
          "[ch10][parking_lot][model]") {
  wb::model::check([] {
    parking_lot lot;
    wb::atomic<std::uint32_t> ready{0};
    wb::thread waiter([&] {
      while (ready.load(wb::memory_order_acquire) == 0) {
        lot.park(&ready, [&] { return ready.load(wb::memory_order_relaxed) == 0; });
      }
    });
    ready.store(1, wb::memory_order_release);
    lot.unpark_one(&ready, [](parking_lot::unpark_result) {});
    waiter.join();
  });
}

TEST_CASE("parking_lot: model byte_mutex two threads never share the critical section",
          "[ch10][parking_lot][model]") {
  parking_lot::global();
  lock_model::two_threads_once<byte_mutex>();
}

TEST_CASE("parking_lot: model byte_mutex two sleepers for one owner are both woken",
          "[ch10][parking_lot][model]") {
  parking_lot::global();
  lock_model::two_waiters_for_one_owner<byte_mutex>();
}

TEST_CASE("parking_lot: model byte_mutex a successful try_lock sees the previous section",
          "[ch10][parking_lot][model]") {
  parking_lot::global();
  lock_model::lock_and_try_lock<byte_mutex>();
}
