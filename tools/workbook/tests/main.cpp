// The runner's own tests: Catch2's main.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "terminal.hpp"

namespace {
// Expected strings are plain text: no colour, whatever the terminal.
const bool plain_output = [] {
  wb::runner::term() = wb::runner::terminal{};
  return true;
}();
}  // namespace
