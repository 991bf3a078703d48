// The model-checked case every arc with get_mut must pass (exercises 6.2 and
// 6.4), in the pattern of arc_basic_tests.hpp: a test file includes this after
// its exercise header and arc_basic_tests.hpp (which defines ARC_EXERCISE's
// tags), and the case is named and tagged for that exercise.
//
// The owner writes through get_mut while another arc has just read the value
// and dropped itself. The traced payload's value is a wb::cell, so a write not
// ordered after that read (a relaxed load of the count) is a data race the
// model reports with both lines. get_mut is retried until the other arc is
// gone; in the model a retry that sees nothing new lets the other thread run.
#pragma once

#ifndef ARC_TAGS
#error "include arc_basic_tests.hpp before arc_get_mut_tests.hpp"
#endif

#include "arc_test_support.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <optional>
#include <thread>

TEST_CASE(ARC_EXERCISE ": model get_mut after the other arc's read and drop", ARC_TAGS "[model]") {
  const auto scenario = [] {
    arc_test::traced_cells cells;
    arc<arc_test::traced> owner(arc_test::traced(1, cells));
    std::optional<arc<arc_test::traced>> theirs(owner);
    int seen = 0;
    wb::thread reader([&] {
      seen = (*theirs)->value();
      theirs.reset();  // read, then drop
    });
    arc_test::traced* p = nullptr;
    while ((p = owner.get_mut()) == nullptr) {
      wb::spin_loop_hint();
      // With real threads the reader needs a core that this loop would hold.
      if (!wb::model::enabled()) std::this_thread::yield();
    }
    p->set(2);  // must not race with the reader's read
    reader.join();
    REQUIRE(seen == 1);
    REQUIRE(owner->value() == 2);
  };
  if (wb::model::enabled()) {
    wb::model::check(scenario);
  } else {
    // With real threads the runs go on a thread with a deadline: a get_mut
    // that never succeeds again would keep this loop spinning forever.
    wb::test::finishes_within(wb::test::default_deadline, "get_mut until the other arc is dropped",
                              [&] { wb::model::check(scenario); });
  }
}

// get_mut's documented special case: a moved-from arc gives nullptr (it owns
// no value). One that forgets it dereferences a null block.
TEST_CASE(ARC_EXERCISE ": get_mut on a moved-from arc is nullptr", ARC_TAGS) {
  arc_test::drop_log log;
  arc<arc_test::tracked> a(arc_test::tracked(1, log));
  arc<arc_test::tracked> b(std::move(a));
  CHECK(a.get_mut() == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is specified
  CHECK(b.get_mut() != nullptr);
}
