// The parsers that turn build and test output into readable failures. The
// samples in data/ are real output of this workbook (the repository root
// replaced by /ROOT).
#include "catch2_output.hpp"
#include "compiler_errors.hpp"
#include "crash_report.hpp"
#include "failure_record.hpp"
#include "hang_report.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <sstream>

using namespace wb::runner;

namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(WB_RUNNER_TEST_DATA) + "/" + name);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) return true;
  }
  return false;
}

const std::vector<std::string> learner_files = {"exercises/01-threads/joining_thread.hpp"};

}  // namespace

TEST_CASE("compiler errors: the error in the learner's file with its snippet", "[runner]") {
  const auto report = parse_compiler_output(sample("joining_thread.log"), "/ROOT");
  REQUIRE(report.errors.size() == 1);
  const auto& e = report.errors[0];
  CHECK(e.file == "exercises/01-threads/joining_thread.hpp");
  CHECK(e.line == 65);
  CHECK(e.column == 5);
  CHECK(e.message == "expected ‘;’ before ‘int’");
  CHECK(e.snippet.size() == 2);
  const auto lines = render_compiler_report(report, learner_files, "cmake --build ...");
  CHECK(any_contains(lines, "exercises/01-threads/joining_thread.hpp:65:5"));
  CHECK_FALSE(any_contains(lines, "folded"));
}

TEST_CASE("compiler errors: the first error in the learner's file is shown and the rest folded",
          "[runner]") {
  const std::string output =
      "/ROOT/chapters/01-threads/tests/joining_thread_test.cpp:12:3: error: 'x' was not declared\n"
      "   12 |   x();\n"
      "      |   ^\n"
      "/ROOT/exercises/01-threads/joining_thread.hpp:30:7: warning: unused variable 'y'\n"
      "   30 |   int y;\n"
      "/ROOT/exercises/01-threads/joining_thread.hpp:40:9: error: no member named 'joinn'\n"
      "   40 |   t_.joinn();\n"
      "      |      ^~~~~\n"
      "/ROOT/exercises/01-threads/joining_thread.hpp:40:9: note: suggested alternative: 'join'\n"
      "/ROOT/exercises/01-threads/joining_thread.hpp:50:1: error: expected '}'\n";
  const auto report = parse_compiler_output(output, "/ROOT");
  REQUIRE(report.errors.size() == 3);
  CHECK(error_to_show(report, learner_files) == 1);
  CHECK(report.errors[1].notes.size() == 1);
  const auto lines = render_compiler_report(report, learner_files,
                                            "cmake --build --preset dev --target joining_thread");
  CHECK(lines.front().find("exercises/01-threads/joining_thread.hpp:40:9") != std::string::npos);
  CHECK(any_contains(lines, "2 more errors folded"));
  CHECK_FALSE(any_contains(lines, "unused variable"));
}

TEST_CASE("compiler errors: a linker error is shown by its last lines", "[runner]") {
  const auto report = parse_compiler_output(
      "[1/2] Linking CXX executable x\nFAILED: x\n/usr/bin/ld: x.o: undefined reference to `f()'\n"
      "collect2: error: ld returned 1 exit status\nninja: build stopped: subcommand failed.\n",
      "/ROOT");
  CHECK(report.errors.empty());
  const auto lines = render_compiler_report(report, learner_files, "");
  CHECK(any_contains(lines, "undefined reference"));
  CHECK_FALSE(any_contains(lines, "ninja:"));
}

TEST_CASE("Catch2 output: which check, the values and where", "[runner]") {
  const auto failures = parse_catch2_failures(sample("parallel_sum.log"), "/ROOT");
  REQUIRE(failures.size() == 23);
  const auto& f = failures.front();
  CHECK(f.test_case == "parallel_sum: matches a sequential sum for every size and thread count");
  CHECK(f.check == "CHECK( parallel_sum<long long>(values, threads) == expected_sum(values) )");
  CHECK(f.expansion == "0 == 13");
  CHECK(f.where == "chapters/01-threads/tests/parallel_sum_test.cpp:72");
  REQUIRE(f.messages.size() == 1);
  CHECK(f.messages[0] == "with message: 2 values, 3 threads");
  CHECK(catch2_totals(sample("parallel_sum.log")).find("3 failed") != std::string::npos);
  const auto lines = render_catch2_failures(failures);
  CHECK(any_contains(lines, "more failed checks"));
}

TEST_CASE("Catch2 output: sections and an unexpected exception", "[runner]") {
  const std::string rule(79, '-');
  const std::string output = rule + "\nqueue: close wakes consumers\n  after one push\n" + rule +
                             "\n/ROOT/chapters/01-threads/tests/q_test.cpp:10\n" +
                             std::string(79, '.') +
                             "\n\n/ROOT/chapters/01-threads/tests/q_test.cpp:14: FAILED:\n"
                             "  {Unknown expression after the reported line}\n"
                             "due to unexpected exception with message:\n  queue closed\n\n" +
                             std::string(79, '=') + "\ntest cases: 1 | 1 failed\n";
  const auto failures = parse_catch2_failures(output, "/ROOT");
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].sections == std::vector<std::string>{"after one push"});
  CHECK(failures[0].messages ==
        std::vector<std::string>{"due to unexpected exception with message: queue closed"});
  CHECK(failures[0].where == "chapters/01-threads/tests/q_test.cpp:14");
}

TEST_CASE("crashes in plain words", "[runner]") {
  CHECK(describe_signal(SIGSEGV).find("invalid memory access") != std::string::npos);
  CHECK(describe_signal(SIGABRT).find("assertion") != std::string::npos);
  CHECK(describe_signal(0).empty());
  const auto stub = message_block(
      "noise\nnot implemented yet: join the thread (/ROOT/exercises/01-threads/j.hpp:59)\n"
      "  while running test \"j: waits\"\nafter\n",
      "not implemented yet:", "/ROOT");
  CHECK(stub == std::vector<std::string>{
                    "not implemented yet: join the thread (exercises/01-threads/j.hpp:59)",
                    "  while running test \"j: waits\""});
}

TEST_CASE("sanitizer report: trimmed to the learner's frames", "[runner]") {
  const std::string output = R"(==================
WARNING: ThreadSanitizer: data race (pid=4242)
  Write of size 8 at 0x7b0400000010 by thread T2:
    #0 parallel_sum<long long>::worker() /ROOT/exercises/01-threads/parallel_sum.hpp:41 (parallel_sum+0x4a1b)
    #1 std::thread::_State_impl<...>::_M_run() /usr/include/c++/12/bits/std_thread.h:253 (parallel_sum+0x4c2d)
    #2 <null> <null> (libstdc++.so.6+0xd44a2)

  Previous write of size 8 at 0x7b0400000010 by thread T1:
    #0 parallel_sum<long long>::worker() /ROOT/exercises/01-threads/parallel_sum.hpp:41 (parallel_sum+0x4a1b)

  Location is heap block of size 8 at 0x7b0400000010 allocated by main thread:
    #0 operator new(unsigned long) <null> (libtsan.so.2+0x8f0c2)
    #1 C_A_T_C_H_T_E_S_T_0() /ROOT/chapters/01-threads/tests/parallel_sum_test.cpp:30 (parallel_sum+0x3a1b)

SUMMARY: ThreadSanitizer: data race /ROOT/exercises/01-threads/parallel_sum.hpp:41 in parallel_sum<long long>::worker()
==================
ThreadSanitizer: reported 1 warnings
)";
  const auto report = trimmed_sanitizer_report(output, "/ROOT");
  CHECK(sanitizer_kind(output) == "data race");
  REQUIRE_FALSE(report.empty());
  CHECK(report.front() == "WARNING: ThreadSanitizer: data race (pid=4242)");
  CHECK(any_contains(
      report, "    #0 parallel_sum<long long>::worker() exercises/01-threads/parallel_sum.hpp:41"));
  CHECK_FALSE(any_contains(report, "std_thread.h"));
  CHECK_FALSE(any_contains(report, "libstdc++"));
  CHECK_FALSE(any_contains(report, "+0x"));
  // A stack without learner frames keeps its first frame in the repository.
  CHECK(any_contains(report, "chapters/01-threads/tests/parallel_sum_test.cpp:30"));
  CHECK(report.back().rfind("SUMMARY:", 0) == 0);
  CHECK(trimmed_sanitizer_report("all good\n", "/ROOT").empty());
}

TEST_CASE("sanitizer report: the summary names the learner's frame, not frame #0 in wb::cell",
          "[runner]") {
  const std::string output = R"(WARNING: ThreadSanitizer: data race (pid=7)
  Read of size 4 at 0x7b0400000010 by thread T1:
    #0 wb::cell<int>::read() const /ROOT/common/include/wb/cell.hpp:52 (ready_slots+0x4a1b)
    #1 ready_slots<int, 2ul>::try_collect() /ROOT/exercises/03-memory-ordering/ready_slots.hpp:84 (ready_slots+0x4b00)
    #2 C_A_T_C_H_T_E_S_T_4() /ROOT/chapters/03-memory-ordering/tests/ready_slots_test.cpp:120 (ready_slots+0x4c00)

  Previous write of size 4 at 0x7b0400000010 by thread T2:
    #0 wb::cell<int>::write(int) /ROOT/common/include/wb/cell.hpp:60 (ready_slots+0x4a1b)
    #1 operator() /ROOT/chapters/03-memory-ordering/tests/ready_slots_test.cpp:111 (ready_slots+0x4d00)

SUMMARY: ThreadSanitizer: data race /ROOT/common/include/wb/cell.hpp:52 in wb::cell<int>::read() const
)";
  const frame_preference prefer{{"exercises/03-memory-ordering/ready_slots.hpp"},
                                "chapters/03-memory-ordering/tests/"};
  const auto report = trimmed_sanitizer_report(output, "/ROOT", prefer);
  REQUIRE_FALSE(report.empty());
  CHECK(report.back() ==
        "SUMMARY: ThreadSanitizer: data race at exercises/03-memory-ordering/ready_slots.hpp:84 "
        "in ready_slots<int, 2ul>::try_collect()");
  // The second stack has no learner frame: the test's, not wb::cell's.
  CHECK(any_contains(report,
                     "#1 operator() chapters/03-memory-ordering/tests/ready_slots_test.cpp:111"));
  CHECK_FALSE(any_contains(report, "cell.hpp"));
}

TEST_CASE("pick_frame: the learner's file, else the test's, else the repository", "[runner]") {
  const frame_preference prefer{{"exercises/04-spin-lock/spin_lock.hpp"},
                                "chapters/04-spin-lock/tests/"};
  CHECK(pick_frame(
            {"/usr/include/c++/12/bits/std_mutex.h:100", "chapters/04-spin-lock/tests/x_test.cpp:3",
             "exercises/04-spin-lock/spin_lock.hpp:40"},
            prefer) == 2u);
  CHECK(pick_frame({"/usr/include/c++/12/bits/stl_deque.h:1", "common/include/wb/cell.hpp:5",
                    "chapters/04-spin-lock/tests/lock_model_scenarios.hpp:9"},
                   prefer) == 2u);
  CHECK(pick_frame({"/usr/include/c++/12/bits/stl_deque.h:1", "common/include/wb/cell.hpp:5"},
                   prefer) == 1u);
  CHECK_FALSE(pick_frame({"/usr/include/c++/12/bits/stl_deque.h:1"}, prefer).has_value());
}

TEST_CASE("failure records: messages exactly as written, any text", "[runner]") {
  const std::string first = "wb::model: data race on c1\n  trace:\nwb-failure 3 not a header";
  const std::string text = "wb-failure " + std::to_string(first.size()) +
                           " /ROOT/t.cpp:12 ready: model one\n" + first +
                           "\nwb-failure 4 /ROOT/t.cpp:40 two words\nboom\nwb-failure 99 broken";
  const auto records = parse_failure_records(text);
  REQUIRE(records.size() == 2);
  CHECK(records[0].where == "/ROOT/t.cpp:12");
  CHECK(records[0].test_case == "ready: model one");
  CHECK(records[0].message == first);
  CHECK(records[1].test_case == "two words");
  CHECK(records[1].message == "boom");
  CHECK(parse_failure_records("").empty());
}

TEST_CASE("model checker: the finding is the headline and the trace is shown as printed",
          "[runner]") {
  const std::string report =
      "wb::model: data race on c1: write by t1 and read by t0 are not ordered by happens-before\n"
      "  execution 1 of this check (preemption bound 2, 0 preemptions used)\n"
      "  write by t1 at /ROOT/chapters/03-memory-ordering/tests/ready_slots_test.cpp:191\n"
      "trace (step, thread, operation, source line):\n"
      "   6 t1  store a1 := 2 relaxed (#2)  @ "
      "/ROOT/exercises/03-memory-ordering/ready_slots.hpp:74\n"
      "graph: /ROOT/build/model/ready_slots-1.dot\n"
      "replay this execution alone (prints its trace; run it under gdb to step through):\n"
      "  WB_MODEL_REPLAY=1-0:14. /ROOT/build/model/chapters/03-memory-ordering/ready_slots "
      "\"ready: collect\"";
  const std::vector<failure_record> records = {
      {"/ROOT/t.cpp:10", "ready: not model", "REQUIRE( x == 1 )"},
      {"/ROOT/t.cpp:218", "ready: collect", report},
      {"/ROOT/t.cpp:214", "ready: try_collect", "wb::model: deadlock: every thread waits"},
  };
  const frame_preference prefer{{"exercises/03-memory-ordering/ready_slots.hpp"},
                                "chapters/03-memory-ordering/tests/"};
  const auto e = explain_model_records(records, "/ROOT", prefer);
  REQUIRE(e.has_value());
  CHECK(e->headline ==
        "data race on c1: write by t1 and read by t0 are not ordered by happens-before");
  CHECK(any_contains(e->details, "in test \"ready: collect\""));
  // Each line as the checker printed it: no prefix, no wrapping, the root gone.
  CHECK(any_contains(e->details, "    trace (step, thread, operation, source line):"));
  CHECK(any_contains(e->details, "    graph: build/model/ready_slots-1.dot"));
  CHECK(
      any_contains(e->details,
                   "  WB_MODEL_REPLAY=1-0:14. build/model/chapters/03-memory-ordering/ready_slots "
                   "\"ready: collect\""));
  CHECK_FALSE(any_contains(e->details, "/ROOT"));
  CHECK_FALSE(any_contains(e->details, "due to unexpected exception"));
  CHECK(e->details.back() == "  also in test \"ready: try_collect\": deadlock: every thread waits");
  CHECK_FALSE(explain_model_records({records[0]}, "/ROOT", prefer).has_value());
}

TEST_CASE("hang: gdb stacks name the blocked function in the learner's file", "[runner]") {
  const auto threads = parse_gdb_backtraces(sample("blocking_queue.log"), "/ROOT");
  REQUIRE(threads.size() == 6);
  const auto lines = summarize_hang(threads);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front().find(
            "threads 3, 4, 5, 6 are blocked in `blocking_queue::pop` "
            "(exercises/01-threads/blocking_queue.hpp:75): likely deadlock or lost wake-up") !=
        std::string::npos);
  CHECK(any_contains(lines,
                     "thread 1 (the test) is waiting in `wb::test::thread_group::wait_then_join`"));
  CHECK_FALSE(any_contains(lines, "watchdog"));
  // The same frame through the exercise's own preference (pick_frame, as crashes use).
  const frame_preference prefer{{"exercises/01-threads/blocking_queue.hpp"},
                                "chapters/01-threads/tests/"};
  CHECK(summarize_hang(threads, prefer).front() == lines.front());
  const frame_preference other{{"exercises/01-threads/joining_thread.hpp"},
                               "chapters/01-threads/tests/"};
  CHECK_FALSE(any_contains(summarize_hang(threads, other), "are blocked in"));
}

TEST_CASE("hang: function names without arguments and template arguments", "[runner]") {
  CHECK(simplify_function_name("blocking_queue<int>::pop (this=0x1)") == "blocking_queue::pop");
  CHECK(simplify_function_name("(anonymous namespace)::watchdog::run") == "watchdog::run");
  CHECK(simplify_function_name("spin_lock::lock") == "spin_lock::lock");
}
