// Catch2's implementation: the half of its single header that is compiled
// once, not inlined into every test. It is a file of its own, an object of
// its own (wb_catch2), so that every Catch2 program of a build tree shares
// one copy: the exercises' and common's tests (whose main is test_main.cpp),
// the runner's tests and the lab's tests. It is the slowest file of a tree to
// compile (15-33 s of CPU, idle); see common/CMakeLists.txt for how it is compiled.
#define CATCH_CONFIG_RUNNER
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#include <wb/catch2_session.hpp>

int wb::detail::run_catch2_session(int argc, char* argv[]) {
  return Catch::Session().run(argc, argv);
}
