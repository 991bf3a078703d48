// Tests for exercise 9.4, condvar (exercises/09-locks/condvar.hpp).
//
// The condition variable is used as any condition variable is: a flag or a
// count guarded by a mutex, changed under the mutex, then notified. Its
// mutex is wb::mutex (std::mutex in the plain trees, the model's mutex in
// the model tree) and, in one case, a small spin lock of the test's own, to
// show that wait() needs nothing but lock() and unlock().
//
// What the cases catch
//   * a lost notification: reading the counter after unlocking, registering
//     as a waiter after unlocking (notify reads "nobody waits" and skips
//     the bump), notify_all that wakes one, a wake without a bump (the
//     sleeper finds the counter unchanged and sleeps on): threads that are
//     never woken miss a deadline here and are a deadlock report in the model;
//   * a wait that returns without re-locking: the data the mutex guards is
//     then read unprotected, a race on a wb::cell.
// The model bodies stay small (two or three threads, two notifies at most).
#include <catch2/catch.hpp>

#include "condvar.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace {

// A test-local BasicLockable, to show that condvar needs nothing more: the
// minimal spin lock of chapter 4.
class test_spin_lock {
 public:
  void lock() noexcept {
    while (locked_.exchange(true, wb::memory_order_acquire)) wb::spin_loop_hint();
  }
  void unlock() noexcept { locked_.store(false, wb::memory_order_release); }

 private:
  wb::atomic<bool> locked_{false};
};

// One waiter waits for `ready`; the test's thread sets it and notifies.
template <class Mutex>
void one_waiter_one_notify() {
  Mutex mutex;
  condvar ready_changed;
  bool ready = false;        // guarded by mutex
  wb::cell<int> payload{0};  // guarded by mutex
  int seen = 0;              // written by the waiter, read after the join
  wb::test::thread_group group("a thread in condvar::wait (a lost notification?)");
  group.spawn([&] {
    std::unique_lock lock(mutex);
    ready_changed.wait(lock, [&] { return ready; });
    seen = payload.get();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let it fall asleep
  {
    std::lock_guard guard(mutex);
    payload.set(7);
    ready = true;
  }
  ready_changed.notify_one();
  group.join_within();
  CHECK(seen == 7);
}

}  // namespace

TEST_CASE("condvar: notify_one wakes a waiter", "[ch09][condvar]") {
  wb::test::repeat(5, [](unsigned) { one_waiter_one_notify<wb::mutex>(); });
}

TEST_CASE("condvar: works with a mutex that is not std::mutex", "[ch09][condvar]") {
  wb::test::repeat(5, [](unsigned) { one_waiter_one_notify<test_spin_lock>(); });
}

TEST_CASE("condvar: a notify with nobody waiting is not remembered", "[ch09][condvar]") {
  // Not a promise to rely on (wait may return spuriously), but notifying an
  // empty condition variable must not break the next wait.
  condvar changed;
  changed.notify_one();
  changed.notify_all();
  one_waiter_one_notify<wb::mutex>();
}

TEST_CASE("condvar: notify_all wakes every waiter", "[ch09][condvar]") {
  constexpr int waiters = 5;
  wb::test::repeat(5, [&](unsigned) {
    wb::mutex mutex;
    condvar changed;
    int waiting = 0;  // guarded by mutex: threads that called wait
    bool go = false;  // guarded by mutex
    wb::test::thread_group group("5 threads in condvar::wait after notify_all");
    for (int w = 0; w < waiters; ++w) {
      group.spawn([&] {
        std::unique_lock lock(mutex);
        ++waiting;
        changed.wait(lock, [&] { return go; });
      });
    }
    // Once `waiting` is 5 under the mutex, every waiter has called wait and
    // released the mutex: each has read the counter the notify will bump.
    for (;;) {
      {
        std::lock_guard guard(mutex);
        if (waiting == waiters) {
          go = true;
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let them fall asleep
    changed.notify_all();
    group.join_within();
  });
}

TEST_CASE("condvar: a handoff queue loses no wake-up", "[ch09][condvar][stress]") {
  // Two producers and two consumers hand 200 items through a one-slot
  // buffer, each side sleeping on its own condvar while it cannot proceed.
  // Nearly every item costs a sleep and a wake-up, and std::atomic::wait
  // (under wb::wait) spins and yields before it sleeps, which is slow on an
  // oversubscribed machine (about 20 ms per item with six busy processes on
  // two cores): hence few items and a generous deadline, which only a
  // deadlock reaches.
  constexpr int items_per_producer = 100;
  wb::mutex mutex;
  condvar not_full;
  condvar not_empty;
  bool full = false;  // guarded by mutex
  long slot = 0;      // guarded by mutex
  long consumed = 0;  // guarded by mutex
  long sum = 0;       // guarded by mutex
  wb::test::run_concurrently(
      4,
      [&](unsigned t) {
        if (t < 2) {
          for (int i = 1; i <= items_per_producer; ++i) {
            std::unique_lock lock(mutex);
            not_full.wait(lock, [&] { return !full; });
            slot = i;
            full = true;
            lock.unlock();
            not_empty.notify_one();
          }
        } else {
          for (;;) {
            std::unique_lock lock(mutex);
            not_empty.wait(lock, [&] { return full || consumed == 2 * items_per_producer; });
            if (!full) break;  // everything consumed
            sum += slot;
            full = false;
            ++consumed;
            const bool done = consumed == 2 * items_per_producer;
            lock.unlock();
            not_full.notify_one();
            if (done) not_empty.notify_all();  // the other consumer stops too
          }
        }
      },
      std::chrono::seconds(20), "2 producers and 2 consumers on a one-slot buffer");
  CHECK(consumed == 2 * items_per_producer);
  CHECK(sum == 2 * (items_per_producer * (items_per_producer + 1) / 2));
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("condvar: model a waiter sees what was set before notify_one", "[ch09][condvar][model]") {
  wb::model::check([] {
    wb::mutex mutex;
    condvar changed;
    wb::cell<bool> ready{false};  // guarded by mutex
    wb::cell<int> payload{0};     // guarded by mutex
    int seen = 0;                 // written by the waiter, checked after the join
    wb::thread waiter([&] {
      std::unique_lock lock(mutex);
      while (!ready.get()) changed.wait(lock);
      seen = payload.get();
    });
    {
      std::lock_guard guard(mutex);
      payload.set(7);
      ready.set(true);
    }
    changed.notify_one();
    waiter.join();
    REQUIRE(seen == 7);
  });
}

TEST_CASE("condvar: model notify_all wakes both waiters", "[ch09][condvar][model]") {
  wb::model::check([] {
    wb::mutex mutex;
    condvar changed;
    wb::cell<bool> go{false};  // guarded by mutex
    auto wait_for_go = [&] {
      std::unique_lock lock(mutex);
      while (!go.get()) changed.wait(lock);
    };
    wb::thread first(wait_for_go);
    wb::thread second(wait_for_go);
    {
      std::lock_guard guard(mutex);
      go.set(true);
    }
    changed.notify_all();
    first.join();
    second.join();
  });
}

TEST_CASE("condvar: model each notify_one lets one waiter through", "[ch09][condvar][model]") {
  wb::model::check([] {
    wb::mutex mutex;
    condvar changed;
    wb::cell<int> tokens{0};  // guarded by mutex
    auto take_token = [&] {
      std::unique_lock lock(mutex);
      while (tokens.get() == 0) changed.wait(lock);
      tokens.with_mut([](int& n) { --n; });
    };
    wb::thread first(take_token);
    wb::thread second(take_token);
    for (int i = 0; i < 2; ++i) {
      {
        std::lock_guard guard(mutex);
        tokens.with_mut([](int& n) { ++n; });
      }
      changed.notify_one();
    }
    first.join();
    second.join();
    REQUIRE(tokens.get() == 0);
  });
}
