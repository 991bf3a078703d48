// Test helpers every chapter uses: start threads together, repeat a
// concurrent scenario, and join with a deadline so that a deadlocked or
// livelocked solution ends with a clear verdict instead of hanging.
//
// Rules of use (Catch2 2.x is not thread-safe):
//   * assert (CHECK/REQUIRE) only on the test's own thread; worker threads
//     record what they saw (in atomics, or in per-thread slots) and the test
//     checks it after the join;
//   * wrap every call that may block forever in a thread_group,
//     run_concurrently or finishes_within, so that a lost wake-up is reported
//     as "did not finish within N s" and names the test.
//
// Deadlines are never verdicts on speed. A deadline bounds the time without
// progress, not the time the work takes: it restarts whenever a thread of a
// thread_group finishes, a round of repeat() or a repetition of a non-model
// wb::model::check ends, or a test marks progress() in a long loop
// (wb/progress.hpp). A deadlocked or livelocked solution makes none,
// so it still ends with "did not finish within 5 s"; a correct one on a
// machine whose cores are busy with other work only runs longer. The 5 s
// (times the build's slowdown, see deadline_scale) are for steps that take
// milliseconds.
//
// Memory ordering: everything a thread did happens-before the return of the
// join_within that waited for it (the join is a real std::thread::join).
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/progress.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <latch>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#ifndef WB_DEADLINE_SCALE
#define WB_DEADLINE_SCALE 1  // set by the build: slower under sanitizers
#endif

namespace wb::test {

using namespace std::chrono_literals;
using milliseconds = std::chrono::milliseconds;

/// Deadline for one wait on threads without progress, before scaling.
inline constexpr milliseconds default_deadline = 5s;
/// Deadline for a whole test case without progress (the watchdog in the test
/// main), before scaling.
inline constexpr milliseconds test_case_deadline = 30s;

/// How many times slower than a plain build this one runs: the build's
/// WB_DEADLINE_SCALE (3 under ThreadSanitizer, 2 under AddressSanitizer)
/// times the environment variable WB_DEADLINE_SCALE when it is set (for a
/// very slow machine, or gdb).
inline double deadline_scale() {
  static const double scale = [] {
    double s = WB_DEADLINE_SCALE;
    if (const char* env = std::getenv("WB_DEADLINE_SCALE")) {
      const double e = std::strtod(env, nullptr);
      if (e > 0) s *= e;
    }
    return s;
  }();
  return scale;
}

/// `base` multiplied by deadline_scale().
inline milliseconds scaled(milliseconds base) {
  return milliseconds{static_cast<long long>(static_cast<double>(base.count()) * deadline_scale())};
}

/// What fail_deadline prints last when WB_DEADLINE_HOLD is set: the
/// workbook's runner waits for it, dumps every thread's stack and ends the process.
inline constexpr const char* deadline_hold_marker =
    "wb: deadline reached, holding for a stack dump";

/// How often a deadline looks for progress: often enough that a deadline
/// ends at most this much after it is due.
inline milliseconds progress_check_interval(milliseconds deadline) {
  return std::clamp(deadline / 20, milliseconds{10}, milliseconds{250});
}

/// Reports a wait that ran past its deadline and ends the process, because
/// the threads that did not finish can be neither joined nor safely
/// abandoned. `detail` says what was being waited for. Never returns.
/// Under the workbook's runner (WB_DEADLINE_HOLD set) the process is not
/// ended here but held, so that the runner can show where each thread is
/// blocked beside this explanation.
[[noreturn]] inline void fail_deadline(std::string_view detail, milliseconds waited) noexcept {
  std::fflush(stdout);
  std::fprintf(stderr,
               "\ndid not finish within %.1f s: likely deadlock or lost wake-up\n"
               "  waiting for: %.*s\n",
               static_cast<double>(waited.count()) / 1000.0, static_cast<int>(detail.size()),
               detail.data());
  wb::detail::print_current_test(stderr);
  std::fprintf(stderr,
               "  (nothing moved for %.1f s: no thread finished and no round ended; a busy\n"
               "  machine only slows a test down, the deadline restarts at each step)\n",
               static_cast<double>(waited.count()) / 1000.0);
  if (const char* hold = std::getenv("WB_DEADLINE_HOLD"); hold != nullptr && *hold != '\0') {
    std::fprintf(stderr, "%s\n", deadline_hold_marker);
    std::fflush(stderr);
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  std::fflush(stderr);
  std::_Exit(wb::exit_code::deadline);
}

/// Threads whose join has a deadline. An exception escaping a thread is
/// carried to the joining thread and rethrown there, so that Catch2 reports
/// it on the test's thread.
class thread_group {
 public:
  explicit thread_group(std::string what = "the test's threads") : what_(std::move(what)) {}
  thread_group(const thread_group&) = delete;
  thread_group& operator=(const thread_group&) = delete;

  /// Joins with the default deadline if the test did not join explicitly.
  /// An exception a thread threw is dropped here (a destructor must not throw).
  ~thread_group() {
    if (!threads_.empty()) wait_then_join(scaled(default_deadline));
  }

  /// Starts a thread running f().
  template <class F>
  void spawn(F&& f) {
    threads_.emplace_back([this, f = std::forward<F>(f)]() mutable {
      try {
        f();
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      ++finished_;
      progress();
      all_finished_.notify_one();
    });
  }

  /// Waits until every thread has finished, or fails the test once
  /// `deadline` (scaled) has passed without progress (no thread finished,
  /// nothing called progress()); then joins them and rethrows the first
  /// exception any of them threw.
  void join_within(milliseconds deadline = default_deadline) {
    wait_then_join(scaled(deadline));
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

  std::size_t size() const noexcept { return threads_.size(); }

 private:
  void wait_then_join(milliseconds deadline) {
    {
      std::unique_lock lock(mutex_);
      const auto check = progress_check_interval(deadline);
      auto seen = progress_mark();
      auto last_progress = std::chrono::steady_clock::now();
      while (!all_finished_.wait_for(lock, check, [&] { return finished_ == threads_.size(); })) {
        const auto now = std::chrono::steady_clock::now();
        if (const auto mark = progress_mark(); mark != seen) {
          seen = mark;
          last_progress = now;
        } else if (now - last_progress >= deadline) {
          break;
        }
      }
      if (finished_ != threads_.size()) {
        const std::size_t total = threads_.size();
        fail_deadline(what_ + " (" + std::to_string(total - finished_) + " of " +
                          std::to_string(total) + (total == 1 ? " thread" : " threads") +
                          " still running)",
                      deadline);
      }
    }
    for (auto& t : threads_) t.join();
    threads_.clear();
    finished_ = 0;
  }

  std::string what_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable all_finished_;
  std::size_t finished_ = 0;  // guarded by mutex_
  std::exception_ptr error_;  // guarded by mutex_ until joined
};

namespace detail {
#if defined(_WIN32)
/// The start line of run_concurrently on Windows. mingw-w64's std::latch
/// waits with libstdc++'s std::atomic::wait, whose fallback there (no futex)
/// loses wake-ups (see wb/sync.hpp): under Wine a thread stayed asleep at the
/// latch after the last one arrived. A mutex and a condition variable
/// (winpthreads) do not lose them.
class start_latch {
 public:
  explicit start_latch(unsigned n) : left_(n) {}
  void arrive_and_wait() {
    std::unique_lock lock(mutex_);
    if (--left_ == 0) {
      all_arrived_.notify_all();
      return;
    }
    all_arrived_.wait(lock, [this] { return left_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable all_arrived_;
  unsigned left_;
};
#else
using start_latch = std::latch;
#endif
}  // namespace detail

/// Runs body(i) for i in [0, n) on n threads that all start at the same
/// instant (they meet at a latch first, which maximises contention), and
/// joins them within `deadline`.
template <class Body>
void run_concurrently(unsigned n, Body body, milliseconds deadline = default_deadline,
                      std::string what = "threads started by run_concurrently") {
  detail::start_latch start(n);
  thread_group group(std::move(what));
  for (unsigned i = 0; i < n; ++i) {
    group.spawn([&start, &body, i] {
      start.arrive_and_wait();
      body(i);
    });
  }
  group.join_within(deadline);
}

/// Runs f() on its own thread and waits for it within `deadline`: for a call
/// that blocks until something else happens (pop on an empty queue, a
/// destructor that must stop a worker).
template <class F>
void finishes_within(milliseconds deadline, std::string what, F&& f) {
  thread_group group(std::move(what));
  group.spawn(std::forward<F>(f));
  group.join_within(deadline);
}

/// How many rounds a stress loop runs: `rounds` times the environment
/// variable WB_STRESS when it is set (maintainers raise it to hunt rare
/// interleavings; the default keeps every test well under a second).
inline unsigned stress_rounds(unsigned rounds) {
  if (const char* env = std::getenv("WB_STRESS")) {
    const long factor = std::strtol(env, nullptr, 10);
    if (factor > 1) return rounds * static_cast<unsigned>(factor);
  }
  return rounds;
}

/// Runs scenario(round) stress_rounds(rounds) times: a concurrent scenario
/// is repeated because one run shows only one interleaving. Each round that
/// ends is progress.
template <class Scenario>
void repeat(unsigned rounds, Scenario&& scenario) {
  const unsigned total = stress_rounds(rounds);
  for (unsigned round = 0; round < total; ++round) {
    scenario(round);
    progress();
  }
}

}  // namespace wb::test
