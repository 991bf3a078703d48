// Partial-order reduction (common/MODEL.md, "Partial-order reduction"): with
// sleep sets the checker runs fewer executions, and it must reach every
// outcome, and every failure, that the full search reaches. Each scenario
// runs twice, with options.reduce on and off, and the two sets of outcomes
// must be equal: at the default bound, where the reduction puts a thread to
// sleep only where that costs no preemption, and with no bound (1000).
#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <cstdlib>
#include <set>
#include <stdexcept>
#include <vector>

namespace {

constexpr auto relaxed = wb::memory_order_relaxed;
constexpr auto acquire = wb::memory_order_acquire;
constexpr auto release = wb::memory_order_release;
constexpr auto seq_cst = wb::memory_order_seq_cst;

using result = std::vector<int>;

/// A model build, and WB_MODEL_POR not set: it overrides options.reduce, so
/// the two searches compared here would be the same.
bool por_testable() {
  const char* env = std::getenv("WB_MODEL_POR");
  return wb::model::enabled() && !(env && *env);
}

struct run {
  std::set<result> outcomes;
  wb::model::stats stats;
};

template <class Body>
run explore(Body body, bool reduce, int bound) {
  run out;
  wb::model::options opts;
  opts.reduce = reduce;
  opts.preemption_bound = bound;
  opts.max_executions = 2'000'000;
  out.stats = wb::model::check(
      [&] {
        result r;
        body(r);
        out.outcomes.insert(r);
      },
      opts);
  return out;
}

/// The reduced search reaches exactly the full search's outcomes, with no
/// more executions; returns (full, reduced) executions.
template <class Body>
std::pair<std::size_t, std::size_t> same_outcomes(Body body, int bound) {
  const run full = explore(body, false, bound);
  const run reduced = explore(body, true, bound);
  INFO("preemption bound " << bound);
  CHECK(full.stats.exhaustive);
  CHECK(reduced.stats.exhaustive);
  CHECK(reduced.outcomes == full.outcomes);
  CHECK(reduced.stats.executions <= full.stats.executions);
  CHECK(full.stats.pruned == 0);
  return {full.stats.executions, reduced.stats.executions};
}

void sb(result& out, std::memory_order o) {
  wb::atomic<int> x{0}, y{0};
  int r1 = -1, r2 = -1;
  wb::thread a([&] {
    x.store(1, o);
    r1 = y.load(o);
  });
  wb::thread b([&] {
    y.store(1, o);
    r2 = x.load(o);
  });
  a.join();
  b.join();
  out = {r1, r2};
}

void iriw(result& out, std::memory_order store, std::memory_order load) {
  wb::atomic<int> x{0}, y{0};
  int r[4] = {-1, -1, -1, -1};
  wb::thread w1([&] { x.store(1, store); });
  wb::thread w2([&] { y.store(1, store); });
  wb::thread a([&] {
    r[0] = x.load(load);
    r[1] = y.load(load);
  });
  wb::thread b([&] {
    r[2] = y.load(load);
    r[3] = x.load(load);
  });
  w1.join();
  w2.join();
  a.join();
  b.join();
  out = {r[0], r[1], r[2], r[3]};
}

}  // namespace

TEST_CASE("model por: store buffering reaches the same outcomes", "[model][por]") {
  if (!por_testable()) return;
  for (const int bound : {2, 1000}) {
    const auto [full, reduced] = same_outcomes([](result& r) { sb(r, relaxed); }, bound);
    CHECK(reduced < full);
    same_outcomes([](result& r) { sb(r, seq_cst); }, bound);
  }
}

TEST_CASE("model por: message passing and WRC reach the same outcomes", "[model][por]") {
  if (!por_testable()) return;
  for (const int bound : {2, 1000}) {
    same_outcomes(
        [](result& out) {
          wb::atomic<int> data{0}, flag{0};
          int f = -1, d = -1;
          wb::thread w([&] {
            data.store(1, relaxed);
            flag.store(1, release);
          });
          wb::thread r([&] {
            f = flag.load(acquire);
            d = data.load(relaxed);
          });
          w.join();
          r.join();
          out = {f, d};
        },
        bound);
    same_outcomes(
        [](result& out) {  // WRC: the first hop relaxed, the second release/acquire
          wb::atomic<int> x{0}, y{0};
          int a = -1, b = -1, c = -1;
          wb::thread t1([&] { x.store(1, relaxed); });
          wb::thread t2([&] {
            a = x.load(relaxed);
            y.store(1, release);
          });
          wb::thread t3([&] {
            b = y.load(acquire);
            c = x.load(relaxed);
          });
          t1.join();
          t2.join();
          t3.join();
          out = {a, b, c};
        },
        bound);
  }
}

TEST_CASE("model por: IRIW reaches the same outcomes", "[model][por]") {
  if (!por_testable()) return;
  // Five threads: unbounded without the reduction is millions of executions.
  const auto [full, reduced] = same_outcomes([](result& r) { iriw(r, release, acquire); }, 2);
  CHECK(reduced < full);
  same_outcomes([](result& r) { iriw(r, seq_cst, seq_cst); }, 2);
  same_outcomes(
      [](result& out) {  // relaxed accesses with seq_cst fences between the loads
        wb::atomic<int> x{0}, y{0};
        int r[4] = {-1, -1, -1, -1};
        wb::thread w1([&] { x.store(1, relaxed); });
        wb::thread w2([&] { y.store(1, relaxed); });
        wb::thread a([&] {
          r[0] = x.load(relaxed);
          wb::atomic_thread_fence(seq_cst);
          r[1] = y.load(relaxed);
        });
        wb::thread b([&] {
          r[2] = y.load(relaxed);
          wb::atomic_thread_fence(seq_cst);
          r[3] = x.load(relaxed);
        });
        w1.join();
        w2.join();
        a.join();
        b.join();
        out = {r[0], r[1], r[2], r[3]};
      },
      2);
}

TEST_CASE("model por: mutexes, read-modify-writes and a spin lock reach the same outcomes",
          "[model][por]") {
  if (!por_testable()) return;
  for (const int bound : {2, 1000}) {
    same_outcomes(
        [](result& out) {  // who takes the mutex first, seen through a relaxed flag
          wb::mutex m;
          wb::atomic<int> order{0};
          int first = -1, second = -1;
          wb::thread a([&] {
            std::lock_guard<wb::mutex> g(m);
            first = order.fetch_add(1, relaxed);
          });
          wb::thread b([&] {
            std::lock_guard<wb::mutex> g(m);
            second = order.fetch_add(1, relaxed);
          });
          a.join();
          b.join();
          out = {first, second};
        },
        bound);
    same_outcomes(
        [](result& out) {  // a CAS race and an unrelated store
          wb::atomic<int> x{0}, z{0};
          int won = 0;
          wb::thread a([&] {
            int e = 0;
            won += x.compare_exchange_strong(e, 1, wb::memory_order_acq_rel, relaxed) ? 1 : 0;
            z.store(1, relaxed);
          });
          wb::thread b([&] {
            int e = 0;
            won += x.compare_exchange_strong(e, 2, wb::memory_order_acq_rel, relaxed) ? 10 : 0;
          });
          a.join();
          b.join();
          out = {won, x.load(relaxed), z.load(relaxed)};
        },
        bound);
  }
  same_outcomes(
      [](result& out) {  // the measured spin lock, 2 threads x 2 rounds
        wb::atomic<bool> locked{false};
        wb::cell<int> counter{0};
        std::vector<int> order;
        const auto work = [&](int id) {
          for (int round = 0; round < 2; ++round) {
            while (locked.exchange(true, acquire)) wb::spin_loop_hint();
            counter.with_mut([](int& v) { ++v; });
            order.push_back(id);
            locked.store(false, release);
          }
        };
        wb::thread t1([&] { work(1); });
        wb::thread t2([&] { work(2); });
        t1.join();
        t2.join();
        out = order;
        out.push_back(counter.get());
      },
      2);
}

TEST_CASE("model por: a data race and a failed assertion are still found", "[model][por]") {
  if (!por_testable()) return;
  wb::model::options opts;
  opts.reduce = true;
  // A relaxed flag publishes a cell: a race whichever way the threads go.
  REQUIRE_THROWS_AS(wb::model::check(
                        [] {
                          wb::cell<int> data{0};
                          wb::atomic<int> flag{0};
                          wb::thread w([&] {
                            data.with_mut([](int& v) { v = 1; });
                            flag.store(1, relaxed);
                          });
                          if (flag.load(acquire) == 1) (void)data.get();
                          w.join();
                        },
                        opts),
                    wb::model::failure);
  // Store buffering's both-zero outcome, as an exception: found with the reduction.
  REQUIRE_THROWS_AS(wb::model::check(
                        [] {
                          result r;
                          sb(r, relaxed);
                          if (r[0] == 0 && r[1] == 0) throw std::runtime_error("both zero");
                        },
                        opts),
                    wb::model::failure);
}
