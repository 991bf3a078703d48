// Tests for exercise 10.2, seqlock (exercises/10-beyond/seqlock.hpp).
//
// What each case can catch
//   * A torn copy: every write stores the same number in every word, so a
//     read whose words differ mixed two writes. A reader that does not check
//     the sequence after its copy, or ignores an odd sequence, returns one in
//     the stress test now and then, and in the model every time.
//   * A missing fence (the reader's acquire fence before its second load of
//     the sequence, the writer's release fence after its first store): x86
//     never shows it, the model does: the reader's relaxed loads may read a
//     new word and the old sequence.
//   * Plain words instead of atomics: a data race, which ThreadSanitizer and
//     the model report on the wb::cell.
//   * A write that ends with a relaxed store: a reader that sees the new
//     value does not see what the writer wrote before (a race on a cell in
//     the model).
// Assertions only on the test's thread, after the joins (or in the model).
#include <catch2/catch.hpp>

#include "seqlock.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <cstdint>

namespace {

template <std::size_t Words>
typename seqlock<Words>::value_type all(std::uint64_t n) {
  typename seqlock<Words>::value_type value;
  value.fill(n);
  return value;
}

template <class Value>
bool torn(const Value& value) {
  for (auto word : value) {
    if (word != value[0]) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("seqlock: a read returns the last write", "[ch10][seqlock]") {
  seqlock<3> lock;
  seqlock<3>::value_type first{}, second{}, third{};
  wb::test::finishes_within(wb::test::default_deadline, "read and write on one thread", [&] {
    first = lock.read();
    lock.write({1, 2, 3});
    second = lock.read();
    lock.write({4, 5, 6});
    third = lock.read();
  });
  CHECK(first == seqlock<3>::value_type{0, 0, 0});
  CHECK(second == seqlock<3>::value_type{1, 2, 3});
  CHECK(third == seqlock<3>::value_type{4, 5, 6});
}

TEST_CASE("seqlock: readers never see a torn value", "[ch10][seqlock][stress]") {
  constexpr unsigned readers = 2;
  constexpr std::uint64_t writes = 20000;
  wb::test::repeat(3, [&](unsigned) {
    seqlock<4> lock;
    std::atomic<int> torn_reads{0};
    std::atomic<int> backwards{0};  // a read older than one before it
    wb::test::run_concurrently(
        readers + 1,
        [&](unsigned t) {
          if (t == 0) {
            for (std::uint64_t n = 1; n <= writes; ++n) {
              lock.write(all<4>(n));
              if (n % 1000 == 0) wb::test::progress();
            }
            return;
          }
          std::uint64_t last = 0;
          while (last != writes) {
            const auto value = lock.read();
            if (torn(value)) torn_reads.fetch_add(1);
            if (value[0] < last) backwards.fetch_add(1);
            last = value[0];
          }
        },
        wb::test::default_deadline, "a writer and 2 readers");
    CHECK(torn_reads.load() == 0);
    CHECK(backwards.load() == 0);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("seqlock: model a read overlapping a write is not torn", "[ch10][seqlock][model]") {
  wb::model::check([] {
    seqlock<2> lock;
    wb::thread writer([&] { lock.write(all<2>(1)); });
    const auto value = lock.read();
    writer.join();
    REQUIRE_FALSE(torn(value));
    REQUIRE(lock.read() == all<2>(1));
  });
}

TEST_CASE("seqlock: model a read between two writes is one of them", "[ch10][seqlock][model]") {
  wb::model::check([] {
    seqlock<2> lock;
    wb::thread writer([&] {
      lock.write(all<2>(1));
      lock.write(all<2>(2));
    });
    const auto value = lock.read();
    writer.join();
    REQUIRE_FALSE(torn(value));
  });
}

TEST_CASE("seqlock: model a read of the new value sees what the writer did before",
          "[ch10][seqlock][model]") {
  wb::model::check([] {
    seqlock<1> lock;
    wb::cell<int> message{0};
    wb::thread writer([&] {
      message.set(42);
      lock.write(all<1>(1));
    });
    const auto value = lock.read();
    if (value[0] == 1) REQUIRE(message.get() == 42);
    writer.join();
  });
}
