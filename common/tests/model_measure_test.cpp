// How many executions the checker runs, and how long it takes, for a few
// standard scenarios at a given preemption bound. Hidden ([.]): a measurement,
// never a verdict (CONTRIBUTING: no test asserts on time). Run it with
//   WB_MODEL_PREEMPTIONS=3 build/model/common/common.model "[measure]"
// (the environment variable overrides the bound the scenarios ask for). One test
// case per scenario, so that one that does not finish at a bound (WB_DEADLINE_SCALE
// lengthens the watchdog) does not hide the others: "model measure: SB relaxed".
#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <iostream>

namespace {

constexpr auto relaxed = wb::memory_order_relaxed;
constexpr auto acquire = wb::memory_order_acquire;
constexpr auto release = wb::memory_order_release;
constexpr auto seq_cst = wb::memory_order_seq_cst;

template <class Body>
void measure(const char* name, Body body) {
  wb::model::options opts;
  opts.max_executions = 5'000'000;
  const auto s = wb::model::check(body, opts);
  std::cout << "measure: " << name << ": " << s.executions << " executions (+" << s.pruned
            << " redundant runs, partial-order reduction) in " << s.seconds << " s"
            << (s.exhaustive ? "" : " (not exhaustive)") << "\n";
}

}  // namespace

TEST_CASE("model measure: spin lock 2 threads x 2 rounds", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("spin lock 2 threads x 2 rounds", [] {
    wb::atomic<bool> locked{false};
    wb::cell<int> counter{0};
    const auto worker = [&] {
      for (int round = 0; round < 2; ++round) {
        while (locked.exchange(true, acquire)) wb::spin_loop_hint();
        counter.with_mut([](int& v) { ++v; });
        locked.store(false, release);
      }
    };
    wb::thread t1(worker);
    wb::thread t2(worker);
    t1.join();
    t2.join();
    REQUIRE(counter.get() == 4);
  });
}

TEST_CASE("model measure: SB relaxed", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("SB relaxed", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread t1([&] {
      x.store(1, relaxed);
      (void)y.load(relaxed);
    });
    wb::thread t2([&] {
      y.store(1, relaxed);
      (void)x.load(relaxed);
    });
    t1.join();
    t2.join();
  });
}

TEST_CASE("model measure: MP release/acquire", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("MP release/acquire", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread t1([&] {
      x.store(1, relaxed);
      y.store(1, release);
    });
    wb::thread t2([&] {
      if (y.load(acquire) == 1) REQUIRE(x.load(relaxed) == 1);
    });
    t1.join();
    t2.join();
  });
}

TEST_CASE("model measure: SB seq_cst", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("SB seq_cst", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread t1([&] {
      x.store(1, seq_cst);
      (void)y.load(seq_cst);
    });
    wb::thread t2([&] {
      y.store(1, seq_cst);
      (void)x.load(seq_cst);
    });
    t1.join();
    t2.join();
  });
}

TEST_CASE("model measure: SB relaxed + seq_cst fences", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("SB relaxed + seq_cst fences", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread t1([&] {
      x.store(1, relaxed);
      wb::atomic_thread_fence(seq_cst);
      (void)y.load(relaxed);
    });
    wb::thread t2([&] {
      y.store(1, relaxed);
      wb::atomic_thread_fence(seq_cst);
      (void)x.load(relaxed);
    });
    t1.join();
    t2.join();
  });
}

TEST_CASE("model measure: IRIW seq_cst", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("IRIW seq_cst", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread w1([&] { x.store(1, seq_cst); });
    wb::thread w2([&] { y.store(1, seq_cst); });
    wb::thread a([&] {
      (void)x.load(seq_cst);
      (void)y.load(seq_cst);
    });
    wb::thread b([&] {
      (void)y.load(seq_cst);
      (void)x.load(seq_cst);
    });
    w1.join();
    w2.join();
    a.join();
    b.join();
  });
}

TEST_CASE("model measure: IRIW acquire loads", "[.][measure]") {
  if (!wb::model::enabled()) return;
  measure("IRIW acquire loads", [] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    wb::thread w1([&] { x.store(1, release); });
    wb::thread w2([&] { y.store(1, release); });
    wb::thread a([&] {
      (void)x.load(acquire);
      (void)y.load(acquire);
    });
    wb::thread b([&] {
      (void)y.load(acquire);
      (void)x.load(acquire);
    });
    w1.join();
    w2.join();
    a.join();
    b.join();
  });
}
