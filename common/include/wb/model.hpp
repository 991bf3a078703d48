// wb::model::check — the workbook's model checker (layer 4, DESIGN.md §5).
//
//     wb::model::check([] {
//       wb::atomic<int> x{0};
//       wb::thread t([&] { x.store(1, wb::memory_order_release); });
//       ...
//       t.join();
//     });
//
// In a build with WB_MODEL=1 the body is re-run from scratch under every
// schedule up to a preemption bound, and every atomic load may read any store
// the (modelled) C++ memory model allows. The first failing execution — a
// failed REQUIRE or any exception, a deadlock, a livelock, a data race on a
// wb::cell, misuse of a modelled object — ends the check: check() throws
// wb::model::failure whose what() is a readable trace plus a replay key.
// common/MODEL.md says precisely what this proves and what it does not.
//
// In every other build check() simply runs the body `repeat` times with real
// threads, so the same test is an ordinary stress test there.
//
// This header is small and always includable (a non-model build brings
// wb/testing.hpp with it, for the deadline).
#pragma once

#include <wb/progress.hpp>
// Non-model builds run the body with real threads, under the test's deadline.
#if !(defined(WB_MODEL) && WB_MODEL)
#include <wb/testing.hpp>
#endif

#include <chrono>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>

namespace wb::model {

struct options {
  int preemption_bound = 2;             ///< env WB_MODEL_PREEMPTIONS overrides
  std::size_t max_executions = 200000;  ///< cap; reaching it is reported, stats.exhaustive = false
  std::size_t max_steps = 5000;         ///< visible operations per execution; more = livelock
  int spurious_failures = 1;            ///< per execution: weak-CAS failures + condvar wake-ups
  std::size_t repeat = 100;             ///< non-model builds: how many times check() runs body
  bool park_spinners = true;  ///< spin parking (MODEL.md); env WB_MODEL_PARK=0 turns it off
  bool reduce =
      true;  ///< partial-order reduction, sleep sets (MODEL.md); env WB_MODEL_POR=0 turns it off
};

struct stats {
  std::size_t executions;  ///< executions run (model) or repetitions (non-model)
  bool exhaustive;         ///< every schedule up to the bound was explored
  double seconds;          ///< wall-clock time of the whole check
  /// Redundant runs, not in `executions`: partial-order reduction found every
  /// thread that could go on asleep (explored from an equivalent state), so
  /// the run went to its end without searching any choice from there.
  std::size_t pruned = 0;
};

/// Thrown by check() for the first failing execution; what() is the report.
class failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

#if defined(WB_MODEL) && WB_MODEL

/// Explores `body` (see the top of this file). Throws wb::model::failure.
stats check(std::function<void()> body, options opts = {});

/// True in WB_MODEL builds.
inline bool enabled() noexcept { return true; }

#else

/// Non-model build: runs body opts.repeat times (exceptions propagate).
/// Each repetition that ends is progress for the test's deadlines. The
/// repetitions run on a thread of their own, joined with the test's default
/// deadline: a body that blocks for ever on its own thread (a lock that a
/// wrong try_lock left held, a wait nobody will end) ends there with "did not
/// finish" naming this, not at the whole test case's watchdog. Only one
/// thread uses Catch2 at a time: the test's thread waits meanwhile.
inline stats check(std::function<void()> body, options opts = {}) {
  const auto start = std::chrono::steady_clock::now();
  wb::test::finishes_within(wb::test::default_deadline,
                            "the body of a model case, run " + std::to_string(opts.repeat) +
                                " times with real threads (wb::model::check)",
                            [&] {
                              for (std::size_t i = 0; i < opts.repeat; ++i) {
                                body();
                                wb::test::progress();
                              }
                            });
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return {opts.repeat, false, elapsed.count()};
}

inline bool enabled() noexcept { return false; }

#endif

}  // namespace wb::model
