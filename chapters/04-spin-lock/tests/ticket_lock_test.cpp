// Tests for exercise 4.4, ticket_lock (exercises/04-spin-lock/ticket_lock.hpp).
//
// Fairness is tested without timing. The test holds the lock and starts
// waiters one at a time, and starts the next only once queue_length() shows
// that the previous one has drawn its ticket. Their arrival order is then
// known for certain, and a FIFO lock must let them in in exactly that order.
// Each waiter records its number in a plain vector while it holds the lock.
//
// Mutual exclusion and memory ordering are checked as for the other locks:
// threads increment plain data under the lock; overlapping critical
// sections lose updates, and relaxed instead of acquire/release is a data
// race that ThreadSanitizer reports.
#include <catch2/catch.hpp>

#include "lock_model_scenarios.hpp"
#include "lock_stress.hpp"
#include "ticket_lock.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

namespace {

void add_one(wb::cell<long>& counter) {
  counter.with_mut([](long& value) { ++value; });
}

// Spins until lock.queue_length() == n; ends the test with a clear message
// if that does not happen within the (scaled) default deadline.
void wait_for_queue_length(const ticket_lock& lock, std::uint32_t n) {
  if (wb::model::enabled()) {
    // A model-checked body reads no clock: a spin that never ends there is
    // a livelock report instead of a deadline.
    while (lock.queue_length() != n) wb::spin_loop_hint();
    return;
  }
  const auto limit = wb::test::scaled(wb::test::default_deadline);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (lock.queue_length() != n) {
    if (std::chrono::steady_clock::now() > deadline) {
      wb::test::fail_deadline("queue_length() to reach " + std::to_string(n) +
                                  " (a thread in lock() has not drawn its ticket)",
                              limit);
    }
    std::this_thread::yield();
  }
}

}  // namespace

TEST_CASE("ticket_lock: lock and unlock on one thread", "[ch04][ticket_lock]") {
  // On a thread with a deadline: an unlock that calls the wrong number
  // leaves the next lock() waiting forever.
  wb::test::finishes_within(
      wb::test::default_deadline, "lock, unlock and lock again on one thread", [] {
        ticket_lock lock;
        CHECK(lock.queue_length() == 0);
        lock.lock();
        CHECK(lock.queue_length() == 1);
        lock.unlock();
        CHECK(lock.queue_length() == 0);
        for (int i = 0; i < 3; ++i) {
          std::lock_guard guard(lock);  // BasicLockable: the standard guards work
          CHECK(lock.queue_length() == 1);
        }
        CHECK(lock.queue_length() == 0);
      });
}

TEST_CASE("ticket_lock: lock waits until the owner unlocks", "[ch04][ticket_lock]") {
  ticket_lock lock;
  wb::cell<int> data{0};
  std::atomic<bool> entered{false};
  int seen_inside = 0;  // written by the thread, read after the join
  lock.lock();
  wb::test::thread_group group("a thread in lock() while the test holds the lock");
  group.spawn([&] {
    lock.lock();
    entered.store(true);
    seen_inside = data.get();
    lock.unlock();
  });
  wait_for_queue_length(lock, 2);                              // it has its ticket ...
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // ... and time to get in if wrong
  const bool entered_while_held = entered.load();
  data.set(42);
  lock.unlock();
  group.join_within();
  CHECK_FALSE(entered_while_held);
  CHECK(seen_inside == 42);
  CHECK(lock.queue_length() == 0);
}

TEST_CASE("ticket_lock: waiters get the lock in the order they drew tickets",
          "[ch04][ticket_lock]") {
  constexpr int waiters = 5;
  wb::test::repeat(5, [&](unsigned) {
    ticket_lock lock;
    std::vector<int> order;  // plain data, guarded by lock
    lock.lock();
    wb::test::thread_group group("5 threads queued in lock() in a known order");
    for (int w = 0; w < waiters; ++w) {
      group.spawn([&lock, &order, w] {
        lock.lock();
        order.push_back(w);
        lock.unlock();
      });
      // The next waiter starts only once this one holds its ticket.
      wait_for_queue_length(lock, static_cast<std::uint32_t>(w + 2));
    }
    lock.unlock();
    group.join_within();
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(lock.queue_length() == 0);
  });
}

TEST_CASE("ticket_lock: many threads never overlap and lose no update",
          "[ch04][ticket_lock][stress]") {
  constexpr unsigned threads = 4;
  constexpr long per_thread = 500;
  wb::test::repeat(4, [&](unsigned) {
    ticket_lock lock;
    wb::cell<long> counter{0};  // plain data, guarded by lock
    const auto seen = lock_stress::hammer(
        threads, per_thread, "4 threads taking the lock 500 times each", [&](auto section) {
          std::lock_guard guard(lock);
          section([&] { add_one(counter); });
          return true;
        });
    CHECK_FALSE(seen.overlapped);
    CHECK(counter.get() == threads * per_thread);
    CHECK(lock.queue_length() == 0);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// The scenarios are shared with spin_lock and ttas_lock
// (lock_model_scenarios.hpp): each critical section increments a wb::cell,
// so two threads inside at once (two threads holding the same ticket), or an
// unlock that does not publish the section to the next owner (relaxed
// instead of release/acquire on now_serving_), is a data race the model
// reports with both lines; a ticket that is never called is a livelock.
// (The order of service needs two waiters and an owner, three threads; it
// is checked by the plain FIFO case above.) The last case reads
// queue_length() while another thread takes and releases the lock: its two
// loads must be made in an order, and with an acquire, that keeps a served
// ticket from being counted as served but not as drawn.

TEST_CASE("ticket_lock: model two threads never share the critical section",
          "[ch04][ticket_lock][model]") {
  lock_model::two_threads_once<ticket_lock>();
}

TEST_CASE("ticket_lock: model a thread locks again after the other's turn",
          "[ch04][ticket_lock][model]") {
  lock_model::one_thread_locks_again<ticket_lock>();
}

TEST_CASE("ticket_lock: model queue_length never goes below zero", "[ch04][ticket_lock][model]") {
  wb::model::check([] {
    ticket_lock lock;
    wb::thread other([&] {
      lock.lock();
      lock.unlock();
    });
    const std::uint32_t seen = lock.queue_length();  // 0 or 1; "-1" wraps to 4294967295
    other.join();
    REQUIRE(seen <= 1);
    REQUIRE(lock.queue_length() == 0);
  });
}

TEST_CASE("ticket_lock: model two waiters for one owner", "[ch04][ticket_lock][model]") {
  lock_model::two_waiters_for_one_owner<ticket_lock>();
}

TEST_CASE("ticket_lock: model waiters are served in ticket order", "[ch04][ticket_lock][model]") {
  wb::model::check([] {
    ticket_lock lock;
    wb::cell<int> order{0};  // the waiters' numbers as decimal digits, in order of service
    auto waiter = [&](int number) {
      lock.lock();
      order.with_mut([number](int& digits) { digits = digits * 10 + number; });
      lock.unlock();
    };
    lock.lock();
    wb::thread first(waiter, 1);
    wait_for_queue_length(lock, 2);  // first holds ticket 1 ...
    wb::thread second(waiter, 2);
    wait_for_queue_length(lock, 3);  // ... before second draws ticket 2
    lock.unlock();
    first.join();
    second.join();
    REQUIRE(order.get() == 12);
    REQUIRE(lock.queue_length() == 0);
  });
}

// The contract says a waiter spins for a while and then yields its core
// (std::this_thread::yield()), because the next owner is one particular
// thread that may be waiting for that core. Whether it yields is something a
// waiter *does*, so it is counted, not timed: this test binary defines
// sched_yield (which std::this_thread::yield calls in libstdc++), counts the
// calls made by a thread while it is inside lock(), and passes each on to the
// kernel. A waiter that only ever spins never calls it, however long the
// lock stays held: the test then ends at its deadline with that message.
namespace {
std::atomic<long> yields_while_waiting{0};
thread_local bool counting_yields = false;  // true only on the waiter, inside lock()
}  // namespace

extern "C" int sched_yield() noexcept {
  if (counting_yields) yields_while_waiting.fetch_add(1, std::memory_order_relaxed);
  return static_cast<int>(syscall(SYS_sched_yield));
}

TEST_CASE("ticket_lock: a waiter yields its core while the lock stays held",
          "[ch04][ticket_lock]") {
  ticket_lock lock;
  lock.lock();
  yields_while_waiting.store(0);
  std::atomic<bool> entered{false};
  wb::test::thread_group group("a thread in lock() while the test holds the lock");
  group.spawn([&] {
    counting_yields = true;
    lock.lock();
    counting_yields = false;
    entered.store(true);
    lock.unlock();
  });
  const auto limit = wb::test::scaled(wb::test::default_deadline);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (yields_while_waiting.load() == 0 && !entered.load()) {
    if (std::chrono::steady_clock::now() > deadline) {
      wb::test::fail_deadline(
          "the waiting thread to call std::this_thread::yield() (the contract: spin a while, then "
          "yield the core; this waiter never did)",
          limit);
    }
    std::this_thread::yield();
  }
  const bool entered_while_held = entered.load();
  lock.unlock();
  group.join_within();
  CHECK_FALSE(entered_while_held);
  CHECK(yields_while_waiting.load() > 0);
}
