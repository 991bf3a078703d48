#include "suite.hpp"

#include "process.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

// What a build did: its output, wall and CPU time (the compilers', which
// the runner waits for through cmake and Ninja).
struct build_outcome {
  bool ok = false;
  std::string output;
  clock_type::time_point started;
  double seconds = 0;
  double cpu_seconds = 0;
};

// Configures build/<tree> when it has no build.ninja yet; false (with
// CMake's output) when that fails.
bool configure_tree(const runner_context& context, const std::string& tree, std::string& output) {
  if (fs::exists(tree_dir(context.root, tree) / "build.ninja")) return true;
  const auto configured =
      run_process({{"cmake", "--preset", tree}, {}, context.root.string(), {}, {}, {}});
  if (!configured.succeeded()) output = configured.output;
  return configured.succeeded();
}

// cmake --build (configuring first when needed) of some targets, or all;
// `keep_going` builds all it can (-k 0) and reports success only when all built.
// `on_line` sees each line of the build's output as Ninja prints it (a step's
// line once it has finished: Ninja's output is not a terminal).
build_outcome build_tree(const runner_context& context, const std::string& tree,
                         const std::vector<std::string>& targets, bool keep_going,
                         const std::function<void(const std::string&)>& on_line = {}) {
  build_outcome outcome;
  outcome.started = clock_type::now();
  if (!configure_tree(context, tree, outcome.output)) return outcome;
  run_request build{{"cmake", "--build", "--preset", tree}, {}, context.root.string(), {}, {}, {}};
  if (!targets.empty()) {
    build.argv.push_back("--target");
    build.argv.insert(build.argv.end(), targets.begin(), targets.end());
  }
  if (keep_going) build.argv.insert(build.argv.end(), {"--", "-k", "0"});
  std::string partial;
  std::function<void(std::string_view)> on_output;
  if (on_line) {
    on_output = [&](std::string_view chunk) {
      partial.append(chunk);
      for (std::size_t end = partial.find('\n'); end != std::string::npos;
           end = partial.find('\n')) {
        on_line(partial.substr(0, end));
        partial.erase(0, end + 1);
      }
    };
  }
  const auto built = run_process(build, on_output);
  outcome.ok = built.succeeded();
  outcome.output = built.output;
  outcome.seconds = seconds_since(outcome.started);
  outcome.cpu_seconds = built.cpu_seconds;
  return outcome;
}

// Worker threads that run jobs as they are added, until closed and drained.
class job_pool {
 public:
  explicit job_pool(std::size_t workers) {
    for (std::size_t w = 0; w < workers; ++w) {
      threads_.emplace_back([this] {
        for (;;) {
          std::unique_lock lock(mutex_);
          ready_.wait(lock, [&] { return closed_ || !jobs_.empty(); });
          if (jobs_.empty()) return;
          auto job = std::move(jobs_.front());
          jobs_.pop_front();
          lock.unlock();
          job();
        }
      });
    }
  }
  job_pool(const job_pool&) = delete;
  job_pool& operator=(const job_pool&) = delete;
  ~job_pool() { close_and_wait(); }
  void add(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }
  void close_and_wait() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool closed_ = false;
  std::vector<std::thread> threads_;
};

// The builds of every stage, one at a time and in the order they were
// queued (each is Ninja on every core already): a stage queues its builds
// and waits for them, so that its tests run while later stages compile. Most
// of a test run is waiting (a mutant caught at a deadline sleeps for it, Wine
// starts slowly), and the two cores spend that time compiling.
class build_queue {
 public:
  explicit build_queue(const runner_context& context) : context_(context) {}

  std::shared_future<build_outcome> submit(const std::string& tree,
                                           const std::vector<std::string>& targets, bool keep_going,
                                           std::function<void(const std::string&)> on_line = {}) {
    // A job is a std::function, which must be copyable: the promise is shared.
    auto done = std::make_shared<std::promise<build_outcome>>();
    std::shared_future<build_outcome> result = done->get_future().share();
    worker_.add([this, done, tree, targets, keep_going, on_line = std::move(on_line)] {
      done->set_value(build_tree(context_, tree, targets, keep_going, on_line));
    });
    return result;
  }

 private:
  const runner_context& context_;
  job_pool worker_{1};  // one build at a time, in the order submitted
};

// The stages' output in stage order while they run at once: the earliest
// unfinished stage prints as it goes (CI's log, a pipe, shows it live), the
// later ones keep theirs until it is their turn.
class ordered_output {
 public:
  explicit ordered_output(std::size_t stages) : buffers_(stages), done_(stages, false) {}
  void write(std::size_t stage, const std::string& text) {
    std::lock_guard lock(mutex_);
    if (stage == current_) {
      std::fputs(text.c_str(), stdout);
      std::fflush(stdout);
    } else {
      buffers_[stage] += text;
    }
  }
  void finish(std::size_t stage) {
    std::lock_guard lock(mutex_);
    done_[stage] = true;
    while (current_ < done_.size() && done_[current_]) {
      if (++current_ < buffers_.size()) {
        std::fputs(buffers_[current_].c_str(), stdout);
        buffers_[current_].clear();
      }
    }
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> buffers_;
  std::vector<bool> done_;
  std::size_t current_ = 0;
};

// One stage's count of passed and failed checks, and each failure's line,
// printed as it comes (from several worker threads) and kept: the summary
// names every failure again at the end, where a CI log's tail (often all
// that is shown) still has it. The stage queues its builds through it.
class tally {
 public:
  tally(ordered_output& out, std::size_t index, std::string stage, build_queue& builds)
      : out_(out), index_(index), stage_(std::move(stage)), builds_(builds) {}

  // Flushed: CI's log (a pipe) shows each stage as it starts, not at the end.
  void heading(const std::string& text) {
    print(fmt::format("\n{}\n", term().bold("== " + text + " ==")));
  }
  void pass(const std::string& line) {
    std::lock_guard lock(mutex_);
    ++passed_;
    if (!line.empty()) print(fmt::format("  {} {}\n", term().ok(), line));
  }
  void pass_quietly(int count = 1) {
    std::lock_guard lock(mutex_);
    passed_ += count;
  }
  void fail(const std::string& line, const std::vector<std::string>& details = {}) {
    std::lock_guard lock(mutex_);
    ++failed_;
    keep(line);
    std::string text = fmt::format("  {} {}\n", term().failed(), line);
    for (const auto& d : details) text += fmt::format("    {}\n", d);
    print(text);
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
  void note(const std::string& line) { print(fmt::format("  {}\n", line)); }
  int passed() const { return passed_; }
  int failed() const { return failed_; }
  const std::vector<std::string>& failures() const { return failures_; }
  const std::string& stage() const { return stage_; }

  /// Queues a build (after every build queued before it).
  std::shared_future<build_outcome> submit(const std::string& tree,
                                           const std::vector<std::string>& targets, bool keep_going,
                                           std::function<void(const std::string&)> on_line = {}) {
    return builds_.submit(tree, targets, keep_going, std::move(on_line));
  }
  /// Queues a build and waits for it.
  build_outcome build(const std::string& tree, const std::vector<std::string>& targets,
                      bool keep_going) {
    queued();
    return counted(submit(tree, targets, keep_going).get());
  }
  /// Counts a finished build in the stage's time and CPU.
  const build_outcome& counted(const build_outcome& b) {
    std::lock_guard lock(mutex_);
    if (!first_build_ || b.started < *first_build_) first_build_ = b.started;
    build_cpu_ += b.cpu_seconds;
    return b;
  }
  /// Says the stage has queued the builds it knows of: the next stage may
  /// queue its own. Called again (or not at all) is harmless.
  void queued() {
    std::lock_guard lock(mutex_);
    if (!queued_said_) queued_.set_value();
    queued_said_ = true;
  }
  std::future<void> when_queued() { return queued_.get_future(); }
  /// When the stage's own work began: its first build, or its start.
  clock_type::time_point active_since(clock_type::time_point started) const {
    return first_build_ && *first_build_ > started ? *first_build_ : started;
  }
  double build_cpu() const { return build_cpu_; }
  void finish() { out_.finish(index_); }

 private:
  void keep(const std::string& line) {
    failures_.push_back(fmt::format("[{}] {}", stage_, line));
  }  // mutex_ held
  void print(const std::string& text) { out_.write(index_, text); }

  ordered_output& out_;
  std::size_t index_;
  std::mutex mutex_;
  std::string stage_;
  build_queue& builds_;
  std::vector<std::string> failures_;
  int passed_ = 0;
  int failed_ = 0;
  std::optional<clock_type::time_point> first_build_;
  double build_cpu_ = 0;
  std::promise<void> queued_;
  bool queued_said_ = false;
};

// Runs `work(i)` for i in [0, count) on every core (test binaries: each is
// mostly waiting on its own threads, and CTest ran them -j nproc before).
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& work,
                  std::size_t per_core = 1) {
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

bool whole_suite(const suite_options& options) {
  return options.chapter.empty() && options.exercises.empty();
}

std::vector<const exercise*> exercises_in_scope(const runner_context& context,
                                                const suite_options& options) {
  std::vector<const exercise*> list;
  for (const auto& e : context.exercises_manifest.exercises) {
    const bool named = options.exercises.empty() ||
                       std::find(options.exercises.begin(), options.exercises.end(), e.name) !=
                           options.exercises.end();
    if (named && in_scope(options, e.chapter)) list.push_back(&e);
  }
  return list;
}

std::vector<std::string> last_lines(const std::string& text, std::size_t count) {
  auto lines = split_lines(text);
  if (lines.size() > count)
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  return lines;
}

// Why a tree cannot run here, or empty. A layer whose tree has no preset yet
// is inert (skipped) until an exercise declares it; one whose programs are
// missing (the layer table's REQUIRES) gets its package group from the
// launcher, which asks first unless --yes or CI, as the book's check does.
std::string tree_unavailable(const runner_context& context, const suite_options& options,
                             const layer& l, tally& checks) {
  if (!preset_exists(context.root, l.tree)) {
    for (const auto* e : exercises_in_scope(context, options)) {
      if (e->has_layer(l.name)) {
        checks.fail(
            fmt::format("{} declares the {} layer, but CMakePresets.json has no '{}' preset",
                        e->name, l.name, l.tree));
        return "no preset";
      }
    }
    return fmt::format(
        "no '{}' preset in CMakePresets.json yet, and no exercise declares the layer", l.tree);
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

void run_tree(const runner_context& context, const suite_options& options, const layer& l,
              tally& checks) {
  checks.heading(
      fmt::format("{} (build/{}): the solutions, demos and common tests", l.title, l.tree));
  if (const std::string why = tree_unavailable(context, options, l, checks); !why.empty()) {
    checks.note(fmt::format("{} skipped: {}", term().yellow("–"), why));
    return;
  }
  const auto& m = context.exercises_manifest;
  std::vector<std::string> targets;  // empty: all
  if (!whole_suite(options)) {
    std::string output;  // Ninja below can only name the demos of a configured tree
    if (!configure_tree(context, l.tree, output)) {
      checks.fail(fmt::format("build/{} does not configure (cmake --preset {})", l.tree, l.tree),
                  last_lines(output, 40));
      return;
    }
    for (const auto* e : exercises_in_scope(context, options)) {
      if (tree_builds_exercise(context, *e, l.tree)) targets.push_back(e->solution_target);
    }
    for (const auto& c : m.chapters) {
      if (!options.exercises.empty() || !in_scope(options, c.slug)) continue;
      for (const auto& d : c.demos) {
        // Not every tree builds demos (the model tree does not): ask Ninja.
        const auto known = run_process(
            {{"ninja", "-C", tree_dir(context.root, l.tree).string(), "-t", "query", d.target},
             {},
             {},
             {},
             {},
             {}});
        if (known.succeeded()) targets.push_back(d.target);
      }
    }
    if (targets.empty()) {
      checks.note(term().dim("nothing of what was asked for in this tree"));
      return;
    }
  }
  const auto built = checks.build(l.tree, targets, false);
  if (!built.ok) {
    checks.fail(fmt::format("build/{} does not build", l.tree), last_lines(built.output, 40));
    return;
  }
  checks.note(term().dim(
      fmt::format("built in {:.0f} s, {:.0f} s of CPU", built.seconds, built.cpu_seconds)));
  run_request ctest{{"ctest", "--preset", l.tree}, {}, context.root.string(), {}, {}, {}};
  if (!options.exercises.empty()) {
    std::string names;  // exercise names are identifiers: no regex escaping needed
    for (const auto* e : exercises_in_scope(context, options))
      names += (names.empty() ? "" : "|") + e->name;
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
    checks.remember(fmt::format("build/{}: {} of {} tests failed (CTest's output above)", l.tree,
                                failed, total));
  }
}

// ---- the stubs ---------------------------------------------------------------------
// Every stub compiles and fails with "not implemented yet". An exercise the
// learner edited is skipped: the check is about the shipped stubs.
void check_stubs(const runner_context& context, const suite_options& options, tally& checks) {
  checks.heading("Every stub fails with 'not implemented yet'");
  const auto exercises = exercises_in_scope(context, options);
  std::vector<std::string> targets;
  for (const auto* e : exercises) targets.push_back(e->target);
  const std::string tree(primary_tree);
  checks.build(tree, targets, true);
  const layer* testing = context.exercises_manifest.testing_layer_of_tree(tree);
  parallel_for(exercises.size(), [&](std::size_t i) {
    const exercise& e = *exercises[i];
    run_request diff{
        {"git", "diff", "--quiet", "HEAD", "--"}, {}, context.root.string(), {}, {}, {}};
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
      checks.fail(
          e.name + ": the stub fails, but not with 'not implemented yet': " + result.headline,
          result.details);
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
  checks.heading("Every mutant is caught");
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
  std::mutex mutex;  // guards what the runs report: slowest, a missed entry's `tried`
  std::vector<std::string> times;
  std::vector<std::pair<double, std::string>> slowest;
  std::vector<std::string> unavailable;  // layers whose tools are missing (said once)
  const auto usable = [&](const layer& l) {
    if (const std::string why = tree_unavailable(context, options, l, checks); !why.empty()) {
      if (std::find(unavailable.begin(), unavailable.end(), l.name) == unavailable.end()) {
        checks.note(
            fmt::format("{} mutants not tried under {}: {}", term().yellow("–"), l.title, why));
        unavailable.push_back(l.name);
      }
      return false;
    }
    return true;
  };
  // Runs one built mutant under `l`; false when the layer did not catch it
  // (then `tried` names the layer). A mutant that did not build is a failure.
  const auto run_one = [&](entry& p, const layer& l) {
    const std::string name = p.e->name + "/" + p.m->id;
    const std::string suffix =
        runtime_of_tree(context.root, l.tree).executable_suffix;  // configured now
    if (!fs::exists(tree_dir(context.root, l.tree) / (p.m->binary + suffix))) {
      checks.fail(
          fmt::format("{}: does not build in build/{} (cmake --build --preset {} --target {})",
                      name, l.tree, l.tree, p.m->target));
      return true;
    }
    std::string log;
    const auto result = run_test_binary(context, *p.e, p.m->binary, l.tree, l.name, {}, log, false);
    std::lock_guard lock(mutex);
    slowest.emplace_back(result.seconds, fmt::format("{} {}", l.tree, name));
    if (result.passed) {
      p.tried.push_back(l.name);
      return false;
    }
    const std::string declared = declared_layer(*p.m);
    const std::string aside =
        declared == l.name
            ? ""
            : fmt::format("; its caught-by line names {}", declared.empty() ? "none" : declared);
    checks.pass(fmt::format("{}: caught by {} ({}{})", name, l.title, result.headline, aside));
    return true;
  };
  // Two runs per core: a mutant caught at a deadline sits blocked for the
  // test's deadline (10 s in dev) using no CPU, and the deadlines bound time
  // without progress, so a run slowed by its neighbours (or by the builds
  // beside it) is never judged by it (the load stage shows the tests take
  // four busy loops on two cores).
  const std::size_t runs_at_once = 2 * std::max(1u, std::thread::hardware_concurrency());

  // The first pass: each mutant in the layer its caught-by line names. Every
  // tree's mutants are one queued build (a tree with an emulator first: its
  // few runs are the longest, Wine starting), and each mutant runs as soon as
  // Ninja has linked its test, while the builds go on: most runs wait at a
  // deadline, and the builds use that time.
  const auto declared_here = [&](const entry& p) -> const layer* {
    const layer* found = context.exercises_manifest.find_layer(declared_layer(*p.m));
    // A caught-by line that names no layer this exercise has: the table's order, below.
    return found != nullptr && found->verdict && !found->no_tests &&
                   tree_builds_exercise(context, *p.e, found->tree)
               ? found
               : nullptr;
  };
  std::vector<const layer*> order;
  for (const auto& l : context.exercises_manifest.layers) {
    if (l.verdict && !l.no_tests) order.push_back(&l);
  }
  std::stable_partition(order.begin(), order.end(),
                        [](const layer* l) { return !l->requires_programs.empty(); });
  struct tree_work {
    const layer* l;
    std::vector<std::size_t> entries;  // into pending
    std::map<std::string, std::size_t> by_binary;
    std::vector<bool> started;
    std::shared_future<build_outcome> built;
    clock_type::time_point last_run_end;
  };
  std::vector<tree_work> trees;
  for (const layer* l : order) {
    tree_work w{l, {}, {}, {}, {}, {}};
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (declared_here(pending[i]) == l) w.entries.push_back(i);
    }
    if (w.entries.empty()) continue;
    if (!usable(*l)) {
      for (std::size_t i : w.entries) pending[i].tried.push_back(l->name);
      continue;
    }
    trees.push_back(std::move(w));
  }
  std::vector<bool> done(pending.size(), false);
  {
    job_pool runs(runs_at_once);
    const auto start = [&](tree_work& w, std::size_t k) {  // mutex held
      if (w.started[k]) return;
      w.started[k] = true;
      runs.add([&, k] {
        const bool caught = run_one(pending[w.entries[k]], *w.l);
        std::lock_guard lock(mutex);
        done[w.entries[k]] = caught;
        w.last_run_end = std::max(w.last_run_end, clock_type::now());
      });
    };
    for (auto& w : trees) {
      std::vector<std::string> targets;
      w.started.assign(w.entries.size(), false);
      for (std::size_t k = 0; k < w.entries.size(); ++k) {
        const mutant& m = *pending[w.entries[k]].m;
        targets.push_back(m.target);
        w.by_binary[m.binary] = k;
      }
      // "[n/N] Linking CXX executable chapters/…/x.mutant.y[.exe]", printed when the link is done.
      w.built =
          checks.submit(w.l->tree, targets, true, [&w, &mutex, start](const std::string& line) {
            static const std::string linking = "Linking CXX executable ";
            const auto at = line.find(linking);
            if (at == std::string::npos) return;
            std::string binary = line.substr(at + linking.size());
            if (binary.ends_with(".exe")) binary.resize(binary.size() - 4);
            std::lock_guard lock(mutex);
            if (const auto found = w.by_binary.find(binary); found != w.by_binary.end())
              start(w, found->second);
          });
    }
    checks.queued();
    for (auto& w : trees) {
      checks.counted(w.built.get());
      std::lock_guard lock(mutex);
      // The rest: already built before (Ninja linked nothing), or failed to build.
      for (std::size_t k = 0; k < w.entries.size(); ++k) start(w, k);
    }
    runs.close_and_wait();
    for (const auto& w : trees) {
      const auto& built = w.built.get();
      times.push_back(fmt::format(
          "build/{}: {} mutant(s) built in {:.0f} s ({:.0f} s of CPU), runs done {:.0f} s later",
          w.l->tree, w.entries.size(), built.seconds, built.cpu_seconds,
          std::max(0.0, std::chrono::duration<double>(w.last_run_end - built.started).count() -
                            built.seconds)));
    }
  }
  {
    std::vector<entry> rest;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (!done[i]) rest.push_back(pending[i]);
    }
    pending = std::move(rest);
  }

  // The mutants that pass missed (and those whose caught-by line names no
  // layer they have): every layer in the table's order, one tree at a time.
  for (const auto& l : context.exercises_manifest.layers) {
    if (pending.empty()) break;
    if (!l.verdict || l.no_tests) continue;
    std::vector<entry> here;
    std::vector<entry> rest;
    for (auto& p : pending) {
      const bool tried = std::find(p.tried.begin(), p.tried.end(), l.name) != p.tried.end();
      (!tried && tree_builds_exercise(context, *p.e, l.tree) ? here : rest).push_back(p);
    }
    if (here.empty()) continue;
    if (!usable(l)) {
      for (auto& h : here) h.tried.push_back(l.name);
      rest.insert(rest.end(), here.begin(), here.end());
      pending = std::move(rest);
      continue;
    }
    std::vector<std::string> targets;
    for (const auto& h : here) targets.push_back(h.m->target);
    const auto built = checks.build(l.tree, targets, true);
    const auto runs_started = clock_type::now();
    std::vector<bool> caught(here.size(), false);
    parallel_for(
        here.size(), [&](std::size_t i) { caught[i] = run_one(here[i], l); }, 2);
    for (std::size_t i = 0; i < here.size(); ++i) {
      if (!caught[i]) rest.push_back(here[i]);
    }
    times.push_back(
        fmt::format("build/{}, second pass: {} mutant(s) built in {:.0f} s, run in {:.0f} s",
                    l.tree, here.size(), built.seconds, seconds_since(runs_started)));
    pending = std::move(rest);
  }
  for (const auto& p : pending) {
    checks.fail(
        fmt::format("{}/{}: NOT CAUGHT by any layer — {}", p.e->name, p.m->id, p.m->mistake));
  }
  for (const auto& line : times) checks.note(term().dim(line));
  std::sort(slowest.begin(), slowest.end(), std::greater<>());
  if (slowest.size() > 8) slowest.resize(8);
  for (const auto& [secs, what] : slowest)
    checks.note(term().dim(fmt::format("  {:>5.1f} s  {}", secs, what)));
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
    if (targets.empty()) continue;
    if (const auto built = checks.build(l->tree, targets, false); !built.ok) {
      checks.fail(fmt::format("build/{}: the solutions do not build", l->tree),
                  last_lines(built.output, 40));
      return;
    }
  }
  std::map<std::string, double> slowest;  // "<tree> <test>" -> seconds
  for (int busy : busy_counts) {
    busy_loops loops(busy);
    for (const layer* l : trees) {
      checks.heading(fmt::format("{}: every solution test {} time{} beside {} busy loops", l->tree,
                                 rounds, rounds == 1 ? "" : "s", busy));
      const auto started = clock_type::now();
      const int passed_before = checks.passed();
      const int failed_before = checks.failed();
      for (int round = 1; round <= rounds; ++round) {
        for (const auto* e : exercises) {
          if (!tree_builds_exercise(context, *e, l->tree)) continue;
          std::string log;
          const auto result =
              run_test_binary(context, *e, e->solution_binary, l->tree, l->name, {}, log);
          double& slow = slowest[l->tree + " " + e->solution_target];
          slow = std::max(slow, result.seconds);
          if (result.passed) {
            checks.pass_quietly();
          } else {
            checks.fail(fmt::format("{}, {} busy loops, round {}: {} ({}, {:.1f} s)", l->tree, busy,
                                    round, e->solution_target, result.headline, result.seconds),
                        result.details);
          }
        }
      }
      checks.note(
          term().dim(fmt::format("{} passed, {} failed ({:.0f} s)", checks.passed() - passed_before,
                                 checks.failed() - failed_before, seconds_since(started))));
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [name, secs] : slowest) ranked.emplace_back(secs, name);
  std::sort(ranked.rbegin(), ranked.rend());
  if (ranked.size() > 8) ranked.resize(8);
  checks.heading("Slowest runs under load");
  for (const auto& [secs, name] : ranked) checks.note(fmt::format("{:5.1f} s  {}", secs, name));
}

// ---- the book ------------------------------------------------------------------------
void check_book(const runner_context& context, tally& checks) {
  checks.heading("The book");
  const std::string tree(primary_tree);
  if (const auto built = checks.build(tree, {"book"}, false); !built.ok) {
    checks.fail("the book does not build (Doxygen warnings are errors)",
                last_lines(built.output, 40));
    return;
  }
  checks.pass("the book builds without Doxygen warnings (build/dev/book/html/index.html)");
  // The browser and GitHub's markdown renderer: packages the launcher installs
  // (its package list is the one place they are named).
  const int deps =
      run_attached({(context.root / "workbook").string(), "deps", "book"}, context.root.string());
  if (deps != 0) {
    checks.fail("the packages the book's check needs are not installed (./workbook deps book)");
    return;
  }
  const auto checked =
      run_process({{"tools/book/check-book.sh", (tree_dir(context.root, tree) / "book").string()},
                   {},
                   context.root.string(),
                   {},
                   {},
                   {}});
  if (checked.succeeded()) {
    checks.pass(
        "every page shows its code and diagrams in Chromium, no broken link; the READMEs render on "
        "GitHub (cmark-gfm)");
  } else {
    checks.fail("the book's browser or markdown check failed", last_lines(checked.output, 40));
  }
}

// ---- stages, times, the summary ------------------------------------------------------
// Stages run at once, each on its own thread: a stage starts once the one
// before it has queued its builds, so the builds keep their order while a
// stage's tests run beside the next stage's build. A stage `alone` (the load
// round: busy loops beside the tests, nothing else) waits for every stage
// before it, and the next waits for it. Each stage's time runs from its first
// build (or its start) to its end.
struct stage {
  std::string name;
  std::function<void(tally&)> run;
  bool alone = false;
};

int run_stages(const runner_context& context, const std::vector<stage>& stages) {
  build_queue builds(context);
  ordered_output out(stages.size());
  std::vector<std::unique_ptr<tally>> tallies;
  std::vector<std::pair<double, double>> times(stages.size());  // seconds, build CPU seconds
  std::vector<std::thread> threads;
  const auto join_all = [&] {
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  };
  const auto started = clock_type::now();
  for (std::size_t k = 0; k < stages.size(); ++k) {
    if (stages[k].alone) join_all();
    tallies.push_back(std::make_unique<tally>(out, k, stages[k].name, builds));
    tally& checks = *tallies.back();
    auto queued = checks.when_queued();
    threads.emplace_back([&stages, &times, &checks, k] {
      const auto stage_started = clock_type::now();
      stages[k].run(checks);
      checks.queued();
      const double secs =
          std::chrono::duration<double>(clock_type::now() - checks.active_since(stage_started))
              .count();
      times[k] = {secs, checks.build_cpu()};
      checks.note(term().dim(fmt::format(
          "({:.0f} s{})", secs,
          checks.build_cpu() > 0 ? fmt::format(", builds {:.0f} s of CPU", checks.build_cpu())
                                 : std::string())));
      checks.finish();
    });
    queued.wait();
    if (stages[k].alone) join_all();
  }
  join_all();
  int passed = 0;
  int failed = 0;
  std::vector<std::string> failures;
  for (const auto& t : tallies) {
    passed += t->passed();
    failed += t->failed();
    failures.insert(failures.end(), t->failures().begin(), t->failures().end());
  }
  fmt::print("\n{}\n", term().bold("== Time per stage (they overlap: each stage's tests run beside "
                                   "the next one's build) =="));
  double cpu = 0;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    cpu += times[k].second;
    fmt::print("  {:>6.0f} s  {}{}\n", times[k].first, stages[k].name,
               times[k].second > 0 ? fmt::format(" (builds: {:.0f} s of CPU)", times[k].second)
                                   : std::string());
  }
  fmt::print("  {:>6.0f} s  in all (builds: {:.0f} s of CPU)\n\n", seconds_since(started), cpu);
  if (!failures.empty()) {
    fmt::print("\n{}\n", term().bold("== What failed (each is explained in its stage above) =="));
    for (const auto& line : failures) fmt::print("  {} {}\n", term().failed(), line);
    fmt::print("\n");
  }
  fmt::print("{}\n", failed == 0 ? term().green("All checks passed.")
                                 : term().red(fmt::format("{} check(s) failed.", failed)));
  fmt::print("workbook: {} passed, {} failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

int command_test(const runner_context& context, const suite_options& options) {
  std::vector<stage> stages;
  for (const auto& l : context.exercises_manifest.layers) {
    if (l.suite && !l.no_tests) {
      stages.push_back(
          {l.tree, [&context, &options, &l](tally& t) { run_tree(context, options, l, t); }});
    }
  }
  stages.push_back({"stubs", [&](tally& t) { check_stubs(context, options, t); }});
  stages.push_back({"mutants", [&](tally& t) { check_mutants(context, options, t); }});
  if (whole_suite(options)) stages.push_back({"book", [&](tally& t) { check_book(context, t); }});
  stages.push_back({"load (1 round, 4 busy loops)",
                    [&](tally& t) { check_load(context, options, 1, {4}, t); }, true});
  return run_stages(context, stages);
}

int command_dev_check(const runner_context& context, const suite_options& options) {
  return run_stages(context, {{"stubs", [&](tally& t) { check_stubs(context, options, t); }},
                              {"mutants", [&](tally& t) { check_mutants(context, options, t); }}});
}

int command_dev_load(const runner_context& context, const suite_options& options) {
  return run_stages(context,
                    {{fmt::format("load ({} rounds, 2 then 4 busy loops)", options.load_rounds),
                      [&](tally& t) {
                        check_load(context, options, options.load_rounds, {2, 4}, t);
                      },
                      true}});
}

}  // namespace wb::runner
