// Loading the manifest the build writes (cmake/Workbook.cmake).
#include "manifest.hpp"
#include "verdict.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace wb::runner;

namespace {
const char* sample = R"({
  "version": 1, "source_dir": "/ROOT", "build_dir": "/ROOT/build/dev", "tree": "dev",
  "layers": [{"name": "build", "title": "builds", "tree": "dev", "deadline_scale": 1, "stall_seconds": 0,
              "verdict": true, "suite": false, "no_tests": true, "test_args": []},
             {"name": "test", "title": "tests pass", "tree": "dev", "deadline_scale": 1, "stall_seconds": 20,
              "verdict": true, "suite": true, "no_tests": false, "test_args": []},
             {"name": "model", "title": "model checker", "tree": "model", "deadline_scale": 2, "stall_seconds": 60,
              "verdict": true, "suite": true, "no_tests": false, "test_args": ["[model]"]}],
  "chapters": [{"number": 1, "slug": "01-threads", "title": "Threads", "readme": "chapters/01-threads/README.md",
                "demos": [{"name": "01-01-hello-threads", "chapter": "01-threads",
                           "source": "chapters/01-threads/examples/01-01-hello-threads.cpp",
                           "target": "demo.01-01-hello-threads", "binary": "chapters/01-threads/demo.01-01-hello-threads",
                           "expects_tsan_race": false}]}],
  "exercises": [
    {"order": 2, "name": "parallel_sum", "chapter": "01-threads", "files": ["exercises/01-threads/parallel_sum.hpp"],
     "solution_files": ["solutions/01-threads/parallel_sum.hpp"], "test_source": "chapters/01-threads/tests/parallel_sum_test.cpp",
     "hints": "chapters/01-threads/hints/parallel_sum.md", "target": "parallel_sum", "binary": "chapters/01-threads/parallel_sum",
     "layers": ["build", "test", "tsan"], "waiting_mutants": [],
     "mutants": [{"id": "no-join", "file": "solutions/01-threads/mutants/parallel_sum/no-join.mutant",
                  "mistake": "forgets to join", "caught_by": "test", "target": "parallel_sum.mutant.no-join",
                  "binary": "chapters/01-threads/parallel_sum.mutant.no-join"}]},
    {"order": 1, "name": "joining_thread", "chapter": "01-threads", "files": ["exercises/01-threads/joining_thread.hpp"],
     "test_source": "chapters/01-threads/tests/joining_thread_test.cpp",
     "hints": "chapters/01-threads/hints/joining_thread.md", "target": "joining_thread", "binary": "chapters/01-threads/joining_thread",
     "layers": ["build", "test", "tsan", "model"], "mutants": [], "waiting_mutants": []}]
})";
}  // namespace

TEST_CASE("manifest: exercises in order with their files and layers", "[runner]") {
  const manifest m = parse_manifest(sample);
  REQUIRE(m.exercises.size() == 2);
  CHECK(m.exercises[0].name == "joining_thread");
  CHECK(m.exercises[1].name == "parallel_sum");
  CHECK(m.exercises[1].files == std::vector<std::string>{"exercises/01-threads/parallel_sum.hpp"});
  CHECK(m.exercises[0].has_layer("model"));
  CHECK_FALSE(m.exercises[1].has_layer("model"));
  CHECK(m.source_dir == "/ROOT");
  REQUIRE(m.chapters.size() == 1);
  CHECK(m.chapters[0].demos.at(0).target == "demo.01-01-hello-threads");
  CHECK(m.find_exercise("parallel_sum") != nullptr);
  CHECK(m.find_exercise("parallel") == nullptr);
  CHECK(m.find_demo("01-01-hello-threads") != nullptr);
  REQUIRE(m.exercises[1].mutants.size() == 1);
  CHECK(m.exercises[1].mutants[0].target == "parallel_sum.mutant.no-join");
}

TEST_CASE("manifest: the layer table gives titles, trees and test arguments", "[runner]") {
  const manifest m = parse_manifest(sample);
  REQUIRE(m.find_layer("model") != nullptr);
  CHECK(m.find_layer("model")->test_args == std::vector<std::string>{"[model]"});
  CHECK(m.find_layer("model")->deadline_scale == 2);
  CHECK(m.testing_layer_of_tree("dev")->name == "test");
  CHECK(m.testing_layer_of_tree("bench") == nullptr);
  CHECK(layer_title("test") == "tests pass");
  CHECK(tree_dir("/ROOT", "tsan") == "/ROOT/build/tsan");
}

TEST_CASE("manifest: a broken or foreign file is an error that says so", "[runner]") {
  CHECK_THROWS_WITH(parse_manifest("{"), Catch::Contains("not what the runner expects"));
  CHECK_THROWS_WITH(parse_manifest(R"({"version": 2})"), Catch::Contains("version"));
  CHECK_THROWS_WITH(parse_manifest(R"({"version": 1, "source_dir": "/x", "build_dir": "/x/b"})"),
                    Catch::Contains("not what the runner expects"));
}

TEST_CASE("manifest: a layer whose programs are missing says what to install", "[runner]") {
  layer l;
  l.name = "windows";
  l.packages = "windows";
  CHECK(layer_unavailable(l).empty());  // requires nothing
  l.requires_programs = {"sh", "wb-no-such-program"};
  CHECK(layer_unavailable(l) ==
        "wb-no-such-program is not installed (./workbook deps windows installs it)");
  CHECK(preset_exists(WB_RUNNER_SOURCE_ROOT, "dev"));
  CHECK_FALSE(preset_exists(WB_RUNNER_SOURCE_ROOT, "no-such-preset"));
}
