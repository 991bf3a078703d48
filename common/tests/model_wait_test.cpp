// The model checker's own tests for waiting: lost wake-ups with wb::wait and
// condition variables, spurious wake-ups, and spinning (livelock or not).
// Each failing scenario checks the report. Model-only (a real deadlock would hang).
#include "model_test_support.hpp"

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

TEST_CASE("model: two spinners waiting for a third thread are not a livelock",
          "[model][livelock]") {
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
  const std::string report = report_of(
      [] {
        wb::atomic<bool> go{false};
        while (!go.load(acquire)) wb::spin_loop_hint();
      },
      opts);
  CHECK_THAT(report, Contains("livelock"));
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
