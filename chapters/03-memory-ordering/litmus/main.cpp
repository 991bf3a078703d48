// Chapter 3, litmus lab: run the classic litmus tests on your own CPU and see which of the
// reorderings the C++ memory model allows this machine actually performs.
// Run: ./workbook demo litmus-lab        (--help for the options)
//
// What to expect. The C++ column is the same everywhere; the "seen" column depends on the CPU.
// x86-64 implements total store order (TSO): a store may wait in a store buffer while later
// loads go ahead, and that is the only reordering. So on x86-64 only SB and R show their weak
// outcome, and only with relaxed or acquire/release. AArch64 and POWER may show more.
//
// Exit status: 0 whether or not weak outcomes were seen; 1 if an outcome C++ *forbids* was seen
// (a bug in the lab, the compiler or the CPU: investigate); 2 for a bad command line or a chart
// that could not be written.
#include <fmt/color.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "litmus_lab.hpp"

namespace {

using namespace litmus;

// About 1 us per iteration on the 2-core x86-64 reference VM, where the two cores fight over
// each x[i] and y[i]: 200,000 iterations x 18 variants took 6 to 8 s there (with other builds
// sharing the machine) and showed SB and R by the ten thousand. Rarer outcomes, on weaker
// machines, want --iterations 2000000 and some patience.
constexpr std::uint64_t default_iterations = 200'000;

struct options {
  std::uint64_t iterations = default_iterations;
  std::string only_test;  // empty: all
  std::string svg_path = "litmus-lab.svg";
  bool write_svg = true;
};

#if defined(__x86_64__)
constexpr std::string_view arch = "x86-64";
constexpr bool is_tso = true;
#elif defined(__i386__)
constexpr std::string_view arch = "x86 (32-bit)";
constexpr bool is_tso = true;
#elif defined(__aarch64__)
constexpr std::string_view arch = "AArch64";
constexpr bool is_tso = false;
#elif defined(__arm__)
constexpr std::string_view arch = "32-bit ARM";
constexpr bool is_tso = false;
#elif defined(__powerpc64__)
constexpr std::string_view arch = "POWER";
constexpr bool is_tso = false;
#elif defined(__riscv)
constexpr std::string_view arch = "RISC-V";
constexpr bool is_tso = false;
#else
constexpr std::string_view arch = "an unknown architecture";
constexpr bool is_tso = false;
#endif

void print_help() {
  fmt::print(
      "litmus-lab: run the classic litmus tests on this CPU\n\n"
      "Usage: litmus-lab [--iterations N] [--test NAME] [--svg PATH | --no-svg]\n\n"
      "  --iterations N  iterations per test and ordering (default {}; the whole run then\n"
      "                  takes a few seconds on two cores). More finds rarer outcomes.\n"
      "  --test NAME     run one test only:",
      default_iterations);
  for (const auto& test : all_tests()) fmt::print(" {}", test.name);
  fmt::print(
      "\n  --svg PATH      where to write the bar chart (default: litmus-lab.svg here)\n"
      "  --no-svg        do not write the chart\n"
      "  --help          this text\n\n"
      "Each test runs in three variants: relaxed, acquire/release and seq_cst. The exit\n"
      "status is 1 only if an outcome that C++ forbids is seen.\n\nThe tests:\n");
  for (const auto& test : all_tests()) {
    fmt::print("  {:<5} {:<46} {}\n", test.name, test.title, test.program);
  }
}

std::optional<options> parse(int argc, char** argv) {
  options opt;
  const auto bad = [](std::string_view what) {
    fmt::print(stderr, "litmus-lab: {} (try --help)\n", what);
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      print_help();
      std::exit(0);
    } else if (arg == "--iterations" && has_value) {
      char* end = nullptr;
      errno = 0;
      const unsigned long long n = std::strtoull(argv[++i], &end, 10);
      if (errno != 0 || *end != '\0' || n == 0 || argv[i][0] == '-') {
        return bad("--iterations wants a positive whole number");
      }
      opt.iterations = n;
    } else if (arg == "--test" && has_value) {
      opt.only_test = argv[++i];
    } else if (arg == "--svg" && has_value) {
      opt.svg_path = argv[++i];
      opt.write_svg = true;
    } else if (arg == "--no-svg") {
      opt.write_svg = false;
    } else {
      return bad(fmt::format("unknown or incomplete option '{}'", arg));
    }
  }
  return opt;
}

bool same_name(std::string_view a, std::string_view b) {  // case-insensitive, for --test
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Colour only for a terminal, and never when NO_COLOR is set to anything non-empty.
struct palette {
  fmt::text_style heading, weak, forbidden, dim;
};

palette choose_palette() {
  const char* no_color = std::getenv("NO_COLOR");
  if (!isatty(STDOUT_FILENO) || (no_color != nullptr && no_color[0] != '\0')) return {};
  return {fmt::emphasis::bold, fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold,
          fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold,
          fmt::fg(fmt::terminal_color::bright_black)};
}

// Styles end before the newline, so a terminal never carries colour into the next line.
void print_line(const fmt::text_style& style, std::string_view text) {
  fmt::print(style, "{}", text);
  fmt::print("\n");
}

std::uint64_t weak_count(const litmus_test& test, const run_result& r) {
  const auto it = r.counts.find(test.weak);
  return it == r.counts.end() ? 0 : it->second;
}

void print_histograms(const litmus_test& test, const std::array<run_result, 3>& results,
                      const palette& p) {
  fmt::print("\n");
  print_line(p.heading, fmt::format("{} -- {}", test.name, test.title));
  fmt::print("  {}\n  weak outcome {}: {}\n", test.program, format_outcome(test, test.weak),
             test.weak_meaning);
  for (ordering o : all_orderings) {
    const auto k = static_cast<std::size_t>(o);
    const run_result& r = results[k];
    if (ordering_name(o) == test.variant[k]) {
      fmt::print("  {}", ordering_name(o));
    } else {
      fmt::print("  {} ({})", ordering_name(o), test.variant[k]);
    }
    print_line(p.dim, fmt::format("  {:.2f} s, {}", r.seconds,
                                  r.pinned ? "threads pinned to distinct CPUs"
                                           : "more threads than CPUs: not pinned"));
    histogram shown = r.counts;
    shown.try_emplace(test.weak, 0);  // the weak outcome is always listed, even when unseen
    for (const auto& [out, count] : shown) {
      const bool weak = out == test.weak;
      const std::string line = fmt::format("    {:<22} {:>10}", format_outcome(test, out), count);
      if (!weak) {
        fmt::print("{}\n", line);
      } else if (test.weak_allowed[k]) {
        print_line(count > 0 ? p.weak : fmt::text_style{}, line + "  <- weak, allowed by C++");
      } else if (count == 0) {
        print_line(fmt::text_style{}, line + "  <- weak, forbidden by C++");
      } else {
        print_line(p.forbidden, line + "  <- weak, FORBIDDEN by C++, yet seen!");
      }
    }
  }
}

void print_summary(std::span<const chart_entry> entries, const palette& p) {
  fmt::print("\n");
  print_line(p.heading, "Summary");
  fmt::print("{:<5} | {:<8} | {:<27} | {}\n", "test", "ordering", "weak outcome allowed by C++",
             "seen on this machine (count)");
  fmt::print("{:-<6}+{:-<10}+{:-<29}+{:-<30}\n", "", "", "", "");
  for (const auto& e : entries) {
    for (ordering o : all_orderings) {
      const auto k = static_cast<std::size_t>(o);
      const std::uint64_t seen = weak_count(*e.test, e.results[k]);
      const std::string seen_text = fmt::format("{} ({})", seen > 0 ? "yes" : "no", seen);
      fmt::print("{:<5} | {:<8} | {:<27} | ", e.test->name, ordering_name(o),
                 e.test->weak_allowed[k] ? "yes" : "no");
      const bool forbidden = seen > 0 && !e.test->weak_allowed[k];
      print_line(forbidden ? p.forbidden : (seen > 0 ? p.weak : fmt::text_style{}),
                 forbidden ? seen_text + "  <- FORBIDDEN" : seen_text);
    }
  }
}

void print_explanation(std::span<const chart_entry> entries, std::size_t cpus, const palette& p) {
  fmt::print("\n");
  print_line(p.heading, fmt::format("What {} does", arch));
  if (is_tso) {
    fmt::print(
        "This CPU implements total store order (TSO). Its only reordering is store->load: a\n"
        "store waits in the core's store buffer while later loads read memory. C++ relaxed and\n"
        "acquire/release compile to plain MOVs here, so SB and R show their weak outcome with\n"
        "both; a seq_cst store adds a full fence (MFENCE or XCHG) and the outcome disappears.\n"
        "MP, LB, IRIW and 2+2W never show it on x86, even where C++ allows it: code that is\n"
        "only correct because of x86 may fail on ARM. Test by test:\n");
    for (const auto& e : entries) fmt::print("  {:<5} {}\n", e.test->name, e.test->x86_note);
  } else {
    fmt::print(
        "This CPU has a weak memory model: besides store->load, it may reorder loads and stores\n"
        "to different locations unless an acquire, release or fence forbids it, so weak outcomes\n"
        "C++ allows may show up beyond SB and R. Test by test:\n");
    for (const auto& e : entries) {
      fmt::print("  {:<5} {}\n", e.test->name, e.test->weak_machine_note);
    }
  }
  for (const auto& e : entries) {
    if (e.test->threads > cpus) {
      fmt::print(
          "  ({} needs {} threads but only {} CPUs are usable: they take turns, so outcomes that\n"
          "   need the threads to overlap are rare or absent.)\n",
          e.test->name, e.test->threads, cpus);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<options> opt = parse(argc, argv);
  if (!opt) return 2;

  std::vector<const litmus_test*> selected;
  for (const auto& test : all_tests()) {
    if (opt->only_test.empty() || same_name(opt->only_test, test.name)) selected.push_back(&test);
  }
  if (selected.empty()) {
    fmt::print(stderr, "litmus-lab: no test named '{}' (try --help)\n", opt->only_test);
    return 2;
  }

  const palette p = choose_palette();
  const std::size_t cpus = usable_cpus().size();
  print_line(p.heading, fmt::format("Litmus lab on {} ({} usable CPUs)", arch, cpus));
  fmt::print("{} test(s) x 3 orderings, {} iterations each\n", selected.size(), opt->iterations);

  const auto start = std::chrono::steady_clock::now();
  std::vector<chart_entry> entries;
  for (const litmus_test* test : selected) {
    chart_entry entry{test, {}};
    for (ordering o : all_orderings) {
      entry.results[static_cast<std::size_t>(o)] = run_litmus(*test, o, opt->iterations);
    }
    print_histograms(*test, entry.results, p);
    entries.push_back(std::move(entry));
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  print_summary(entries, p);
  print_explanation(entries, cpus, p);
  fmt::print("\nTotal time: {:.1f} s\n", elapsed.count());

  bool chart_failed = false;
  if (opt->write_svg) {
    const std::string subtitle =
        fmt::format("{}, {} usable CPUs, {} iterations per variant", arch, cpus, opt->iterations);
    if (write_svg(opt->svg_path, entries, subtitle)) {
      std::error_code ignored;  // an absolute path is only nicer to read
      const auto shown = std::filesystem::absolute(opt->svg_path, ignored);
      fmt::print("Chart written to {} (open it in a browser)\n",
                 shown.empty() ? opt->svg_path : shown.string());
    } else {
      fmt::print(stderr, "litmus-lab: cannot write {}: {}\n", opt->svg_path, std::strerror(errno));
      chart_failed = true;
    }
  }

  // A forbidden outcome means the lab, the compiler or the CPU is broken: never let it pass.
  bool forbidden_seen = false;
  for (const auto& e : entries) {
    for (ordering o : all_orderings) {
      const auto k = static_cast<std::size_t>(o);
      const std::uint64_t seen = weak_count(*e.test, e.results[k]);
      if (seen > 0 && !e.test->weak_allowed[k]) {
        forbidden_seen = true;
        fmt::print(stderr, isatty(STDERR_FILENO) ? p.forbidden : fmt::text_style{},
                   "\n*** FORBIDDEN OUTCOME: {} with {} showed {} {} time(s). C++ forbids this.\n"
                   "*** This is a bug in the lab, the compiler or the CPU: please investigate.\n",
                   e.test->name, ordering_name(o), format_outcome(*e.test, e.test->weak), seen);
      }
    }
  }
  return forbidden_seen ? 1 : (chart_failed ? 2 : 0);
}
