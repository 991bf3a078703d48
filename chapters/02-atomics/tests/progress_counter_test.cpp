// Tests for exercise 2.4, progress_counter (exercises/02-atomics/progress_counter.hpp).
//
// wait_until may block, so every call of it runs on a worker thread whose
// join has a deadline: a waiter that is never woken ends the run with "did
// not finish within". Each waiter records the count it saw when wait_until
// returned (value() right after it); the test checks, after the join, that
// it was at least the target — a waiter that returned early saw less.
//
// To check that a sleeping waiter is woken (rather than one that happens to
// arrive after the advance), the waiters count themselves in just before
// calling wait_until and the test sleeps `settle` before advancing. The
// sleep never decides whether a correct counter passes (a waiter that
// arrives late finds its target reached and returns at once); it only makes
// a counter that forgets to wake anyone fail reliably.
//
// Visibility: workers write plain data (wb::cell) before advance, and the
// readers read it after wait_until or value(). With release/acquire that is
// race-free; with relaxed orders the read is a data race, which
// ThreadSanitizer reports (it models acquire and release on atomics).
#include <catch2/catch.hpp>

#include "progress_counter.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// Time for threads that have counted themselves in to fall asleep in wait_until.
constexpr auto settle = 50ms;

// Spins until n threads have counted themselves in. Cannot hang: each waiter
// counts itself in before it calls wait_until.
void wait_until_arrived(const std::atomic<int>& arrived, int n) {
  while (arrived.load() < n) std::this_thread::yield();
}

}  // namespace

TEST_CASE("progress_counter: advance adds to value", "[ch02][progress_counter]") {
  progress_counter done;
  CHECK(done.value() == 0);
  done.advance();
  CHECK(done.value() == 1);
  done.advance(5);
  CHECK(done.value() == 6);
  done.advance(0);
  CHECK(done.value() == 6);
}

TEST_CASE("progress_counter: wait_until returns at once for a target already reached",
          "[ch02][progress_counter]") {
  progress_counter done;
  wb::test::finishes_within(wb::test::default_deadline, "wait_until(0) on a fresh counter",
                            [&] { done.wait_until(0); });
  done.advance(10);
  std::uint64_t seen_after_10 = 0;
  std::uint64_t seen_after_3 = 0;
  wb::test::finishes_within(wb::test::default_deadline, "wait_until(10) and (3) when value() is 10",
                            [&] {
                              done.wait_until(10);
                              seen_after_10 = done.value();
                              done.wait_until(3);
                              seen_after_3 = done.value();
                            });
  CHECK(seen_after_10 == 10);
  CHECK(seen_after_3 == 10);
}

TEST_CASE("progress_counter: a sleeping waiter wakes when its target is reached and not before",
          "[ch02][progress_counter]") {
  constexpr std::uint64_t target = 100;
  progress_counter done;
  std::atomic<int> arrived{0};
  std::atomic<bool> returned{false};
  std::uint64_t seen_at_return = 0;  // written by the waiter, read after the join
  wb::test::thread_group group("a thread in wait_until(100) while the test advances by 1");
  group.spawn([&] {
    arrived.fetch_add(1);
    done.wait_until(target);
    seen_at_return = done.value();
    returned.store(true);
  });
  wait_until_arrived(arrived, 1);
  std::this_thread::sleep_for(settle);  // let it fall asleep at 0
  // The first advance changes the value the waiter sleeps on, so it wakes;
  // it must see 1 < 100 and go back to sleep. Give a wrong one time to return.
  done.advance(1);
  std::this_thread::sleep_for(settle);
  bool returned_early = returned.load();
  for (std::uint64_t i = 2; i < target; ++i) done.advance(1);
  std::this_thread::sleep_for(settle);
  returned_early = returned_early || returned.load();
  done.advance(1);  // now 100
  group.join_within();
  CHECK_FALSE(returned_early);
  CHECK(seen_at_return >= target);
}

TEST_CASE("progress_counter: several waiters with different targets all wake",
          "[ch02][progress_counter]") {
  constexpr int waiters = 4;
  constexpr std::uint64_t step = 10;  // waiter i waits for (i + 1) * step
  progress_counter done;
  std::atomic<int> arrived{0};
  std::vector<std::uint64_t> seen_at_return(waiters, 0);  // one slot per waiter
  wb::test::thread_group group("4 threads in wait_until(10), (20), (30) and (40)");
  for (int i = 0; i < waiters; ++i) {
    group.spawn([&, i] {
      arrived.fetch_add(1);
      done.wait_until(static_cast<std::uint64_t>(i + 1) * step);
      seen_at_return[static_cast<std::size_t>(i)] = done.value();
    });
  }
  wait_until_arrived(arrived, waiters);
  std::this_thread::sleep_for(settle);  // let them all fall asleep
  for (std::uint64_t i = 0; i < waiters * step; ++i) done.advance();
  group.join_within();
  for (int i = 0; i < waiters; ++i) {
    CHECK(seen_at_return[static_cast<std::size_t>(i)] >= static_cast<std::uint64_t>(i + 1) * step);
  }
}

// What each layer can see here. The plain and TSan runs use libstdc++'s
// atomic wait, and in libstdc++ 12 notify_one on a 64-bit atomic wakes every
// thread waiting on the same proxy (bits/atomic_wait.h: a non-futex-sized
// type waits on a shared proxy word, and its notify is always a notify_all).
// So this case cannot tell wake_one from wake_all: it checks that one
// advance that reaches every target lets every waiter return (a missing or
// misplaced wake still fails it). Waking only one is caught by the model
// case "two sleeping waiters both wake" below, where wb::wake_one wakes
// exactly one thread, as the standard allows.
TEST_CASE("progress_counter: one advance past several targets lets every waiter return",
          "[ch02][progress_counter]") {
  constexpr int waiters = 4;
  progress_counter done;
  std::atomic<int> arrived{0};
  std::atomic<int> woken{0};
  wb::test::thread_group group("4 threads in wait_until(1) to (4), then one advance(4)");
  for (int i = 0; i < waiters; ++i) {
    group.spawn([&, i] {
      arrived.fetch_add(1);
      done.wait_until(static_cast<std::uint64_t>(i + 1));
      woken.fetch_add(1);
    });
  }
  wait_until_arrived(arrived, waiters);
  std::this_thread::sleep_for(settle);  // let them all fall asleep
  done.advance(waiters);                // one advance, one round of wake-ups, every target reached
  group.join_within();
  CHECK(woken.load() == waiters);
  CHECK(done.value() == waiters);
}

TEST_CASE("progress_counter: many workers and many advances lose no update",
          "[ch02][progress_counter][stress]") {
  constexpr unsigned workers = 4;
  constexpr unsigned waiters = 2;
  constexpr std::uint64_t per_worker = 2000;  // advance(1) and advance(2) alternately
  constexpr std::uint64_t worker_total = per_worker / 2 * 3;
  constexpr std::uint64_t total = workers * worker_total;
  wb::test::repeat(20, [&](unsigned) {
    progress_counter done;
    std::vector<std::uint64_t> seen_at_half(waiters, 0);
    std::vector<std::uint64_t> seen_at_end(waiters, 0);
    wb::test::run_concurrently(
        workers + waiters,
        [&](unsigned i) {
          if (i < workers) {
            for (std::uint64_t k = 0; k < per_worker; ++k) done.advance(k % 2 + 1);
          } else {
            done.wait_until(total / 2);
            seen_at_half[i - workers] = done.value();
            done.wait_until(total);
            seen_at_end[i - workers] = done.value();
          }
        },
        wb::test::default_deadline, "4 workers advancing and 2 threads in wait_until");
    CHECK(done.value() == total);
    for (std::uint64_t seen : seen_at_half) CHECK(seen >= total / 2);
    for (std::uint64_t seen : seen_at_end) CHECK(seen == total);
  });
}

TEST_CASE("progress_counter: work done before advance is visible after wait_until",
          "[ch02][progress_counter][stress]") {
  constexpr unsigned workers = 3;
  constexpr unsigned readers = 2;  // one sleeps in wait_until, one polls value()
  wb::test::repeat(50, [&](unsigned round) {
    progress_counter done;
    std::vector<wb::cell<unsigned>> results(workers);  // plain data, one slot per worker
    std::vector<unsigned> missing(readers, 0);         // results a reader did not see
    wb::test::run_concurrently(
        workers + readers,
        [&](unsigned i) {
          if (i < workers) {
            results[i].set(round * workers + i + 1);  // the "work"
            done.advance();                           // ... then report it
            return;
          }
          if (i == workers) {
            done.wait_until(workers);
          } else {
            while (done.value() < workers) std::this_thread::yield();
          }
          for (unsigned w = 0; w < workers; ++w) {
            if (results[w].get() != round * workers + w + 1) ++missing[i - workers];
          }
        },
        wb::test::default_deadline, "3 workers publishing results and 2 readers");
    for (unsigned m : missing) CHECK(m == 0);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read, and a waiter nobody wakes is a deadlock
// report; elsewhere it runs 100 times with real threads. Assertions only on
// the body's thread, after the joins.

TEST_CASE("progress_counter: model a waiter sees the work of the advances it waited for",
          "[ch02][progress_counter][model]") {
  wb::model::check([] {
    progress_counter done;
    wb::cell<int> first{0};
    wb::cell<int> second{0};
    wb::thread worker1([&] {
      first.set(1);
      done.advance();
    });
    wb::thread worker2([&] {
      second.set(2);
      done.advance();
    });
    done.wait_until(2);
    // Read before value(), whose acquire load would synchronize on its own: a
    // data race unless wait_until itself synchronized with both advances.
    const int got = first.get() + second.get();
    const std::uint64_t seen = done.value();
    worker1.join();
    worker2.join();
    REQUIRE(seen >= 2);
    REQUIRE(got == 3);
  });
}

TEST_CASE("progress_counter: model a thread polling value() sees the work",
          "[ch02][progress_counter][model]") {
  wb::model::options opts;
  opts.repeat = 25;  // with real threads the poller spins until the worker runs: keep it short
  wb::model::check(
      [] {
        progress_counter done;
        wb::cell<int> result{0};
        wb::thread worker([&] {
          result.set(7);
          done.advance();
        });
        while (done.value() < 1) {
          wb::spin_loop_hint();
          // With real threads the worker needs a core that this loop would hold.
          if (!wb::model::enabled()) std::this_thread::yield();
        }
        const int got = result.get();
        worker.join();
        REQUIRE(got == 7);
      },
      opts);
}

TEST_CASE("progress_counter: model two sleeping waiters both wake",
          "[ch02][progress_counter][model]") {
  wb::model::check([] {
    progress_counter done;
    wb::thread waiter1([&] { done.wait_until(1); });
    wb::thread waiter2([&] { done.wait_until(2); });
    done.advance(2);
    waiter1.join();
    waiter2.join();
    REQUIRE(done.value() == 2);
  });
}
