#include "commands.hpp"

#include "class_report.hpp"
#include "learner_state.hpp"
#include "process.hpp"
#include "progress.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace wb::runner {
namespace fs = std::filesystem;

namespace {

std::string unknown_name_message(std::string_view kind, const std::string& name,
                                 const std::vector<std::string>& candidates,
                                 std::string_view listing) {
  const auto close = did_you_mean(name, candidates);
  if (close.empty()) return fmt::format("no {} named '{}' ({} lists them)", kind, name, listing);
  std::string list;
  for (const auto& c : close) list += (list.empty() ? "" : ", ") + c;
  return fmt::format("no {} named '{}'. Did you mean: {}?", kind, name, list);
}

// Builds a target quietly; on failure prints the end of the build output.
bool build_target(const runner_context& context, const std::string& tree,
                  const std::string& target) {
  if (!fs::exists(tree_dir(context.root, tree) / "build.ninja")) {
    fmt::print("{}\n", term().dim(fmt::format("configuring build/{} (first time only)…", tree)));
    run_request configure{{"cmake", "--preset", tree}, {}, context.root.string(), {}, {}, {}};
    const auto configured = run_process(configure);
    if (!configured.succeeded()) {
      fmt::print("{}", configured.output);
      return false;
    }
  }
  fmt::print("{}\n", term().dim(fmt::format("building {} in build/{}…", target, tree)));
  run_request build{{"cmake", "--build", "--preset", tree, "--target", target},
                    {},
                    context.root.string(),
                    {},
                    {},
                    {}};
  const auto built = run_process(build);
  if (!built.succeeded()) {
    const auto lines = split_lines(built.output);
    for (std::size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i) {
      fmt::print("{}\n", lines[i]);
    }
  }
  return built.succeeded();
}

}  // namespace

const exercise& exercise_named(const runner_context& context, const std::string& name) {
  const auto& m = context.exercises_manifest;
  if (const auto* e = m.find_exercise(name)) return *e;
  throw std::runtime_error(
      unknown_name_message("exercise", name, m.exercise_names(), "./workbook list"));
}

void print_full_output_path(const exercise& e) {
  fmt::print("{}\n", term().dim(fmt::format(
                         "  (full output: build/dev/verdicts/{}.log; a hint: ./workbook hint {})",
                         e.name, e.name)));
}

verdict check_with_progress(const runner_context& context, const exercise& e,
                            const std::function<bool()>& cancelled) {
  if (auto cached = cached_verdict(context, e)) {
    print_verdict(*cached);
    if (!computed_in_this_run(e.name)) {
      fmt::print("{}\n",
                 term().dim("  (unchanged since the last check: verdict from build/dev/verdicts)"));
    }
    return *cached;
  }
  const auto& t = term();
  // The line of the layer that runs, with the seconds it has taken (and,
  // while a test runs, its deadline), redrawn every second: a hang shows
  // time passing towards a verdict instead of a frozen line.
  std::mutex mutex;
  std::condition_variable changed;
  std::string layer_running;  // guarded by mutex; empty: none
  std::chrono::steady_clock::time_point layer_started;
  bool finished = false;
  auto redraw = [&] {
    // with mutex held
    if (layer_running.empty()) return;
    const auto since = [](std::chrono::steady_clock::time_point start) {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                              start)
          .count();
    };
    std::string clock = t.dim(fmt::format("{} s", since(layer_started)));
    if (const auto test = test_in_progress()) {
      clock =
          t.dim(fmt::format("{} s (test running: {} s of its {} s deadline)", since(layer_started),
                            since(test->started), test->deadline.count()));
    }
    t.start_line(
        fmt::format("\r\x1b[K  {} {}… {}", t.pending(), layer_title(layer_running), clock));
  };
  std::thread ticker;
  if (t.interactive) {
    ticker = std::thread([&] {
      std::unique_lock lock(mutex);
      while (!finished) {
        changed.wait_for(lock, std::chrono::seconds(1));
        if (!finished) redraw();
      }
    });
  }
  auto result = compute_verdict(
      context, e,
      [&](const std::string& layer, const layer_result* result) {
        std::lock_guard lock(mutex);
        if (result == nullptr) {
          layer_running = layer;
          layer_started = std::chrono::steady_clock::now();
          t.start_line(fmt::format("  {} {}…", t.pending(), layer_title(layer)));
        } else {
          layer_running.clear();
          print_layer(*result);
        }
      },
      cancelled);
  {
    std::lock_guard lock(mutex);
    finished = true;
  }
  changed.notify_one();
  if (ticker.joinable()) ticker.join();
  return result;
}

int command_status(const runner_context& context) {
  const auto& t = term();
  const auto& m = context.exercises_manifest;
  progress p = compute_progress(context, true);
  fmt::print("{}\n", t.bold("== Your progress =="));
  std::string chapter;
  for (std::size_t i = 0; i < m.exercises.size(); ++i) {
    const auto& e = m.exercises[i];
    if (e.chapter != chapter) {
      chapter = e.chapter;
      fmt::print("{}\n", t.bold("chapters/" + chapter));
    }
    const auto& v = p.verdicts[i];
    fmt::print("  {} {}. {}{}\n", v.done ? t.ok() : t.failed(), e.order, e.name,
               v.done ? "" : t.dim(" — " + one_line_state(v)));
  }
  fmt::print("\n{} of {} exercises done.\n", p.done, m.exercises.size());
  if (p.current == nullptr) {
    fmt::print("{}\n", t.green("Every exercise passes every layer. Well done."));
    return 0;
  }
  const auto& e = *p.current;
  fmt::print("\n{}\n",
             t.bold(fmt::format("== You are on: {} (chapters/{}) ==", e.name, e.chapter)));
  std::string files;
  for (const auto& f : e.files) files += (files.empty() ? "" : " ") + f;
  fmt::print("Edit: {}\n", files);
  print_verdict(p.verdicts[static_cast<std::size_t>(p.current - m.exercises.data())]);
  fmt::print("\nThen run ./workbook again. Stuck? ./workbook hint {}\n", e.name);
  return 1;
}

int command_list(const runner_context& context) {
  progress p = compute_progress(context, true);
  print_list(context, p);
  if (p.current != nullptr) fmt::print("Next: ./workbook check {}\n", p.current->name);
  return 0;
}

int command_check(const runner_context& context, const std::string& name) {
  if (name.empty()) return command_status(context);
  const exercise& e = exercise_named(context, name);
  fmt::print("{}\n", term().bold(fmt::format("{} ({})", e.name,
                                             e.files.empty() ? e.chapter : e.files.front())));
  const verdict v = check_with_progress(context, e);
  if (v.done) {
    const bool skipped = std::any_of(v.layers.begin(), v.layers.end(),
                                     [](const layer_result& l) { return l.skipped; });
    fmt::print("{} {} is done: every layer it declares passes{}.\n", term().ok(), e.name,
               skipped ? ", but the skipped ones, which this machine cannot run" : "");
    return 0;
  }
  print_full_output_path(e);
  return 1;
}

int command_check_all(const runner_context& context, const std::string& format) {
  if (format != "text" && format != "json" && format != "junit") {
    throw std::runtime_error("--format is text, json or junit, not '" + format + "'");
  }
  if (format != "text")
    term() = terminal{};  // a document for a program: no colour, no rewritten lines
  const progress p = compute_progress(context, format == "text");
  if (format == "json") fmt::print("{}", results_json(context.exercises_manifest, p.verdicts));
  if (format == "junit") fmt::print("{}", results_junit(context.exercises_manifest, p.verdicts));
  if (format == "text") {
    const auto& m = context.exercises_manifest;
    for (std::size_t i = 0; i < m.exercises.size(); ++i) {
      fmt::print("{}\n", term().bold(m.exercises[i].name));
      print_verdict(p.verdicts[i]);
    }
    fmt::print("\n{} of {} exercises done.\n", p.done, m.exercises.size());
  }
  return p.done == context.exercises_manifest.exercises.size() ? 0 : 1;
}

void show_next_hint(const runner_context& context, const exercise& e) {
  const auto& t = term();
  std::ifstream in(context.root / e.hints);
  if (!in) throw std::runtime_error("no hints file " + e.hints);
  // Sections start with "## "; everything before the first is the title.
  std::vector<std::vector<std::string>> sections;
  for (std::string line; std::getline(in, line);) {
    if (starts_with(line, "## ")) sections.emplace_back();
    if (!sections.empty()) sections.back().push_back(line);
  }
  if (sections.empty()) throw std::runtime_error(e.hints + " has no '## ' sections");
  const fs::path state = learner_state_dir(context.root) / "hints" / e.name;
  int level = 0;
  std::ifstream(state) >> level;
  level = std::min<int>(level + 1, static_cast<int>(sections.size()));
  std::error_code error;
  fs::create_directories(state.parent_path(), error);
  std::ofstream(state) << level << "\n";
  auto& section = sections[static_cast<std::size_t>(level - 1)];
  while (!section.empty() && trim(section.back()).empty()) section.pop_back();
  fmt::print("{}\n", t.bold(section.front()));
  for (std::size_t i = 1; i < section.size(); ++i) fmt::print("{}\n", section[i]);
  if (level < static_cast<int>(sections.size())) {
    fmt::print("\n{}\n", t.dim(fmt::format("(hint {} of {}; ask again for the next)", level,
                                           sections.size())));
  } else {
    fmt::print("\n{}\n", t.dim(fmt::format(
                             "(that was the last hint; the reference solution is solutions/{}/, "
                             "when you are ready)",
                             e.chapter)));
  }
}

int command_hint(const runner_context& context, const std::string& name) {
  if (!name.empty()) {
    show_next_hint(context, exercise_named(context, name));
    return 0;
  }
  const progress p = compute_progress(context, false);
  if (p.current == nullptr) {
    fmt::print("Every exercise is done: no hint needed.\n");
    return 0;
  }
  show_next_hint(context, *p.current);
  return 0;
}

int command_demo(const runner_context& context, const std::string& name) {
  const auto& t = term();
  const auto& m = context.exercises_manifest;
  if (name.empty()) {
    fmt::print("{}\n", t.bold("Demos (./workbook demo <name>)"));
    for (const auto& c : m.chapters) {
      if (c.demos.empty()) continue;
      fmt::print("{}\n", t.bold(fmt::format("{}. {}", c.number, c.title)));
      for (const auto& d : c.demos) {
        fmt::print("  {}{}\n", d.name,
                   d.expects_tsan_race
                       ? t.dim("  (runs under ThreadSanitizer: shows a data race report)")
                       : "");
      }
    }
    return 0;
  }
  const demo* d = m.find_demo(name);
  if (d == nullptr)
    throw std::runtime_error(unknown_name_message("demo", name, m.demo_names(), "./workbook demo"));
  const std::string tree(d->expects_tsan_race ? "tsan" : primary_tree);
  if (!build_target(context, tree, d->target)) {
    fmt::print("{} the demo does not build (output above)\n", t.failed());
    return 1;
  }
  const fs::path binary = tree_dir(context.root, tree) / d->binary;
  fmt::print("{}\n", t.dim(fmt::format("$ build/{}/{}", tree, d->binary)));
  return run_attached({binary.string()}, binary.parent_path().string());
}

int command_book(const runner_context& context) {
  if (!build_target(context, std::string(primary_tree), "book")) {
    fmt::print("{} the book did not build (Doxygen warnings are errors; output above)\n",
               term().failed());
    return 1;
  }
  fmt::print("The book: file://{}\n",
             (tree_dir(context.root, primary_tree) / "book/html/index.html").string());
  return 0;
}

}  // namespace wb::runner
