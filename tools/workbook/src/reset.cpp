// `./workbook reset <name>`: the learner's file(s) are first copied to a
// timestamped backup (build/dev/backups/<name>-YYYYmmdd-HHMMSS/<file>), then
// the stub is restored from git (HEAD). Nothing is lost: the backup path is
// printed, and the command asks first unless --yes.
#include "commands.hpp"
#include "process.hpp"
#include "terminal.hpp"

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace wb::runner {
namespace fs = std::filesystem;

namespace {

bool is_git_checkout(const fs::path& root) {
  run_request probe{{"git", "-C", root.string(), "rev-parse", "--is-inside-work-tree"}, {}, {}, {}, {}, {}};
  const auto result = run_process(probe);
  return result.succeeded() && result.output.find("true") != std::string::npos;
}

fs::path fresh_backup_dir(const runner_context& context, const std::string& name) {
  const std::time_t now = std::time(nullptr);
  const std::string stamp = fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(now));
  fs::path dir = context.root / "build/dev/backups" / (name + "-" + stamp);
  for (int n = 2; fs::exists(dir); ++n) {
    dir = context.root / "build/dev/backups" / fmt::format("{}-{}-{}", name, stamp, n);
  }
  return dir;
}

bool confirmed(const exercise& e) {
  if (::isatty(STDIN_FILENO) != 1) {
    throw std::runtime_error("reset asks before it replaces your file; without a terminal, pass --yes");
  }
  fmt::print("Replace your {} with the stub? Your version is kept in build/dev/backups/. [y/N] ",
             e.files.size() == 1 ? e.files.front() : fmt::format("{} files", e.files.size()));
  std::fflush(stdout);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

int command_reset(const runner_context& context, const std::string& name, bool assume_yes) {
  const auto& t = term();
  const exercise& e = exercise_named(context, name);
  if (!is_git_checkout(context.root)) {
    throw std::runtime_error("this is not a git checkout, so the original stub cannot be restored "
                             "(a fresh copy of the workbook has it in " + e.files.front() + ")");
  }
  // Read every stub first: reset all files or none.
  std::vector<std::string> stubs;
  for (const auto& file : e.files) {
    run_request show{{"git", "-C", context.root.string(), "show", "HEAD:" + file}, {}, {}, {}, {}, {}};
    auto result = run_process(show);
    if (!result.succeeded()) throw std::runtime_error("git show HEAD:" + file + " failed: " + result.output);
    stubs.push_back(std::move(result.output));
  }
  if (!assume_yes && !confirmed(e)) {
    fmt::print("Nothing changed.\n");
    return 1;
  }
  const fs::path backup = fresh_backup_dir(context, e.name);
  fs::create_directories(backup);
  for (std::size_t i = 0; i < e.files.size(); ++i) {
    const fs::path learner_file = context.root / e.files[i];
    const fs::path saved = backup / learner_file.filename();
    fs::copy_file(learner_file, saved, fs::copy_options::overwrite_existing);
    std::ofstream(learner_file, std::ios::binary | std::ios::trunc) << stubs[i];
    fmt::print("{} {} is the stub again; your version is in {}\n", t.ok(), e.files[i],
               fs::relative(saved, context.root).string());
  }
  return 0;
}

}  // namespace wb::runner
