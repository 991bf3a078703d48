#include "hang_report.hpp"

#include "process.hpp"
#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include <unistd.h>

namespace wb::runner {

std::string simplify_function_name(std::string_view full_name) {
  std::string name(full_name);
  // The one parenthesis that is part of a name, not an argument list.
  for (const std::string_view anonymous : {"(anonymous namespace)::", "{anonymous}::"}) {
    for (auto at = name.find(anonymous); at != std::string::npos; at = name.find(anonymous)) {
      name.erase(at, anonymous.size());
    }
  }
  std::string result;
  int depth = 0;
  for (const char c : name) {
    if (c == '<') {
      ++depth;
    } else if (c == '>') {
      if (depth > 0) --depth;
    } else if (c == '(' && depth == 0) {
      break;  // the argument list
    } else if (depth == 0) {
      result += c;
    }
  }
  return std::string(trim(result));
}

std::vector<thread_stack> parse_gdb_backtraces(std::string_view output,
                                               std::string_view source_root) {
  static const std::regex thread_header(R"re(^Thread (\d+) \(.*?(?:"([^"]*)")?\)?:$)re");
  static const std::regex frame_line(R"(^#(\d+)\s+(?:0x[0-9a-f]+ in )?(.*)$)");
  static const std::regex at_location(R"( at (\S+):(\d+)$)");
  std::vector<thread_stack> threads;
  for (const auto& line : split_lines(output)) {
    std::smatch m;
    if (std::regex_match(line, m, thread_header)) {
      threads.push_back({std::stoi(m[1]), m[2], {}});
      continue;
    }
    if (threads.empty() || !std::regex_match(line, m, frame_line)) continue;
    stack_frame frame;
    frame.index = std::stoi(m[1]);
    const std::string rest = m[2];
    // gdb separates the function from its arguments with " (".
    const auto args = rest.find(" (");
    frame.function = simplify_function_name(rest.substr(0, args));
    std::smatch where;
    if (std::regex_search(rest, where, at_location)) {
      frame.location = relative_to(where[1].str(), source_root) + ":" + where[2].str();
    }
    threads.back().frames.push_back(std::move(frame));
  }
  return threads;
}

std::vector<std::string> summarize_hang(const std::vector<thread_stack>& threads,
                                        const frame_preference& prefer) {
  const auto& t = term();
  // Threads waiting at the same place are told once: "threads 3, 4, 5 are ...".
  struct place {
    std::string description;  // everything after "thread(s) N"
    bool in_learner_code;
    std::vector<int> numbers;
  };
  std::vector<place> places;
  for (const auto& thread : threads) {
    std::vector<const stack_frame*> frames;  // in the repository, innermost first
    std::vector<std::string> locations;
    for (const auto& f : thread.frames) {
      if (f.location.empty() || starts_with(f.location, "/") || starts_with(f.location, "."))
        continue;
      // The thread that reported its deadline waits there for this dump: the
      // wait that ran out is the frame after it.
      if (f.function == "wb::test::fail_deadline") continue;
      frames.push_back(&f);
      locations.push_back(f.location);
    }
    const auto picked = pick_frame(locations, prefer);
    const stack_frame* ours = picked ? frames[*picked] : nullptr;
    const stack_frame* learner =
        ours != nullptr && in_learner_files(ours->location, prefer) ? ours : nullptr;
    std::string description;
    if (learner != nullptr) {
      // Frame 0 in the learner's code means the thread was running there, not
      // sleeping in the kernel: a spin that never ends rather than a wait.
      const bool spinning = learner->index == 0;
      description = fmt::format("{} in `{}` ({}): {}", spinning ? "spinning" : "blocked",
                                t.bold(learner->function), learner->location,
                                spinning ? "likely livelock, or a spin whose exit never comes"
                                         : "likely deadlock or lost wake-up");
    } else if (ours != nullptr && !starts_with(ours->location, "common/src/")) {
      // The test's own thread (waiting for the others) is context; the test
      // main's watchdog (common/src) is not worth a line.
      description = fmt::format("waiting in `{}` ({})", ours->function, ours->location);
    } else {
      continue;
    }
    auto same = std::find_if(places.begin(), places.end(),
                             [&](const place& p) { return p.description == description; });
    if (same == places.end()) {
      places.push_back({description, learner != nullptr, {}});
      same = places.end() - 1;
    }
    same->numbers.push_back(thread.number);
  }
  std::vector<std::string> lines;
  for (auto& p : places) {
    std::sort(p.numbers.begin(), p.numbers.end());
    std::string who;
    for (const int n : p.numbers) who += (who.empty() ? "" : ", ") + std::to_string(n);
    who = (p.numbers.size() == 1 ? "thread " : "threads ") + who;
    if (p.numbers == std::vector<int>{1}) who += " (the test)";
    const std::string line =
        fmt::format("  {} {} {}", who, p.numbers.size() == 1 ? "is" : "are", p.description);
    lines.push_back(p.in_learner_code ? line : t.dim(line));
  }
  // The learner's code first: that is where the answer is.
  std::stable_partition(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find(" waiting in `") == std::string::npos;
  });
  return lines;
}

namespace {

// Without gdb: the kernel's view of each thread (state and wait channel).
hang_dump dump_from_proc(pid_t pid) {
  hang_dump dump;
  const std::filesystem::path tasks = fmt::format("/proc/{}/task", pid);
  std::error_code error;
  int number = 0;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    ++number;
    auto read_first_line = [&](const char* name) {
      std::ifstream in(task.path() / name);
      std::string line;
      std::getline(in, line);
      return line;
    };
    const std::string comm = read_first_line("comm");
    const std::string wchan = read_first_line("wchan");
    const std::string stat = read_first_line("stat");
    // The state is the field after the parenthesised name.
    const auto close = stat.rfind(')');
    const std::string state =
        close != std::string::npos && close + 2 < stat.size() ? stat.substr(close + 2, 1) : "?";
    const std::string line = fmt::format(
        "  thread {} ({}): state {}, waiting in the kernel at {}", task.path().filename().string(),
        comm, state, wchan.empty() || wchan == "0" ? "nothing (running)" : wchan);
    dump.raw += line + "\n";
    dump.summary.push_back(line);
  }
  dump.summary.push_back(
      term().dim("  (the kernel's view only: with gdb installed, the runner shows where in your "
                 "code each thread waits)"));
  return dump;
}

bool gdb_exists() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    if (!dir.empty() && ::access((dir + "/gdb").c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return false;
}

}  // namespace

hang_dump dump_hung_process(pid_t pid, std::string_view source_root,
                            const frame_preference& prefer) {
  if (std::getenv("WB_NO_GDB") != nullptr || !gdb_exists()) return dump_from_proc(pid);
  run_request gdb;
  // No init files, no auto-loaded scripts, no debuginfod downloads: only the
  // symbols already on disk, so that the dump takes seconds.
  gdb.argv = {"gdb",
              "-nx",
              "-batch",
              "-iex",
              "set auto-load off",
              "-iex",
              "set debuginfod enabled off",
              "-p",
              std::to_string(pid),
              "-ex",
              "set pagination off",
              "-ex",
              "thread apply all bt"};
  // Generous: reading the symbols of a test binary takes seconds on an idle
  // machine but was measured at over 30 s on a heavily loaded one.
  gdb.deadline = std::chrono::seconds(90);
  const run_result result = run_process(gdb);
  auto threads = parse_gdb_backtraces(result.output, source_root);
  if (threads.empty()) {
    hang_dump dump = dump_from_proc(pid);
    dump.raw = result.output + "\n" + dump.raw;
    return dump;
  }
  hang_dump dump;
  dump.raw = result.output;
  dump.summary = summarize_hang(threads, prefer);
  return dump;
}

}  // namespace wb::runner
