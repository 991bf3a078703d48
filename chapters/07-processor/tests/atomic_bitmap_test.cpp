// Tests for exercise 7.4, atomic_bitmap (exercises/07-processor/atomic_bitmap.hpp).
//
// Three kinds of check. On one thread, what each call returns and which bits
// it leaves (a fetch_xor for clear, a store that wipes other bits). With
// real threads, that claims never hand out a bit twice and that toggling
// one's own bit never disturbs another thread's; plain data published by a
// set or handed back by a clear is a data race for ThreadSanitizer when an
// order is too weak. And in the model tree, every interleaving and every
// value the memory model allows a load to read: two claimers that pick the
// same bit, and a too-weak order on set, clear, test or claim_any, are
// found every time (a data race on a wb::cell), not only on a lucky run.
#include <catch2/catch.hpp>

#include "atomic_bitmap.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

TEST_CASE("atomic_bitmap: set clear and test on one thread", "[ch07][atomic_bitmap]") {
  atomic_bitmap flags;
  CHECK(flags.set(3));
  CHECK_FALSE(flags.set(3));
  CHECK(flags.test(3));
  CHECK_FALSE(flags.test(0));
  CHECK(flags.bits() == 0b1000);
  CHECK(flags.set(63));
  CHECK(flags.set(0));
  CHECK(flags.bits() == ((std::uint64_t{1} << 63) | 0b1001));
  CHECK(flags.clear(3));
  CHECK_FALSE(flags.clear(3));
  CHECK_FALSE(flags.test(3));
  CHECK_FALSE(flags.clear(5));  // clearing a clear bit leaves it clear
  CHECK_FALSE(flags.test(5));
  CHECK(flags.bits() == ((std::uint64_t{1} << 63) | 0b1));
}

TEST_CASE("atomic_bitmap: claim_any takes the lowest clear bit until full",
          "[ch07][atomic_bitmap]") {
  atomic_bitmap slots;
  CHECK(slots.set(1));
  std::vector<unsigned> claimed;
  while (const std::optional<unsigned> slot = slots.claim_any()) claimed.push_back(*slot);
  std::vector<unsigned> expected{0};
  for (unsigned i = 2; i < 64; ++i) expected.push_back(i);
  CHECK(claimed == expected);
  CHECK(slots.bits() == ~std::uint64_t{0});
  CHECK_FALSE(slots.claim_any().has_value());
  CHECK(slots.clear(40));
  CHECK(slots.claim_any() == std::optional<unsigned>{40});
}

TEST_CASE("atomic_bitmap: concurrent claims never hand out a bit twice",
          "[ch07][atomic_bitmap][stress]") {
  constexpr unsigned threads = 4;
  wb::test::repeat(20, [&](unsigned) {
    atomic_bitmap slots;
    std::vector<unsigned> got[threads];  // each thread's own, read after the join
    wb::test::run_concurrently(
        threads,
        [&](unsigned t) {
          while (const std::optional<unsigned> slot = slots.claim_any()) got[t].push_back(*slot);
        },
        wb::test::default_deadline, "4 threads claiming all 64 bits");
    std::vector<unsigned> all;
    for (const auto& mine : got) all.insert(all.end(), mine.begin(), mine.end());
    std::sort(all.begin(), all.end());
    std::vector<unsigned> each(64);
    for (unsigned i = 0; i < 64; ++i) each[i] = i;
    CHECK(all == each);
  });
}

TEST_CASE("atomic_bitmap: threads toggling their own bits never disturb each other",
          "[ch07][atomic_bitmap][stress]") {
  constexpr unsigned threads = 4;
  atomic_bitmap flags;
  std::atomic<long> wrong{0};
  wb::test::run_concurrently(
      threads,
      [&](unsigned t) {
        for (int round = 0; round < 5000; ++round) {
          if (!flags.set(t)) wrong.fetch_add(1);
          if (!flags.test(t)) wrong.fetch_add(1);
          if (!flags.clear(t)) wrong.fetch_add(1);
        }
      },
      wb::test::default_deadline, "4 threads setting and clearing their own bit");
  CHECK(wrong.load() == 0);
  CHECK(flags.bits() == 0);
}

TEST_CASE("atomic_bitmap: a set publishes the slot written before it",
          "[ch07][atomic_bitmap][stress]") {
  constexpr unsigned slots = 8;
  wb::test::repeat(20, [&](unsigned round) {
    atomic_bitmap ready;
    int data[slots] = {};  // plain data: written before set(i), read after test(i)
    int seen[slots] = {};
    wb::test::thread_group group("a writer filling 8 slots and setting their bits");
    group.spawn([&] {
      for (unsigned i = 0; i < slots; ++i) {
        data[i] = static_cast<int>(round * 100 + i + 1);
        ready.set(i);
      }
    });
    for (unsigned i = 0; i < slots; ++i) {
      while (!ready.test(i)) std::this_thread::yield();
      seen[i] = data[i];
    }
    group.join_within();
    for (unsigned i = 0; i < slots; ++i) CHECK(seen[i] == static_cast<int>(round * 100 + i + 1));
  });
}

TEST_CASE("atomic_bitmap: a slot handed back is seen whole by its next owner",
          "[ch07][atomic_bitmap][stress]") {
  constexpr unsigned threads = 3;
  constexpr long claims = 2000;
  atomic_bitmap slots;
  for (unsigned i = 2; i < 64; ++i) slots.set(i);  // two slots for three threads
  long uses[2] = {0, 0};                           // plain data, owned by whoever holds the bit
  std::atomic<long> done{0};
  wb::test::run_concurrently(
      threads,
      [&](unsigned) {
        for (long k = 0; k < claims;) {
          const std::optional<unsigned> slot = slots.claim_any();
          if (!slot) {
            std::this_thread::yield();
            continue;
          }
          ++uses[*slot];
          slots.clear(*slot);
          ++k;
        }
        done.fetch_add(claims);
      },
      wb::test::default_deadline, "3 threads sharing two slots");
  CHECK(uses[0] + uses[1] == done.load());
  CHECK(slots.bits() == ~std::uint64_t{0b11});
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("atomic_bitmap: model a set publishes what was written before it",
          "[ch07][atomic_bitmap][model]") {
  wb::model::check([] {
    atomic_bitmap ready;
    wb::cell<int> slot{0};
    wb::thread writer([&] {
      slot.set(42);
      ready.set(3);
    });
    if (ready.test(3)) REQUIRE(slot.get() == 42);  // a race on slot if set or test is too weak
    writer.join();
  });
}

TEST_CASE("atomic_bitmap: model the whole word publishes too", "[ch07][atomic_bitmap][model]") {
  wb::model::check([] {
    atomic_bitmap ready;
    wb::cell<int> slot{0};
    wb::thread writer([&] {
      slot.set(7);
      ready.set(0);
    });
    wb::thread other([&] { ready.set(1); });  // continues the release sequence of set(0)
    if ((ready.bits() & 1u) != 0) REQUIRE(slot.get() == 7);
    writer.join();
    other.join();
  });
}

TEST_CASE("atomic_bitmap: model a slot handed back is seen by its next owner",
          "[ch07][atomic_bitmap][model]") {
  wb::model::check([] {
    atomic_bitmap slots;
    for (unsigned i = 1; i < 64; ++i) slots.set(i);  // one free slot: 0
    wb::cell<int> uses{0};
    auto use = [&] { uses.with_mut([](int& n) { ++n; }); };
    int by_other = 0;
    wb::thread other([&] {
      if (slots.claim_any() == std::optional<unsigned>{0}) {
        use();
        by_other = 1;
        slots.clear(0);
      }
    });
    int by_me = 0;
    if (slots.set(0)) {
      use();
      by_me = 1;
      slots.clear(0);
    }
    other.join();
    REQUIRE(uses.get() == by_me + by_other);
  });
}

TEST_CASE("atomic_bitmap: model two claims never get the same bit",
          "[ch07][atomic_bitmap][model]") {
  wb::model::check([] {
    atomic_bitmap slots;
    std::optional<unsigned> theirs;
    wb::thread other([&] { theirs = slots.claim_any(); });
    const std::optional<unsigned> mine = slots.claim_any();
    other.join();
    REQUIRE(mine.has_value());
    REQUIRE(theirs.has_value());
    REQUIRE(*mine != *theirs);
    REQUIRE(slots.bits() == ((std::uint64_t{1} << *mine) | (std::uint64_t{1} << *theirs)));
  });
}

TEST_CASE("atomic_bitmap: model two setters of one bit have one winner",
          "[ch07][atomic_bitmap][model]") {
  wb::model::check([] {
    atomic_bitmap flags;
    flags.set(9);
    bool theirs = false;
    wb::thread other([&] { theirs = flags.set(2); });
    const bool mine = flags.set(2);
    other.join();
    REQUIRE(mine != theirs);
    REQUIRE(flags.bits() == ((std::uint64_t{1} << 9) | (std::uint64_t{1} << 2)));
  });
}
