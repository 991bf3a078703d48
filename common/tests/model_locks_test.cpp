// The model checker's own tests for mutexes and spin locks: lock-order
// deadlocks, the spin-lock scenario the issue asks to be exhaustive in under a
// second, locks that let two threads in, and mutex misuse.
// Each failing scenario checks the report. Model-only (a real deadlock would hang).
#include "model_test_support.hpp"

namespace {

/// The textbook spin lock, with the unlock order as a parameter.
struct spin_lock {
  wb::atomic<bool> locked{false};
  std::memory_order unlock_order = release;
  void lock() {
    while (locked.exchange(true, acquire)) wb::spin_loop_hint();
  }
  void unlock() { locked.store(false, unlock_order); }
};

void two_threads_two_rounds(std::memory_order unlock_order) {
  spin_lock lock;
  lock.unlock_order = unlock_order;
  wb::cell<int> counter{0};
  const auto worker = [&] {
    for (int round = 0; round < 2; ++round) {
      lock.lock();
      counter.with_mut([](int& v) { ++v; });
      lock.unlock();
    }
  };
  wb::thread t1(worker);
  wb::thread t2(worker);
  t1.join();
  t2.join();
  REQUIRE(counter.get() == 4);
}

}  // namespace

TEST_CASE("model: lock-order inversion on two mutexes is a deadlock", "[model][blocking]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::mutex a;
    wb::mutex b;
    wb::thread t1([&] {
      std::lock_guard la(a);
      std::lock_guard lb(b);
    });
    wb::thread t2([&] {
      std::lock_guard lb(b);
      std::lock_guard la(a);
    });
    t1.join();
    t2.join();
  });
  CHECK_THAT(report, Contains("deadlock"));
  CHECK_THAT(report, Contains("waits to lock m1 (held by t"));
  CHECK_THAT(report, Contains("waits to lock m2 (held by t"));
  CHECK_THAT(report, Contains("\nreplay: WB_MODEL_REPLAY=3-"));
}

TEST_CASE("model: the same locks taken in one order never deadlock", "[model][blocking]") {
  const auto s = wb::model::check([] {
    wb::mutex a;
    wb::mutex b;
    wb::cell<int> shared{0};
    const auto worker = [&] {
      std::lock_guard la(a);
      std::lock_guard lb(b);
      shared.with_mut([](int& v) { ++v; });
    };
    wb::thread t1(worker);
    wb::thread t2(worker);
    t1.join();
    t2.join();
    REQUIRE(shared.get() == 2);
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: spin lock with 2 threads x 2 rounds is exhaustive at bound 2",
          "[model][spin_lock]") {
  wb::model::options opts;
  opts.preemption_bound = 2;
  const auto s = wb::model::check([] { two_threads_two_rounds(release); }, opts);
  if (!wb::model::enabled()) return;
  CHECK(s.exhaustive);
  WARN("spin lock 2x2 at bound 2: " << s.executions << " executions in " << s.seconds << " s ("
                                    << static_cast<long>(s.executions / s.seconds)
                                    << " executions/s)");
  // The target is < 1 s; measured, not asserted (CONTRIBUTING: never assert on time).
}

TEST_CASE("model: spin lock with a relaxed unlock races on the protected cell",
          "[model][spin_lock]") {
  MODEL_ONLY();
  const std::string report = report_of([] { two_threads_two_rounds(relaxed); });
  CHECK_THAT(report, Contains("data race on c1"));
}

TEST_CASE("model: a lock made of a load and a store lets two threads in", "[model][spin_lock]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::atomic<bool> locked{false};
    wb::cell<int> counter{0};
    const auto worker = [&] {
      while (locked.load(acquire)) wb::spin_loop_hint();
      locked.store(true, relaxed);  // not atomic with the load: both may get here
      counter.with_mut([](int& v) { ++v; });
      locked.store(false, release);
    };
    wb::thread t1(worker);
    wb::thread t2(worker);
    t1.join();
    t2.join();
  });
  CHECK_THAT(report, Contains("data race on c1: write by t"));
}

TEST_CASE("model: unlocking a mutex another thread holds is reported", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::mutex m;
    m.lock();
    wb::thread t([&] { m.unlock(); });
    t.join();
  });
  CHECK_THAT(report, Contains("unlock of m1 by t1, which does not hold it (t0 does)"));
}

TEST_CASE("model: locking a mutex twice and destroying a locked one are reported",
          "[model][misuse]") {
  MODEL_ONLY();
  const std::string twice = report_of([] {
    wb::mutex m;
    m.lock();
    m.lock();
  });
  CHECK_THAT(twice, Contains("t0 locks m1, which it already holds: a deadlock"));
  const std::string destroyed = report_of([] {
    wb::mutex m;
    m.lock();
  });
  CHECK_THAT(destroyed, Contains("m1 destroyed while t0 holds it"));
}
