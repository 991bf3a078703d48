// `./workbook reset <name>`: the learner's file(s) are first copied to a
// timestamped backup (.workbook/backups/<name>-YYYYmmdd-HHMMSS/<file>), then
// the stub is restored as the workbook shipped it. Nothing is lost: the
// backup path is printed, and the command asks first unless --yes.
//
// Which version is "as shipped": not HEAD, which holds the learner's own work
// once they commit it. The learner's commits carry their identity
// (`git config user.email`); the workbook's do not. So the stub is the file
// in the newest commit that touched it and is not the learner's: it follows
// the workbook when it reships a stub (a pull brings the new one), and it
// works with no remote at all and in a classroom fork, where the learner's
// pushes are in the upstream branch too (so "the upstream's version" would be
// their own again). When every commit that touched the file is theirs (a
// maintainer resetting in their own clone), the commit that added it.
#include "commands.hpp"
#include "learner_state.hpp"
#include "process.hpp"
#include "terminal.hpp"
#include "text.hpp"

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
  run_request probe{
      {"git", "-C", root.string(), "rev-parse", "--is-inside-work-tree"}, {}, {}, {}, {}, {}};
  const auto result = run_process(probe);
  return result.succeeded() && result.output.find("true") != std::string::npos;
}

std::string git(const runner_context& context, std::vector<std::string> arguments) {
  run_request request{{"git", "-C", context.root.string()}, {}, {}, {}, {}, {}};
  request.argv.insert(request.argv.end(), arguments.begin(), arguments.end());
  auto result = run_process(request);
  if (!result.succeeded()) {
    std::string command = "git";
    for (const auto& a : arguments) command += " " + a;
    throw std::runtime_error(command + " failed: " + result.output);
  }
  return std::move(result.output);
}

// The commit that shipped `file` as the learner should get it back (above).
std::string shipping_commit(const runner_context& context, const std::string& file) {
  std::string learner;
  run_request email{
      {"git", "-C", context.root.string(), "config", "user.email"}, {}, {}, {}, {}, {}};
  if (auto result = run_process(email); result.succeeded())
    learner = std::string(trim(result.output));
  const auto history =
      split_lines(git(context, {"log", "--format=%H %ae", "--", file}));  // newest first
  for (const auto& line : history) {
    const auto space = line.find(' ');
    if (space != std::string::npos && line.substr(space + 1) != learner)
      return line.substr(0, space);
  }
  if (history.empty())
    throw std::runtime_error(file + " has no history in git: its stub cannot be found");
  return history.back().substr(0, history.back().find(' '));
}

fs::path fresh_backup_dir(const runner_context& context, const std::string& name) {
  const std::time_t now = std::time(nullptr);
  const std::string stamp = fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(now));
  const fs::path backups = learner_state_dir(context.root) / "backups";
  fs::path dir = backups / (name + "-" + stamp);
  for (int n = 2; fs::exists(dir); ++n) dir = backups / fmt::format("{}-{}-{}", name, stamp, n);
  return dir;
}

bool confirmed(const exercise& e) {
  if (::isatty(STDIN_FILENO) != 1) {
    throw std::runtime_error(
        "reset asks before it replaces your file; without a terminal, pass --yes");
  }
  fmt::print("Replace your {} with the stub? Your version is kept in .workbook/backups/. [y/N] ",
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
    throw std::runtime_error(
        "this is not a git checkout, so the original stub cannot be restored "
        "(a fresh copy of the workbook has it in " +
        e.files.front() + ")");
  }
  // Read every stub first: reset all files or none.
  std::vector<std::string> stubs;
  for (const auto& file : e.files)
    stubs.push_back(git(context, {"show", shipping_commit(context, file) + ":" + file}));
  if (!assume_yes && !confirmed(e)) {
    fmt::print("Nothing changed.\n");
    return 1;
  }
  const fs::path backup = fresh_backup_dir(context, e.name);
  fs::create_directories(backup);
  for (std::size_t i = 0; i < e.files.size(); ++i) {
    const fs::path learner_file = context.root / e.files[i];
    const fs::path saved = backup / learner_file.filename();
    const bool existed = fs::exists(learner_file);
    if (existed) fs::copy_file(learner_file, saved, fs::copy_options::overwrite_existing);
    std::ofstream(learner_file, std::ios::binary | std::ios::trunc) << stubs[i];
    if (existed) {
      fmt::print("{} {} is the stub again; your version is in {}\n", t.ok(), e.files[i],
                 fs::relative(saved, context.root).string());
    } else {
      fmt::print("{} {} is the stub again (it was missing)\n", t.ok(), e.files[i]);
    }
  }
  return 0;
}

}  // namespace wb::runner
