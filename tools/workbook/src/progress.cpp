#include "progress.hpp"

#include "learner_state.hpp"
#include "process.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>

namespace wb::runner {
namespace fs = std::filesystem;

namespace {
fs::path pointer_path(const runner_context& context) {
  return learner_state_dir(context.root) / "current";
}
}  // namespace

progress compute_progress(const runner_context& context, bool show_work) {
  const auto& m = context.exercises_manifest;
  progress p;
  std::vector<std::string> unbuilt;
  std::vector<std::optional<verdict>> cached;
  for (const auto& e : m.exercises) {
    cached.push_back(cached_verdict(context, e));
    if (!cached.back()) unbuilt.push_back(e.target);
  }
  if (!unbuilt.empty()) {
    // One ninja run builds them on every core; errors are found again, one
    // exercise at a time, by the verdicts below (-k 0: keep going).
    if (show_work)
      term().finish_line(term().dim(fmt::format("building {} exercise(s)…", unbuilt.size())));
    run_request batch{{"cmake", "--build", "--preset", std::string(primary_tree), "--target"},
                      {},
                      context.root.string(),
                      {},
                      {},
                      {}};
    batch.argv.insert(batch.argv.end(), unbuilt.begin(), unbuilt.end());
    batch.argv.insert(batch.argv.end(), {"--", "-k", "0"});
    run_process(batch);
  }
  for (std::size_t i = 0; i < m.exercises.size(); ++i) {
    const auto& e = m.exercises[i];
    if (cached[i]) {
      p.verdicts.push_back(*cached[i]);
    } else {
      if (show_work) term().start_line(term().dim(fmt::format("checking {}…", e.name)));
      p.verdicts.push_back(compute_verdict(context, e));
      if (show_work) term().start_line("\r\x1b[K");
    }
    if (p.verdicts.back().done) ++p.done;
  }
  p.current = current_exercise(context, p);
  return p;
}

const exercise* current_exercise(const runner_context& context, const progress& p) {
  const auto& m = context.exercises_manifest;
  std::ifstream in(pointer_path(context));
  std::string name;
  std::getline(in, name);
  for (std::size_t i = 0; i < m.exercises.size(); ++i) {
    if (m.exercises[i].name == name && !p.verdicts[i].done) return &m.exercises[i];
  }
  for (std::size_t i = 0; i < m.exercises.size(); ++i) {
    if (!p.verdicts[i].done) return &m.exercises[i];
  }
  return nullptr;
}

void save_current_pointer(const runner_context& context, const std::string& name) {
  std::error_code error;
  fs::create_directories(pointer_path(context).parent_path(), error);
  std::ofstream(pointer_path(context)) << name << "\n";
}

std::string one_line_state(const verdict& v) {
  const auto* failed = v.failure();
  if (failed == nullptr) return "done";
  const bool other_tree = std::any_of(
      loaded_layers().begin(), loaded_layers().end(),
      [&](const layer& l) { return l.name == failed->layer && l.tree != primary_tree; });
  if (other_tree) {
    if (!starts_with(failed->headline, "ThreadSanitizer"))
      return "under " + layer_title(failed->layer) + ": " + failed->headline;
  }
  return failed->headline;
}

void print_list(const runner_context& context, const progress& p) {
  const auto& t = term();
  const auto& m = context.exercises_manifest;
  for (const auto& c : m.chapters) {
    std::size_t total = 0;
    std::size_t done = 0;
    for (std::size_t i = 0; i < m.exercises.size(); ++i) {
      if (m.exercises[i].chapter != c.slug) continue;
      ++total;
      if (p.verdicts[i].done) ++done;
    }
    if (total == 0) continue;
    fmt::print("\n{} {} {}/{}\n", t.bold(fmt::format("{}. {}", c.number, c.title)),
               done == total ? t.green(progress_bar(done, total)) : progress_bar(done, total), done,
               total);
    for (std::size_t i = 0; i < m.exercises.size(); ++i) {
      const auto& e = m.exercises[i];
      if (e.chapter != c.slug) continue;
      const auto& v = p.verdicts[i];
      const bool here = p.current == &e;
      fmt::print("  {} {:<22} {}{}\n", v.done ? t.ok() : t.failed(), e.name,
                 v.done ? t.dim("done") : t.dim("pending — " + one_line_state(v)),
                 here ? t.yellow("  ← you are here") : "");
    }
  }
  fmt::print("\n{} of {} exercises done {}\n", p.done, m.exercises.size(),
             progress_bar(p.done, m.exercises.size(), 30));
}

}  // namespace wb::runner
