// The model checker's own tests for blocking and plain data: deadlocks,
// lost wake-ups, condition variables, data races on wb::cell, livelock, and
// the spin-lock scenario the issue asks to be exhaustive in under a second.
// Each failing scenario checks the report: what failed, both source lines
// for a race, and the replay key. Model-only (a real deadlock would hang).
#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <mutex>
#include <string>

using Catch::Matchers::Contains;

namespace {

constexpr auto relaxed = wb::memory_order_relaxed;
constexpr auto acquire = wb::memory_order_acquire;
constexpr auto release = wb::memory_order_release;

/// The report of the first failing execution, or "" when every execution passed.
template <class Body>
std::string report_of(Body body, wb::model::options opts = {}) {
  try {
    wb::model::check(body, opts);
  } catch (const wb::model::failure& f) {
    return f.what();
  }
  return {};
}

std::string here(int line) { return "common/tests/model_blocking_test.cpp:" + std::to_string(line); }

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

#define MODEL_ONLY()                                                                   \
  if (!wb::model::enabled()) {                                                         \
    SUCCEED("this scenario fails or blocks by design: it needs the model (WB_MODEL=1)"); \
    return;                                                                            \
  }

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

TEST_CASE("model: a race on a cell is reported with both lines", "[model][race]") {
  MODEL_ONLY();
  int write_line = 0;
  int read_line = 0;
  const std::string report = report_of([&] {
    wb::cell<int> data{0};
    wb::atomic<bool> ready{false};
    wb::thread writer([&] {
      write_line = __LINE__ + 1;
      data.set(42);
      ready.store(true, relaxed);  // relaxed: publishes nothing
    });
    if (ready.load(relaxed)) {
      read_line = __LINE__ + 1;
      (void)data.get();
    }
    writer.join();
  });
  CHECK_THAT(report, Contains("data race on c1"));
  CHECK_THAT(report, Contains(here(write_line)));
  CHECK_THAT(report, Contains(here(read_line)));
}

TEST_CASE("model: release/acquire publication of a cell is race-free", "[model][race]") {
  const auto s = wb::model::check([] {
    wb::cell<int> data{0};
    wb::atomic<bool> ready{false};
    wb::thread writer([&] {
      data.set(42);
      ready.store(true, release);
    });
    if (ready.load(acquire)) REQUIRE(data.get() == 42);
    writer.join();
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: a lost wake-up with wb::wait is reported as a deadlock", "[model][wait]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::atomic<int> flag{0};
    wb::thread setter([&] { flag.store(1, release); });  // forgets wb::wake_one(flag)
    while (flag.load(acquire) == 0) wb::wait(flag, 0, acquire);
    setter.join();
  });
  CHECK_THAT(report, Contains("deadlock"));
  CHECK_THAT(report, Contains("lost wake-up"));
}

TEST_CASE("model: wb::wait with a wake after the store never deadlocks", "[model][wait]") {
  const auto s = wb::model::check([] {
    wb::atomic<int> flag{0};
    wb::thread setter([&] {
      flag.store(1, release);
      wb::wake_one(flag);
    });
    while (flag.load(acquire) == 0) wb::wait(flag, 0, acquire);
    setter.join();
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: a condition variable wait with a predicate is correct", "[model][condvar]") {
  const auto s = wb::model::check([] {
    wb::mutex m;
    wb::condition_variable cv;
    bool ready = false;  // guarded by m
    wb::thread producer([&] {
      {
        std::lock_guard lock(m);
        ready = true;
      }
      cv.notify_one();
    });
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return ready; });
    }
    producer.join();
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: a condition variable wait without a loop is caught by a spurious wake-up",
          "[model][condvar]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::mutex m;
    wb::condition_variable cv;
    bool ready = false;  // guarded by m
    wb::thread producer([&] {
      {
        std::lock_guard lock(m);
        ready = true;
      }
      cv.notify_one();
    });
    {
      std::unique_lock lock(m);
      if (!ready) cv.wait(lock);  // wrong: must loop
      if (!ready) throw std::logic_error("woke up but ready is false");
    }
    producer.join();
  });
  CHECK_THAT(report, Contains("woke up but ready is false"));
  CHECK_THAT(report, Contains("SPURIOUSLY"));
}

TEST_CASE("model: two spinners waiting for a third thread are not a livelock", "[model][livelock]") {
  // At a yield the scheduler hands over for free only to the threads that
  // have waited longest: two spinners cannot pass the processor back and
  // forth for free while the thread they wait for never runs (MODEL.md).
  const auto stats = wb::model::check([] {
    wb::atomic<bool> go{false};
    auto spinner = [&] {
      while (!go.load(wb::memory_order_acquire)) wb::spin_loop_hint();
    };
    wb::thread a(spinner);
    wb::thread b(spinner);
    go.store(true, wb::memory_order_release);
    a.join();
    b.join();
  });
  if (wb::model::enabled()) CHECK(stats.exhaustive);
}

TEST_CASE("model: a spin that nobody will end is a livelock", "[model][livelock]") {
  MODEL_ONLY();
  wb::model::options opts;
  opts.max_steps = 300;
  const std::string report = report_of([] {
    wb::atomic<bool> go{false};
    while (!go.load(acquire)) wb::spin_loop_hint();
  }, opts);
  CHECK_THAT(report, Contains("livelock"));
}

TEST_CASE("model: a failed REQUIRE-like exception ends the check with a trace", "[model]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::atomic<int> x{0};
    wb::thread t([&] { x.store(1, relaxed); });
    if (x.load(relaxed) == 1) throw std::runtime_error("saw the store");
    t.join();
  });
  CHECK_THAT(report, Contains("thread t0 threw: saw the store"));
  CHECK_THAT(report, Contains("store a1 := 1 relaxed"));
  CHECK_THAT(report, Contains("load a1 -> 1 relaxed (reads #1 by t1)"));
}

TEST_CASE("model: destroying a joinable thread is reported", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] { wb::thread t([] {}); });
  CHECK_THAT(report, Contains("destroyed while joinable"));
}

TEST_CASE("model: an atomic used after its destructor ran is reported", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    alignas(wb::atomic<int>) unsigned char storage[sizeof(wb::atomic<int>)];
    auto* a = new (storage) wb::atomic<int>(1);
    a->~atomic();
    (void)a->load(relaxed);  // the memory is intact, the object is gone
  });
  CHECK_THAT(report, Contains("use after destruction: a1"));
}

TEST_CASE("model: an atomic used after its heap memory was freed is reported", "[model][misuse]") {
  MODEL_ONLY();
  // free() overwrites the start of the block (glibc keeps its free list
  // there), handle included: the model must still recognise the object.
  struct block {
    wb::atomic<long> strong{1};
  };
  const std::string report = report_of([] {
    block* b = new block;
    block* volatile dangling = b;  // volatile: g++ would refuse the use after free
    delete b;
    (void)dangling->strong.load(relaxed);
  });
  CHECK_THAT(report, Contains("use after destruction: a1"));
}

TEST_CASE("model: destroying an atomic not ordered after another thread's access is a race",
          "[model][race]") {
  MODEL_ONLY();
  // A reference count done wrong: the decrement is relaxed, so the thread
  // that sees the count reach zero may free the counter while the other
  // thread's decrement is not ordered before the free.
  const std::string report = report_of([] {
    auto* count = new wb::atomic<int>(2);
    wb::thread t([count] {
      if (count->fetch_sub(1, relaxed) == 1) delete count;
    });
    if (count->fetch_sub(1, relaxed) == 1) delete count;
    t.join();
  });
  CHECK_THAT(report, Contains("its destruction by t") && Contains("is not ordered after an access by t"));
}

TEST_CASE("model: destroying an atomic after an acquire of the other thread's release is fine",
          "[model][race]") {
  MODEL_ONLY();
  wb::model::check([] {
    auto* count = new wb::atomic<int>(2);
    wb::thread t([count] {
      if (count->fetch_sub(1, wb::memory_order_acq_rel) == 1) delete count;
    });
    if (count->fetch_sub(1, wb::memory_order_acq_rel) == 1) delete count;
    t.join();
  });
}

TEST_CASE("model: an object made in the body and never destroyed is a leak", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    auto* forgotten = new wb::atomic<int>(1);
    wb::thread t([forgotten] { forgotten->fetch_add(1, relaxed); });
    t.join();
  });
  CHECK_THAT(report, Contains("leak: a1 made during the execution was never destroyed"));
  wb::model::check([] {  // objects made outside the body are not the body's to destroy
    auto* freed = new wb::atomic<int>(1);
    delete freed;
  });
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

TEST_CASE("model: exceptions handled inside threads survive switches", "[model]") {
  // Each fiber has its own C++ exception state: a thread suspended inside a
  // catch block, while another throws and catches, still rethrows its own.
  const auto s = wb::model::check([] {
    wb::atomic<int> n{0};
    const auto worker = [&](int mine) {
      try {
        throw mine;
      } catch (int) {
        n.fetch_add(1, relaxed);  // a scheduling point inside the handler
        try {
          throw;
        } catch (int again) {
          if (again != mine) throw std::logic_error("rethrew another thread's exception");
        }
      }
      if (std::uncaught_exceptions() != 0) throw std::logic_error("exception state leaked");
    };
    wb::thread t1(worker, 1);
    wb::thread t2(worker, 2);
    t1.join();
    t2.join();
    REQUIRE(n.load(relaxed) == 2);
  });
  if (wb::model::enabled()) CHECK(s.exhaustive);
}

TEST_CASE("model: wake_one with two waiters leaves one asleep", "[model][wait]") {
  MODEL_ONLY();
  const auto scenario = [](bool all) {
    return report_of([all] {
      wb::atomic<int> flag{0};
      const auto waiter = [&] {
        while (flag.load(acquire) == 0) wb::wait(flag, 0, acquire);
      };
      wb::thread w1(waiter);
      wb::thread w2(waiter);
      flag.store(1, release);
      if (all) wb::wake_all(flag);
      else wb::wake_one(flag);
      w1.join();
      w2.join();
    });
  };
  CHECK_THAT(scenario(false), Contains("lost wake-up"));
  CHECK(scenario(true).empty());
}

TEST_CASE("model: notify_one with two condvar waiters leaves one asleep", "[model][condvar]") {
  MODEL_ONLY();
  const auto scenario = [](bool all) {
    return report_of([all] {
      wb::mutex m;
      wb::condition_variable cv;
      bool ready = false;  // guarded by m
      const auto waiter = [&] {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return ready; });
      };
      wb::thread w1(waiter);
      wb::thread w2(waiter);
      {
        std::lock_guard lock(m);
        ready = true;
      }
      if (all) cv.notify_all();
      else cv.notify_one();
      w1.join();
      w2.join();
    });
  };
  CHECK_THAT(scenario(false), Contains("deadlock"));
  CHECK(scenario(true).empty());
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

TEST_CASE("model: a failure inside or around noexcept functions is reported (no terminate)",
          "[model]") {
  MODEL_ONLY();
  // t1 blocks inside a noexcept function while t0 throws; then a race is
  // found inside a noexcept function. Exercise code is full of noexcept (as
  // std::atomic's members are): the checker must never throw through it.
  const std::string thrown = report_of([] {
    wb::mutex m;
    m.lock();
    wb::thread t([&]() noexcept { m.lock(); });
    throw std::runtime_error("the body failed while t1 waits");
  });
  CHECK_THAT(thrown, Contains("thread t0 threw: the body failed while t1 waits"));
  const std::string race = report_of([] {
    wb::cell<int> c{0};
    const auto bump = [&]() noexcept { c.with_mut([](int& v) { ++v; }); };
    wb::thread t(bump);
    bump();
    t.join();
  });
  CHECK_THAT(race, Contains("data race on c1"));
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
