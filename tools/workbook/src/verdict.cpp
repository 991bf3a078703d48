#include "verdict.hpp"

#include "catch2_output.hpp"
#include "compiler_errors.hpp"
#include "content_hash.hpp"
#include "crash_report.hpp"
#include "failure_record.hpp"
#include "hang_report.hpp"
#include "process.hpp"
#include "runner_config.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

namespace wb::runner {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::mutex session_mutex;
std::set<std::string> computed_names;  // guarded by session_mutex
std::optional<running_test> running;   // guarded by session_mutex

// Bumped when what a verdict records changes, so old cache entries are ignored.
constexpr std::string_view cache_format = "verdict-cache-4";

fs::path verdict_dir(const runner_context& context) {
  return tree_dir(context.root, primary_tree) / "verdicts";
}

const layer& testing_layer(const runner_context& context, const std::string& tree) {
  if (const auto* l = context.exercises_manifest.testing_layer_of_tree(tree)) return *l;
  throw std::runtime_error("no layer of the layer table runs tests in build/" + tree);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The lines of CMakeCache.txt that decide what the compiler produces.
std::string compiler_identity(const fs::path& tree) {
  std::string identity;
  std::ifstream in(tree / "CMakeCache.txt");
  for (std::string line; std::getline(in, line);) {
    if (starts_with(line, "CMAKE_CXX_COMPILER:") || starts_with(line, "CMAKE_CXX_FLAGS:") ||
        starts_with(line, "WB_")) {
      identity += line + "\n";
    }
  }
  return identity;
}

// The files the last build of the exercise's test binary read, from Ninja's
// dependency record: the objects the binary links (`ninja -t query`), then the
// headers each was compiled with (`ninja -t deps`, the compiler's own -MD
// list). Only the repository's files: the compiler and its options are in the
// key already. Empty before the first build. A header the record does not
// list yet is included by a file it does list, so a new #include changes that
// file's content, and the key, too.
std::vector<fs::path> build_dependencies(const fs::path& root, const fs::path& tree,
                                         const exercise& e) {
  std::vector<fs::path> files;
  if (!fs::exists(tree / ".ninja_deps")) return files;
  auto ninja = [&](std::vector<std::string> tool) {
    run_request request{{"ninja", "-C", tree.string(), "-t"}, {}, {}, {}, {}, {}};
    request.argv.insert(request.argv.end(), tool.begin(), tool.end());
    const auto result = run_process(request);
    return result.succeeded() ? split_lines(result.output) : std::vector<std::string>{};
  };
  std::vector<std::string> objects;
  for (const auto& line : ninja({"query", e.binary})) {
    const std::string_view entry = trim(line);
    if (starts_with(line, "    ") && entry.size() > 2 && entry.substr(entry.size() - 2) == ".o") {
      objects.emplace_back(entry);
    }
  }
  if (objects.empty()) return files;
  objects.insert(objects.begin(), "deps");
  const std::string prefix = root.string() + "/";
  for (const auto& line : ninja(objects)) {
    const std::string_view entry = trim(line);
    if (starts_with(line, "    ") && starts_with(entry, prefix))
      files.emplace_back(std::string(entry));
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::string strip_colour(const std::string& text) {
  static const std::regex escape("\x1b\\[[0-9;]*m");
  return std::regex_replace(text, escape, "");
}

json to_json(const verdict& v, const std::string& key) {
  json layers = json::array();
  for (const auto& l : v.layers) {
    layers.push_back({{"layer", l.layer},
                      {"passed", l.passed},
                      {"headline", l.headline},
                      {"details", l.details},
                      {"seconds", l.seconds}});
  }
  return {{"key", key}, {"exercise", v.exercise}, {"done", v.done}, {"layers", layers}};
}

void store(const runner_context& context, const verdict& v, const std::string& key) {
  std::error_code error;
  fs::create_directories(verdict_dir(context), error);
  std::ofstream(verdict_dir(context) / (v.exercise + ".json")) << to_json(v, key).dump(1) << "\n";
}

// The environment of a test run: the build's sanitizer settings, and the
// in-process deadlines set to half the runner's, so that a test's own
// deadline, which says what it waited for ("consumers blocked in pop on an
// empty queue, then close()"), fires first. WB_DEADLINE_HOLD keeps the process
// alive after that message (wb::test::fail_deadline), so that every thread's
// stack can still be read; the runner's deadline is the backstop for a wait
// the test does not guard (and for the 30 s whole-test-case watchdog).
std::vector<std::string> test_environment(const runner_context& context, const std::string& tree) {
  std::vector<std::string> env(std::begin(config::test_environment),
                               std::end(config::test_environment));
  const double build_scale = testing_layer(context, tree).deadline_scale;
  const double stall_seconds = static_cast<double>(stall_deadline(context, tree).count());
  // wb/testing.hpp's shortest deadline is 5 s times the build's scale times ours.
  const double scale = stall_seconds / (2.0 * 5.0 * build_scale);
  env.push_back(fmt::format("WB_DEADLINE_SCALE={}", scale));
  env.push_back("WB_DEADLINE_HOLD=1");
  return env;
}

}  // namespace

layer_result build_in_tree(const runner_context& context, const exercise& e,
                           const std::string& target, const std::string& tree,
                           const std::string& layer, const std::function<bool()>& cancelled,
                           std::string& log) {
  layer_result result{layer, false, {}, {}, 0};
  if (!fs::exists(tree_dir(context.root, tree) / "build.ninja")) {
    run_request configure{
        {"cmake", "--preset", tree}, {}, context.root.string(), {}, {}, cancelled};
    const auto configured = run_process(configure);
    if (!configured.succeeded()) {
      log = configured.output;
      result.headline = fmt::format("could not configure build/{} (cmake --preset {})", tree, tree);
      result.transient = true;
      return result;
    }
  }
  run_request build{{"cmake", "--build", "--preset", tree, "--target", target},
                    {},
                    context.root.string(),
                    {},
                    {},
                    cancelled};
  const auto built = run_process(build);
  result.seconds = static_cast<double>(built.elapsed.count()) / 1000.0;
  if (built.succeeded()) {
    result.passed = true;
    return result;
  }
  log = built.output;
  const auto report =
      parse_compiler_output(built.output, context.exercises_manifest.source_dir.string());
  const std::size_t count = report.errors.size();
  result.headline =
      count == 0 ? "does not build"
                 : fmt::format("does not compile ({} error{})", count, count == 1 ? "" : "s");
  result.transient = count == 0;
  if (built.was_cancelled) result.headline = "cancelled";
  result.details = render_compiler_report(
      report, e.files, fmt::format("cmake --build --preset {} --target {}", tree, target));
  return result;
}

bool tree_builds_exercise(const runner_context& context, const exercise& e,
                          const std::string& tree) {
  // As cmake/WorkbookLayers.cmake decides: one of its layers lives in the
  // tree (`build` alone is enough for dev), or the tree's testing layer is
  // not a verdict layer (asan-ubsan).
  const layer* l = context.exercises_manifest.testing_layer_of_tree(tree);
  if (l == nullptr) return false;
  if (!l->verdict) return true;
  return std::any_of(e.layers.begin(), e.layers.end(), [&](const std::string& name) {
    const layer* declared = context.exercises_manifest.find_layer(name);
    return declared != nullptr && declared->tree == tree;
  });
}

namespace {

layer_result build_layer(const runner_context& context, const exercise& e, const std::string& tree,
                         const std::string& layer, const std::function<bool()>& cancelled,
                         std::string& log) {
  return build_in_tree(context, e, e.target, tree, layer, cancelled, log);
}

std::string root_of(const runner_context& context) {
  return context.exercises_manifest.source_dir.string();
}

// Where an exercise's failures are best shown (pick_frame): its files, then its tests.
frame_preference preference_of(const exercise& e) {
  return {e.files, fs::path(e.test_source).parent_path().string() + "/"};
}

// What a finished (or killed) test run means.

void explain_test_failure(const runner_context& context, const exercise& e, const run_result& run,
                          const std::vector<failure_record>& records,
                          const std::string& record_text, layer_result& result) {
  const std::string root = context.exercises_manifest.source_dir.string();
  const auto failures = parse_catch2_failures(run.output, root);
  const auto sanitizer = trimmed_sanitizer_report(run.output, root, preference_of(e));
  const auto model = explain_model_records(records, root, preference_of(e));
  if (run.exit_code == exit_not_implemented) {
    result.headline = "not implemented yet (a stub is still called)";
    for (const auto& line : message_block(run.output, "not implemented yet:", root))
      result.details.push_back("  " + line);
  } else if (run.exit_code == exit_deadline) {
    result.headline = "a test did not finish: likely deadlock or lost wake-up";
    for (const auto& line : message_block(run.output, "did not finish within", root))
      result.details.push_back("  " + line);
  } else if (!sanitizer.empty()) {
    result.headline = fmt::format(
        "{}: {}", contains(run.output, "ThreadSanitizer") ? "ThreadSanitizer" : "sanitizer",
        sanitizer_kind(run.output));
    const std::size_t keep = std::min<std::size_t>(sanitizer.size(), 30);
    for (std::size_t i = 0; i < keep; ++i) result.details.push_back("  " + sanitizer[i]);
  } else if (model) {
    result.headline = model->headline;
    result.details = model->details;
  } else if (run.signal != 0) {
    result.headline = describe_signal(run.signal);
    result.transient = run.signal == SIGKILL;
    // Where: the crash's backtrace (the test main's), at the frame pick_frame
    // prefers, the learner's line first; then the frames in the repository.
    const auto frames = crash_frames(record_text, root);
    if (const auto at = pick_frame(frames, preference_of(e))) {
      result.headline += " in " + frames[*at];
      result.details.push_back(
          "  the stack when it crashed (innermost first, the repository's frames):");
      std::size_t shown = 0;
      for (std::size_t i = 0; i < frames.size() && shown < 8; ++i) {
        if (!pick_frame({frames[i]}, preference_of(e))) continue;
        result.details.push_back(fmt::format("    {} {}", i == *at ? "→" : " ", frames[i]));
        ++shown;
      }
    }
    const auto catch2 = render_catch2_failures(failures, 1);
    result.details.insert(result.details.end(), catch2.begin(), catch2.end());
    for (const auto& line : split_lines(run.output)) {
      if (contains(line, "terminate called") || contains(line, "Assertion") ||
          contains(line, "what():")) {
        result.details.push_back("  " + strip_root(line, root));
      }
    }
  } else if (!failures.empty()) {
    const std::string totals = catch2_totals(run.output);
    result.headline = totals.empty() ? "tests fail" : "tests fail — " + totals;
    static const std::regex spaces(" +");
    result.headline = std::regex_replace(result.headline, spaces, " ");
    result.details = render_catch2_failures(failures);
  } else {
    result.headline = fmt::format("tests fail (exit code {})", run.exit_code);
    const auto lines = split_lines(run.output);
    for (std::size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); ++i) {
      result.details.push_back("  " + strip_root(lines[i], root));
    }
  }
}

}  // namespace

layer_result run_test_binary(const runner_context& context, const exercise& e,
                             const std::string& binary_path, const std::string& tree,
                             const std::string& layer, const std::function<bool()>& cancelled,
                             std::string& log, bool stack_dump) {
  layer_result result{layer, false, {}, {}, 0};
  // A cross-compiled tree's binaries carry its suffix and run under its
  // emulator (the windows tree: name.exe under Wine), as CTest runs them.
  const tree_runtime runtime = runtime_of_tree(context.root, tree);
  const fs::path binary = tree_dir(context.root, tree) / (binary_path + runtime.executable_suffix);
  run_request request;
  request.argv = runtime.emulator;
  request.argv.push_back(binary.string());
  const auto& args = testing_layer(context, tree).test_args;  // as CTest runs it
  request.argv.insert(request.argv.end(), args.begin(), args.end());
  request.environment = test_environment(context, tree);
  request.working_directory = binary.parent_path().string();
  request.deadline = run_deadline(context, tree);
  request.cancelled = cancelled;
  // Failed assertions as written (failure_record.hpp), beside the verdicts.
  std::error_code ignored;
  fs::create_directories(verdict_dir(context), ignored);
  const fs::path record_path =
      verdict_dir(context) / (binary.filename().string() + "." + tree + ".failures");
  fs::remove(record_path, ignored);
  request.environment.push_back("WB_FAILURE_RECORD=" + record_path.string());
  hang_dump hang;
  request.on_deadline = [&](pid_t pid) {
    if (!stack_dump) return;
    if (runtime.emulator.empty()) {
      hang =
          dump_hung_process(pid, context.exercises_manifest.source_dir.string(), preference_of(e));
    } else {  // gdb would see the emulator's threads, not the test's
      hang.summary = {
          "  (no thread stacks: the test runs under an emulator, which gdb cannot see into)"};
    }
  };
  {
    std::lock_guard lock(session_mutex);
    running = running_test{std::chrono::steady_clock::now(), run_deadline(context, tree)};
  }
  const auto run = run_process(request);
  {
    std::lock_guard lock(session_mutex);
    running.reset();
  }
  result.seconds = static_cast<double>(run.elapsed.count()) / 1000.0;
  const std::string record_text = read_file(record_path);
  const auto records = parse_failure_records(record_text);
  fs::remove(record_path, ignored);
  if (run.succeeded()) {
    result.passed = true;
    return result;
  }
  log = run.output;
  for (const auto& r : records) {
    log += fmt::format("\n---- failed in \"{}\" at {}, as written ----\n{}\n", r.test_case, r.where,
                       r.message);
  }
  if (run.was_cancelled) {
    result.headline = "cancelled";
  } else if (run.timed_out) {
    result.headline =
        fmt::format("did not finish within {} s: likely deadlock or lost wake-up",
                    std::chrono::duration_cast<std::chrono::seconds>(request.deadline).count());
    result.details = hang.summary;
    log += "\n---- stacks at the deadline ----\n" + hang.raw;
  } else if (run.held) {
    // The test's own deadline: its explanation, then where each thread waits.
    result.headline = "a test did not finish: likely deadlock or lost wake-up";
    for (const auto& line : message_block(run.output, "did not finish within", root_of(context))) {
      result.details.push_back("  " + line);
    }
    result.details.insert(result.details.end(), hang.summary.begin(), hang.summary.end());
    log += "\n---- stacks at the test's deadline ----\n" + hang.raw;
  } else {
    explain_test_failure(context, e, run, records, record_text, result);
  }
  return result;
}

namespace {

layer_result test_layer(const runner_context& context, const exercise& e, const std::string& tree,
                        const std::string& layer, const std::function<bool()>& cancelled,
                        std::string& log) {
  return run_test_binary(context, e, e.binary, tree, layer, cancelled, log);
}

}  // namespace

const layer_result* verdict::failure() const {
  for (const auto& l : layers) {
    if (!l.passed) return &l;
  }
  return nullptr;
}

std::string layer_title(const std::string& layer) {
  for (const auto& l : loaded_layers()) {
    if (l.name == layer) return l.title;
  }
  return layer;
}

std::chrono::seconds stall_deadline(const runner_context& context, const std::string& tree) {
  if (context.deadline_override) return *context.deadline_override;
  return std::chrono::seconds(testing_layer(context, tree).stall_seconds);
}

// The tests' own deadlines bound the time without progress (wb/testing.hpp),
// so a correct solution slowed down by a busy machine runs on; this limit
// only ends a run that no in-process deadline guards, and must never become
// a verdict on speed: ten times the time a stall may last.
std::chrono::seconds run_deadline(const runner_context& context, const std::string& tree) {
  return 10 * stall_deadline(context, tree);
}

std::string verdict_key(const runner_context& context, const exercise& e) {
  return verdict_key(context, e,
                     build_dependencies(context.root, tree_dir(context.root, primary_tree), e));
}

std::string verdict_key(const runner_context& context, const exercise& e,
                        const std::vector<fs::path>& dependencies) {
  content_hash hash;
  hash.add(cache_format);
  for (const auto& layer : e.layers) hash.add(layer);
  hash.add(compiler_identity(tree_dir(context.root, primary_tree)));
  for (const auto& file : e.files) hash.add_file(context.root / file);
  hash.add_file(context.root / e.test_source);
  // The test's own headers (chapter 6's arc_*_tests.hpp, drop_counter.hpp...)
  // and whatever else the build read.
  for (const auto& file : dependencies) {
    hash.add(file.string());
    hash.add_file(file);
  }
  for (const auto& dir : {"common/include", "common/src"}) {
    for (const auto& file : files_under(context.root / dir)) hash.add_file(file);
  }
  return hash.hex();
}

std::optional<verdict> cached_verdict(const runner_context& context, const exercise& e) {
  if (!context.use_cache) return std::nullopt;
  const fs::path path = verdict_dir(context) / (e.name + ".json");
  if (!fs::exists(path)) return std::nullopt;
  try {
    const json doc = json::parse(read_file(path));
    if (doc.at("key").get<std::string>() != verdict_key(context, e)) return std::nullopt;
    verdict v{e.name, doc.at("done").get<bool>(), true, {}};
    for (const auto& l : doc.at("layers")) {
      layer_result r{l.at("layer"), l.at("passed"), l.at("headline"),
                     l.at("details").get<std::vector<std::string>>(), l.at("seconds")};
      if (!term().colour) {
        for (auto& d : r.details) d = strip_colour(d);
      }
      v.layers.push_back(std::move(r));
    }
    return v;
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged cache entry is simply recomputed
  }
}

verdict compute_verdict(const runner_context& context, const exercise& e,
                        const layer_observer& observer, const std::function<bool()>& cancelled) {
  const auto dependencies =
      build_dependencies(context.root, tree_dir(context.root, primary_tree), e);
  std::string key = verdict_key(context, e, dependencies);
  verdict v{e.name, false, false, {}};
  std::string log;
  auto step = [&](const std::string& layer, auto&& run_layer) {
    if (observer) observer(layer, nullptr);
    v.layers.push_back(run_layer());
    if (observer) observer(layer, &v.layers.back());
    return v.layers.back().passed;
  };
  // The later layers' builds start as soon as the dev build is done, and run
  // while the dev tests do: the ThreadSanitizer verdict comes sooner, and the
  // dev build, which decides how soon the first verdict comes, has the
  // machine to itself (on two cores a parallel compile slowed it by a fifth,
  // measured). A failing earlier layer cancels them.
  std::atomic<bool> stop_early_builds{false};
  const std::function<bool()> early_cancelled = [&] {
    return stop_early_builds.load() || (cancelled && cancelled());
  };
  struct early_build {
    std::string log;
    std::future<layer_result> result;
  };
  std::map<std::string, early_build> early;
  auto start_early_build = [&](const layer& l) {
    early_build& b = early[l.name];
    b.result = std::async(std::launch::async, [&context, &e, &l, &early_cancelled, &log = b.log] {
      return build_layer(context, e, l.tree, l.name, early_cancelled, log);
    });
  };
  // The exercise's layers in the layer table's order: `build` (the dev
  // build), `test` (in dev), then the layers of the other trees.
  std::vector<const layer*> declared;
  for (const auto& l : context.exercises_manifest.layers) {
    if (l.verdict && e.has_layer(l.name)) declared.push_back(&l);
  }
  bool ok = true;
  bool skipped = false;
  for (const layer* l : declared) {
    if (!ok) break;
    if (const std::string missing = layer_unavailable(*l); !missing.empty()) {
      step(l->name, [&] {
        layer_result r{l->name, true, "skipped: " + missing, {}, 0};
        r.skipped = true;
        return r;
      });
      skipped = true;
      continue;
    }
    if (l->no_tests) {
      ok = step(l->name, [&] { return build_layer(context, e, l->tree, l->name, cancelled, log); });
      if (!ok || l->tree != primary_tree) continue;
      // The build rewrites the dependency record (the first build writes it; a
      // new #include adds to it): the verdict is stored under the key of the new
      // record, or the next check would not find it. Only when the files of the
      // old record did not change meanwhile: else the old key, which the next
      // check will not match, so that it checks again.
      if (verdict_key(context, e, dependencies) == key) {
        key = verdict_key(
            context, e, build_dependencies(context.root, tree_dir(context.root, primary_tree), e));
      }
      for (const layer* other : declared) {
        if (!other->no_tests && other->tree != primary_tree && layer_unavailable(*other).empty()) {
          start_early_build(*other);
        }
      }
    } else if (l->tree == primary_tree) {
      ok = step(l->name, [&] { return test_layer(context, e, l->tree, l->name, cancelled, log); });
    } else {
      ok = step(l->name, [&] {
        layer_result built;
        if (auto found = early.find(l->name);
            found != early.end()) {  // started when the dev build passed
          built = found->second.result.get();
          if (!built.passed) log = found->second.log;
        } else {
          built = build_layer(context, e, l->tree, l->name, cancelled, log);
        }
        if (!built.passed) return built;
        layer_result tested = test_layer(context, e, l->tree, l->name, cancelled, log);
        tested.seconds += built.seconds;
        return tested;
      });
    }
  }
  stop_early_builds = true;  // an earlier layer failed: builds still running are not needed
  for (auto& [layer, b] : early) {
    if (b.result.valid()) b.result.wait();
  }
  v.done = ok;
  {
    std::lock_guard lock(session_mutex);
    computed_names.insert(e.name);
  }
  const bool was_cancelled = !v.layers.empty() && v.layers.back().headline == "cancelled";
  const bool transient = std::any_of(v.layers.begin(), v.layers.end(),
                                     [](const layer_result& l) { return l.transient; });
  if (!was_cancelled && !skipped && !transient) store(context, v, key);
  if (!log.empty()) {
    std::error_code error;
    fs::create_directories(verdict_dir(context), error);
    std::ofstream(verdict_dir(context) / (e.name + ".log")) << log;
  }
  return v;
}

bool computed_in_this_run(const std::string& exercise) {
  std::lock_guard lock(session_mutex);
  return computed_names.count(exercise) != 0;
}

std::optional<running_test> test_in_progress() {
  std::lock_guard lock(session_mutex);
  return running;
}

verdict get_verdict(const runner_context& context, const exercise& e,
                    const layer_observer& observer) {
  if (auto cached = cached_verdict(context, e)) return *cached;
  return compute_verdict(context, e, observer);
}

void print_layer(const layer_result& result) {
  const auto& t = term();
  if (result.skipped) {
    t.finish_line(
        fmt::format("  {} {} — {}", t.yellow("–"), layer_title(result.layer), result.headline));
    return;
  }
  if (result.passed) {
    t.finish_line(fmt::format("  {} {} {}", t.ok(), layer_title(result.layer),
                              t.dim(fmt::format("({:.1f} s)", result.seconds))));
    return;
  }
  t.finish_line(
      fmt::format("  {} {} — {}", t.failed(), layer_title(result.layer), result.headline));
  for (const auto& line : result.details) fmt::print("  {}\n", line);
}

void print_verdict(const verdict& v) {
  for (const auto& l : v.layers) print_layer(l);
}

}  // namespace wb::runner
