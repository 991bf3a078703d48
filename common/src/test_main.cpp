// The Catch2 main every workbook test links against (compiled once per build
// tree, beside Catch2's implementation in catch2_impl.cpp). Beyond Catch2's own main it
//   * tells wb::not_implemented and the deadline helpers which test is
//     running, so their messages name it;
//   * runs a watchdog: a test case that made no progress (wb::test::progress:
//     no thread finished, no round ended) for wb::test::test_case_deadline
//     (scaled) is reported as a likely deadlock and the process ends, so no
//     test can hang however it is written, and none fails for being slow;
//   * when WB_FAILURE_RECORD names a file, appends each failed assertion's
//     message to it as written, for the workbook's runner: the console
//     reporter wraps long lines at 80 columns and prefixes each one, which
//     no parser can undo (the model checker's trace is such a message);
//   * and there, when the process crashes (SIGSEGV, SIGABRT from a failed
//     assertion or std::terminate, SIGFPE, SIGBUS), its backtrace as raw
//     addresses ("wb-crash <signal>" ... "wb-crash-end"), which the runner
//     symbolises to name the line in the learner's file.
// Catch2's implementation is compiled apart (catch2_impl.cpp, the wb_catch2
// object). This file does not use the precompiled header (wb_pch reuses none
// here): the listener interfaces are declared only with this macro, which
// must come before the first #include <catch2/catch.hpp>.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#include <wb/catch2_session.hpp>
#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <cstring>
// The crash backtrace needs glibc's backtrace(); the windows tree (mingw-w64)
// has none, and there a crash is reported without it.
#if __has_include(<execinfo.h>)
#define WB_CRASH_BACKTRACE 1
#include <execinfo.h>
#include <fcntl.h>
#include <unistd.h>
#else
#define WB_CRASH_BACKTRACE 0
#endif

namespace {

// Names of the test cases seen so far. A deque never moves its elements, so
// a pointer handed out stays valid for the whole run, even if a stray thread
// reads it after the next test case started.
std::deque<std::string> test_names;
std::atomic<const char*> current_test{nullptr};

const char* current_test_name() { return current_test.load(std::memory_order_acquire); }

// The sections the running test case is in (the first is the test case's own),
// and how many runs of a test case have started: wb::model::check names its
// checks by them (replay keys). Test-thread only.
std::vector<std::string> sections;
std::string section_path;
unsigned long test_runs = 0;

wb::detail::test_position current_test_position() { return {section_path.c_str(), test_runs}; }

void set_section_path() {
  section_path.clear();
  for (std::size_t i = 1; i < sections.size(); ++i)
    section_path += (i > 1 ? " / " : "") + sections[i];
}

class watchdog {
 public:
  watchdog() : thread_([this] { run(); }) {}
  ~watchdog() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    changed_.notify_one();
    thread_.join();
  }

  void arm(std::chrono::milliseconds limit) {
    std::lock_guard lock(mutex_);
    deadline_ = std::chrono::steady_clock::now() + limit;
    limit_ = limit;
    changed_.notify_one();
  }

  void disarm() {
    std::lock_guard lock(mutex_);
    deadline_.reset();
    changed_.notify_one();
  }

 private:
  // The deadline moves forward whenever the test made progress since the
  // last look, so only a test case that stands still reaches it.
  void run() {
    std::unique_lock lock(mutex_);
    auto seen = wb::test::progress_mark();
    while (!quit_) {
      if (!deadline_) {
        changed_.wait(lock);
        seen = wb::test::progress_mark();
        continue;
      }
      const auto look = std::min(
          *deadline_, std::chrono::steady_clock::now() + wb::test::progress_check_interval(limit_));
      if (changed_.wait_until(lock, look) == std::cv_status::timeout && deadline_) {
        const auto now = std::chrono::steady_clock::now();
        if (const auto mark = wb::test::progress_mark(); mark != seen) {
          seen = mark;
          deadline_ = now + limit_;
        } else if (now >= *deadline_) {
          wb::test::fail_deadline("the whole test case to end", limit_);
        }
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // guarded by mutex_
  std::chrono::milliseconds limit_{};                              // guarded by mutex_
  bool quit_ = false;                                              // guarded by mutex_
  std::thread thread_;  // last: starts after the members it uses exist
};

watchdog* the_watchdog = nullptr;

struct test_case_listener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;

  void sectionStarting(const Catch::SectionInfo& info) override {
    if (sections.empty()) ++test_runs;  // the test case's own section: a new run
    sections.push_back(info.name);
    set_section_path();
  }

  void sectionEnded(const Catch::SectionStats&) override {
    if (!sections.empty()) sections.pop_back();
    set_section_path();
  }

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    test_names.push_back(info.name);
    current_test.store(test_names.back().c_str(), std::memory_order_release);
    if (the_watchdog) the_watchdog->arm(wb::test::scaled(wb::test::test_case_deadline));
  }

  void testCaseEnded(const Catch::TestCaseStats&) override {
    if (the_watchdog) the_watchdog->disarm();
  }

  // One record per failed assertion: "wb-failure <bytes> <file>:<line> <test
  // case>\n", then the message itself (its length given: it may hold any text).
  bool assertionEnded(const Catch::AssertionStats& stats) override {
    const Catch::AssertionResult& result = stats.assertionResult;
    const char* path = std::getenv("WB_FAILURE_RECORD");
    if (path == nullptr || *path == '\0' || result.isOk() || !result.hasMessage()) return true;
    if (std::FILE* out = std::fopen(path, "a")) {
      const std::string message = result.getMessage();
      const Catch::SourceLineInfo where = result.getSourceInfo();
      const char* test = current_test_name();
      std::fprintf(out, "wb-failure %zu %s:%zu %s\n", message.size(), where.file, where.line,
                   test ? test : "");
      std::fwrite(message.data(), 1, message.size(), out);
      std::fputc('\n', out);
      std::fclose(out);
    }
    return true;
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(test_case_listener)

#if WB_CRASH_BACKTRACE
namespace {

// The crash's backtrace, appended to WB_FAILURE_RECORD. Catch2's own handler
// runs first (it reports the test case), restores this one and raises the
// signal again; this one writes the frames with async-signal-safe calls only
// (backtrace() was called once at start, so it no longer allocates) and lets
// the signal end the process as it would have.
char crash_record[4096];

void write_text(int fd, const char* text) { (void)!::write(fd, text, std::strlen(text)); }

void on_crash(int signal) {
  void* frames[64];
  const int count = ::backtrace(frames, 64);
  const int fd = ::open(crash_record, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd >= 0) {
    char header[32] = "wb-crash ";
    const char* digits = "0123456789";
    std::size_t n = std::strlen(header);
    if (signal >= 10) header[n++] = digits[signal / 10 % 10];
    header[n++] = digits[signal % 10];
    header[n++] = '\n';
    header[n] = '\0';
    write_text(fd, header);
    ::backtrace_symbols_fd(frames, count, fd);
    write_text(fd, "wb-crash-end\n");
    ::close(fd);
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void record_crashes() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return;  // the sanitizers report a crash themselves, better
#endif
  const char* path = std::getenv("WB_FAILURE_RECORD");
  if (path == nullptr || *path == '\0' || std::strlen(path) >= sizeof crash_record) return;
  std::strcpy(crash_record, path);
  void* warm_up[1];
  (void)::backtrace(warm_up, 1);
  for (int s : {SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL}) std::signal(s, on_crash);
}

}  // namespace
#else
namespace {
void record_crashes() {}
}  // namespace
#endif

int main(int argc, char* argv[]) {
  record_crashes();
  wb::detail::current_test_name_hook.store(&current_test_name, std::memory_order_release);
  wb::detail::current_test_position_hook.store(&current_test_position, std::memory_order_release);
  watchdog dog;
  the_watchdog = &dog;
  const int failed = wb::detail::run_catch2_session(argc, argv);
  the_watchdog = nullptr;
  return failed;
}
