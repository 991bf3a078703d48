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

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include <errno.h>  // program_invocation_name
#include <unistd.h>

namespace wb::model {

namespace {

using namespace detail;

/// Advances the choice stack to the next unexplored execution; false when done.
/// An option whose bit is set in `asleep` (a thread in the sleep set there,
/// partial-order reduction) is skipped: its executions are covered by others.
bool advance(std::vector<choice>& choices) {
  while (!choices.empty()) {
    choice& c = choices.back();
    std::uint32_t i = c.index + 1;
    while (i < c.count && (c.asleep >> i & 1u)) ++i;
    if (i < c.count) {
      c.index = i;
      return true;
    }
    choices.pop_back();
  }
  return false;
}

std::string test_name() {
  if (auto hook = wb::detail::current_test_name_hook.load(std::memory_order_acquire))
    if (const char* name = hook()) return name;
  return {};
}

/// Which check this is: the Catch2 test case, the sections it is in, and its
/// position among the checks of this run of the test case. Those are stable:
/// running a test (by name, as the replay command does) runs the same code,
/// so its n-th check is the same check every time, whatever other tests the
/// binary holds or runs. A source line would not be: any edit above it would
/// move it, while the body it names stays the same.
struct identity {
  std::string test;      // "" outside a Catch2 test
  std::string sections;  // " / "-joined, "" outside any
  unsigned ordinal = 0;  // 0 for the first check of this run of the test case

  static identity current() {
    static unsigned long last_run = 0;
    static unsigned next_ordinal = 0;
    identity id{test_name(), {}, 0};
    unsigned long run = 0;
    if (auto hook = wb::detail::current_test_position_hook.load(std::memory_order_acquire)) {
      const wb::detail::test_position pos = hook();
      id.sections = pos.sections ? pos.sections : "";
      run = pos.run;
    }
    if (run != last_run) {
      last_run = run;
      next_ordinal = 0;
    }
    id.ordinal = next_ordinal++;
    return id;
  }

  /// FNV-1a: short, stable across builds and machines (std::hash is neither).
  static std::uint32_t hash(const std::string& text) {
    std::uint32_t h = 2166136261u;
    for (const unsigned char c : text) h = (h ^ c) * 16777619u;
    return h;
  }
  /// The key's first part: which test (8 hex digits), then which check in it (4).
  std::string test_id() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", hash(test));
    return buf;
  }
  std::string check_id() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04x",
                  hash(sections + "\n" + std::to_string(ordinal)) & 0xffffu);
    return buf;
  }
  std::string describe() const {
    std::string s = test.empty() ? std::string("outside any Catch2 test") : "test \"" + test + "\"";
    if (!sections.empty()) s += ", section \"" + sections + "\"";
    return s + ", check " + std::to_string(ordinal + 1) + " in it";
  }
};

/// A key: "3-<test id>.<check id>-p<preemption bound>[n]-<choices>" (trace.cpp
/// encodes the choices; "n" when spin parking was off, which changes the
/// choices). The version digit in front refuses keys of older formats: a key
/// of version 2 was made without spin parking.
struct replay_key {
  std::string test_id;
  std::string check_id;
  int bound = 0;
  bool park = true;
  std::vector<choice> choices;
};

std::string encode(const identity& id, int bound, bool park, const std::vector<choice>& choices) {
  return "3-" + id.test_id() + "." + id.check_id() + "-p" + std::to_string(bound) +
         (park ? "" : "n") + "-" + encode_key(choices);
}

/// Parses `text`, or says in `error` why it is not a key.
bool decode(const std::string& text, replay_key& key, std::string& error) {
  if (text.rfind("3-", 0) != 0) {
    error =
        text.rfind("1-", 0) == 0 || text.rfind("2-", 0) == 0
            ? "is a key of an older version of the model checker: run the test again for a new one"
            : "is not a replay key (copy the whole WB_MODEL_REPLAY=... line of a report)";
    return false;
  }
  const auto dot = text.find('.', 2);
  const auto p = text.find("-p", 2);
  const auto dash = p == std::string::npos ? p : text.find('-', p + 2);
  if (dot == std::string::npos || p == std::string::npos || dash == std::string::npos || dot > p ||
      !decode_key(text.substr(dash + 1), key.choices)) {
    error = "is not a replay key (copy the whole WB_MODEL_REPLAY=... line of a report)";
    return false;
  }
  key.test_id = text.substr(2, dot - 2);
  key.check_id = text.substr(dot + 1, p - dot - 1);
  key.bound = std::atoi(text.c_str() + p + 2);
  key.park = text[dash - 1] != 'n';
  return true;
}

/// The test binary, relative to the repository when it is inside it (so a
/// report reads the same on every machine and can be pasted at the top of the tree).
std::string binary_path() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return program_invocation_name;
  buf[n] = '\0';
  return wb::detail::repo_relative(buf);
}

/// `text` as one shell word in double quotes.
std::string shell_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\' || c == '$' || c == '`') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A test-case name or section as Catch2's command line matches it: its
/// specification language gives `,` `[` `]` `*` `~` `\` a meaning unless escaped.
std::string catch_spec(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::strchr(",[]*~\\\"", c) != nullptr) out += '\\';
    out += c;
  }
  return out;
}

/// Where this check's graph goes: beside the test binary, named after the test.
std::string graph_path(const identity& id) {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = '\0';
  std::string name;
  for (const char c : id.test + (id.sections.empty() ? "" : " " + id.sections)) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (keep) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!name.empty() && name.back() != '-') name += '-';
  }
  while (!name.empty() && name.back() == '-') name.pop_back();
  if (name.size() > 100) name.resize(100);
  if (name.empty()) name = "check";
  return std::string(buf) + ".model/" + name + ".check" + std::to_string(id.ordinal + 1) + ".dot";
}

/// The report's details with the learner's lines: a deadlock names where each
/// blocked thread waits ("  t1 waits to lock m2 ... at <line>"), which is its
/// last operation's line, so the learner's line found for that operation replaces it.
std::string learner_details(const runtime& r, const std::vector<std::string>& lines) {
  std::string details = r.details;
  for (std::size_t i = 0; i < r.trace.size() && i < lines.size(); ++i) {
    const event& e = r.trace[i];
    if (!e.culprit || lines[i].empty() || e.loc.line() == 0) continue;
    const std::string start = "  t" + std::to_string(e.thread) + " ";
    const std::string old_at = " at " + where(e.loc) + "\n";
    for (std::size_t at = details.find(start); at != std::string::npos;
         at = details.find(start, at + 1)) {
      if (at != 0 && details[at - 1] != '\n') continue;
      const std::size_t end = details.find('\n', at);
      const std::size_t found = details.find(old_at, at);
      if (found != std::string::npos && found + old_at.size() == end + 1)
        details.replace(found, old_at.size(), " at " + lines[i] + "\n");
    }
  }
  return details;
}

std::string report(const runtime& r, const identity& id, bool failed) {
  const std::vector<choice> used(r.choices.begin(),
                                 r.choices.begin() + static_cast<std::ptrdiff_t>(r.choice_pos));
  const std::string key = encode(id, r.opts.preemption_bound, r.opts.park_spinners, used);
  const std::vector<std::string> lines = learner_lines(r);
  std::string out = failed ? "wb::model: " + r.headline + "\n" : "wb::model: replayed execution\n";
  out += "  execution " + std::to_string(r.execution) + " of this check (preemption bound " +
         std::to_string(r.opts.preemption_bound) + ", " + std::to_string(r.preemptions) +
         " preemptions used)\n";
  out += learner_details(r, lines);
  out +=
      "trace (step, thread, operation, source line; a<n> atomics, m<n> mutexes, cv<n> "
      "condition variables, c<n> cells, #k = k-th store of an atomic):\n";
  out += format_trace(r, lines);
  if (const std::string graph = write_graph(r, lines, graph_path(id)); !graph.empty())
    out += "graph: " + std::string(wb::detail::repo_relative(graph.c_str())) + "\n";
  // One line, so that tools can pick it out; MODEL.md tells how to step through it in gdb.
  out += "replay: WB_MODEL_REPLAY=" + key + " " + binary_path();
  if (!id.test.empty()) out += " " + shell_quoted(catch_spec(id.test));
  if (!id.sections.empty()) {
    for (std::size_t from = 0;;) {
      const auto to = id.sections.find(" / ", from);
      out += " -c " + shell_quoted(catch_spec(id.sections.substr(from, to - from)));
      if (to == std::string::npos) break;
      from = to + 3;
    }
  }
  return out + "\n";
}

}  // namespace

stats check(std::function<void()> body, options opts) {
  if (rt != nullptr)
    throw std::logic_error("wb::model::check: nested check() calls are not supported");
  if (const char* env = std::getenv("WB_MODEL_PREEMPTIONS")) {
    char* end = nullptr;
    const long bound = std::strtol(env, &end, 10);
    if (end != env && bound >= 0) opts.preemption_bound = static_cast<int>(bound);
  }
  if (const char* env = std::getenv("WB_MODEL_PARK"); env && *env) opts.park_spinners = *env != '0';
  if (const char* env = std::getenv("WB_MODEL_POR"); env && *env) opts.reduce = *env != '0';
  const identity id = identity::current();
  runtime r;
  r.threads.reserve(max_threads);
  if (const char* text = std::getenv("WB_MODEL_REPLAY"); text && *text) {
    replay_key key;
    std::string error;
    if (!decode(text, key, error))
      throw failure(std::string("wb::model: WB_MODEL_REPLAY=") + text + " " + error + "\n");
    if (key.test_id != id.test_id()) {  // never replay another test's choices into this one
      throw failure(
          std::string("wb::model: WB_MODEL_REPLAY=") + text +
          " is a key for another test, so nothing was replayed\n"
          "  this check: " +
          id.describe() +
          "\n"
          "  run the replay command printed with the key: it names the test the key is for\n");
    }
    if (key.check_id == id.check_id()) {
      r.choices = std::move(key.choices);
      r.replay = true;
      opts.preemption_bound = key.bound;  // the choices were made under this bound
      opts.park_spinners = key.park;      // and with or without spin parking
    } else {  // another check of the same test, before or after the one to replay
      std::fflush(stdout);
      std::fprintf(stderr,
                   "wb::model: WB_MODEL_REPLAY is for another check of this test; %s is explored "
                   "as usual\n",
                   id.describe().c_str());
    }
  }
  r.opts = opts;
  r.reduce = opts.reduce && !r.replay;  // a replay follows its key's choices, nothing else
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
    if (r.failed) throw failure(report(r, id, true));
    if (r.replay) {
      std::fflush(stdout);
      std::fprintf(stderr, "%s", report(r, id, false).c_str());
      return {1, false, elapsed()};
    }
    if (r.pruned) ++r.pruned_runs;
    r.choices.resize(r.choice_pos);  // choices past the end of this execution are not its own
    if (!advance(r.choices)) return {r.execution - r.pruned_runs, true, elapsed(), r.pruned_runs};
    if (r.execution >= opts.max_executions) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "wb::model: stopped after %zu executions (options.max_executions) before "
                   "exploring every schedule up to preemption bound %d: a pass is NOT a proof\n",
                   r.execution, opts.preemption_bound);
      return {r.execution - r.pruned_runs, false, elapsed(), r.pruned_runs};
    }
  }
}

}  // namespace wb::model

#endif  // WB_MODEL
