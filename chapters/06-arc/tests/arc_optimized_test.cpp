// Tests for exercise 6.4, arc_optimized (exercises/06-arc/arc_optimized.hpp).
//
// The shared arc and weak cases (arc_basic_tests.hpp, arc_weak_tests.hpp),
// then get_mut: it succeeds only for the sole arc with no weak reference,
// it leaves the weak count usable (a downgrade after it works), its writes
// do not race with the reads of owners that just dropped their clones
// (ThreadSanitizer sees a missing acquire), and downgrades running
// concurrently with get_mut calls neither deadlock nor corrupt the count.
// The race that the lock exists for (a downgrade and a drop between two
// loads) is a few instructions wide; stress tests rarely hit it, so the
// model-checked cases at the end try it under every schedule.
#include <catch2/catch.hpp>

#include "arc_optimized.hpp"

#define ARC_EXERCISE "arc_optimized"
#include "arc_basic_tests.hpp"
#include "arc_get_mut_tests.hpp"
#include "arc_weak_tests.hpp"

TEST_CASE("arc_optimized: get_mut needs the only arc and no weak", "[ch06][arc_optimized]") {
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(1, log));
  arc_test::tracked* p = a.get_mut();
  REQUIRE(p != nullptr);
  CHECK(p == &*a);
  p->value = 2;
  {
    weak<arc_test::tracked> w = a.downgrade();
    CHECK(a.get_mut() == nullptr);  // w could upgrade and read while we write
    CHECK(a.get_mut() == nullptr);  // a failed get_mut leaves things as they were
    std::optional<arc<arc_test::tracked>> up = w.upgrade();
    REQUIRE(up.has_value());
    CHECK((*up)->value == 2);
  }
  {
    arc<arc_test::tracked> other(a);
    CHECK(a.get_mut() == nullptr);
  }
  REQUIRE(a.get_mut() == p);  // unique again
  // get_mut unlocked the weak count: downgrade and upgrade still work. (A
  // downgrade waits while the count is locked, so it gets a deadline.)
  std::optional<weak<arc_test::tracked>> w;
  wb::test::finishes_within(wb::test::default_deadline, "downgrade after get_mut",
                            [&] { w.emplace(a.downgrade()); });
  CHECK(w->upgrade().has_value());
  CHECK(a.get_mut() == nullptr);
  CHECK(log.drops.load() == 0);
}

TEST_CASE("arc_optimized: get_mut after other threads drop their clones",
          "[ch06][arc_optimized][stress]") {
  constexpr unsigned readers = 3;
  wb::test::repeat(100, [&](unsigned round) {
    arc_test::drop_log log;
    arc<arc_test::tracked> owner(arc_test::tracked(static_cast<int>(round), log));
    std::vector<arc<arc_test::tracked>> clones(readers, owner);
    std::vector<weak<arc_test::tracked>> weaks(readers, owner.downgrade());
    std::vector<int> seen(readers, arc_test::dead);
    int written = 0;
    wb::test::run_concurrently(
        readers + 1,
        [&](unsigned i) {
          if (i < readers) {
            { weak<arc_test::tracked> gone(std::move(weaks[i])); }  // the weak goes first,
            arc<arc_test::tracked> mine(std::move(clones[i]));
            seen[i] = mine->value;  // then a read, then the last use: the arc's drop
            return;
          }
          arc_test::tracked* p = nullptr;
          while ((p = owner.get_mut()) == nullptr) std::this_thread::yield();
          p->value = static_cast<int>(round) + 1000;  // must not race with the reads
          written = owner->value;
        },
        wb::test::default_deadline,
        "3 readers dropping clones and weaks while the owner tries get_mut");
    for (int s : seen) CHECK(s == static_cast<int>(round));
    CHECK(written == static_cast<int>(round) + 1000);
    CHECK(log.drops.load() == 0);
  });
}

TEST_CASE("arc_optimized: downgrades and get_mut calls on many threads",
          "[ch06][arc_optimized][stress]") {
  constexpr unsigned threads = 4;
  constexpr int rounds_per_thread = 500;
  arc_test::drop_log log;
  std::vector<arc<arc_test::tracked>> arcs;
  arc<arc_test::tracked> first(arc_test::tracked(9, log));
  for (unsigned i = 0; i < threads; ++i) arcs.push_back(first);
  std::vector<int> wrong(threads, 0);
  wb::test::run_concurrently(
      threads,
      [&](unsigned i) {
        arc<arc_test::tracked>& mine = arcs[i];  // each thread uses only its own arc object
        for (int k = 0; k < rounds_per_thread; ++k) {
          if (mine.get_mut() != nullptr) ++wrong[i];  // `first` and the others exist
          weak<arc_test::tracked> w = mine.downgrade();
          std::optional<arc<arc_test::tracked>> up = w.upgrade();
          if (!up || (*up)->value != 9) ++wrong[i];
        }
      },
      wb::test::default_deadline, "4 threads alternating get_mut, downgrade and upgrade");
  for (int w : wrong) CHECK(w == 0);
  arcs.clear();
  REQUIRE(first.get_mut() != nullptr);       // every weak and every other arc is gone
  std::optional<weak<arc_test::tracked>> w;  // the weak count must have been left unlocked
  wb::test::finishes_within(wb::test::default_deadline, "downgrade after get_mut",
                            [&] { w.emplace(first.downgrade()); });
  CHECK(w->upgrade().has_value());
  CHECK(log.drops.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// Besides the shared ones of the included headers (arc_get_mut_tests.hpp: the
// owner writes through get_mut after another arc's read and drop):

TEST_CASE("arc_optimized: model get_mut while a weak upgrades and goes away",
          "[ch06][arc_optimized][model]") {
  // The weak's drop may give the weak count back its 1 just before get_mut
  // locks it; the upgrade made before that drop must then be seen in the
  // strong count (get_mut's lock is an acquire), or get_mut writes while the
  // upgraded arc reads.
  wb::model::check([] {
    arc_test::traced_cells cells;
    arc<arc_test::traced> owner(arc_test::traced(1, cells));
    std::optional<weak<arc_test::traced>> w(owner.downgrade());
    int seen = 0;
    wb::thread upgrader([&] {
      std::optional<arc<arc_test::traced>> up = w->upgrade();  // owner lives: succeeds
      w.reset();  // the weak goes, the upgraded arc stays
      if (up) seen = (*up)->value();
    });
    if (arc_test::traced* p = owner.get_mut()) p->set(2);
    upgrader.join();
    REQUIRE(seen == 1);
    REQUIRE(owner.get_mut() != nullptr);  // every other reference is gone
  });
}

TEST_CASE("arc_optimized: model get_mut while another arc downgrades and drops",
          "[ch06][arc_optimized][model]") {
  // The other arc makes a weak, drops itself and upgrades the weak. Checking
  // "no weak" and then "one arc" with two loads lets both happen between the
  // loads: get_mut sees 1 and 1 while a weak exists that upgrades and reads
  // the value get_mut hands out for writing. Locking the weak count makes
  // the downgrade wait.
  wb::model::check([] {
    arc_test::traced_cells cells;
    arc<arc_test::traced> owner(arc_test::traced(1, cells));
    std::optional<arc<arc_test::traced>> theirs(owner);
    int seen = 0;
    wb::thread other([&] {
      weak<arc_test::traced> w = theirs->downgrade();
      theirs.reset();
      if (std::optional<arc<arc_test::traced>> up = w.upgrade()) seen = (*up)->value();
    });
    if (arc_test::traced* p = owner.get_mut()) p->set(2);
    other.join();
    REQUIRE(seen == 1);
    REQUIRE(owner.get_mut() != nullptr);  // every other reference is gone
  });
}

// The contract names two orders whose only job is to rule out load
// buffering (order_audit.hpp says why no run and no layer can see them
// broken): the unlock of get_mut is a release, and the exchange with which
// downgrade takes its reference acquires it. So they are read, not run:
// with order_audit::count as the Count, every operation on the counts logs
// its order, and the operations that lock, unlock and downgrade are found
// by the values they change. Ordinary builds only.
#if !(defined(WB_MODEL) && WB_MODEL)
#include "order_audit.hpp"

TEST_CASE("arc_optimized: get_mut unlocks with a release and downgrade acquires it",
          "[ch06][arc_optimized]") {
  using audited = arc<int, order_audit::count>;
  const std::uint64_t locked = std::numeric_limits<order_audit::count>::max();
  audited a(7);

  order_audit::log.clear();
  REQUIRE(a.get_mut() != nullptr);
  int locks = 0;
  int unlocks = 0;
  for (const order_audit::event& e : order_audit::log) {
    if (e.what == order_audit::kind::failed_cas || e.before == e.after) continue;
    if (e.after == locked) {
      ++locks;
      INFO("get_mut's lock of the weak count (1 -> locked) must be an acquire");
      CHECK(order_audit::acquires(e.order));
    }
    if (e.before == locked) {
      ++unlocks;
      INFO("get_mut's unlock (locked -> 1) must be a release, which downgrade acquires");
      CHECK(order_audit::releases(e.order));
    }
  }
  CHECK(locks == 1);
  CHECK(unlocks == 1);

  order_audit::log.clear();
  weak<int, order_audit::count> w = a.downgrade();
  int increments = 0;
  for (const order_audit::event& e : order_audit::log) {
    if (e.what != order_audit::kind::rmw || e.after != e.before + 1) continue;
    ++increments;
    INFO(
        "downgrade's exchange of the weak count must be an acquire: it pairs with get_mut's "
        "release unlock, so that a downgrade after the unlock cannot affect what get_mut saw");
    CHECK(order_audit::acquires(e.order));
  }
  CHECK(increments == 1);
  CHECK(w.upgrade().has_value());
}
#endif
