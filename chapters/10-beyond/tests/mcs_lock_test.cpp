// Tests for exercise 10.3, mcs_lock (exercises/10-beyond/mcs_lock.hpp).
//
// What each case can catch
//   * Mutual exclusion and visibility: critical sections increment a
//     wb::cell. A missing acquire or release anywhere on the hand-over or on
//     the free-and-take path is a data race on it (the model, and
//     ThreadSanitizer when the run happens to take that path).
//   * A waiter left behind: an unlock that returns while its successor has
//     exchanged itself into the queue but not linked yet, or a waiter that
//     marks itself waiting after linking (its predecessor's hand-over comes
//     first and is overwritten). The waiter spins forever: a livelock report
//     in the model, a missed deadline in the plain trees.
//   * FIFO order: threads that queued one after another get the lock in
//     that order. The test knows a waiter has queued when it yields its core
//     (the contract asks a waiter to yield now and then): it defines
//     sched_yield, which std::this_thread::yield calls in libstdc++, counts
//     each waiter's calls and passes them on to the kernel. No sleep decides
//     the order, so a busy machine cannot make a correct lock fail.
// Assertions only on the test's thread, after the joins (or in the model).
#include <catch2/catch.hpp>

#include "mcs_lock.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

// Calls to sched_yield made by each queued waiter of the FIFO test.
std::array<std::atomic<long>, 3> yields_of_waiter{};
thread_local int waiter_index = -1;  // set only on those waiters

}  // namespace

extern "C" int sched_yield() noexcept {
  if (waiter_index >= 0) {
    yields_of_waiter[static_cast<std::size_t>(waiter_index)].fetch_add(1,
                                                                       std::memory_order_relaxed);
  }
  return static_cast<int>(syscall(SYS_sched_yield));
}

namespace {

void add_one(wb::cell<long>& counter) {
  counter.with_mut([](long& value) { ++value; });
}

}  // namespace

TEST_CASE("mcs_lock: one thread locks and unlocks again and again", "[ch10][mcs_lock]") {
  mcs_lock lock;
  wb::cell<long> counter{0};
  wb::test::finishes_within(wb::test::default_deadline, "lock and unlock of a free lock", [&] {
    mcs_lock::node mine;
    for (int i = 0; i < 1000; ++i) {  // the same node, again and again
      lock.lock(mine);
      add_one(counter);
      lock.unlock(mine);
    }
    mcs_lock::guard hold(lock);
    add_one(counter);
  });
  CHECK(counter.get() == 1001);
}

TEST_CASE("mcs_lock: lock waits until the owner unlocks", "[ch10][mcs_lock]") {
  mcs_lock lock;
  std::atomic<bool> entered{false};
  mcs_lock::node mine;
  lock.lock(mine);
  wb::test::thread_group group("a thread in lock() while the test holds the lock");
  group.spawn([&] {
    mcs_lock::guard hold(lock);
    entered.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // time to get in, if wrong
  const bool entered_while_held = entered.load();
  lock.unlock(mine);
  group.join_within();
  CHECK_FALSE(entered_while_held);
  CHECK(entered.load());
}

TEST_CASE("mcs_lock: waiters get the lock in the order they queued", "[ch10][mcs_lock]") {
  constexpr int waiters = 3;
  mcs_lock lock;
  std::vector<int> order;  // guarded by lock
  mcs_lock::node mine;
  lock.lock(mine);
  wb::test::thread_group group("3 threads queued behind the test's lock");
  for (auto& yields : yields_of_waiter) yields.store(0);
  for (int w = 0; w < waiters; ++w) {
    group.spawn([&, w] {
      waiter_index = w;
      mcs_lock::guard hold(lock);
      waiter_index = -1;
      order.push_back(w);
    });
    // Start the next waiter only once thread w spins in its queue node (it
    // yields there, and only there): the lock never lets it in while we hold
    // it, however long the machine keeps it from running.
    wb::test::finishes_within(wb::test::default_deadline,
                              "a waiter to queue behind the test's lock and yield its core (a "
                              "waiter must yield now and then, see the contract)",
                              [&] {
                                while (yields_of_waiter[static_cast<std::size_t>(w)].load() == 0) {
                                  std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                }
                              });
  }
  lock.unlock(mine);
  group.join_within();
  CHECK(order == std::vector<int>{0, 1, 2});
}

TEST_CASE("mcs_lock: many threads never overlap and lose no update", "[ch10][mcs_lock][stress]") {
  constexpr unsigned threads = 4;
  constexpr long per_thread = 1000;
  wb::test::repeat(4, [&](unsigned) {
    mcs_lock lock;
    wb::cell<long> counter{0};
    std::atomic<int> inside{0};
    std::atomic<bool> overlapped{false};
    wb::test::run_concurrently(
        threads,
        [&](unsigned) {
          mcs_lock::node mine;
          for (long i = 0; i < per_thread; ++i) {
            lock.lock(mine);
            if (inside.fetch_add(1, std::memory_order_relaxed) != 0) overlapped.store(true);
            add_one(counter);
            inside.fetch_sub(1, std::memory_order_relaxed);
            lock.unlock(mine);
            if (i % 200 == 0) wb::test::progress();
          }
        },
        wb::test::default_deadline, "4 threads taking the lock 1000 times each");
    CHECK_FALSE(overlapped.load());
    CHECK(counter.get() == threads * per_thread);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("mcs_lock: model two threads never share the critical section",
          "[ch10][mcs_lock][model]") {
  wb::model::check([] {
    mcs_lock lock;
    wb::cell<long> counter{0};
    wb::thread other([&] {
      mcs_lock::guard hold(lock);
      add_one(counter);
    });
    {
      mcs_lock::guard hold(lock);
      add_one(counter);
    }
    other.join();
    REQUIRE(counter.get() == 2);
  });
}

TEST_CASE("mcs_lock: model a node used again after the other's turn", "[ch10][mcs_lock][model]") {
  wb::model::check([] {
    mcs_lock lock;
    wb::cell<long> counter{0};
    wb::thread other([&] {
      mcs_lock::guard hold(lock);
      add_one(counter);
    });
    mcs_lock::node mine;
    for (int i = 0; i < 2; ++i) {
      lock.lock(mine);
      add_one(counter);
      lock.unlock(mine);
    }
    other.join();
    REQUIRE(counter.get() == 3);
  });
}

TEST_CASE("mcs_lock: model three threads queue and hand over", "[ch10][mcs_lock][model]") {
  wb::model::check([] {
    mcs_lock lock;
    wb::cell<long> counter{0};
    auto add_one_locked = [&] {
      mcs_lock::guard hold(lock);
      add_one(counter);
    };
    wb::thread first(add_one_locked);
    wb::thread second(add_one_locked);
    add_one_locked();
    first.join();
    second.join();
    REQUIRE(counter.get() == 3);
  });
}
