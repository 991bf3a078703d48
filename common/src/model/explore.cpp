// wb::model::check: stateless depth-first exploration of a test body.
//
// An execution is the sequence of its choices (who runs at each scheduling
// point, which store each load reads, whether a weak CAS or a condvar wait
// fails spuriously, which waiter a notify wakes). The first execution takes
// option 0 everywhere; each next one replays the previous prefix and advances
// the deepest choice that has untried options. Because the body is re-run
// from scratch each time, the checker needs no snapshots — only a body that
// does the same thing given the same choices.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <wb/not_implemented.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <errno.h>  // program_invocation_name

namespace wb::model {

namespace {

using namespace detail;

/// Advances the choice stack to the next unexplored execution; false when done.
bool advance(std::vector<choice>& choices) {
  while (!choices.empty() && choices.back().index + 1 >= choices.back().count) choices.pop_back();
  if (choices.empty()) return false;
  ++choices.back().index;
  return true;
}

std::string test_name() {
  if (auto hook = wb::detail::current_test_name_hook.load(std::memory_order_acquire))
    if (const char* name = hook()) return name;
  return {};
}

std::string report(const runtime& r, bool failed) {
  const std::vector<choice> used(r.choices.begin(),
                                 r.choices.begin() + static_cast<std::ptrdiff_t>(r.choice_pos));
  const std::string key = encode_key(used);
  std::string out = failed ? "wb::model: " + r.headline + "\n" : "wb::model: replayed execution\n";
  out += "  execution " + std::to_string(r.execution) + " of this check (preemption bound " +
         std::to_string(r.opts.preemption_bound) + ", " + std::to_string(r.preemptions) +
         " preemptions used)\n";
  out += r.details;
  out += "trace (step, thread, operation, source line; a<n> atomics, m<n> mutexes, cv<n> "
         "condition variables, c<n> cells, #k = k-th store of an atomic):\n";
  out += format_trace(r);
  out += "replay this execution alone (prints its trace; run it under gdb to step through):\n";
  const std::string name = test_name();
  out += "  WB_MODEL_REPLAY=" + key + " " + program_invocation_name +
         (name.empty() ? std::string() : " \"" + name + "\"") + "\n";
  return out;
}

}  // namespace

stats check(std::function<void()> body, options opts) {
  if (rt != nullptr) throw std::logic_error("wb::model::check: nested check() calls are not supported");
  if (const char* env = std::getenv("WB_MODEL_PREEMPTIONS")) {
    char* end = nullptr;
    const long bound = std::strtol(env, &end, 10);
    if (end != env && bound >= 0) opts.preemption_bound = static_cast<int>(bound);
  }
  runtime r;
  r.opts = opts;
  r.threads.reserve(max_threads);
  if (const char* key = std::getenv("WB_MODEL_REPLAY"); key && *key) {
    if (!decode_key(key, r.choices))
      throw failure(std::string("wb::model: WB_MODEL_REPLAY=") + key + " is not a replay key");
    r.replay = true;
  }
  struct active_guard {
    runtime* r;
    explicit active_guard(runtime* p) : r(p) { rt = p; }
    ~active_guard() {
      free_stacks(*r);
      rt = nullptr;
    }
  } guard(&r);

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (;;) {
    run_execution(body);
    if (r.failed) throw failure(report(r, true));
    if (r.replay) {
      std::fflush(stdout);
      std::fprintf(stderr, "%s", report(r, false).c_str());
      return {1, false, elapsed()};
    }
    r.choices.resize(r.choice_pos);  // choices past the end of this execution are not its own
    if (!advance(r.choices)) return {r.execution, true, elapsed()};
    if (r.execution >= opts.max_executions) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "wb::model: stopped after %zu executions (options.max_executions) before "
                   "exploring every schedule up to preemption bound %d: a pass is NOT a proof\n",
                   r.execution, opts.preemption_bound);
      return {r.execution, false, elapsed()};
    }
  }
}

}  // namespace wb::model

#endif  // WB_MODEL
