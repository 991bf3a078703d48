// Watch mode. One loop waits in poll() on the keyboard and on inotify (or on
// a timer when inotify is unavailable), so an idle runner uses no CPU. A save
// prints "checking…" at once, waits ~200 ms for the editor to finish (several
// writes, or write-then-rename), then checks only the current exercise.
#include "watch.hpp"

#include "commands.hpp"
#include "progress.hpp"
#include "terminal.hpp"

#include <fmt/core.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <poll.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

namespace wb::runner {
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

// The terminal settings before raw mode, for restore_terminal_now() (which a
// signal handler calls: plain globals, no locks).
termios saved_terminal{};
std::atomic<bool> terminal_is_raw{false};

// Raw-ish keyboard: keys arrive one by one without echo. ISIG stays on, so
// Ctrl-C still raises SIGINT (main's handler kills the children and restores
// the terminal through restore_terminal_now).
class raw_keyboard {
 public:
  raw_keyboard() {
    if (::tcgetattr(STDIN_FILENO, &saved_terminal) != 0) return;
    termios raw = saved_terminal;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) terminal_is_raw = true;
  }
  ~raw_keyboard() { restore_terminal_now(); }
  raw_keyboard(const raw_keyboard&) = delete;
  raw_keyboard& operator=(const raw_keyboard&) = delete;
};

constexpr auto debounce = std::chrono::milliseconds(200);
constexpr auto poll_interval = std::chrono::milliseconds(500);

// Which files changed: inotify on their directories (an editor that saves by
// writing a new file and renaming it over the old one replaces the inode, so
// watching the file itself would miss every save after the first), or, where
// inotify fails, the files' modification times polled twice a second.
class file_watcher {
 public:
  explicit file_watcher(const std::vector<fs::path>& files) : files_(files) {
    fd_ = std::getenv("WB_WATCH_POLL") != nullptr ? -1 : ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    std::set<fs::path> dirs;
    for (const auto& f : files_) {
      names_.insert(f.filename().string());
      dirs.insert(f.parent_path());
    }
    for (const auto& d : dirs) {
      if (fd_ >= 0 &&
          ::inotify_add_watch(fd_, d.c_str(),
                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY) < 0) {
        ::close(fd_);
        fd_ = -1;
      }
    }
    stamps_ = stamps();
  }
  ~file_watcher() {
    if (fd_ >= 0) ::close(fd_);
  }
  file_watcher(const file_watcher&) = delete;
  file_watcher& operator=(const file_watcher&) = delete;

  bool polling() const { return fd_ < 0; }
  int fd() const { return fd_; }

  /// Reads what is pending; true when one of our files changed.
  bool changed() {
    if (polling()) {
      auto now = stamps();
      const bool different = now != stamps_;
      stamps_ = std::move(now);
      return different;
    }
    bool ours = false;
    alignas(inotify_event) char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        if (event->len > 0 && names_.count(event->name) > 0) ours = true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    return ours;
  }

 private:
  std::vector<std::string> stamps() const {
    std::vector<std::string> result;
    for (const auto& f : files_) {
      std::error_code error;
      const auto time = fs::last_write_time(f, error);
      const auto size = fs::file_size(f, error);
      result.push_back(fmt::format("{}:{}", time.time_since_epoch().count(), size));
    }
    return result;
  }

  std::vector<fs::path> files_;
  std::set<std::string> names_;
  std::vector<std::string> stamps_;
  int fd_ = -1;
};

// True when a byte or an inotify event is waiting on fd (without reading it).
bool readable(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

class watch_session {
 public:
  explicit watch_session(runner_context& context) : context_(context) {}

  int run() {
    const auto& t = term();
    progress p = compute_progress(context_, true);
    if (p.current == nullptr) {
      print_list(context_, p);
      fmt::print("{}\n", t.green("Every exercise passes every layer. Well done."));
      return 0;
    }
    current_ = p.current;
    raw_keyboard keyboard;
    for (;;) {
      save_current_pointer(context_, current_->name);
      file_watcher watcher(files_of(*current_));
      check(watcher, /*use_cache=*/true);
      const auto next = wait_for_input(watcher);
      if (next == action::quit) return 0;
    }
  }

 private:
  enum class action { quit, switched };

  static std::vector<fs::path> files_of(const exercise& e) {
    std::vector<fs::path> files;
    for (const auto& f : e.files) files.push_back(fs::absolute(f));
    return files;
  }

  void check(file_watcher& watcher, bool use_cache) {
    const auto& t = term();
    if (t.interactive)
      fmt::print("\x1b[2J\x1b[H");  // a fresh screen per verdict, as rustlings does
    fmt::print("{}\n",
               t.bold(fmt::format("== {} ({}) ==", current_->name, current_->files.front())));
    runner_context context = context_;
    context.use_cache = use_cache;
    done_ =
        check_with_progress(context, *current_, [&watcher] { return readable(watcher.fd()); }).done;
    if (done_) fmt::print("\n{} {}\n", t.ok(), t.green("Done! Press n for the next exercise."));
    if (!done_) print_full_output_path(*current_);
    if (watcher.polling())
      fmt::print("{}\n",
                 t.dim("(inotify is not available here: checking the file twice a second)"));
    fmt::print("\n{}\n", t.dim(fmt::format(
                             "Watching {}. Keys: n next, h hint, l list, r re-run, x reset, q quit",
                             current_->files.front())));
  }

  action wait_for_input(file_watcher& watcher) {
    const auto& t = term();
    std::optional<clock_type::time_point> due;  // a pending check, after the debounce
    for (;;) {
      int timeout_ms = -1;  // idle: sleep until a key or a file event
      if (watcher.polling()) timeout_ms = static_cast<int>(poll_interval.count());
      if (due) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_type::now());
        timeout_ms = static_cast<int>(std::max<long long>(0, left.count()));
      }
      pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {watcher.fd(), POLLIN, 0}};
      const int ready = ::poll(fds, watcher.polling() ? 1 : 2, timeout_ms);
      if (ready < 0 && errno != EINTR) throw std::runtime_error("poll failed");
      if ((ready > 0 && (fds[1].revents & POLLIN) != 0) ||
          (watcher.polling() && ready == 0 && !due)) {
        if (watcher.changed() && !due) {
          fmt::print("{}\n", t.yellow("checking…"));
          std::fflush(stdout);
          due = clock_type::now() + debounce;
        }
      }
      if (due && clock_type::now() >= *due) {
        watcher.changed();  // swallow the events of the same save
        due.reset();
        check(watcher, true);
        continue;
      }
      if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP)) != 0) {
        char key = 0;
        if (::read(STDIN_FILENO, &key, 1) != 1) return action::quit;  // the terminal went away
        if (auto result = on_key(key, watcher)) return *result;
      }
    }
  }

  std::optional<action> on_key(char key, file_watcher& watcher) {
    const auto& t = term();
    switch (key) {
      case 'q':
        return action::quit;
      case 'h':
        fmt::print("\n");
        show_next_hint(context_, *current_);
        return std::nullopt;
      case 'l': {
        const progress p = compute_progress(context_, true);
        print_list(context_, p);
        return std::nullopt;
      }
      case 'r':
        check(watcher, false);
        return std::nullopt;
      case 'x':
        fmt::print("\nReset {} to the stub? Your version is kept in .workbook/backups/. [y/N] ",
                   current_->files.front());
        std::fflush(stdout);
        if (char answer = 0;
            ::read(STDIN_FILENO, &answer, 1) == 1 && (answer == 'y' || answer == 'Y')) {
          fmt::print("\n");
          command_reset(context_, current_->name, true);
        } else {
          fmt::print("\nNothing changed.\n");
        }
        return std::nullopt;
      case 'n':
        if (!done_) {
          fmt::print("{}\n", t.dim("Not done yet: every layer must pass first (h for a hint)."));
          return std::nullopt;
        }
        return move_to_next();
      default:
        return std::nullopt;
    }
  }

  // The next exercise not done, after the current one (wrapping around).
  std::optional<action> move_to_next() {
    const auto& t = term();
    const auto& all = context_.exercises_manifest.exercises;
    const std::size_t here = static_cast<std::size_t>(current_ - all.data());
    for (std::size_t step = 1; step <= all.size(); ++step) {
      const exercise& candidate = all[(here + step) % all.size()];
      const auto cached = cached_verdict(context_, candidate);
      if (!cached || !cached->done) {
        current_ = &candidate;
        return action::switched;
      }
    }
    fmt::print("{}\n", t.green("Every exercise passes every layer. Well done."));
    return action::quit;
  }

  runner_context& context_;
  const exercise* current_ = nullptr;
  bool done_ = false;
};

}  // namespace

void restore_terminal_now() noexcept {
  if (terminal_is_raw.exchange(false)) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
}

int run_watch_mode(runner_context& context) { return watch_session(context).run(); }

}  // namespace wb::runner
