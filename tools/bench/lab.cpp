// workbook-bench: the benchmark lab's driver, what `./workbook bench` runs.
//
//   workbook-bench                       lists the benchmarks (builds and installs nothing)
//   workbook-bench <name>... | all       builds them in the bench tree, runs each with interleaved
//                                        repetitions, shows progress, prints a table of medians
//                                        and ratios against each scenario's baseline, and writes
//                                        build/bench/lab/<name>.svg (and the raw .json)
//   options: --repetitions N (default 5), --filter REGEX (Google Benchmark's --benchmark_filter),
//            and after `--`, options passed to Google Benchmark as they are (they come last, so
//            they win: e.g. -- --benchmark_min_time=0.5).
// A single-threaded benchmark runs for at least 0.1 s of CPU time per repetition; a team runs
// the rounds its registration asks for (wb::bench::team_benchmark: 10 rounds of 10 ms).
//
// Why medians of interleaved repetitions: a shared or virtual CPU drifts by 10-30 % from one
// second to the next. Run A then B and you compare the drift; run A B A B ... in a random order
// (Google Benchmark's --benchmark_enable_random_interleaving) and take each one's median, and the
// drift lands on both. The spread column says how much the repetitions disagreed.
// Naming and baselines are the harness's conventions: tools/bench/include/wb/bench.hpp.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>
#include <wb/svg.hpp>
#include <wb/topology.hpp>

#include "report.hpp"

namespace {

namespace fs = std::filesystem;
using namespace wb::lab;
using nlohmann::json;

struct bench_entry {
  std::string name, chapter, binary;
};

const fs::path root = WB_SOURCE_ROOT;
const fs::path bench_tree = root / "build" / "bench";

std::vector<bench_entry> read_manifest() {
  std::vector<bench_entry> entries;
  std::ifstream in(WB_LAB_MANIFEST);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    bench_entry e;
    std::getline(fields, e.name, '\t');
    std::getline(fields, e.chapter, '\t');
    std::getline(fields, e.binary, '\t');
    entries.push_back(e);
  }
  return entries;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128; }

std::string format_ns(double ns) {
  if (ns >= 1e6) return fmt::format("{:.2f} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.2f} µs", ns / 1e3);
  return fmt::format("{:.1f} ns", ns);
}

void print_table(const report& rep) {
  std::size_t ws = 8, wv = 7, wj = 7;  // the widths of "scenario", "variant", "subject" at least
  for (const row& r : rep.rows) {
    ws = std::max(ws, r.scenario.size());
    wv = std::max(wv, r.variant.size());
    wj = std::max(wj, r.subject.size());
  }
  fmt::print("\n{:<{}} {:<{}} {:<{}} {:>10} {:>6} {:>9} {:<15} {:>10} {:>6} {:>9} {:<15} {:>8}\n",
             "scenario", ws, "variant", wv, "subject", wj, "median/op", "spread", "x base",
             "shown?", "cpu/op", "spread", "cpu x base", "cpu shown?", "fairness");
  std::string last;
  for (const row& r : rep.rows) {
    const std::string group = r.scenario + "/" + r.variant;
    if (group != last && !last.empty()) fmt::print("\n");
    last = group;
    const double m = median(r.ns);
    const double spread = spread_percent(r.ns);
    const row* base = find_baseline(rep, r);
    const std::string ratio =
        base == nullptr ? ""
                        : (base == &r ? "baseline" : fmt::format("{:.2f}", m / median(base->ns)));
    const std::string fair = r.fairness.empty() || r.variant == "threads:1"
                                 ? ""
                                 : fmt::format("{:.2f}", median(r.fairness));
    const double cpu = median(r.cpu_ns);
    const std::string cpu_text = r.cpu_ns.empty() ? "" : format_ns(cpu);
    const bool cpu_compared = base != nullptr && !r.cpu_ns.empty() && !base->cpu_ns.empty();
    const std::string cpu_ratio =
        !cpu_compared
            ? ""
            : (base == &r ? "baseline" : fmt::format("{:.2f}", cpu / median(base->cpu_ns)));
    const std::string shown = base == nullptr || base == &r ? "" : verdict(r.ns, base->ns);
    const std::string cpu_shown =
        !cpu_compared || base == &r ? "" : verdict(r.cpu_ns, base->cpu_ns);
    const std::string cpu_spread =
        r.cpu_ns.empty() ? "" : fmt::format("{:.0f}%", spread_percent(r.cpu_ns));
    fmt::print(
        "{:<{}} {:<{}} {:<{}} {:>10} {:>5.0f}% {:>9} {:<15} {:>10} {:>6} {:>9} {:<15} {:>8}\n",
        r.scenario, ws, r.variant, wv, r.subject, wj, format_ns(m), spread, ratio, shown, cpu_text,
        cpu_spread, cpu_ratio, cpu_shown, fair);
  }
  fmt::print(
      "\nmedian/op: median over the repetitions of the time per operation (one thread: the\n"
      "loop's CPU time; a team: wall time over all threads' operations, the inverse of\n"
      "throughput). spread: half the range of the repetitions, as % of the median.\n"
      "x base: this median over the baseline's (below 1 is faster). shown?: whether the\n"
      "repetitions tell this subject from the baseline (Mann-Whitney rank-sum test, exact\n"
      "two-sided p): faster or slower when p < 0.05, else noise -- a ratio marked noise is no\n"
      "result, however far from 1 it is. cpu/op (teams): CPU time the threads used per\n"
      "operation, which other programs disturb less than wall time but which does not see\n"
      "time spent asleep. fairness: the least busy thread's operations / the busiest thread's\n"
      "(1 = even).\n");
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one.empty() ? "?" : one + " (1 min), " + five + " (5 min)";
}

bool write_chart(const report& rep, const std::string& name, const fs::path& path, int repetitions,
                 const std::string& load) {
  std::vector<wb::svg::bar_group> groups;
  std::string last;
  bool ratios = false;
  for (const row& r : rep.rows) {
    const std::string group = r.variant.empty() ? r.scenario : r.scenario + ", " + r.variant;
    if (groups.empty() || group != last) groups.push_back({group, {}});
    last = group;
    const double m = median(r.ns);
    const row* base = find_baseline(rep, r);
    const double ratio = base != nullptr ? m / median(base->ns) : m;
    ratios = ratios || base != nullptr;
    std::string text =
        (base != nullptr ? fmt::format("{:.2f}x  {}", ratio, format_ns(m)) : format_ns(m)) +
        fmt::format(" ±{:.0f}%", spread_percent(r.ns)) +
        (base != nullptr && base != &r && verdict(r.ns, base->ns).starts_with("noise") ? " (noise)"
                                                                                       : "");
    if (base != nullptr && !r.cpu_ns.empty() && !base->cpu_ns.empty()) {
      text += fmt::format("  (cpu {:.2f}x)", median(r.cpu_ns) / median(base->cpu_ns));
    }
    groups.back().bars.push_back(
        {r.subject.empty() ? r.scenario : r.subject, ratio, text, base == &r});
  }
  wb::svg::bar_chart_spec spec;
  spec.title = fmt::format("./workbook bench {}: time per operation{}", name,
                           ratios ? ", relative to each scenario's baseline" : "");
  spec.subtitle = {
      fmt::format("Medians of {} interleaved repetitions (± half their range); shorter is "
                  "faster; bars stop at 3x (the text gives the value); (noise): not told apart "
                  "from the baseline (rank-sum p >= 0.05).",
                  repetitions),
      "One thread: the loop's CPU time. Teams: wall time per operation of all threads; "
      "cpu: the CPU time they used.",
      "Machine: " + rep.topology.substr(0, rep.topology.find("; ")),
      rep.topology.find("; ") == std::string::npos
          ? std::string()
          : rep.topology.substr(rep.topology.find("; ") + 2),
      "Load average when the lab started: " + load +
          (rep.pinning.empty() ? std::string() : "; " + rep.pinning)};
  spec.clip = ratios ? 3.0 : 0.0;
  spec.reference = ratios ? 1.0 : 0.0;
  spec.reference_label = "the baseline (orange), 1.0x";
  spec.note =
      "Measured, never asserted: on a shared or virtual machine, read the ratios, not the "
      "absolute times.";
  return wb::svg::write_file(path.string(), wb::svg::bar_chart(spec, groups));
}

// ---- running ------------------------------------------------------------------------------------
// The benchmarks a program would run, in registration order.
std::vector<std::string> list_benchmarks(const fs::path& binary, const std::string& filter) {
  std::string cmd = quote(binary.string()) + " --benchmark_list_tests=true";
  if (!filter.empty()) cmd += " --benchmark_filter=" + quote(filter);
  cmd += " 2>/dev/null";  // the program's topology and pinning lines: the run says them
  std::vector<std::string> names;
  std::FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return names;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, p) != nullptr) {
    std::string line = buffer;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  pclose(p);
  return names;
}

int run_one(const bench_entry& e, int repetitions, const std::string& filter,
            const std::vector<std::string>& extra) {
  const std::string load_at_start = load_average();
  fmt::print("\n== {} (chapters/{}/bench/{}.cpp) ==\n", e.name, e.chapter, e.name);
  std::fflush(stdout);
  const std::string build =
      "cmake --build " + quote(bench_tree.string()) + " --target " + quote("bench." + e.name) +
      " > " + quote((bench_tree / "lab" / (e.name + ".build.log")).string()) + " 2>&1";
  fmt::print("building bench.{} ...\n", e.name);
  std::fflush(stdout);
  if (exit_code(std::system(build.c_str())) != 0) {
    std::system(
        ("tail -n 40 " + quote((bench_tree / "lab" / (e.name + ".build.log")).string())).c_str());
    fmt::print(stderr, "workbook: bench.{} does not build (log above)\n", e.name);
    return 2;
  }
  const fs::path binary = bench_tree / e.binary;
  const std::vector<std::string> names = list_benchmarks(binary, filter);
  const int total = static_cast<int>(names.size()) * repetitions;
  const fs::path out = bench_tree / "lab" / (e.name + ".json");
  std::string cmd = quote(binary.string()) +
                    " --benchmark_repetitions=" + std::to_string(repetitions) +
                    " --benchmark_enable_random_interleaving=true --benchmark_min_time=0.1" +
                    " --benchmark_out_format=json" + " --benchmark_out=" + quote(out.string());
  if (!filter.empty()) cmd += " --benchmark_filter=" + quote(filter);
  for (const auto& x : extra) cmd += " " + quote(x);
  cmd += " 2>" + quote((bench_tree / "lab" / (e.name + ".stderr")).string());
  std::FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return 2;
  // Progress: one console row per finished repetition (aggregate rows are counted out).
  int done = 0;
  const bool tty = isatty(STDOUT_FILENO) != 0;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, p) != nullptr) {
    const std::string line = buffer;
    if (line.find(" ns ") == std::string::npos && line.find(" us ") == std::string::npos &&
        line.find(" ms ") == std::string::npos) {
      continue;
    }
    const std::string name = line.substr(0, line.find(' '));
    if (name.ends_with("_mean") || name.ends_with("_median") || name.ends_with("_stddev") ||
        name.ends_with("_cv")) {
      continue;
    }
    ++done;
    if (tty) {
      fmt::print("\r\033[K  [{:>4}/{}] {}", done, total, name);
    } else if (done % 10 == 0 || done == total) {
      fmt::print("  [{:>4}/{}] {}\n", done, total, name);
    }
    std::fflush(stdout);
  }
  if (tty) fmt::print("\r\033[K");
  const int status = exit_code(pclose(p));
  if (status != 0) {
    std::system(
        ("tail -n 20 " + quote((bench_tree / "lab" / (e.name + ".stderr")).string())).c_str());
    fmt::print(stderr, "workbook: {} exited with status {}\n", binary.string(), status);
    return 2;
  }
  json doc;
  try {
    std::ifstream in(out);
    doc = json::parse(in);
  } catch (const std::exception& ex) {
    fmt::print(stderr, "workbook: cannot read {}: {}\n", out.string(), ex.what());
    return 2;
  }
  const report rep = parse(doc, names);
  if (!rep.pinning.empty()) fmt::print("pinning: {}\n", rep.pinning);
  print_table(rep);
  for (const std::string& error : rep.errors) {
    fmt::print(stderr, "workbook: a repetition failed and is left out: {}\n", error);
  }
  const fs::path svg = bench_tree / "lab" / (e.name + ".svg");
  if (write_chart(rep, e.name, svg, repetitions, load_at_start)) {
    fmt::print("plot: {}\nraw results: {}\n", svg.string(), out.string());
  } else {
    fmt::print(stderr, "workbook: cannot write {}\n", svg.string());
    return 2;
  }
  return rep.errors.empty() ? 0 : 1;
}

int usage(const std::vector<bench_entry>& entries) {
  fmt::print(
      "Benchmarks (./workbook bench <name>... | all [--repetitions N] [--filter REGEX] "
      "[-- Google Benchmark options])\n");
  for (const auto& e : entries)
    fmt::print("  {:<20} chapters/{}/bench/{}.cpp\n", e.name, e.chapter, e.name);
  fmt::print(
      "Each run builds in build/bench (-O2), prints a table of medians and ratios, and "
      "writes build/bench/lab/<name>.svg.\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<bench_entry> entries = read_manifest();
  if (entries.empty()) {
    fmt::print(stderr, "workbook: no benchmarks listed in {}\n", WB_LAB_MANIFEST);
    return 2;
  }
  std::vector<std::string> names, extra;
  int repetitions = 5;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      extra.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "-h" || arg == "--help" || arg == "list") return usage(entries);
    if (arg == "--repetitions" && i + 1 < argc) {
      repetitions = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--filter" && i + 1 < argc) {
      filter = argv[++i];
    } else if (arg.starts_with("--benchmark_")) {
      extra.push_back(arg);  // the old launcher's way of passing options
    } else if (arg.starts_with("-")) {
      fmt::print(stderr, "workbook: unknown option {} (./workbook bench --help)\n", arg);
      return 2;
    } else {
      names.push_back(arg);
    }
  }
  if (names.empty()) return usage(entries);
  std::vector<bench_entry> chosen;
  for (const auto& n : names) {
    if (n == "all") {
      chosen = entries;
      break;
    }
    const auto it =
        std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.name == n; });
    if (it == entries.end()) {
      fmt::print(stderr, "workbook: no benchmark named '{}' (./workbook bench lists them)\n", n);
      return 2;
    }
    chosen.push_back(*it);
  }
  // ./workbook installs the bench packages and configures the bench tree when a benchmark is named
  // first; run directly, or with an option first, the tree may not be there yet.
  if (!fs::exists(bench_tree / "CMakeCache.txt")) {
    fmt::print(
        stderr,
        "workbook: the bench tree (build/bench) is not configured: run `./workbook bench {}` "
        "with the benchmark's name first, which installs the lab's packages and configures it\n",
        names.front());
    return 2;
  }
  std::error_code ec;
  fs::create_directories(bench_tree / "lab", ec);
  fmt::print(
      "machine: {}\nload average: {} -- on a machine shared with other work, trust the "
      "ratios and the shown? column more than the times\n",
      wb::topology::summary(), load_average());
  int status = 0;
  for (const auto& e : chosen) status = std::max(status, run_one(e, repetitions, filter, extra));
  return status;
}
