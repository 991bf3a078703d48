// Tests for exercise 6.2, arc_get_mut (exercises/06-arc/arc_get_mut.hpp).
//
// First the shared cases of arc_basic_tests.hpp (the arc itself), then
// get_mut: it succeeds exactly when this arc is the only one, and its writes
// do not race with the reads of owners that dropped their clones a moment
// ago. That last case runs an owner thread that keeps trying get_mut while
// other threads read the value and drop their clones; when get_mut's load of
// the count is not an acquire, ThreadSanitizer reports the race between a
// reader and the owner's write. A get_mut that never succeeds runs into the
// deadline.
#include <catch2/catch.hpp>

#include "arc_get_mut.hpp"

#define ARC_EXERCISE "arc_get_mut"
#include "arc_basic_tests.hpp"
#include "arc_get_mut_tests.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <optional>
#include <thread>

TEST_CASE("arc_get_mut: get_mut gives access only to a sole owner", "[ch06][arc_get_mut]") {
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(1, log));
  arc_test::tracked* p = a.get_mut();
  REQUIRE(p != nullptr);
  CHECK(p == &*a);  // in place, not a copy
  p->value = 2;
  CHECK(a->value == 2);
  {
    arc<arc_test::tracked> other(a);
    CHECK(a.get_mut() == nullptr);
    CHECK(other.get_mut() == nullptr);
  }
  p = a.get_mut();
  REQUIRE(p != nullptr);  // unique again once the clone is gone
  p->value = 3;
  arc<arc_test::tracked> moved(std::move(a));
  CHECK(moved.get_mut() == p);
  CHECK(log.drops.load() == 0);
}

TEST_CASE("arc_get_mut: get_mut after other threads drop their clones",
          "[ch06][arc_get_mut][stress]") {
  constexpr unsigned readers = 3;
  wb::test::repeat(100, [&](unsigned round) {
    arc_test::drop_log log;
    arc<arc_test::tracked> owner(arc_test::tracked(static_cast<int>(round), log));
    std::vector<arc<arc_test::tracked>> clones(readers, owner);
    std::vector<int> seen(readers, arc_test::dead);
    int written = 0;
    wb::test::run_concurrently(
        readers + 1,
        [&](unsigned i) {
          if (i < readers) {
            arc<arc_test::tracked> mine(std::move(clones[i]));
            seen[i] = mine->value;  // read, then drop
            return;
          }
          arc_test::tracked* p = nullptr;
          while ((p = owner.get_mut()) == nullptr) std::this_thread::yield();
          p->value = static_cast<int>(round) + 1000;  // must not race with the reads
          written = owner->value;
        },
        wb::test::default_deadline, "3 readers dropping clones while the owner tries get_mut");
    for (int s : seen) CHECK(s == static_cast<int>(round));
    CHECK(written == static_cast<int>(round) + 1000);
    CHECK(log.drops.load() == 0);
  });
}
