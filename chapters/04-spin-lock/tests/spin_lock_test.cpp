// Tests for exercise 4.1, spin_lock (exercises/04-spin-lock/spin_lock.hpp).
//
// A lock is tested through the data it protects. In the stress cases every
// thread increments a plain (non-atomic) counter, reading it, yielding now
// and then, and writing it back, while an atomic `inside` counts the threads
// in the critical section at once:
//   * a lock that lets two threads in loses updates (the final count is
//     short) and is seen overlapping (`inside` reaches 2);
//   * a lock that lets one thread in at a time but with the wrong memory
//     orders (relaxed instead of acquire/release) gives no happens-before
//     between one critical section and the next: the counter is then raced
//     on, which ThreadSanitizer reports even when x86 happens to produce the
//     right count.
// Calls that may block (lock on a held lock, a try_lock that should not
// wait) run on a thread with a deadline.
#include <catch2/catch.hpp>

#include "lock_model_scenarios.hpp"
#include "lock_stress.hpp"
#include "spin_lock.hpp"

#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;

namespace {

// Time for a thread that was started to reach its spin in lock().
constexpr auto settle = 50ms;

// The work done under the lock: a read-modify-write of plain data, so that
// a second thread inside the critical section (a broken lock) overwrites an
// update. (No yield inside: a thread that gives up its core while holding a
// spin lock leaves the others spinning for a whole time slice.)
void add_one(wb::cell<long>& counter) {
  counter.with_mut([](long& value) { ++value; });
}

}  // namespace

TEST_CASE("spin_lock: lock unlock and try_lock on one thread", "[ch04][spin_lock]") {
  // On a thread with a deadline: a try_lock that waits for a held lock
  // instead of refusing would wait for its own thread forever.
  wb::test::finishes_within(
      wb::test::default_deadline, "lock, unlock and try_lock on one thread", [] {
        spin_lock lock;
        CHECK(lock.try_lock());        // free: taken
        CHECK_FALSE(lock.try_lock());  // held (by us): refused, not taken twice
        lock.unlock();
        lock.lock();
        CHECK_FALSE(lock.try_lock());
        lock.unlock();
        {
          std::lock_guard guard(lock);  // Lockable: the standard guards work
          CHECK_FALSE(lock.try_lock());
        }
        CHECK(lock.try_lock());  // the guard released it
        lock.unlock();
      });
}

TEST_CASE("spin_lock: try_lock does not wait while another thread holds the lock",
          "[ch04][spin_lock]") {
  spin_lock lock;
  lock.lock();
  bool taken = true;  // written by the thread, read after the join
  wb::test::finishes_within(wb::test::default_deadline, "try_lock on a lock the test holds",
                            [&] { taken = lock.try_lock(); });
  CHECK_FALSE(taken);
  lock.unlock();
  wb::test::finishes_within(wb::test::default_deadline, "try_lock after the test unlocked", [&] {
    taken = lock.try_lock();
    if (taken) lock.unlock();
  });
  CHECK(taken);
}

TEST_CASE("spin_lock: lock waits until the owner unlocks", "[ch04][spin_lock]") {
  spin_lock lock;
  wb::cell<int> data{0};
  std::atomic<bool> started{false};
  std::atomic<bool> entered{false};
  int seen_inside = 0;  // written by the thread, read after the join
  lock.lock();
  wb::test::thread_group group("a thread in lock() while the test holds the lock");
  group.spawn([&] {
    started.store(true);
    lock.lock();
    entered.store(true);
    seen_inside = data.get();
    lock.unlock();
  });
  while (!started.load()) std::this_thread::yield();
  std::this_thread::sleep_for(settle);  // give a lock that does not wait time to get in
  const bool entered_while_held = entered.load();
  data.set(42);  // written under the test's lock: the thread must see it
  lock.unlock();
  group.join_within();
  CHECK_FALSE(entered_while_held);
  CHECK(entered.load());
  CHECK(seen_inside == 42);
}

TEST_CASE("spin_lock: many threads never overlap and lose no update", "[ch04][spin_lock][stress]") {
  constexpr unsigned threads = 3;
  constexpr long per_thread = 2000;
  wb::test::repeat(3, [&](unsigned) {
    spin_lock lock;
    wb::cell<long> counter{0};  // plain data, guarded by lock
    const auto seen = lock_stress::hammer(
        threads, per_thread, "3 threads taking the lock 2000 times each", [&](auto section) {
          lock.lock();
          section([&] { add_one(counter); });
          lock.unlock();
          return true;
        });
    CHECK_FALSE(seen.overlapped);
    CHECK(counter.get() == threads * per_thread);
  });
}

TEST_CASE("spin_lock: try_lock from many threads admits one at a time",
          "[ch04][spin_lock][stress]") {
  wb::test::repeat(3, [&](unsigned) {
    spin_lock lock;
    wb::cell<long> counter{0};  // plain data, guarded by lock
    const auto seen = lock_stress::hammer(3, 2000, "3 threads calling try_lock 2000 times each",
                                          [&](auto section) {
                                            if (!lock.try_lock()) return false;
                                            section([&] { add_one(counter); });
                                            lock.unlock();
                                            return true;
                                          });
    CHECK_FALSE(seen.overlapped);
    CHECK(seen.entered > 0);
    CHECK(counter.get() == seen.entered);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// The scenarios are shared with ttas_lock and ticket_lock
// (lock_model_scenarios.hpp): each critical section increments a wb::cell,
// so two threads inside at once, or an unlock that does not publish the
// section to the next owner (relaxed instead of release/acquire), is a data
// race the model reports with both lines, on every machine.

TEST_CASE("spin_lock: model two threads never share the critical section",
          "[ch04][spin_lock][model]") {
  lock_model::two_threads_once<spin_lock>();
}

TEST_CASE("spin_lock: model a thread locks again after the other's turn",
          "[ch04][spin_lock][model]") {
  lock_model::one_thread_locks_again<spin_lock>();
}

TEST_CASE("spin_lock: model try_lock against lock", "[ch04][spin_lock][model]") {
  lock_model::lock_and_try_lock<spin_lock>();
}

TEST_CASE("spin_lock: model two waiters for one owner", "[ch04][spin_lock][model]") {
  lock_model::two_waiters_for_one_owner<spin_lock>();
}

// A failed try_lock must leave the lock held by its owner. One that "undoes"
// its exchange on failure (stores false, as if the true had been its own)
// frees a lock someone else holds. On one thread, without timing: a second
// try_lock must fail too, and so must a third after lock().
TEST_CASE("spin_lock: a failed try_lock leaves the lock held", "[ch04][spin_lock]") {
  spin_lock lock;
  lock.lock();
  const bool first = lock.try_lock();
  const bool second = lock.try_lock();
  lock.unlock();
  CHECK_FALSE(first);
  CHECK_FALSE(second);  // the failed attempt released nothing
  CHECK(lock.try_lock());
  lock.unlock();
}

TEST_CASE("spin_lock: model a failed try_lock leaves the owner's lock held",
          "[ch04][spin_lock][model]") {
  lock_model::failed_try_lock_leaves_lock_held<spin_lock>();
}
