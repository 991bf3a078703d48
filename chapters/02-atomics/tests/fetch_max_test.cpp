// Tests for exercise 2.2, fetch_max (exercises/02-atomics/fetch_max.hpp).
//
// One thread checks the semantics: the value is raised only by a larger
// proposal, the PREVIOUS value is returned, signed and 64-bit unsigned types
// compare correctly, and every memory order is accepted (a load with
// release or acq_rel aborts under _GLIBCXX_ASSERTIONS). Two threads publish
// plain data through fetch_max(release) and fetch_max(acquire): an
// implementation that drops the requested order is invisible on x86 but
// ThreadSanitizer, which follows memory orders, reports the data race.
//
// Many threads then propose distinct values — each its own rising sequence,
// so that nearly every call races to raise the value, or shuffled — and
// record what each call returned. After the join the test checks what a
// correct fetch_max guarantees: the final value is the largest proposal, and
// the calls that raised the value form ONE chain (sorted by the value they
// wrote, each returned exactly the value the previous one wrote), because a
// compare-exchange writes only on top of the value it read. A load-then-store
// or a single compare-exchange attempt breaks the chain as soon as two raises
// overlap; a loop that never refreshes its expected value spins forever and
// meets the deadline. ThreadSanitizer sees no race in any of these mistakes
// (they are all made of atomic operations), so the results must show them.
#include <catch2/catch.hpp>

#include "fetch_max.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

template <class T>
struct proposal {
  T value;     // what the call proposed
  T previous;  // what it returned
};

// A value below every proposal of the concurrent test: signed types use
// negative numbers, unsigned ones the top of the range (where a signed
// comparison would get the order wrong).
template <class T>
constexpr T lowest_proposal(std::size_t count) {
  if constexpr (std::is_signed_v<T>) {
    return static_cast<T>(-static_cast<T>(count) / 2);
  } else {
    return static_cast<T>(std::numeric_limits<T>::max() - count);
  }
}

}  // namespace

TEST_CASE("fetch_max: raises the value and returns the previous one", "[ch02][fetch_max]") {
  wb::atomic<int> a{3};
  CHECK(fetch_max(a, 7) == 3);
  CHECK(a.load() == 7);
  CHECK(fetch_max(a, 5) == 7);  // smaller: no change
  CHECK(a.load() == 7);
  CHECK(fetch_max(a, 7) == 7);  // equal: no change
  CHECK(a.load() == 7);
  CHECK(fetch_max(a, 1) == 7);
  CHECK(a.load() == 7);
  CHECK(fetch_max(a, 8) == 7);
  CHECK(a.load() == 8);
}

TEST_CASE("fetch_max: negative values and 64-bit unsigned values", "[ch02][fetch_max]") {
  wb::atomic<int> negative{-10};
  CHECK(fetch_max(negative, -20) == -10);
  CHECK(negative.load() == -10);
  CHECK(fetch_max(negative, -3) == -10);
  CHECK(negative.load() == -3);

  wb::atomic<long long> lowest{std::numeric_limits<long long>::min()};
  CHECK(fetch_max(lowest, -1LL) == std::numeric_limits<long long>::min());
  CHECK(lowest.load() == -1);

  constexpr std::uint64_t top_bit = std::uint64_t{1} << 63;
  wb::atomic<std::uint64_t> big{5};
  CHECK(fetch_max(big, top_bit) == 5);  // above 5, although negative as a signed number
  CHECK(big.load() == top_bit);
  CHECK(fetch_max(big, std::uint64_t{7}) == top_bit);
  CHECK(big.load() == top_bit);
  CHECK(fetch_max(big, std::numeric_limits<std::uint64_t>::max()) == top_bit);
  CHECK(big.load() == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("fetch_max: every memory order is accepted", "[ch02][fetch_max]") {
  for (const wb::memory_order order :
       {wb::memory_order_relaxed, wb::memory_order_acquire, wb::memory_order_release,
        wb::memory_order_acq_rel, wb::memory_order_seq_cst}) {
    INFO("memory_order " << static_cast<int>(order));
    wb::atomic<int> a{1};
    CHECK(fetch_max(a, 5, order) == 1);  // writes
    CHECK(fetch_max(a, 2, order) == 5);  // only loads
    CHECK(a.load() == 5);
  }
}

TEST_CASE("fetch_max: release and acquire publish data", "[ch02][fetch_max]") {
  // A writer fills plain data, then raises a flag with fetch_max(release); a
  // reader polls with fetch_max(flag, 0, acquire), which never writes (a pure
  // load), until it sees the flag. If either side drops its half of the
  // requested order, the reader's access to data races with the writer's,
  // and ThreadSanitizer (which follows memory orders) reports it.
  wb::test::repeat(20, [&](unsigned round) {
    INFO("round " << round);
    int data = 0;  // plain: published only through the flag
    wb::atomic<int> flag{0};
    int seen = -1;
    wb::test::run_concurrently(2, [&](unsigned index) {
      if (index == 0) {
        data = 42;
        fetch_max(flag, 1, wb::memory_order_release);
      } else {
        while (fetch_max(flag, 0, wb::memory_order_acquire) == 0) std::this_thread::yield();
        seen = data;
      }
    });
    CHECK(seen == 42);
    CHECK(flag.load() == 1);
  });
}

TEMPLATE_TEST_CASE("fetch_max: many threads never lose a maximum", "[ch02][fetch_max]", int,
                   std::uint64_t) {
  using T = TestType;
  constexpr unsigned threads = 4;
  constexpr std::size_t per_thread = 6000;
  // Proposals are lowest + i for i in [0, span); thread t proposes only the
  // i with i % threads == t, so no value is proposed twice. (Chasing raises
  // a by at most `threads` per call, so it stays well inside the span.)
  constexpr std::size_t span = 2 * threads * threads * per_thread;
  constexpr T lowest = lowest_proposal<T>(span);
  constexpr T initial = lowest - 1;

  std::mt19937 random(2718);
  wb::test::repeat(20, [&](unsigned round) {
    // Most rounds "chase": each call proposes the thread's next value above
    // what its previous call saw, so every thread races to raise a on nearly
    // every call. Every fourth round proposes a fixed shuffled set of values.
    const bool shuffled = round % 4 == 3;
    INFO("round " << round << (shuffled ? ", shuffled" : ", chasing"));
    std::vector<std::vector<proposal<T>>> seen(threads);
    if (shuffled) {
      for (unsigned t = 0; t < threads; ++t) {
        for (std::size_t k = 0; k < per_thread; ++k) {
          seen[t].push_back({static_cast<T>(lowest + t + k * threads), T{}});
        }
        std::shuffle(seen[t].begin(), seen[t].end(), random);
      }
    }
    wb::atomic<T> a{initial};

    std::atomic<unsigned> ready{0};
    wb::test::run_concurrently(threads, [&](unsigned t) {
      // Spin until every thread is running: the calls are so short that
      // threads woken one by one would otherwise hardly overlap.
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();
      if (shuffled) {
        for (auto& p : seen[t]) p.previous = fetch_max(a, p.value);
        return;
      }
      std::size_t next = t;  // index of this thread's next proposal
      for (std::size_t k = 0; k < per_thread; ++k) {
        const T value = static_cast<T>(lowest + next);
        const T previous = fetch_max(a, value);
        seen[t].push_back({value, previous});
        // The smallest index of ours above both what we saw and what we proposed.
        const std::size_t saw = static_cast<std::size_t>(previous - lowest);  // initial: SIZE_MAX
        const std::size_t above = std::max(saw + 1, next + 1);
        next = std::min(above + (t + threads - above % threads) % threads, span - threads + t);
      }
    });

    T highest = initial;
    for (const auto& mine : seen) {
      for (const auto& p : mine) highest = std::max(highest, p.value);
    }
    CHECK(a.load() == highest);

    // What each thread saw never went down (a only ever grows), and after a
    // call a is at least the value it proposed.
    std::size_t went_down = 0;
    for (const auto& mine : seen) {
      T floor = initial;
      for (const auto& p : mine) {
        if (p.previous < floor) ++went_down;
        floor = std::max(p.previous, p.value);
      }
    }
    CHECK(went_down == 0);

    // The raises form one chain: sorted by the value written, each returned
    // the value the one before wrote. Calls that did not raise returned some
    // value a really held.
    std::vector<proposal<T>> raises;
    std::vector<T> held{initial};  // every value a held, in increasing order once sorted
    for (const auto& mine : seen) {
      for (const auto& p : mine) {
        if (p.previous < p.value) {
          raises.push_back(p);
          held.push_back(p.value);
        }
      }
    }
    std::sort(raises.begin(), raises.end(),
              [](const proposal<T>& x, const proposal<T>& y) { return x.value < y.value; });
    std::sort(held.begin(), held.end());
    std::size_t broken_links = 0;
    T before = initial;
    for (const auto& r : raises) {
      if (r.previous != before) ++broken_links;
      before = r.value;
    }
    CHECK(broken_links == 0);
    std::size_t never_held = 0;
    for (const auto& mine : seen) {
      for (const auto& p : mine) {
        if (!(p.previous < p.value) && !std::binary_search(held.begin(), held.end(), p.previous)) {
          ++never_held;
        }
      }
    }
    CHECK(never_held == 0);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads. Assertions only on the body's thread, after the joins.

TEST_CASE("fetch_max: model two racing raises keep the maximum", "[ch02][fetch_max][model]") {
  wb::model::check([] {
    wb::atomic<int> a{0};
    int from_seven = -1;
    int from_five = -1;
    wb::thread t([&] { from_seven = fetch_max(a, 7); });
    from_five = fetch_max(a, 5);
    t.join();
    REQUIRE(a.load() == 7);
    // One chain: 7 raised from 0 or 5, and 5 raised from 0 or saw 7.
    REQUIRE((from_seven == 0 || from_seven == 5));
    REQUIRE((from_five == 0 || from_five == 7));
    REQUIRE((from_seven == 5) == (from_five == 0));
  });
}

TEST_CASE("fetch_max: model release and acquire publish a cell", "[ch02][fetch_max][model]") {
  for (const auto& [write_order, read_order] :
       {std::pair{wb::memory_order_release, wb::memory_order_acquire},
        std::pair{wb::memory_order_acq_rel, wb::memory_order_acq_rel},
        std::pair{wb::memory_order_seq_cst, wb::memory_order_seq_cst}}) {
    INFO("orders " << static_cast<int>(write_order) << " / " << static_cast<int>(read_order));
    wb::model::check([write_order = write_order, read_order = read_order] {
      wb::cell<int> data{0};
      wb::atomic<int> flag{0};
      wb::thread writer([&] {
        data.set(42);
        fetch_max(flag, 1, write_order);
      });
      int seen = -1;
      if (fetch_max(flag, 0, read_order) == 1) seen = data.get();  // a pure load: never writes
      writer.join();
      REQUIRE((seen == -1 || seen == 42));
    });
  }
}

TEST_CASE("fetch_max: model seq_cst calls are in one total order", "[ch02][fetch_max][model]") {
  // Store buffering through fetch_max: each thread raises one flag, then reads
  // the other with a call that does not write. With seq_cst at least one of
  // them sees the other's raise; acquire/release alone would allow (0, 0).
  wb::model::check([] {
    wb::atomic<int> x{0};
    wb::atomic<int> y{0};
    int seen_y = -1;
    wb::thread t([&] {
      fetch_max(x, 1);
      seen_y = fetch_max(y, 0);
    });
    fetch_max(y, 1);
    const int seen_x = fetch_max(x, 0);
    t.join();
    REQUIRE((seen_x == 1 || seen_y == 1));
  });
}
