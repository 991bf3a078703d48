// Runs Catch2's session (what Catch::Session().run does). Catch::Session is
// declared only where Catch2's implementation is compiled
// (common/src/catch2_impl.cpp, the wb_catch2 object that every Catch2
// program of a build tree links), so the mains call it through this.
#pragma once

namespace wb::detail {
int run_catch2_session(int argc, char* argv[]);
}  // namespace wb::detail
