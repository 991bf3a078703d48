// Tests for exercise 10.6, rcu (exercises/10-beyond/rcu.hpp).
//
// What each case can catch
//   * A version freed under a reader. Each version keeps its number in a
//     wb::atomic and a plain copy; the destructor overwrites both with
//     `dead`. In the model a reader's access after the delete is a use of a
//     destroyed object, and an access the delete is not ordered after is a
//     "destroyed while accessed" report: a writer that frees before the grace
//     period, a reader that leaves its section before it is done, a missing
//     fence on either side of the handshake. Under ThreadSanitizer the same
//     mistakes are races with `free` (the plain copy); in dev a reader may see
//     `dead` or a torn pair.
//   * A reader that sees a version half built (the pointer published before
//     the object is written, or without release/acquire): the pair of fields
//     disagree, or a race on the plain copy.
//   * A grace period that never ends (waits for an idle slot): the writer's
//     join misses its deadline, a livelock in the model.
// Assertions only on the test's thread; workers record what they saw.
#include <catch2/catch.hpp>

#include "rcu.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <thread>

namespace {

constexpr long dead = -1;

// One version of the shared value: the number twice, once atomic (seen by the
// model checker) and once plain (seen by ThreadSanitizer).
struct version {
  wb::atomic<long> number;
  long copy;
  explicit version(long n) : number(n), copy(n) {}
  version(version&& other) noexcept
      : number(other.number.load(wb::memory_order_relaxed)), copy(other.copy) {}
  ~version() {
    number.store(dead, wb::memory_order_relaxed);
    copy = dead;
  }
};

// A reader's view of one version: both fields, with a modelled operation
// between them so that in the model a writer can run in the middle.
long read_twice(const version& v) {
  const long first = v.number.load(wb::memory_order_relaxed);
  const long second = v.copy;
  const long third = v.number.load(wb::memory_order_relaxed);
  return first == second && second == third ? first : dead;
}

}  // namespace

TEST_CASE("rcu: a reader sees the initial version and then the updated one", "[ch10][rcu]") {
  rcu<version> shared(1, version(1));
  REQUIRE(shared.read(0, read_twice) == 1);
  shared.update(version(2));
  REQUIRE(shared.read(0, read_twice) == 2);
  shared.synchronize();  // no reader: returns at once
  REQUIRE(shared.read(0, [](const version& v) { return v.copy; }) == 2);
}

TEST_CASE("rcu: read returns what the function returns", "[ch10][rcu]") {
  rcu<version> shared(3, version(7));
  int calls = 0;
  const long got = shared.read(2, [&](const version& v) {
    ++calls;
    return v.copy * 6;
  });
  REQUIRE(calls == 1);
  REQUIRE(got == 42);
}

TEST_CASE("rcu: readers never see a freed or half-built version while a writer updates",
          "[ch10][rcu]") {
  constexpr int readers = 3;
  constexpr long updates = 300;
  wb::test::repeat(5, [&](unsigned) {
    rcu<version> shared(readers, version(0));
    std::atomic<bool> done{false};
    std::atomic<long> bad{0}, went_back{0}, reads{0};
    wb::test::thread_group threads;
    for (int r = 0; r < readers; ++r) {
      threads.spawn([&, r] {
        long last = 0;
        while (!done.load(std::memory_order_relaxed)) {
          const long seen = shared.read(r, read_twice);
          if (seen == dead) bad.fetch_add(1, std::memory_order_relaxed);
          if (seen < last) went_back.fetch_add(1, std::memory_order_relaxed);
          last = seen;
          if (reads.fetch_add(1, std::memory_order_relaxed) % 256 == 0) wb::test::progress();
        }
      });
    }
    threads.spawn([&] {
      for (long n = 1; n <= updates; ++n) {
        shared.update(version(n));
        if (n % 32 == 0) wb::test::progress();
      }
      done.store(true, std::memory_order_relaxed);
    });
    threads.join_within();
    REQUIRE(bad.load() == 0);
    REQUIRE(went_back.load() == 0);  // updates are serialised, so versions only grow
    REQUIRE(shared.read(0, read_twice) == updates);
  });
}

TEST_CASE("rcu: synchronize waits for a reader inside its section", "[ch10][rcu]") {
  rcu<version> shared(1, version(1));
  std::atomic<bool> inside{false}, release_reader{false}, synchronized{false};
  std::atomic<bool> synchronized_too_early{false};
  wb::test::thread_group threads;
  threads.spawn([&] {
    shared.read(0, [&](const version&) {
      inside.store(true);
      while (!release_reader.load()) std::this_thread::yield();
      // The writer must still be waiting: our section has not ended.
      if (synchronized.load()) synchronized_too_early.store(true);
      return 0;
    });
  });
  while (!inside.load()) std::this_thread::yield();
  threads.spawn([&] {
    shared.synchronize();
    synchronized.store(true);
  });
  // Give a wrong synchronize time to return; a right one waits for us anyway.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  release_reader.store(true);
  threads.join_within();
  REQUIRE(synchronized.load());
  REQUIRE_FALSE(synchronized_too_early.load());
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("rcu: model a reader and an update never share a freed version", "[ch10][rcu][model]") {
  wb::model::check([] {
    rcu<version> shared(1, version(1));
    long seen = 0;
    wb::thread reader([&] { seen = shared.read(0, read_twice); });
    shared.update(version(2));
    reader.join();
    REQUIRE((seen == 1 || seen == 2));
  });
}

TEST_CASE("rcu: model two readers and two updates", "[ch10][rcu][model]") {
  wb::model::options opts;
  opts.preemption_bound = 1;
  wb::model::check(
      [] {
        rcu<version> shared(2, version(1));
        long first = 0, second = 0;
        wb::thread reader([&] {
          first = shared.read(0, read_twice);
          second = shared.read(0, read_twice);
        });
        wb::thread other([&] { (void)shared.read(1, read_twice); });
        shared.update(version(2));
        shared.update(version(3));
        reader.join();
        other.join();
        REQUIRE(first != dead);
        REQUIRE(second >= first);
      },
      opts);
}
