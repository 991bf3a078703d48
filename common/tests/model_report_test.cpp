// What a failure report gives the learner besides its first line: a replay
// key that belongs to its check (and is refused by any other test), a replay
// command that works from the top of the repository on any machine, the
// learner's source line for operations called from a library (std::lock_guard),
// and the execution as a Graphviz graph. Model-only.
//
// The replay tests run this test binary again, as a learner pastes the
// command: the scenarios are hidden test cases ("[.]"), run only by name.
#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>

#include <unistd.h>

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

namespace {

constexpr auto relaxed = wb::memory_order_relaxed;
constexpr auto release = wb::memory_order_release;
constexpr auto acquire = wb::memory_order_acquire;

#define MODEL_ONLY() \
  if (!wb::model::enabled()) return

template <class Body>
std::string report_of(Body body) {
  try {
    wb::model::check(body);
  } catch (const wb::model::failure& f) { return f.what(); }
  return {};
}

std::string here(int line) { return "common/tests/model_report_test.cpp:" + std::to_string(line); }

/// The text after `prefix` on the report line that starts with it ("" if none).
std::string line_after(const std::string& report, const std::string& prefix) {
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  return {};
}

struct run_result {
  std::string output;  // stdout and stderr
  int status = -1;
};

/// Runs `command` (a run of this binary) with sh at the top of the repository,
/// as a learner pastes it; Catch2's compact reporter keeps the report's lines whole.
run_result run_at_root(const std::string& command) {
  const std::string full = "cd '" WB_SOURCE_ROOT "' && " + command + " -r compact 2>&1";
  run_result result;
  std::FILE* p = ::popen(full.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) result.output.append(buf, n);
  result.status = ::pclose(p);
  return result;
}

std::string this_binary() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  REQUIRE(n > 0);
  return std::string(buf, static_cast<std::size_t>(n));
}

/// The trace's lines of a report: from "trace (" up to the graph line.
std::string trace_of(const std::string& report) {
  const auto from = report.find("trace (");
  const auto to = report.find("\ngraph: ");
  return from == std::string::npos || to == std::string::npos ? "" : report.substr(from, to - from);
}

/// Message passing with a relaxed flag: fails in some execution.
void relaxed_flag_body() {
  wb::atomic<int> data{0};
  wb::atomic<bool> ready{false};
  wb::thread writer([&] {
    data.store(42, relaxed);
    ready.store(true, relaxed);  // the mistake: relaxed publishes nothing
  });
  if (ready.load(acquire) && data.load(relaxed) != 42)
    throw std::runtime_error("flag without data");
  writer.join();
}

}  // namespace

// The scenarios, run by the tests below in a child process.
TEST_CASE("model report scenario: a passing check then a failing one", "[.][model-scenario]") {
  wb::model::check([] {
    wb::atomic<int> x{0};
    wb::thread t([&] { x.store(1, release); });
    (void)x.load(acquire);
    t.join();
  });
  wb::model::check(relaxed_flag_body);
}

TEST_CASE("model report scenario: another test with the same failing check",
          "[.][model-scenario]") {
  wb::model::check(relaxed_flag_body);
}

TEST_CASE("model report scenario: sections", "[.][model-scenario]") {
  SECTION("a passing check") {
    wb::model::check([] {
      wb::atomic<int> x{0};
      wb::thread t([&] { x.store(1, release); });
      (void)x.load(acquire);
      t.join();
    });
  }
  SECTION("a failing check") { wb::model::check(relaxed_flag_body); }
}

TEST_CASE(
    "model report: the printed replay command replays the failing execution from the "
    "repository root",
    "[model][replay]") {
  MODEL_ONLY();
  const run_result first = run_at_root(
      "'" + this_binary() + "' 'model report scenario: a passing check then a failing one'");
  REQUIRE_THAT(first.output, Contains("wb::model: thread t0 threw: flag without data"));
  const std::string command = line_after(first.output, "replay: ");
  INFO(first.output);
  // Relative to the repository: the same on every machine, pasteable at its top.
  REQUIRE_THAT(command, StartsWith("WB_MODEL_REPLAY=3-"));
  const std::string binary =
      command.substr(command.find(' ') + 1, command.find(" \"") - command.find(' ') - 1);
  CHECK_THAT(binary, !StartsWith("/"));
  CHECK_THAT(std::string(WB_SOURCE_ROOT) + binary, Equals(this_binary()));

  const run_result replay = run_at_root(command);
  INFO(replay.output);
  CHECK(replay.status != 0);
  // The first check of the test runs as usual; the second replays the one execution.
  CHECK_THAT(replay.output, Contains("WB_MODEL_REPLAY is for another check of this test; test "
                                     "\"model report scenario: a passing check then a failing "
                                     "one\", check 1 in it is explored as usual"));
  CHECK_THAT(replay.output, Contains("execution 1 of this check"));
  CHECK(trace_of(replay.output) == trace_of(first.output));
  CHECK(line_after(replay.output, "replay: ") == command);
}

TEST_CASE("model report: a check in a Catch2 section is replayed in its section",
          "[model][replay]") {
  MODEL_ONLY();
  const run_result first = run_at_root("'" + this_binary() + "' 'model report scenario: sections'");
  INFO(first.output);
  const std::string command = line_after(first.output, "replay: ");
  REQUIRE_THAT(command, EndsWith(" \"model report scenario: sections\" -c \"a failing check\""));
  const run_result replay = run_at_root(command);
  INFO(replay.output);
  CHECK_THAT(replay.output, Contains("execution 1 of this check"));
  CHECK(trace_of(replay.output) == trace_of(first.output));
  // The whole test case, every section: the failing section's check still replays.
  const run_result all = run_at_root(command.substr(0, command.find(" -c ")));
  INFO(all.output);
  CHECK_THAT(all.output, Contains("execution 1 of this check"));
  CHECK(trace_of(all.output) == trace_of(first.output));
}

TEST_CASE("model report: a replay key from another test is refused, never replayed",
          "[model][replay]") {
  MODEL_ONLY();
  const run_result first = run_at_root(
      "'" + this_binary() + "' 'model report scenario: a passing check then a failing one'");
  const std::string command = line_after(first.output, "replay: ");
  const std::string key = command.substr(0, command.find(' '));
  REQUIRE_THAT(key, StartsWith("WB_MODEL_REPLAY=3-"));
  // The same body in another test: the choices would fit, and would still be wrong to replay.
  const run_result other =
      run_at_root(key + " '" + this_binary() +
                  "' 'model report scenario: another test with the same failing check'");
  INFO(other.output);
  CHECK(other.status != 0);
  CHECK_THAT(other.output, Contains(key + " is a key for another test, so nothing was replayed"));
  CHECK_THAT(other.output, Contains("this check: test \"model report scenario: another test with "
                                    "the same failing check\", check 1 in it"));
  CHECK_THAT(other.output, !Contains("trace ("));
  // A key in an older format, or not a key at all, is refused as well.
  const run_result old =
      run_at_root("WB_MODEL_REPLAY=1-10001 '" + this_binary() +
                  "' 'model report scenario: another test with the same failing check'");
  CHECK(old.status != 0);
  CHECK_THAT(old.output, Contains("is a key of an older version of the model checker"));
}

TEST_CASE("model report: a lock taken through std::lock_guard names the test's line, not <mutex>",
          "[model][trace]") {
  MODEL_ONLY();
  int first_lock = 0;
  int second_lock = 0;
  const std::string report = report_of([&] {
    wb::mutex a;
    wb::mutex b;
    wb::thread t1([&] {
      first_lock = __LINE__ + 1;
      std::lock_guard la(a);
      std::lock_guard lb(b);
    });
    wb::thread t2([&] {
      std::lock_guard lb(b);
      second_lock = __LINE__ + 1;
      std::unique_lock la(a);
    });
    t1.join();
    t2.join();
  });
  INFO(report);
  REQUIRE_THAT(report, StartsWith("wb::model: deadlock"));
  CHECK_THAT(report, Contains("lock m1  @ " + here(first_lock) + "\n"));
  CHECK_THAT(report, Contains("lock m1 blocks (held by t1)  @ " + here(second_lock) + "\n"));
  CHECK_THAT(report, !Contains("std_mutex.h"));
  CHECK_THAT(report, !Contains("unique_lock.h"));
  // The graph marks where the two threads wait, not the body's last operation
  // before its join (which records nothing while it blocks).
  const std::string graph = line_after(report, "graph: ");
  std::ifstream in(std::string(WB_SOURCE_ROOT) + graph.substr(0, graph.rfind('.')) + ".dot");
  REQUIRE(in.good());
  const std::string dot{std::istreambuf_iterator<char>(in), {}};
  INFO(dot);
  std::size_t red = 0;
  for (auto at = dot.find("penwidth=2"); at != std::string::npos;
       at = dot.find("penwidth=2", at + 1))
    ++red;
  CHECK(red == 2);
  CHECK_THAT(dot, Contains("lock m1 blocks\\n(held by t1)\\nmodel_report_test.cpp:" +
                           std::to_string(second_lock) + "\", fillcolor=\"#f9d0d0\""));
}

TEST_CASE("model report: atomic operators and spawns name the test's line", "[model][trace]") {
  MODEL_ONLY();
  int spawn_line = 0;
  int increment_line = 0;
  const std::string report = report_of([&] {
    wb::atomic<int> n{0};
    const auto increment = [&] {
      increment_line = __LINE__ + 1;
      ++n;
    };
    // The spawn on one line: a call spread over several lines is reported
    // at the line where its arguments end.
    spawn_line = __LINE__ + 1;
    wb::thread t(increment);
    t.join();
    if (n.load(relaxed) != 2) throw std::runtime_error("one increment, not two");
  });
  INFO(report);
  CHECK_THAT(report, Contains("spawn t1  @ " + here(spawn_line) + "\n"));
  CHECK_THAT(report,
             Contains("fetch_add a1 0 -> 1 seq_cst (reads #0 by t0)  @ " + here(increment_line)));
  CHECK_THAT(report, !Contains("wb/model/atomic.hpp"));
}

TEST_CASE("model report: the failing execution is drawn as a graph", "[model][graph]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    wb::cell<int> data{0};
    wb::atomic<bool> ready{false};
    wb::thread writer([&] {
      data.set(42);
      ready.store(true, relaxed);
    });
    if (ready.load(acquire)) (void)data.get();
    writer.join();
  });
  INFO(report);
  REQUIRE_THAT(report, StartsWith("wb::model: data race on c1"));
  const std::string graph = line_after(report, "graph: ");
  // Beside the test binary, named after the test and the check's position in it.
  CHECK_THAT(graph, StartsWith("build/"));
  CHECK_THAT(
      graph,
      Contains(
          "common.model.model/model-report-the-failing-execution-is-drawn-as-a-graph.check1."));
  const std::string dot_path =
      std::string(WB_SOURCE_ROOT) + graph.substr(0, graph.rfind('.')) + ".dot";
  std::ifstream in(dot_path);
  REQUIRE(in.good());
  const std::string dot{std::istreambuf_iterator<char>(in), {}};
  INFO(dot);
  CHECK_THAT(dot, StartsWith("digraph execution {"));
  CHECK_THAT(dot, Contains("label=\"data race on c1"));
  CHECK_THAT(dot, Contains("subgraph cluster_t0"));
  CHECK_THAT(dot, Contains("subgraph cluster_t1"));
  CHECK_THAT(dot, Contains("e4 -> e6 [color=\"#2a9d3a\", fontcolor=\"#2a9d3a\", label=\"rf\""));
  CHECK_THAT(
      dot,
      Contains("e2 -> e3 [color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", penwidth=1.6, label=\"sw\""));
  CHECK_THAT(dot, !Contains("label=\"mo\""));  // nobody read the flag's initial value
  // The racing pair: the write and the read, both red.
  std::size_t red = 0;
  for (auto at = dot.find("penwidth=2"); at != std::string::npos;
       at = dot.find("penwidth=2", at + 1))
    ++red;
  CHECK(red == 2);
  CHECK_THAT(dot, Contains("write c1\\nmodel_report_test.cpp:"));
  CHECK_THAT(dot, Contains("read c1\\nmodel_report_test.cpp:"));
}

TEST_CASE("model report: a destruction racing with an access is red in the graph",
          "[model][graph]") {
  MODEL_ONLY();
  // The relaxed reference count of model_blocking_test: the thread that sees
  // zero deletes the counter while the other's decrement is not ordered first.
  const std::string report = report_of([] {
    auto* count = new wb::atomic<int>(2);
    wb::thread t([count] {
      if (count->fetch_sub(1, relaxed) == 1) delete count;
    });
    if (count->fetch_sub(1, relaxed) == 1) delete count;
    t.join();
  });
  INFO(report);
  REQUIRE_THAT(report, Contains("its destruction by t"));
  CHECK_THAT(report, Contains("destroy a1  @ "));
  const std::string graph = line_after(report, "graph: ");
  std::ifstream in(std::string(WB_SOURCE_ROOT) + graph.substr(0, graph.rfind('.')) + ".dot");
  REQUIRE(in.good());
  const std::string dot{std::istreambuf_iterator<char>(in), {}};
  INFO(dot);
  std::size_t red = 0;
  for (auto at = dot.find("penwidth=2"); at != std::string::npos;
       at = dot.find("penwidth=2", at + 1))
    ++red;
  CHECK(red == 2);  // the other thread's fetch_sub and the destruction
  CHECK_THAT(dot, Contains("destroy a1\\nmodel_report_test.cpp:"));
  const auto destroy = dot.find("destroy a1\\n");
  const auto fetch_sub = dot.find("fetch_sub a1");
  REQUIRE(destroy != std::string::npos);
  REQUIRE(fetch_sub != std::string::npos);
  CHECK(dot.find("penwidth=2", destroy) < dot.find("];", destroy) + 1);
}

TEST_CASE("model report: the graph is rendered to SVG when Graphviz is installed",
          "[model][graph]") {
  MODEL_ONLY();
  if (std::system("command -v dot > /dev/null 2>&1") != 0) return;  // the .dot is all there is
  const run_result first = run_at_root(
      "'" + this_binary() + "' 'model report scenario: another test with the same failing check'");
  const std::string graph = line_after(first.output, "graph: ");
  INFO(first.output);
  REQUIRE_THAT(graph, EndsWith(".svg"));
  // The child waited for Graphviz before it exited.
  std::ifstream svg(std::string(WB_SOURCE_ROOT) + graph);
  REQUIRE(svg.good());
  const std::string text{std::istreambuf_iterator<char>(svg), {}};
  CHECK_THAT(text, Contains("<svg"));
  CHECK_THAT(text, Contains("flag without data"));
}

TEST_CASE("model report: a stale read is drawn as reads-from jumping over modification order",
          "[model][graph]") {
  MODEL_ONLY();
  const std::string report = report_of(relaxed_flag_body);
  const std::string graph = line_after(report, "graph: ");
  std::ifstream in(std::string(WB_SOURCE_ROOT) + graph.substr(0, graph.rfind('.')) + ".dot");
  REQUIRE(in.good());
  const std::string dot{std::istreambuf_iterator<char>(in), {}};
  INFO(report << dot);
  // e0 creates data, e3 stores 42 into it, e7 loads the stale initial 0.
  REQUIRE_THAT(report, Contains("load a1 -> 0 relaxed (reads #0 by t0; stale: mo-latest is #1)"));
  CHECK_THAT(
      dot,
      Contains("e0 -> e3 [color=\"#e07b00\", fontcolor=\"#e07b00\", style=dashed, label=\"mo\""));
  CHECK_THAT(dot, Contains("e0 -> e7 [color=\"#2a9d3a\", fontcolor=\"#2a9d3a\", label=\"rf\""));
  // The relaxed flag published nothing: no synchronizes-with edge but the spawn's.
  std::size_t sw = 0;
  for (auto at = dot.find("label=\"sw\""); at != std::string::npos;
       at = dot.find("label=\"sw\"", at + 1))
    ++sw;
  CHECK(sw == 1);
}
