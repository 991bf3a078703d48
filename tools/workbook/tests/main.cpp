// The runner's own tests: their main. Catch2's implementation is common's
// wb_catch2 object, shared with every other Catch2 program of the tree.
#include <catch2/catch.hpp>
#include <wb/catch2_session.hpp>

#include "terminal.hpp"

namespace {
// Expected strings are plain text: no colour, whatever the terminal.
const bool plain_output = [] {
  wb::runner::term() = wb::runner::terminal{};
  return true;
}();
}  // namespace

int main(int argc, char* argv[]) { return wb::detail::run_catch2_session(argc, argv); }
