// The weak-reference cases shared by exercises 6.3 (arc_weak) and 6.4
// (arc_optimized). Include after arc_basic_tests.hpp (same ARC_EXERCISE).
//
// What they check:
//   * upgrade succeeds while an arc lives and shares its value;
//   * once the last arc is gone, upgrade fails, and keeps failing: it never
//     brings the count back from zero (a fetch_add would, and the next
//     upgrade would hand out a destroyed value);
//   * an arc keeps the block alive when the last weak goes: if the weak
//     count freed it anyway, the next allocation of the same size reuses
//     the block (glibc's allocator does, deterministically) and the arc's
//     value is overwritten; AddressSanitizer reports the use after free;
//   * downgrade and weak copies abort past max_count, like clone;
//   * under contention (many threads upgrading while an arc lives) every
//     upgrade succeeds: a compare-exchange that gives up on a failure is
//     wrong, because failures there mean "someone else changed the count";
//   * upgrades racing with the last drop either fail or get a live value,
//     and the value is destroyed exactly once.
#pragma once

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <optional>
#include <thread>

TEST_CASE(ARC_EXERCISE ": upgrade shares the value while an arc lives", ARC_TAGS) {
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(3, log));
  weak<arc_test::tracked> w = a.downgrade();
  CHECK(a.use_count() == 1);  // a weak reference is not counted as an owner
  CHECK(w.use_count() == 1);
  {
    std::optional<arc<arc_test::tracked>> up = w.upgrade();
    REQUIRE(up.has_value());
    CHECK(&**up == &*a);
    CHECK((*up)->value == 3);
    CHECK(a.use_count() == 2);
    std::optional<arc<arc_test::tracked>> again = w.upgrade();  // with two arcs alive
    REQUIRE(again.has_value());
    CHECK(a.use_count() == 3);
  }
  CHECK(a.use_count() == 1);
  weak<arc_test::tracked> copy(w);
  weak<arc_test::tracked> moved(std::move(copy));
  CHECK(moved.upgrade().has_value());
  CHECK(log.drops.load() == 0);
}

TEST_CASE(ARC_EXERCISE ": upgrade after the last arc is dropped fails for good", ARC_TAGS) {
  arc_test::drop_log log;
  auto* a = new arc<arc_test::tracked>(arc_test::tracked(4, log));
  weak<arc_test::tracked> w = a->downgrade();
  weak<arc_test::tracked> w2(w);
  delete a;
  CHECK(log.drops.load() == 1);  // the value goes with the last arc, weak or not
  CHECK(w.use_count() == 0);
  CHECK_FALSE(w.upgrade().has_value());
  CHECK_FALSE(w2.upgrade().has_value());  // the failed upgrade did not revive it
  CHECK_FALSE(w.upgrade().has_value());
  CHECK(w.use_count() == 0);
  CHECK(log.drops.load() == 1);
}

TEST_CASE(ARC_EXERCISE ": an arc keeps the block alive after the last weak is dropped", ARC_TAGS) {
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(5, log));
  { weak<arc_test::tracked> w = a.downgrade(); }  // the last (only) weak goes
  { weak<arc_test::tracked> w = a.downgrade(); }  // and again
  // A block freed too early would be handed out again here, and b's value
  // written over a's.
  arc<arc_test::tracked> b(arc_test::tracked(6, log));
  CHECK(a->value == 5);
  CHECK(a.use_count() == 1);
  CHECK(b->value == 6);
  CHECK(log.drops.load() == 0);
}

TEST_CASE(ARC_EXERCISE ": weak references past max_count abort with a message", ARC_TAGS) {
  using small_arc = arc<int, std::uint8_t>;
  using small_weak = weak<int, std::uint8_t>;
  small_arc a(5);
  std::vector<small_weak> weaks;
  // The weak count is the weak objects plus one for the arcs: max_count - 1 weaks fit.
  for (unsigned i = 1; i < small_arc::max_count; ++i) weaks.push_back(a.downgrade());
  CHECK(weaks.back().upgrade().has_value());
  arc_test::child_result by_downgrade;
  arc_test::child_result by_copy;
  wb::test::finishes_within(
      wb::test::default_deadline, "child processes making one weak too many", [&] {
        by_downgrade = arc_test::aborts([&] { small_weak w = a.downgrade(); });
        by_copy = arc_test::aborts([&] { small_weak w(weaks.front()); });
      });
  CHECK(by_downgrade.aborted);
  CHECK(by_downgrade.stderr_text.find("overflow") != std::string::npos);
  CHECK(by_copy.aborted);
  CHECK(by_copy.stderr_text.find("overflow") != std::string::npos);
}

TEST_CASE(ARC_EXERCISE ": many threads upgrade while an arc lives and none fails",
          ARC_TAGS "[stress]") {
  constexpr unsigned threads = 4;
  constexpr int upgrades_per_thread = 20000;  // long enough for the threads to overlap
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(8, log));
  weak<arc_test::tracked> w = a.downgrade();
  std::vector<int> failed(threads, 0);
  std::vector<int> wrong_values(threads, 0);
  wb::test::run_concurrently(
      threads,
      [&](unsigned i) {
        weak<arc_test::tracked> mine(w);
        for (int k = 0; k < upgrades_per_thread; ++k) {
          std::optional<arc<arc_test::tracked>> up = mine.upgrade();
          if (!up) {
            ++failed[i];
          } else {
            arc<arc_test::tracked> busy(*up);  // more traffic on the strong count
            if (busy->value != 8) ++wrong_values[i];
          }
        }
      },
      wb::test::default_deadline, "4 threads upgrading and dropping");
  for (int f : failed) CHECK(f == 0);
  for (int v : wrong_values) CHECK(v == 0);
  CHECK(a.use_count() == 1);
  CHECK(log.drops.load() == 0);
}

TEST_CASE(ARC_EXERCISE ": upgrades race with the last drop", ARC_TAGS "[stress]") {
  constexpr unsigned upgraders = 3;
  wb::test::repeat(100, [&](unsigned round) {
    arc_test::drop_log log;
    const int expected = static_cast<int>(round);
    std::optional<arc<arc_test::tracked>> last(arc_test::tracked(expected, log));
    std::vector<weak<arc_test::tracked>> weaks(upgraders, last->downgrade());
    std::vector<int> wrong_values(upgraders, 0);
    wb::test::run_concurrently(
        upgraders + 1,
        [&](unsigned i) {
          if (i == upgraders) {
            last.reset();  // drop the last arc while the others upgrade
            return;
          }
          weak<arc_test::tracked> mine(std::move(weaks[i]));
          for (int k = 0; k < 200; ++k) {
            std::optional<arc<arc_test::tracked>> up = mine.upgrade();
            if (!up) {
              if (mine.upgrade().has_value()) ++wrong_values[i];  // once gone, always gone
              break;
            }
            if ((*up)->value != expected) ++wrong_values[i];
          }
        },
        wb::test::default_deadline, "3 threads upgrading while 1 drops the last arc");
    for (int v : wrong_values) CHECK(v == 0);
    CHECK(log.drops.load() == 1);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// As in arc_basic_tests.hpp: every schedule up to bound 2, the traced payload
// in wb::cells, assertions after the joins. An upgrade that wins a reference
// to a value being destroyed reads it without happening-after the
// destructor: a data race on the value's cell, or a second destruction.

TEST_CASE(ARC_EXERCISE ": model an upgrade racing with the last drop", ARC_TAGS "[model]") {
  wb::model::check([] {
    arc_test::traced_cells cells;
    std::optional<arc<arc_test::traced>> last(std::in_place, arc_test::traced(1, cells));
    std::optional<weak<arc_test::traced>> w(last->downgrade());
    int seen = 0;  // 0: the upgrade failed
    wb::thread upgrader([&] {
      if (std::optional<arc<arc_test::traced>> up = w->upgrade()) seen = (*up)->value();
      w.reset();
    });
    last.reset();
    upgrader.join();
    REQUIRE((seen == 0 || seen == 1));
    REQUIRE(cells.drops.get() == 1);
  });
}

TEST_CASE(ARC_EXERCISE ": model an upgrade while another thread clones never fails",
          ARC_TAGS "[model]") {
  // The arc lives all along, so the upgrade must succeed. The other thread's
  // clone changes the strong count between the upgrade's load and its
  // compare-exchange in some schedule: a failed compare-exchange is a reason
  // to try again with the count it read, never to report the value gone. (The
  // stress case above shows the same mistake only when the timing happens.)
  wb::model::check([] {
    arc_test::traced_cells cells;
    arc<arc_test::traced> a(arc_test::traced(1, cells));
    weak<arc_test::traced> w = a.downgrade();
    wb::thread cloner([&] { arc<arc_test::traced> copy(a); });
    const bool upgraded = w.upgrade().has_value();
    cloner.join();
    REQUIRE(upgraded);
  });
}

TEST_CASE(ARC_EXERCISE ": model a failed upgrade never brings the value back", ARC_TAGS "[model]") {
  // The body drops the last arc and then upgrades, while the other thread
  // upgrades too. An upgrade that finds 0 must leave it 0: one that makes the
  // count 1 for a moment, even if it takes it back at once, lets the other
  // thread's upgrade win the destroyed value.
  wb::model::check([] {
    arc_test::traced_cells cells;
    std::optional<arc<arc_test::traced>> last(std::in_place, arc_test::traced(1, cells));
    weak<arc_test::traced> mine = last->downgrade();
    std::optional<weak<arc_test::traced>> theirs(mine);
    int seen = 0;  // 0: the upgrade failed
    wb::thread upgrader([&] {
      if (std::optional<arc<arc_test::traced>> up = theirs->upgrade()) seen = (*up)->value();
      theirs.reset();
    });
    last.reset();
    int own = 0;  // succeeds only while the other thread's upgraded arc lives
    if (std::optional<arc<arc_test::traced>> up = mine.upgrade()) own = (*up)->value();
    upgrader.join();
    REQUIRE((seen == 0 || seen == 1));
    REQUIRE((own == 0 || own == 1));
    REQUIRE(cells.drops.get() == 1);
  });
}
