#include "suite.hpp"

#include "process.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wb::runner {
namespace fs = std::filesystem;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// The count of passed and failed checks, and each failure's line, printed as
// it comes (from several worker threads) and kept: the summary names every
// failure again at the end, where a CI log's tail (often all that is shown)
// still has it.
class tally {
 public:
  void begin_stage(const std::string& name) {
    std::lock_guard lock(mutex_);
    stage_ = name;
  }
  void pass(const std::string& line) {
    std::lock_guard lock(mutex_);
    ++passed_;
    if (!line.empty()) fmt::print("  {} {}\n", term().ok(), line);
    std::fflush(stdout);
  }
  void pass_quietly(int count = 1) {
    std::lock_guard lock(mutex_);
    passed_ += count;
  }
  void fail(const std::string& line, const std::vector<std::string>& details = {}) {
    std::lock_guard lock(mutex_);
    ++failed_;
    keep(line);
    fmt::print("  {} {}\n", term().failed(), line);
    for (const auto& d : details) fmt::print("    {}\n", d);
    std::fflush(stdout);
  }
  /// Failures counted here are named by remember() calls, one per failure.
  void fail_count(int count) {
    std::lock_guard lock(mutex_);
    failed_ += count;
  }
  /// A failure's line for the summary only (it was printed as a note).
  void remember(const std::string& line) {
    std::lock_guard lock(mutex_);
    keep(line);
  }
  void note(const std::string& line) {
    std::lock_guard lock(mutex_);
    fmt::print("  {}\n", line);
    std::fflush(stdout);
  }
  int passed() const { return passed_; }
  int failed() const { return failed_; }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void keep(const std::string& line) { failures_.push_back(fmt::format("[{}] {}", stage_, line)); }  // mutex_ held

  std::mutex mutex_;
  std::string stage_;
  std::vector<std::string> failures_;
  int passed_ = 0;
  int failed_ = 0;
};

// Flushed: CI's log (a pipe) shows each stage as it starts, not at the end.
void heading(const std::string& text) {
  fmt::print("\n{}\n", term().bold("== " + text + " =="));
  std::fflush(stdout);
}

// Runs `work(i)` for i in [0, count) on every core (test binaries: each is
// mostly waiting on its own threads, and CTest ran them -j nproc before).
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& work, std::size_t per_core = 1) {
  const std::size_t workers = per_core * std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < std::min(workers, count); ++w) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) work(i);
    });
  }
  for (auto& t : threads) t.join();
}

bool in_scope(const suite_options& options, const std::string& chapter) {
  return options.chapter.empty() || starts_with(chapter, options.chapter);
}

bool whole_suite(const suite_options& options) { return options.chapter.empty() && options.exercises.empty(); }

std::vector<const exercise*> exercises_in_scope(const runner_context& context, const suite_options& options) {
  std::vector<const exercise*> list;
  for (const auto& e : context.exercises_manifest.exercises) {
    const bool named = options.exercises.empty() ||
                       std::find(options.exercises.begin(), options.exercises.end(), e.name) != options.exercises.end();
    if (named && in_scope(options, e.chapter)) list.push_back(&e);
  }
  return list;
}

// cmake --build (configuring first when needed) of some targets, or all;
// `keep_going` builds all it can (-k 0) and reports success only when all built.
// Configures build/<tree> when it has no build.ninja yet.
bool configure_tree(const runner_context& context, const std::string& tree, std::string& output) {
  if (fs::exists(tree_dir(context.root, tree) / "build.ninja")) return true;
  const auto configured = run_process({{"cmake", "--preset", tree}, {}, context.root.string(), {}, {}, {}});
  if (!configured.succeeded()) output = configured.output;
  return configured.succeeded();
}

bool build_tree(const runner_context& context, const std::string& tree, const std::vector<std::string>& targets,
                bool keep_going, std::string& output) {
  if (!configure_tree(context, tree, output)) return false;
  run_request build{{"cmake", "--build", "--preset", tree}, {}, context.root.string(), {}, {}, {}};
  if (!targets.empty()) {
    build.argv.push_back("--target");
    build.argv.insert(build.argv.end(), targets.begin(), targets.end());
  }
  if (keep_going) build.argv.insert(build.argv.end(), {"--", "-k", "0"});
  const auto built = run_process(build);
  output = built.output;
  return built.succeeded();
}

std::vector<std::string> last_lines(const std::string& text, std::size_t count) {
  auto lines = split_lines(text);
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  return lines;
}

// Why a tree cannot run here, or empty. A layer whose tree has no preset yet
// is inert (skipped) until an exercise declares it; one whose programs are
// missing (the layer table's REQUIRES) gets its package group from the
// launcher, which asks first unless --yes or CI, as the book's check does.
std::string tree_unavailable(const runner_context& context, const suite_options& options, const layer& l,
                             tally& checks) {
  if (!preset_exists(context.root, l.tree)) {
    for (const auto* e : exercises_in_scope(context, options)) {
      if (e->has_layer(l.name)) {
        checks.fail(fmt::format("{} declares the {} layer, but CMakePresets.json has no '{}' preset", e->name,
                                l.name, l.tree));
        return "no preset";
      }
    }
    return fmt::format("no '{}' preset in CMakePresets.json yet, and no exercise declares the layer", l.tree);
  }
  if (layer_unavailable(l).empty()) return {};
  if (!l.packages.empty()) {
    run_attached({(context.root / "workbook").string(), "deps", l.packages}, context.root.string());
  }
  return layer_unavailable(l);
}

// ---- a tree: build it, run its tests through CTest -------------------------------
// What CTest printed of one failed test (its preset has outputOnFailure):
// the lines after "Test #N: name ...***Failed" up to the next test's, the
// last 30 of them.
std::vector<std::string> ctest_output_of(const std::string& output, const std::string& test) {
  static const std::regex next(R"(^\s*(\d+/\d+ Test +#|Start +\d+:|\d+% tests passed))");
  std::vector<std::string> lines;
  bool inside = false;
  for (const auto& line : split_lines(output)) {
    if (inside && std::regex_search(line, next)) break;
    if (inside) lines.push_back(line);
    if (!inside && contains(line, " " + test + " ") && contains(line, "***")) inside = true;
  }
  if (lines.size() > 30) lines.erase(lines.begin(), lines.end() - 30);
  return lines;
}

void run_tree(const runner_context& context, const suite_options& options, const layer& l, tally& checks) {
  heading(fmt::format("{} (build/{}): the solutions, demos and common tests", l.title, l.tree));
  if (const std::string why = tree_unavailable(context, options, l, checks); !why.empty()) {
    checks.note(fmt::format("{} skipped: {}", term().yellow("–"), why));
    return;
  }
  const auto& m = context.exercises_manifest;
  std::vector<std::string> targets;  // empty: all
  if (!whole_suite(options)) {
    std::string output;  // Ninja below can only name the demos of a configured tree
    if (!configure_tree(context, l.tree, output)) {
      checks.fail(fmt::format("build/{} does not configure (cmake --preset {})", l.tree, l.tree), last_lines(output, 40));
      return;
    }
    for (const auto* e : exercises_in_scope(context, options)) {
      if (tree_builds_exercise(context, *e, l.tree)) targets.push_back(e->solution_target);
    }
    for (const auto& c : m.chapters) {
      if (!options.exercises.empty() || !in_scope(options, c.slug)) continue;
      for (const auto& d : c.demos) {
        // Not every tree builds demos (the model tree does not): ask Ninja.
        const auto known = run_process({{"ninja", "-C", tree_dir(context.root, l.tree).string(), "-t", "query", d.target},
                                        {}, {}, {}, {}, {}});
        if (known.succeeded()) targets.push_back(d.target);
      }
    }
    if (targets.empty()) {
      checks.note(term().dim("nothing of what was asked for in this tree"));
      return;
    }
  }
  std::string output;
  if (!build_tree(context, l.tree, targets, false, output)) {
    checks.fail(fmt::format("build/{} does not build", l.tree), last_lines(output, 40));
    return;
  }
  run_request ctest{{"ctest", "--preset", l.tree}, {}, context.root.string(), {}, {}, {}};
  if (!options.exercises.empty()) {
    std::string names;  // exercise names are identifiers: no regex escaping needed
    for (const auto* e : exercises_in_scope(context, options)) names += (names.empty() ? "" : "|") + e->name;
    ctest.argv.insert(ctest.argv.end(), {"-R", "^(" + names + ")\\.solution$"});
  } else if (!options.chapter.empty()) {
    ctest.argv.insert(ctest.argv.end(), {"-L", "^ch" + options.chapter.substr(0, 2) + "$"});
  }
  const auto run = run_process(ctest);
  static const std::regex totals(R"((\d+) tests? failed out of (\d+))");
  std::smatch match;
  if (!std::regex_search(run.output, match, totals)) {
    checks.fail(fmt::format("build/{}: ctest did not run", l.tree), last_lines(run.output, 20));
    return;
  }
  const int failed = std::stoi(match[1]);
  const int total = std::stoi(match[2]);
  checks.pass_quietly(total - failed);
  if (failed == 0) {
    checks.note(fmt::format("{} {}: {} tests passed", term().ok(), l.tree, total));
    return;
  }
  checks.fail_count(failed);
  checks.note(fmt::format("{} {}: {} of {} tests failed:", term().failed(), l.tree, failed, total));
  // A failed solution test is explained as a learner's verdict is (run
  // again through the runner); any other test by CTest's own output.
  static const std::regex failed_line(R"(^\s*\d+ - (\S+) \()");
  bool in_list = false;
  for (const auto& line : split_lines(run.output)) {
    if (contains(line, "The following tests FAILED")) in_list = true;
    std::smatch name;
    if (!in_list || !std::regex_search(line, name, failed_line)) continue;
    const std::string test = name[1];
    const exercise* e = nullptr;
    for (const auto& candidate : m.exercises) {
      if (candidate.solution_target == test) e = &candidate;
    }
    if (e == nullptr) {  // a common or demo test: CTest's output of it
      checks.note(fmt::format("    {}:", test));
      for (const auto& out : ctest_output_of(run.output, test)) checks.note("      " + out);
      checks.remember(fmt::format("build/{}: {} failed", l.tree, test));
      continue;
    }
    std::string log;
    const auto result = run_test_binary(context, *e, e->solution_binary, l.tree, l.name, {}, log);
    const std::string again = result.passed ? "passed when run again (flaky?)" : result.headline;
    checks.note(fmt::format("    {}: {}", test, again));
    checks.remember(fmt::format("build/{}: {} failed; {}", l.tree, test, again));
    for (const auto& d : result.details) checks.note("    " + d);
  }
  if (!in_list) {
    for (const auto& line : last_lines(run.output, 60)) checks.note("  " + line);
    checks.remember(fmt::format("build/{}: {} of {} tests failed (CTest's output above)", l.tree, failed, total));
  }
}

// ---- the stubs ---------------------------------------------------------------------
// Every stub compiles and fails with "not implemented yet". An exercise the
// learner edited is skipped: the check is about the shipped stubs.
void check_stubs(const runner_context& context, const suite_options& options, tally& checks) {
  heading("Every stub fails with 'not implemented yet'");
  const auto exercises = exercises_in_scope(context, options);
  std::vector<std::string> targets;
  for (const auto* e : exercises) targets.push_back(e->target);
  std::string output;
  build_tree(context, std::string(primary_tree), targets, true, output);
  const std::string tree(primary_tree);
  const layer* testing = context.exercises_manifest.testing_layer_of_tree(tree);
  parallel_for(exercises.size(), [&](std::size_t i) {
    const exercise& e = *exercises[i];
    run_request diff{{"git", "diff", "--quiet", "HEAD", "--"}, {}, context.root.string(), {}, {}, {}};
    diff.argv.insert(diff.argv.end(), e.files.begin(), e.files.end());
    if (fs::exists(context.root / ".git") && run_process(diff).exit_code == 1) {
      checks.note(fmt::format("{} {}: skipped, you have edited it", term().yellow("–"), e.name));
      return;
    }
    if (!fs::exists(tree_dir(context.root, tree) / e.binary)) {
      checks.fail(e.name + ": the stub does not compile",
                  {fmt::format("cmake --build --preset {} --target {}", tree, e.target)});
      return;
    }
    std::string log;
    const auto result = run_test_binary(context, e, e.binary, tree, testing->name, {}, log);
    if (result.passed) {
      checks.fail(e.name + ": the stub PASSES its tests");
    } else if (starts_with(result.headline, "not implemented yet")) {
      checks.pass(e.name + ": " + result.headline);
    } else {
      checks.fail(e.name + ": the stub fails, but not with 'not implemented yet': " + result.headline, result.details);
    }
  });
}

// ---- the mutants -------------------------------------------------------------------
// Every mutant is caught by one of its exercise's layers. Each is tried first
// in the layer its `caught-by:` line names (a model-checker mutant is not
// built and run under the plain tests and ThreadSanitizer first, which cost
// the stage most of its time); one that layer misses is then tried in every
// other layer, in the table's order, before it is reported not caught.

// The layer a mutant's `caught-by:` line names first ("tests", "tsan",
// "model", "windows"), or empty.
std::string declared_layer(const mutant& m) {
  const std::string word = m.caught_by.substr(0, m.caught_by.find_first_of(" (,"));
  return word == "tests" ? "test" : word;
}

void check_mutants(const runner_context& context, const suite_options& options, tally& checks) {
  heading("Every mutant is caught");
  struct entry {
    const exercise* e;
    const mutant* m;
    std::vector<std::string> tried;  // layers that ran it and did not catch it
  };
  std::vector<entry> pending;
  for (const auto* e : exercises_in_scope(context, options)) {
    for (const auto& m : e->mutants) pending.push_back({e, &m, {}});
  }
  // Where the stage's time goes: each tree's build and runs, the slowest runs.
  std::vector<std::string> times;
  std::vector<std::pair<double, std::string>> slowest;
  std::vector<std::string> unavailable;  // layers whose tools are missing (said once)
  // One pass over the table; `wanted` says which pending mutants a layer runs.
  const auto pass = [&](const std::function<bool(const entry&, const layer&)>& wanted) {
    for (const auto& l : context.exercises_manifest.layers) {
      if (pending.empty()) break;
      if (!l.verdict || l.no_tests) continue;
      std::vector<entry> here;
      std::vector<entry> rest;
      for (auto& p : pending) {
        const bool tried = std::find(p.tried.begin(), p.tried.end(), l.name) != p.tried.end();
        (!tried && tree_builds_exercise(context, *p.e, l.tree) && wanted(p, l) ? here : rest).push_back(p);
      }
      if (here.empty()) continue;
      if (const std::string why = tree_unavailable(context, options, l, checks); !why.empty()) {
        if (std::find(unavailable.begin(), unavailable.end(), l.name) == unavailable.end()) {
          checks.note(fmt::format("{} mutants not tried under {}: {}", term().yellow("–"), l.title, why));
          unavailable.push_back(l.name);
        }
        for (auto& h : here) h.tried.push_back(l.name);
        rest.insert(rest.end(), here.begin(), here.end());
        pending = std::move(rest);
        continue;
      }
      std::vector<std::string> targets;
      for (const auto& h : here) targets.push_back(h.m->target);
      std::string output;
      const auto build_started = clock_type::now();
      build_tree(context, l.tree, targets, true, output);
      const double build_seconds = seconds_since(build_started);
      const auto runs_started = clock_type::now();
      const std::string suffix = runtime_of_tree(context.root, l.tree).executable_suffix;  // configured now
      std::mutex mutex;
      // Two runs per core: a mutant caught at a deadline sits blocked for
      // the test's deadline (10 s in dev) using no CPU, and the deadlines
      // bound time without progress, so a run slowed by its neighbours is
      // never judged by it (the load stage shows the tests take four busy
      // loops on two cores).
      parallel_for(here.size(), [&](std::size_t i) {
        auto& [e, m, tried] = here[i];
        const std::string name = e->name + "/" + m->id;
        if (!fs::exists(tree_dir(context.root, l.tree) / (m->binary + suffix))) {
          checks.fail(fmt::format("{}: does not build in build/{} (cmake --build --preset {} --target {})", name,
                                  l.tree, l.tree, m->target));
          return;
        }
        std::string log;
        const auto result = run_test_binary(context, *e, m->binary, l.tree, l.name, {}, log, false);
        std::lock_guard lock(mutex);
        slowest.emplace_back(result.seconds, fmt::format("{} {}", l.tree, name));
        if (!result.passed) {
          const std::string declared = declared_layer(*m);
          const std::string aside =
              declared == l.name ? "" : fmt::format("; its caught-by line names {}", declared.empty() ? "none" : declared);
          checks.pass(fmt::format("{}: caught by {} ({}{})", name, l.title, result.headline, aside));
        } else {
          tried.push_back(l.name);
          rest.push_back(here[i]);
        }
      }, 2);
      times.push_back(fmt::format("build/{}: {} mutant(s) built in {:.0f} s, run in {:.0f} s", l.tree, here.size(),
                                  build_seconds, seconds_since(runs_started)));
      pending = std::move(rest);
    }
  };
  const auto is_declared = [&](const entry& p, const layer& l) {
    const std::string declared = declared_layer(*p.m);
    const layer* found = context.exercises_manifest.find_layer(declared);
    // A caught-by line that names no layer this exercise has: the table's order.
    const bool usable = found != nullptr && tree_builds_exercise(context, *p.e, found->tree);
    return usable ? declared == l.name : true;
  };
  pass(is_declared);
  pass([](const entry&, const layer&) { return true; });
  for (const auto& p : pending) {
    checks.fail(fmt::format("{}/{}: NOT CAUGHT by any layer — {}", p.e->name, p.m->id, p.m->mistake));
  }
  for (const auto& line : times) checks.note(term().dim(line));
  std::sort(slowest.begin(), slowest.end(), std::greater<>());
  if (slowest.size() > 8) slowest.resize(8);
  for (const auto& [secs, what] : slowest) checks.note(term().dim(fmt::format("  {:>5.1f} s  {}", secs, what)));
  bool first = true;
  for (const auto* e : exercises_in_scope(context, options)) {
    for (const auto& m : e->waiting_mutants) {
      if (first) checks.note(term().dim("Waiting for a layer that can catch them (not counted):"));
      first = false;
      checks.note(fmt::format("{} {}/{} — {}", term().yellow("–"), e->name, m.id, m.mistake));
    }
  }
}

// ---- the load check ----------------------------------------------------------------
// CPU-bound processes, like a parallel build beside the tests; they die with
// the runner (PR_SET_PDEATHSIG), however it ends.
class busy_loops {
 public:
  explicit busy_loops(int count) {
    for (int i = 0; i < count; ++i) {
      const pid_t pid = ::fork();
      if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        volatile unsigned long spins = 0;
        for (;;) spins = spins + 1;
      }
      if (pid > 0) pids_.push_back(pid);
    }
  }
  busy_loops(const busy_loops&) = delete;
  busy_loops& operator=(const busy_loops&) = delete;
  ~busy_loops() {
    for (pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
  }

 private:
  std::vector<pid_t> pids_;
};

// Every solution test of every LOAD tree `rounds` times beside each count of
// busy loops, one test at a time; each failure named and explained.
void check_load(const runner_context& context, const suite_options& options, int rounds,
                const std::vector<int>& busy_counts, tally& checks) {
  const auto exercises = exercises_in_scope(context, options);
  std::vector<const layer*> trees;
  for (const auto& l : context.exercises_manifest.layers) {
    if (l.load) trees.push_back(&l);
  }
  for (const layer* l : trees) {
    std::vector<std::string> targets;
    for (const auto* e : exercises) {
      if (tree_builds_exercise(context, *e, l->tree)) targets.push_back(e->solution_target);
    }
    std::string output;
    if (!targets.empty() && !build_tree(context, l->tree, targets, false, output)) {
      checks.fail(fmt::format("build/{}: the solutions do not build", l->tree), last_lines(output, 40));
      return;
    }
  }
  std::map<std::string, double> slowest;  // "<tree> <test>" -> seconds
  for (int busy : busy_counts) {
    busy_loops loops(busy);
    for (const layer* l : trees) {
      heading(fmt::format("{}: every solution test {} time{} beside {} busy loops", l->tree, rounds,
                          rounds == 1 ? "" : "s", busy));
      const auto started = clock_type::now();
      const int passed_before = checks.passed();
      const int failed_before = checks.failed();
      for (int round = 1; round <= rounds; ++round) {
        for (const auto* e : exercises) {
          if (!tree_builds_exercise(context, *e, l->tree)) continue;
          std::string log;
          const auto result = run_test_binary(context, *e, e->solution_binary, l->tree, l->name, {}, log);
          double& slow = slowest[l->tree + " " + e->solution_target];
          slow = std::max(slow, result.seconds);
          if (result.passed) {
            checks.pass_quietly();
          } else {
            checks.fail(fmt::format("{}, {} busy loops, round {}: {} ({}, {:.1f} s)", l->tree, busy, round,
                                    e->solution_target, result.headline, result.seconds),
                        result.details);
          }
        }
      }
      checks.note(term().dim(fmt::format("{} passed, {} failed ({:.0f} s)", checks.passed() - passed_before,
                                         checks.failed() - failed_before, seconds_since(started))));
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, secs] : slowest) ranked.emplace_back(secs, name);
  std::sort(ranked.rbegin(), ranked.rend());
  if (ranked.size() > 8) ranked.resize(8);
  heading("Slowest runs under load");
  for (const auto& [secs, name] : ranked) checks.note(fmt::format("{:5.1f} s  {}", secs, name));
}

// ---- the book ------------------------------------------------------------------------
void check_book(const runner_context& context, tally& checks) {
  heading("The book");
  std::string output;
  const std::string tree(primary_tree);
  if (!build_tree(context, tree, {"book"}, false, output)) {
    checks.fail("the book does not build (Doxygen warnings are errors)", last_lines(output, 40));
    return;
  }
  checks.pass("the book builds without Doxygen warnings (build/dev/book/html/index.html)");
  // The browser and GitHub's markdown renderer: packages the launcher installs
  // (its package list is the one place they are named).
  const int deps = run_attached({(context.root / "workbook").string(), "deps", "book"}, context.root.string());
  if (deps != 0) {
    checks.fail("the packages the book's check needs are not installed (./workbook deps book)");
    return;
  }
  const auto checked = run_process(
      {{"tools/book/check-book.sh", (tree_dir(context.root, tree) / "book").string()}, {}, context.root.string(), {}, {}, {}});
  if (checked.succeeded()) {
    checks.pass("every page shows its code and diagrams in Chromium, no broken link; the READMEs render on GitHub (cmark-gfm)");
  } else {
    checks.fail("the book's browser or markdown check failed", last_lines(checked.output, 40));
  }
}

// ---- stages, times, the summary ------------------------------------------------------
struct stage {
  std::string name;
  std::function<void(tally&)> run;
};

int run_stages(const std::vector<stage>& stages) {
  tally checks;
  std::vector<std::pair<std::string, double>> times;
  const auto started = clock_type::now();
  for (const auto& s : stages) {
    const auto stage_started = clock_type::now();
    checks.begin_stage(s.name);
    s.run(checks);
    times.emplace_back(s.name, seconds_since(stage_started));
    fmt::print("{}\n", term().dim(fmt::format("  ({:.0f} s)", times.back().second)));
  }
  heading("Time per stage");
  for (const auto& [name, secs] : times) fmt::print("  {:>6.0f} s  {}\n", secs, name);
  fmt::print("  {:>6.0f} s  in all\n\n", seconds_since(started));
  if (!checks.failures().empty()) {
    heading("What failed (each is explained in its stage above)");
    for (const auto& line : checks.failures()) fmt::print("  {} {}\n", term().failed(), line);
    fmt::print("\n");
  }
  fmt::print("{}\n", checks.failed() == 0 ? term().green("All checks passed.")
                                          : term().red(fmt::format("{} check(s) failed.", checks.failed())));
  fmt::print("workbook: {} passed, {} failed\n", checks.passed(), checks.failed());
  return checks.failed() == 0 ? 0 : 1;
}

}  // namespace

int command_test(const runner_context& context, const suite_options& options) {
  std::vector<stage> stages;
  for (const auto& l : context.exercises_manifest.layers) {
    if (l.suite && !l.no_tests) {
      stages.push_back({l.tree, [&context, &options, &l](tally& t) { run_tree(context, options, l, t); }});
    }
  }
  stages.push_back({"stubs", [&](tally& t) { check_stubs(context, options, t); }});
  stages.push_back({"mutants", [&](tally& t) { check_mutants(context, options, t); }});
  stages.push_back({"load (1 round, 4 busy loops)", [&](tally& t) { check_load(context, options, 1, {4}, t); }});
  if (whole_suite(options)) stages.push_back({"book", [&](tally& t) { check_book(context, t); }});
  return run_stages(stages);
}

int command_dev_check(const runner_context& context, const suite_options& options) {
  return run_stages({{"stubs", [&](tally& t) { check_stubs(context, options, t); }},
                     {"mutants", [&](tally& t) { check_mutants(context, options, t); }}});
}

int command_dev_load(const runner_context& context, const suite_options& options) {
  return run_stages({{fmt::format("load ({} rounds, 2 then 4 busy loops)", options.load_rounds),
                      [&](tally& t) { check_load(context, options, options.load_rounds, {2, 4}, t); }}});
}

}  // namespace wb::runner
