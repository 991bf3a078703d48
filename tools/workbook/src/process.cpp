#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace wb::runner {
namespace {

// Process groups currently running, for kill_all_children(). A fixed array of
// atomics because a signal handler reads it (no locks, no allocation there).
constexpr std::size_t max_children = 64;  // the suite runs builds, CTest and mutants at once
std::atomic<pid_t> running_groups[max_children];

void remember_group(pid_t pgid) {
  for (auto& slot : running_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pgid)) return;
  }
}

void forget_group(pid_t pgid) {
  for (auto& slot : running_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

// Our environment with `extra` (KEY=VALUE) added, replacing same-named keys.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> result;
  auto key_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || key_of(x) == key_of(entry);
    if (!replaced) result.push_back(entry);
  }
  result.insert(result.end(), extra.begin(), extra.end());
  return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

void kill_all_children() noexcept {
  for (auto& slot : running_groups) {
    const pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
}

run_result run_process(const run_request& request) { return run_process(request, {}); }

run_result run_process(const run_request& request,
                       const std::function<void(std::string_view)>& on_output) {
  using clock = std::chrono::steady_clock;
  run_result result;
  const auto started = clock::now();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.could_not_start = true;
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  // Everything the child needs is prepared before fork: only
  // async-signal-safe calls happen between fork and exec.
  std::vector<std::string> argv_strings = request.argv;
  std::vector<std::string> env_strings = merged_environment(request.environment);
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::signal(SIGINT, SIG_DFL);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    if (!request.working_directory.empty() && ::chdir(request.working_directory.c_str()) != 0) {
      ::_exit(127);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    const char* message = "could not start the program\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, std::strlen(message));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    result.could_not_start = true;
    result.output = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  ::setpgid(pid, pid);  // also here: whichever of parent and child runs first
  remember_group(pid);

  const auto deadline = started + request.deadline;
  bool open = true;
  while (open) {
    int wait_ms = 100;  // how often `cancelled` is polled; idle otherwise
    if (request.deadline.count() > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<long long>(wait_ms, left.count()));
    }
    if (request.cancelled && request.cancelled()) {
      result.was_cancelled = true;
      break;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&fd, 1, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buffer[8192];
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n > 0) {
      const std::size_t before = result.output.size();
      result.output.append(buffer, static_cast<std::size_t>(n));
      if (on_output) on_output(std::string_view(buffer, static_cast<std::size_t>(n)));
      const std::size_t from =
          before > deadline_hold_marker.size() ? before - deadline_hold_marker.size() : 0;
      if (result.output.find(deadline_hold_marker, from) != std::string::npos) {
        result.held = true;
        break;
      }
    } else if (n == 0 || errno != EINTR) {
      open = false;
    }
  }
  const bool stopped_early = result.timed_out || result.held;
  if (stopped_early && request.on_deadline) request.on_deadline(pid);
  if (stopped_early || result.was_cancelled) ::kill(-pid, SIGKILL);
  ::close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {}
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  // Grandchildren (a compiler ninja started) may outlive the child: end them
  // with the group, so nothing keeps running after a verdict.
  if (!stopped_early && !result.was_cancelled) ::kill(-pid, SIGKILL);
  forget_group(pid);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.exit_code == 127 && result.output.find("could not start") != std::string::npos) {
    result.could_not_start = true;
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
  return result;
}

int run_attached(const std::vector<std::string>& argv, const std::string& working_directory) {
  std::fflush(stdout);  // what we printed comes before what the program prints
  std::vector<std::string> argv_strings = argv;
  auto c_argv = c_strings(argv_strings);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::signal(SIGINT, SIG_DFL);
    if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) ::_exit(127);
    ::execvp(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  if (pid < 0) return 127;
  ::setpgid(pid, pid);
  remember_group(pid);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  forget_group(pid);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace wb::runner
