// workbook-runner: the learner's side of ./workbook (the launcher checks the
// dependencies, configures build/dev, builds this program and execs it).
//   ./workbook                 watch mode on a terminal, else progress + verdict
//   ./workbook list|check|hint|reset|demo|book|help
#include "commands.hpp"
#include "learner_state.hpp"
#include "process.hpp"
#include "suite.hpp"
#include "terminal.hpp"
#include "text.hpp"
#include "watch.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

namespace {

using namespace wb::runner;

const std::vector<std::string> command_names = {"list", "check", "hint", "reset", "demo", "book",
                                                "help", "test",  "dev",  "bench", "deps"};

// Ctrl-C, or the terminal closing: end every child's process group (a test
// binary or a build must not outlive us), leave the terminal sane, and die
// of the same signal so that the shell sees why.
void on_fatal_signal(int signal) {
  kill_all_children();
  restore_terminal_now();
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void install_signal_handlers() {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT}) ::signal(s, on_fatal_signal);
}

std::string help_text() {
  return R"(Usage: ./workbook [options] [command]

  (no command)      on a terminal: watch mode on the exercise you are on (re-checks
                    when you save; keys n next, h hint, l list, r re-run, x reset, q quit).
                    Without a terminal: your progress and that exercise's verdict.
  list              chapters and exercises, done or pending, with a progress bar
  check [name]      the layered verdict of one exercise: builds -> tests pass ->
                    ThreadSanitizer (-> model checker, where the exercise declares it)
  check --all [--format text|json|junit]
                    every exercise's verdict per layer, for an autograder (README)
  hint [name]       the next hint (nudge, then idea, then near-answer)
  reset <name>      back to the stub as shipped; your file is first copied to .workbook/backups/
  demo [name]       list the chapter demos, or build and run one
  book              build the book (HTML) and print where it is
  bench [name]      list the benchmarks, or build (-O2) and run one
  test [name...]    the full suite (what CI runs): every tree of the layer table built and
                    its tests run, the stubs, the mutants, one load round, the book;
                    the time of each stage; ends with "workbook: N passed, M failed".
                    With names (or --chapter): only those exercises, no demo or book
  dev check [name...]  maintainers: the stubs fail, every mutant is caught (the
                    solutions themselves run in test); with names, only those
  dev load [N]      maintainers: every solution test N times (20) beside 2, then 4 busy loops
  deps              only check (and install) the Debian packages needed
  help              this text

Options:
  --yes             reset without asking; install missing packages without asking
  --deadline SECS   how long a test may make no progress (default: per layer, the layer
                    table's STALL_SECONDS; also WB_RUN_DEADLINE): the tests' own deadlines
                    come at half of it, and a whole run is stopped after ten times it
  --chapter NN      test, dev check, dev load: only chapter NN (its exercises, mutants,
                    solution tests and demos)
  --no-cache        recompute verdicts even when the files have not changed

Environment: NO_COLOR disables colour.
)";
}

}  // namespace

int main(int argc, char** argv) {
  install_signal_handlers();
  CLI::App app{"The C++ Concurrency Workbook"};
  app.set_help_flag();  // `help` is a command; -h/--help map to it below
  bool assume_yes = false;
  bool no_cache = false;
  bool show_help = false;
  bool all = false;
  std::string format = "text";
  std::string chapter;
  std::optional<int> deadline;
  app.add_flag("--yes,-y", assume_yes);
  app.add_flag("--no-cache", no_cache);
  app.add_flag("--help,-h", show_help);
  app.add_flag("--all", all);
  app.add_option("--format", format);
  app.add_option("--chapter", chapter);
  app.add_option("--deadline", deadline)->check(CLI::PositiveNumber);
  std::string command;
  std::vector<std::string> rest;
  app.add_option("command", command);
  app.add_option("args", rest);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) { return app.exit(error); }
  if (show_help || command == "help") {
    fmt::print("{}", help_text());
    return 0;
  }
  try {
    if (!command.empty() &&
        std::find(command_names.begin(), command_names.end(), command) == command_names.end()) {
      const auto close = did_you_mean(command, command_names);
      throw std::runtime_error(
          fmt::format("unknown command '{}'{}", command,
                      close.empty() ? " (./workbook help lists them)"
                                    : fmt::format(". Did you mean '{}'?", close.front())));
    }
    if (command == "bench" || command == "deps") {
      throw std::runtime_error("'" + command + "' is run by the launcher: ./workbook " + command);
    }
    runner_context context;
    context.root = std::filesystem::current_path();
    migrate_learner_state(context.root);
    context.exercises_manifest = load_manifest(context.root);
    context.use_cache = !no_cache;
    if (const char* env = std::getenv("WB_RUN_DEADLINE"); env != nullptr && std::atoi(env) > 0) {
      context.deadline_override = std::chrono::seconds(std::atoi(env));
    }
    if (deadline) context.deadline_override = std::chrono::seconds(*deadline);
    const std::string argument = rest.empty() ? "" : rest.front();
    if (command.empty()) {
      return ::isatty(STDOUT_FILENO) == 1 && ::isatty(STDIN_FILENO) == 1 ? run_watch_mode(context)
                                                                         : command_status(context);
    }
    if (command == "list") return command_list(context);
    suite_options suite{chapter, {}, 20};
    // test [exercise...], dev check [exercise...]: only those exercises.
    auto named_exercises = [&](std::size_t first) {
      for (std::size_t i = first; i < rest.size(); ++i) {
        if (context.exercises_manifest.find_exercise(rest[i]) == nullptr) {
          const auto close = did_you_mean(rest[i], context.exercises_manifest.exercise_names());
          throw std::runtime_error(
              fmt::format("no exercise named '{}'{}", rest[i],
                          close.empty() ? " (./workbook list)"
                                        : fmt::format(". Did you mean '{}'?", close.front())));
        }
        suite.exercises.push_back(rest[i]);
      }
    };
    if (command == "test") {
      named_exercises(0);
      return command_test(context, suite);
    }
    if (command == "dev") {
      if (argument == "check") {
        named_exercises(1);
        return command_dev_check(context, suite);
      }
      if (argument == "load") {
        if (rest.size() > 1) {
          const std::string& n = rest[1];
          if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos ||
              std::stoi(n) < 1) {
            throw std::runtime_error("dev load takes a number of rounds (default 20), not '" + n +
                                     "'");
          }
          suite.load_rounds = std::stoi(n);
        }
        return command_dev_load(context, suite);
      }
      throw std::runtime_error("unknown command 'dev " + argument +
                               "': did you mean 'dev check' or 'dev load [N]'?");
    }
    if (command == "check" && all) return command_check_all(context, format);
    if (format != "text") throw std::runtime_error("--format goes with check --all");
    if (command == "check") return command_check(context, argument);
    if (command == "hint") return command_hint(context, argument);
    if (command == "demo") return command_demo(context, argument);
    if (command == "book") return command_book(context);
    if (command == "reset") {
      if (argument.empty()) throw std::runtime_error("usage: ./workbook reset <exercise> [--yes]");
      return command_reset(context, argument, assume_yes);
    }
  } catch (const std::exception& error) {
    restore_terminal_now();
    fmt::print(stderr, "{}\n",
               term().colour
                   ? fmt::format(fmt::fg(fmt::terminal_color::red), "workbook: {}", error.what())
                   : fmt::format("workbook: {}", error.what()));
    return 2;
  }
  return 0;
}
