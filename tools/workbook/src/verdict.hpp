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
  std::string headline;  ///< one line: "does not compile", "data race"...
  std::vector<std::string> details;  ///< what to show under the headline
  double seconds = 0;
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

/// Which build tree runs a layer: dev, tsan or model.
std::string tree_of_layer(const std::string& layer);

/// How long a test in `tree` may make no progress before it is a likely
/// deadlock (dev 20 s, tsan 60 s, model 60 s); the tests' own deadlines are
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
verdict compute_verdict(const runner_context& context, const exercise& e, const layer_observer& observer = {},
                        const std::function<bool()>& cancelled = {});

/// The cached verdict, or a fresh one.
verdict get_verdict(const runner_context& context, const exercise& e, const layer_observer& observer = {});

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
