// The test cases every arc of chapter 6 must pass: one test body for every
// variant (exercises 6.1 to 6.4), as perfbook runs one torture test against
// every implementation. A test file defines ARC_EXERCISE as its exercise's
// name ("arc", "arc_weak", ...) and includes this after its exercise header;
// the cases are then named and tagged for that exercise.
//
// What they check, with the drop-counting payload of arc_test_support.hpp:
//   * the value is destroyed exactly once, and never while an arc lives;
//   * every arc reads the value it was given (not a destroyed one);
//   * the count follows clones, moves and assignments;
//   * a clone past max_count ends the process with a message (in a child);
//   * many threads cloning and dropping lose no count, and whichever thread
//     drops last destroys the value after everyone else's reads: without
//     release/acquire on the decrement, ThreadSanitizer reports the race
//     between a reader and the destructor. In ASan builds, a double delete
//     or a leak of the block is reported too.
#pragma once

#ifndef ARC_EXERCISE
#error "define ARC_EXERCISE as the exercise's name before including arc_basic_tests.hpp"
#endif

#include "arc_test_support.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#define ARC_TAGS "[ch06][" ARC_EXERCISE "]"

TEST_CASE(ARC_EXERCISE ": a new arc holds its value and one reference", ARC_TAGS) {
  arc_test::drop_log log;
  {
    arc<arc_test::tracked> a(arc_test::tracked(42, log));
    CHECK(a->value == 42);
    CHECK((*a).value == 42);
    CHECK(a.use_count() == 1);
    CHECK(log.drops.load() == 0);
  }
  CHECK(log.drops.load() == 1);
}

TEST_CASE(ARC_EXERCISE ": clones share one value and the last drop destroys it", ARC_TAGS) {
  arc_test::drop_log log;
  auto* first = new arc<arc_test::tracked>(arc_test::tracked(7, log));
  arc<arc_test::tracked> second(*first);
  CHECK(&*second == &**first);  // the same value, not a copy
  CHECK(first->use_count() == 2);
  {
    arc<arc_test::tracked> third(second);
    CHECK(second.use_count() == 3);
  }
  CHECK(second.use_count() == 2);
  delete first;  // not the last: the value must survive
  CHECK(log.drops.load() == 0);
  CHECK(second.use_count() == 1);
  CHECK(second->value == 7);
  {
    arc<arc_test::tracked> last(std::move(second));
    CHECK(log.drops.load() == 0);
  }
  CHECK(log.drops.load() == 1);
}

TEST_CASE(ARC_EXERCISE ": moving and assigning keep the count right", ARC_TAGS) {
  arc_test::drop_log log_a;
  arc_test::drop_log log_b;
  arc<arc_test::tracked> a(arc_test::tracked(1, log_a));
  arc<arc_test::tracked> b(arc_test::tracked(2, log_b));
  arc<arc_test::tracked> moved(std::move(a));  // moving takes over the reference
  CHECK(moved.use_count() == 1);
  CHECK(moved->value == 1);

  arc<arc_test::tracked> copy(b);
  copy = moved;  // copy's old value (b's) keeps one arc; moved's gets a second
  CHECK(b.use_count() == 1);
  CHECK(moved.use_count() == 2);
  CHECK(copy->value == 1);
  copy = copy;  // self-assignment changes nothing
  CHECK(copy.use_count() == 2);

  b = std::move(copy);  // b's own value loses its last arc
  CHECK(log_b.drops.load() == 1);
  CHECK(b->value == 1);
  CHECK(moved.use_count() == 2);
  CHECK(log_a.drops.load() == 0);
}

TEST_CASE(ARC_EXERCISE ": a clone past max_count aborts with a message", ARC_TAGS) {
  // An 8-bit count makes the limit reachable: max_count is 127.
  using small_arc = arc<int, std::uint8_t>;
  static_assert(small_arc::max_count == 127);
  small_arc a(5);
  std::vector<small_arc> clones;
  clones.reserve(small_arc::max_count);
  for (unsigned i = 1; i < small_arc::max_count; ++i) clones.push_back(a);
  CHECK(a.use_count() == small_arc::max_count);  // the limit itself is allowed
  arc_test::child_result child;
  wb::test::finishes_within(wb::test::default_deadline, "a child process cloning past the limit",
                            [&] { child = arc_test::aborts([&] { small_arc one_more(a); }); });
  CHECK(child.aborted);
  CHECK(child.stderr_text.find("overflow") != std::string::npos);
  CHECK(a.use_count() == small_arc::max_count);  // the child's clone did not touch ours
}

TEST_CASE(ARC_EXERCISE ": many threads clone and drop one value", ARC_TAGS "[stress]") {
  constexpr unsigned threads = 8;
  constexpr int clones_per_thread = 2000;
  arc_test::drop_log log;
  arc<arc_test::tracked> shared(arc_test::tracked(7, log));
  std::vector<int> wrong_values(threads, 0);  // one slot per thread
  wb::test::run_concurrently(
      threads,
      [&](unsigned i) {
        for (int k = 0; k < clones_per_thread; ++k) {
          arc<arc_test::tracked> mine(shared);
          arc<arc_test::tracked> nested(mine);  // a clone of a clone
          if (nested->value != 7) ++wrong_values[i];
        }
      },
      wb::test::default_deadline, "8 threads cloning and dropping");
  for (int w : wrong_values) CHECK(w == 0);
  CHECK(shared.use_count() == 1);
  CHECK(log.drops.load() == 0);
}

TEST_CASE(ARC_EXERCISE ": the last arc may be dropped on any thread", ARC_TAGS "[stress]") {
  constexpr unsigned threads = 4;
  wb::test::repeat(100, [&](unsigned round) {
    arc_test::drop_log log;
    std::vector<arc<arc_test::tracked>> clones;
    clones.reserve(threads);
    {
      arc<arc_test::tracked> original(arc_test::tracked(static_cast<int>(round), log));
      for (unsigned i = 0; i < threads; ++i) clones.push_back(original);
    }  // from here on only the threads' clones keep the value
    std::vector<int> seen(threads, arc_test::dead);
    wb::test::run_concurrently(
        threads,
        [&](unsigned i) {
          arc<arc_test::tracked> mine(std::move(clones[i]));
          seen[i] = mine->value;  // read, then drop: one of these drops is the last
        },
        wb::test::default_deadline, "4 threads each dropping one of the last arcs");
    for (int s : seen) CHECK(s == static_cast<int>(round));
    CHECK(log.drops.load() == 1);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads. The payload is arc_test::traced: its value and its destructor
// touch wb::cells, so a destruction that does not happen-after another arc's
// read (a decrement without release, a last drop without acquire) is a data
// race the model reports with both lines, whichever thread drops last.
// Assertions only on the body's thread, after the joins.

TEST_CASE(ARC_EXERCISE ": model the last drop comes after the other arc's read",
          ARC_TAGS "[model]") {
  wb::model::check([] {
    arc_test::traced_cells cells;
    std::optional<arc<arc_test::traced>> mine(std::in_place, arc_test::traced(1, cells));
    std::optional<arc<arc_test::traced>> theirs(*mine);
    int seen = 0;
    wb::thread other([&] {
      seen = (*theirs)->value();
      theirs.reset();  // read, then drop: maybe the last
    });
    const int own = (*mine)->value();
    mine.reset();
    other.join();
    REQUIRE(own == 1);
    REQUIRE(seen == 1);
    REQUIRE(cells.drops.get() == 1);
  });
}

// The special operands of assignment and of the accessors. Assigning an arc
// to itself while it is the *only* reference must keep the value: an
// assignment that releases its old reference before taking the new one
// destroys the value here (the case above, with two references, does not
// show it). A moved-from arc has use_count() 0: an accessor that forgets the
// moved-from case reads through a null block.
TEST_CASE(ARC_EXERCISE ": self-assignment of the only arc and a moved-from arc's count", ARC_TAGS) {
  arc_test::drop_log log;
  {
    arc<arc_test::tracked> a(arc_test::tracked(5, log));
    arc<arc_test::tracked>& same = a;
    a = same;
    CHECK(log.drops.load() == 0);
    CHECK(a.use_count() == 1);
    CHECK(a->value == 5);
    arc<arc_test::tracked> b(std::move(a));
    CHECK(a.use_count() == 0);  // NOLINT(bugprone-use-after-move): moved-from is specified
    CHECK(b.use_count() == 1);
    a = b;  // a moved-from arc may be assigned to
    CHECK(b.use_count() == 2);
  }
  CHECK(log.drops.load() == 1);
}
