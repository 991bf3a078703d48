// Tests for exercise 6.3, arc_weak (exercises/06-arc/arc_weak.hpp).
//
// The shared arc cases (arc_basic_tests.hpp) and the weak-reference cases
// (arc_weak_tests.hpp): upgrade while alive, upgrade after the end fails for
// good, an arc keeps the block alive when the last weak goes, weak overflow
// aborts, upgrades under contention never fail spuriously, and upgrades race
// with the last drop. AddressSanitizer builds also catch a block freed twice,
// used after it was freed, or leaked.
#include <catch2/catch.hpp>

#include "arc_weak.hpp"

#define ARC_EXERCISE "arc_weak"
#include "arc_basic_tests.hpp"
#include "arc_weak_tests.hpp"
