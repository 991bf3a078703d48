// The layered verdict of one exercise: builds -> tests pass -> clean under
// ThreadSanitizer -> model checker, as far as the manifest declares layers.
// Done means every declared layer passes. A verdict is cached under a hash of
// everything it depends on (build/dev/verdicts/<name>.json: the files the
// build read, from Ninja's dependency record), so progress is
// always derived from the files themselves and can never drift from them.
#pragma once

#include "manifest.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb::runner {

struct runner_context {
  std::filesystem::path root;  ///< the repository (the launcher runs us there)
  manifest exercises_manifest;
  /// --deadline / WB_RUN_DEADLINE: one deadline for every layer's test run.
  std::optional<std::chrono::seconds> deadline_override;
  bool use_cache = true;
};

struct layer_result {
  std::string layer;  ///< build, test, tsan, model
  bool passed = false;
  std::string headline;              ///< one line: "does not compile", "data race"...
  std::vector<std::string> details;  ///< what to show under the headline
  double seconds = 0;
  /// Not run: this machine lacks what the layer needs (the layer table's
  /// REQUIRES); `headline` says what and how to install it. Not a failure,
  /// and never cached, so that it runs once the programs are there.
  bool skipped = false;
  /// Failed for a reason the machine, not the code, may have caused: a build
  /// that stopped without a compiler diagnostic (a killed compiler, a full
  /// disk), a tree that did not configure, a test killed from outside
  /// (SIGKILL: the out-of-memory killer). Shown, never cached, so that the
  /// next check tries again instead of repeating it while the files stay the same.
  bool transient = false;
};

struct verdict {
  std::string exercise;
  bool done = false;
  bool from_cache = false;
  std::vector<layer_result> layers;  ///< the ones that ran, in order

  /// The failed layer, or nullptr when done.
  const layer_result* failure() const;
};

/// Called when a layer starts (result == nullptr) and when it ends.
using layer_observer = std::function<void(const std::string& layer, const layer_result* result)>;

/// The human name of a layer: "builds", "tests pass", ...
std::string layer_title(const std::string& layer);

/// How long a test in `tree` may make no progress before it is a likely
/// deadlock (the layer table's STALL_SECONDS); the tests' own deadlines are
/// set to half of it, so that their explanation comes first.
std::chrono::seconds stall_deadline(const runner_context& context, const std::string& tree);

/// The backstop for one whole test run in `tree`: ten stall deadlines.
std::chrono::seconds run_deadline(const runner_context& context, const std::string& tree);

/// The cache key of an exercise's verdict: the content of its files, its
/// test, every repository file its last build read (Ninja's dependency
/// record, empty before the first build) and the compiler's identity.
std::string verdict_key(const runner_context& context, const exercise& e);
/// The same with the dependency record given (build_dependencies).
std::string verdict_key(const runner_context& context, const exercise& e,
                        const std::vector<std::filesystem::path>& dependencies);

/// The cached verdict when its key still matches.
std::optional<verdict> cached_verdict(const runner_context& context, const exercise& e);

/// Builds and runs the exercise layer by layer (stopping at the first failed
/// one) and caches the result. `cancelled` ends a run early (watch mode).
verdict compute_verdict(const runner_context& context, const exercise& e,
                        const layer_observer& observer = {},
                        const std::function<bool()>& cancelled = {});

/// Runs one test binary of `tree` (an exercise's, its solution's or a
/// mutant's: `binary` relative to the tree) as the `layer` layer runs it, and
/// explains how it failed: the one explanation a learner's verdict, a caught
/// mutant and a failed solution run share. The full output goes to `log`.
///
/// `stack_dump` false skips the thread stacks at a deadline (gdb takes seconds
/// per run): the mutant stage needs the headline only, never the stacks.
layer_result run_test_binary(const runner_context& context, const exercise& e,
                             const std::string& binary, const std::string& tree,
                             const std::string& layer, const std::function<bool()>& cancelled,
                             std::string& log, bool stack_dump = true);

/// Builds `target` in `tree` (configuring it first when needed) as the
/// `layer` layer does; a failed build is explained as a learner's is.
layer_result build_in_tree(const runner_context& context, const exercise& e,
                           const std::string& target, const std::string& tree,
                           const std::string& layer, const std::function<bool()>& cancelled,
                           std::string& log);

/// Whether build/<tree> builds an exercise's tests (as WorkbookLayers.cmake
/// decides: one of its layers lives in the tree, or the tree has no verdict layer).
bool tree_builds_exercise(const runner_context& context, const exercise& e,
                          const std::string& tree);

/// The cached verdict, or a fresh one.
verdict get_verdict(const runner_context& context, const exercise& e,
                    const layer_observer& observer = {});

/// Whether this process computed the exercise's verdict (not only read it
/// from the cache): a verdict just computed is not "unchanged since the last
/// check" to the learner who is looking at its first screen.
bool computed_in_this_run(const std::string& exercise);

/// The test binary running now, for a progress line: when it started and its
/// deadline. nullopt while none runs.
struct running_test {
  std::chrono::steady_clock::time_point started;
  std::chrono::seconds deadline;
};
std::optional<running_test> test_in_progress();

/// Prints a layer's line ("  ✓ builds (1.2 s)") and, when it failed, its details.
void print_layer(const layer_result& result);

/// Prints every layer of a verdict (for a cached verdict: at once).
void print_verdict(const verdict& v);

}  // namespace wb::runner
