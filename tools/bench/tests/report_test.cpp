// workbook-bench.tests: the lab's reading of Google Benchmark's JSON (tools/bench/report.hpp),
// on documents written here, so that no benchmark runs. Catch2's implementation is common's
// wb_catch2 object; main is at the end.
#include "report.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>
#include <wb/catch2_session.hpp>

namespace {

using wb::lab::json;

// One repetition's row as Google Benchmark writes it.
json repetition(const std::string& run_name, double ns_per_op, double cpu = -1) {
  json b = {{"name", run_name},   {"run_name", run_name}, {"run_type", "iteration"},
            {"real_time", 999.0}, {"time_unit", "ns"},    {"ns_per_op", ns_per_op}};
  if (cpu >= 0) {
    b["cpu_ns_per_op"] = cpu;
    b["fairness"] = 0.5;
  }
  return b;
}

json document(std::vector<json> benchmarks) {
  json doc = {{"context",
               {{"baseline/uncontended", "std::mutex"},
                {"baseline/short_cs", "std::mutex"},
                {"topology", "2 CPUs"},
                {"pinning", "teams of 1-2 threads pinned"}}},
              {"benchmarks", json::array()}};
  for (auto& b : benchmarks) doc["benchmarks"].push_back(std::move(b));
  return doc;
}

}  // namespace

TEST_CASE("median of odd and even counts, and of nothing") {
  CHECK(wb::lab::median({3, 1, 2}) == 2);
  CHECK(wb::lab::median({4, 1, 3, 2}) == 2.5);
  CHECK(wb::lab::median({}) == 0);
}

TEST_CASE("spread is half the range over the median, in percent") {
  CHECK(wb::lab::spread_percent({8, 10, 12}) == 20);
  CHECK(wb::lab::spread_percent({}) == 0);
}

TEST_CASE("the rank-sum test's exact p, and its verdict, on sets small enough to count by hand") {
  // Five repetitions all faster than the baseline's five: 1 arrangement in C(10,5) = 252, each way.
  const std::vector<double> fast{1, 2, 3, 4, 5}, slow{6, 7, 8, 9, 10};
  CHECK(wb::lab::rank_sum(fast, slow).p == Approx(2.0 / 252));
  CHECK(wb::lab::rank_sum(fast, slow).faster == 1.0);
  CHECK(wb::lab::verdict(fast, slow) == "faster p=0.008");
  CHECK(wb::lab::verdict(slow, fast) == "slower p=0.008");
  // Three against three can never show a difference at 5 %: the best is 2 in C(6,3) = 20.
  CHECK(wb::lab::rank_sum({1, 2, 3}, {4, 5, 6}).p == Approx(0.1));
  CHECK(wb::lab::verdict({1, 2, 3}, {4, 5, 6}) == "noise p=0.1");
  // Interleaved values: U = 6 of 9, 14 of the 20 splits are at least as far from 4.5.
  CHECK(wb::lab::rank_sum({1, 3, 5}, {2, 4, 6}).p == Approx(0.7));
  // Five repetitions clearly slower and one lucky one: no longer shown at 5 % (p = 0.065).
  CHECK(wb::lab::rank_sum({10, 11, 12, 13, 14, 1}, {2, 3, 4, 5, 6, 7}).p ==
        Approx(0.0649).epsilon(0.001));
  CHECK(wb::lab::rank_sum({}, slow).p == 1.0);
}

TEST_CASE("a name splits into scenario, subject and variant, without Google Benchmark's tags") {
  wb::lab::row r;
  wb::lab::split_name("short_cs/std::mutex/threads:2/iterations:10/manual_time", r);
  CHECK(r.scenario == "short_cs");
  CHECK(r.subject == "std::mutex");
  CHECK(r.variant == "threads:2");

  wb::lab::row plain;  // BENCHMARK(f)->Threads(2)->UseRealTime(): no subject
  wb::lab::split_name("futex_round_trip/threads:2/real_time", plain);
  CHECK(plain.scenario == "futex_round_trip");
  CHECK(plain.subject.empty());
  CHECK(plain.variant == "threads:2");
}

TEST_CASE("repetitions gather into one row per benchmark, in registration and thread order") {
  const auto doc = document({
      repetition("short_cs/ours/threads:2/manual_time", 30, 3),
      repetition("uncontended/ours", 4),
      repetition("short_cs/std::mutex/threads:1/manual_time", 10, 1),
      repetition("uncontended/std::mutex", 6),
      repetition("uncontended/ours", 5),
      repetition("short_cs/std::mutex/threads:2/manual_time", 20, 2),
      repetition("uncontended/ours", 3),
  });
  const std::vector<std::string> registered = {
      "uncontended/std::mutex", "uncontended/ours", "short_cs/std::mutex/threads:1/manual_time",
      "short_cs/std::mutex/threads:2/manual_time", "short_cs/ours/threads:2/manual_time"};
  const auto rep = wb::lab::parse(doc, registered);
  REQUIRE(rep.rows.size() == 5);
  CHECK(rep.topology == "2 CPUs");
  CHECK(rep.pinning == "teams of 1-2 threads pinned");
  CHECK(rep.rows[0].subject == "std::mutex");
  CHECK(rep.rows[1].subject == "ours");
  CHECK(rep.rows[1].ns.size() == 3);
  CHECK(wb::lab::median(rep.rows[1].ns) == 4);
  CHECK(rep.rows[2].variant == "threads:1");
  CHECK(rep.rows[3].variant == "threads:2");
  CHECK(rep.rows[4].subject == "ours");
  CHECK(rep.rows[4].cpu_ns == std::vector<double>{3});

  SECTION("each row's baseline is its scenario's, at the same thread count") {
    const auto* base = wb::lab::find_baseline(rep, rep.rows[4]);
    REQUIRE(base != nullptr);
    CHECK(base->subject == "std::mutex");
    CHECK(base->variant == "threads:2");
    CHECK(wb::lab::find_baseline(rep, rep.rows[0]) == &rep.rows[0]);
  }
}

TEST_CASE("aggregates are skipped, and a failed repetition is reported, not averaged") {
  auto failed = repetition("uncontended/ours", 1);
  failed["error_occurred"] = true;
  failed["error_message"] = "values were lost";
  auto mean = repetition("uncontended/ours", 100);
  mean["run_type"] = "aggregate";
  const auto rep = wb::lab::parse(document({repetition("uncontended/ours", 4), failed, mean}),
                                  {"uncontended/ours"});
  REQUIRE(rep.rows.size() == 1);
  CHECK(rep.rows[0].ns == std::vector<double>{4});
  REQUIRE(rep.errors.size() == 1);
  CHECK(rep.errors[0] == "uncontended/ours: values were lost");
}

TEST_CASE("a benchmark without the harness's counter falls back to its real time") {
  auto plain = repetition("plain/loop", 0);
  plain.erase("ns_per_op");
  plain["real_time"] = 2.5;
  plain["time_unit"] = "us";
  const auto rep = wb::lab::parse(document({plain}), {});
  REQUIRE(rep.rows.size() == 1);
  CHECK(rep.rows[0].ns == std::vector<double>{2500});
  CHECK(wb::lab::find_baseline(rep, rep.rows[0]) == nullptr);
}

int main(int argc, char* argv[]) { return wb::detail::run_catch2_session(argc, argv); }
