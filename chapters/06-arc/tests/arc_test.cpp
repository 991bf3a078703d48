// Tests for exercise 6.1, arc (exercises/06-arc/arc.hpp).
//
// All of them are the shared cases in arc_basic_tests.hpp, which every arc
// of this chapter must pass: the drop-counting payload checks that the
// value is destroyed exactly once and never while an arc lives, an 8-bit
// count makes the overflow limit reachable (checked in a child process,
// since the contract is to abort), and two stress cases let any thread drop
// the last arc, so that a decrement without release/acquire shows up as a
// ThreadSanitizer race between a reader and the destructor.
#include <catch2/catch.hpp>

#include "arc.hpp"

#define ARC_EXERCISE "arc"
#include "arc_basic_tests.hpp"
