// The model checker's internal state: threads (fibers), objects with their
// store histories and clocks, the choice stack, the trace. One `runtime`
// exists per running check(); every fiber of it runs on the calling OS thread
// and exactly one runs at a time, so nothing here needs locking.
#pragma once

#include <wb/model.hpp>
#include <wb/model/runtime.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#if !defined(__x86_64__) || defined(WB_MODEL_UCONTEXT)
#include <ucontext.h>
#endif

namespace wb::model::detail {

inline constexpr int max_threads = 16;       // per execution, thread 0 (the body) included
inline constexpr std::uint32_t history = 8;  // stores kept per atomic (older ones cannot be read)
/// A preemption bound this high is taken as no bound by partial-order
/// reduction (scheduler.cpp, choose_thread): WB_MODEL_PREEMPTIONS=1000.
inline constexpr int unbounded = 100;

/// A vector clock: how many operations of each thread happen-before "now".
/// A thread's own entry starts at 1 and grows by one after each visible
/// operation, so "epoch e of thread t happens-before clock c" is e <= c[t].
struct vclock {
  std::array<std::uint32_t, max_threads> at{};
  void join(const vclock& o) noexcept {
    for (int i = 0; i < max_threads; ++i) at[i] = at[i] < o.at[i] ? o.at[i] : at[i];
  }
};

enum class choice_kind : std::uint8_t { schedule, reads_from, spurious, wake };

/// One nondeterministic decision of an execution: index of `count` options.
/// count == 0 marks a choice read from a replay key (its count is learnt live).
struct choice {
  choice_kind kind;
  std::uint32_t index;
  std::uint32_t count;
  /// A schedule choice under partial-order reduction: bit i set when option i
  /// is a thread in the sleep set here (its subtree is covered elsewhere, so
  /// advance() skips it). 0 for every other kind.
  std::uint32_t asleep = 0;
};

/// What a thread does at its next scheduling point, as far as partial-order
/// reduction needs to know (scheduler.cpp, dependent()): set by each
/// operation just before its begin_op().
///   start:  a thread not yet started (its first step is plain code);
///   local:  an acquire or release fence (not seq_cst): only the thread's own clocks;
///   access: an atomic load, store, read-modify-write or compare-exchange of
///           `obj`, or a lock, try_lock or unlock of the mutex `obj` (writes);
///   spawn:  starting a thread;
///   join:   joining thread `obj`;
///   global: anything else (condition variables, waits and wakes, seq_cst
///           fences, spin_loop_hint): dependent on every step.
struct next_op {
  enum class kind : std::uint8_t { start, local, access, spawn, join, global };
  kind what = kind::start;
  bool writes = false;   // access: may modify obj (store, RMW, CAS)
  bool seq_cst = false;  // access: a seq_cst operation (it takes a place in S)
  std::uint32_t obj = UINT32_MAX;
};

enum class status : std::uint8_t { runnable, blocked, finished };
enum class waits_for : std::uint8_t { nothing, mutex, join, condvar, address };

/// The C++ exception-handling globals of one fiber (libstdc++'s
/// __cxa_eh_globals: caught-exception stack and uncaught count). They are
/// per OS thread, so the checker swaps them with each fiber switch.
struct eh_globals {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

/// A suspended fiber. On x86-64 a stack pointer (fiber.cpp switches
/// with a few instructions); elsewhere a ucontext_t (portable, but each
/// switch is a system call for the signal mask; -DWB_MODEL_UCONTEXT forces it).
struct fiber_context {
#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
  void* sp = nullptr;
#else
  ucontext_t uc;
#endif
};

struct thread_state {
  std::unique_ptr<task> body;
  fiber_context context;
  eh_globals eh;
  status state = status::runnable;
  waits_for blocked_on = waits_for::nothing;
  std::uint32_t blocked_obj = 0;
  std::source_location blocked_at;
  bool started = false;
  bool woken = false;           // condvar/address wait: a notify chose this thread
  bool yielding = false;        // spun without seeing anything new: prefer others next
  std::uint32_t spins = 0;      // spin_loop_hint calls so far (object::spins_seen)
  std::uint64_t parked_at = 0;  // suspended at a yield: when (runtime::park_clock); 0 = not
  // Spin parking (scheduler.cpp, MODEL.md "Spin parking"): `effects` counts
  // the operations of this thread that others could see (anything but a
  // load, a read-modify-write or compare-exchange that left the value as it
  // was, a spin_loop_hint or a fence that is not seq_cst); `watched` lists the
  // atomics it read since its last such operation. `stutter` is set by a read
  // that repeats the thread's previous read of the object (itself a repeat)
  // with the same value, in the same thread state (memory.cpp, state_hash)
  // and with no effect in between; its next scheduling point parks the
  // thread, and a parked thread runs again only when one of `watched` holds a
  // store newer than its last read that it could tell apart (or when no
  // other thread can run).
  std::uint64_t effects = 0;
  std::vector<std::uint32_t> watched;
  bool stutter = false;
  bool parked = false;
  bool pure = false;  // the running operation called pure_op()
  // The registers and stack pointer at the running read's entry
  // (memory.cpp, capture_entry), for spin parking's state hash.
  std::array<std::uint64_t, 7> entry{};
  bool entry_valid = false;
  next_op pending;         // the operation it does when it next runs (partial-order reduction)
  vclock clock;            // happens-before knowledge
  vclock release_fence;    // clock at the last release (or stronger) fence
  vclock pending_acquire;  // sync clocks read by relaxed loads, for an acquire fence
};

/// One store in an atomic's modification order (mo).
struct store_rec {
  std::uint64_t value = 0;
  std::uint32_t mo = 0;
  int thread = 0;
  std::uint32_t epoch = 0;  // the storing thread's clock entry at the store
  vclock sync;              // what an acquire reading this store learns
};

struct object {
  object_kind kind;
  std::uint32_t label;  // a<label>, m<label>, cv<label>, c<label>
  value_kind vk = value_kind::signed_int;
  int size = 0;
  bool alive = true;
  bool made_in_body = false;    // constructed while the execution ran (else: before check())
  const void* where = nullptr;  // the handle's address: a freed object's handle is garbage
  std::source_location created;
  // every kind: each thread's last access, for destruction races
  std::array<std::uint32_t, max_threads> access_epoch{};
  std::array<std::source_location, max_threads> access_at{};
  std::array<bool, max_threads> accessed{};
  // atomic
  std::array<store_rec, history> stores{};  // ring: mo m lives at [m % history]
  std::uint32_t next_mo = 0;
  std::array<std::uint32_t, max_threads> seen_mo{};  // the newest mo each thread read or wrote
  // Coherence through happens-before ([intro.races] p15-p18): for each thread,
  // (epoch, mo) each time its seen_mo grew, so that any thread can ask "what
  // is the newest store that an operation happening before me read or wrote?"
  std::array<std::vector<std::pair<std::uint32_t, std::uint32_t>>, max_threads> seen_at{};
  // [atomics.order] p4: (position in S, newest mo so far) for each seq_cst
  // operation on this object, in S order (S is the execution order here).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sc_seen;
  std::array<std::uint32_t, max_threads> last_read_mo{};  // the store last read (spin rule)
  std::array<std::uint64_t, max_threads> last_value{};    // the value last read (spin rule)
  std::array<bool, max_threads> has_read{};
  // The spin rule (memory.cpp, note_read): this thread polls this object, so
  // its next load of it reads a newer store when there is one. Set by two
  // equal reads in a row, or by a spin_loop_hint since its last load of it.
  std::array<bool, max_threads> polled{};
  std::array<std::uint32_t, max_threads> spins_seen{};  // thread_state::spins at its last load
  std::array<std::uint64_t, max_threads>
      read_point{};  // program point of its last read (spin parking)
  std::array<std::uint64_t, max_threads> read_effects{};  // thread_state::effects at its last read
  std::vector<int> waiters;                               // address waits (atomic) or condvar waits
  // mutex
  int owner = -1;
  vclock unlock_clock;
  // cell: FastTrack-style last write and reads since it
  int writer = -1;
  std::uint32_t write_epoch = 0;
  std::source_location write_at;
  std::array<std::uint32_t, max_threads> read_epoch{};
  std::array<std::source_location, max_threads> read_at{};
};

enum class ev : std::uint8_t {
  create,
  destroy,
  load,
  store,
  rmw,
  cas_ok,
  cas_fail,
  cas_spurious,
  fence,
  spin,
  spawn,
  join,
  finish,
  lock,
  lock_blocks,
  unlock,
  try_lock_fail,
  cv_wait,
  cv_spurious,
  cv_woke,
  notify,
  addr_wait_blocks,
  addr_wait_done,
  wake,
  cell_read,
  cell_write,
  misuse
};

/// One trace line; formatted only when a report is printed.
struct event {
  ev what;
  std::uint16_t thread;
  std::int16_t order = -1;   // std::memory_order, -1: none
  std::int16_t order2 = -1;  // CAS failure order
  std::int16_t writer = -1;  // thread whose store a load read
  std::uint32_t step = 0;
  std::uint32_t obj = UINT32_MAX;
  std::uint32_t other = 0;   // thread spawned/joined/woken, count, or second object
  std::uint64_t value = 0;   // read, or written by a store
  std::uint64_t value2 = 0;  // written by an RMW / CAS desired / expected
  std::int32_t rf = -1;      // mo index read
  std::int32_t latest = -1;  // mo-latest index at the time
  const char* name = nullptr;
  std::source_location loc;
  std::uint32_t callers = UINT32_MAX;  // runtime::call_stacks index when loc is not the learner's
  bool culprit = false;                // one of the operations the report is about (graph.cpp)
};

/// Return addresses above an operation whose own line is in a library
/// (frames.cpp): innermost first, null after the last.
using call_stack = std::array<const void*, 8>;

struct runtime {
  options opts;
  std::vector<thread_state> threads;  // reserved to max_threads: contexts never move
  std::deque<object> objects;         // a deque: references stay valid as it grows
  std::array<std::uint32_t, 4> labels{};
  std::vector<event> trace;
  std::vector<choice> choices;
  std::size_t choice_pos = 0;
  bool replay = false;
  int current = 0;
  int preemptions = 0;
  std::uint64_t park_clock = 0;     // orders the yields of an execution
  std::uint64_t point_counter = 0;  // spin parking: states no other read shares
  int spurious_used = 0;
  std::uint32_t steps = 0;
  vclock sc_clock;            // join of the clocks of every seq_cst fence so far
  std::uint64_t sc_next = 0;  // position in S of the next seq_cst operation or fence
  /// A seq_cst fence: its thread and epoch (what happens after it), its
  /// position in S, and sc_clock just after it (what happens before it or any
  /// earlier seq_cst fence).
  struct sc_fence {
    int thread;
    std::uint32_t epoch;
    std::uint64_t pos;
    vclock before;
  };
  std::vector<sc_fence> sc_fences;
  bool aborting = false;
  bool failed = false;
  std::string headline;
  std::string details;
  std::size_t execution = 0;
  fiber_context main_context;
  eh_globals main_eh;
  std::vector<void*> stacks;
  bool force_latest = false;  // the next load reads the mo-latest store (wait re-check)
  // Partial-order reduction (scheduler.cpp, choose_thread): `next` is the
  // operation the running thread is about to begin (begin_op moves it to the
  // thread's `pending`); `sleep` is the sleep set, one bit per thread;
  // `reduce` is options.reduce outside a replay; `pruned` says that this
  // run found every thread that could go on asleep (it then runs to its end
  // with option 0 at each choice, recording none).
  next_op next{next_op::kind::global};
  std::uint32_t sleep = 0;
  bool reduce = false;
  bool pruned = false;
  std::size_t pruned_runs = 0;
  std::vector<call_stack> call_stacks;  // see event::callers
};

extern runtime* rt;

// scheduler.cpp
void begin_op(std::source_location loc);  // a scheduling point: may run other threads first
void end_op();                            // the thread's clock advances past this operation
/// The running thread did something other threads can see (spin parking:
/// its next repeated read is not a stutter). end_op() calls it unless the
/// operation called pure_op() first.
void note_effect();
void pure_op();  // this operation changes nothing another thread could see
void block(waits_for what, std::uint32_t obj, std::source_location loc);  // until runnable
/// Records the first failure and ends the execution: the running fiber
/// switches to check() for good, unless may_switch is false (a destructor
/// reporting misuse), in which case it stops at its next operation.
void fail(std::string headline, std::string details = {}, bool may_switch = true);
std::uint32_t choose(choice_kind kind, std::uint32_t count);
event& record(ev what, std::uint32_t obj, std::source_location loc);
object& live_object(std::uint32_t id, std::source_location loc);
/// Reports a use of `o` after its destruction and ends the execution.
[[noreturn]] void use_after_destruction(const object& o, std::source_location loc);
/// Remembers the running thread's access to `o` (destruction must come after it).
void note_access(object& o, std::source_location loc);
void run_execution(const std::function<void()>& body);
void prepare_thread(int id);  // a fresh fiber for threads[id], entering its body

// fiber.cpp
void swap_fiber(fiber_context* from, eh_globals* from_eh, fiber_context* to, eh_globals* to_eh);
void init_context(runtime& r, int i, void (*entry)());
void free_stacks(runtime& r);
/// The bounds [low, high) of thread i's fiber stack.
std::pair<const char*, const char*> fiber_stack(const runtime& r, int i);

// frames.cpp
/// True for a file of the learner's or the test's (exercises/, solutions/,
/// chapters/, common/tests/): in the repository, not in common/include or common/src.
bool is_learner_file(const char* path) noexcept;
/// Called by record(): remembers the return addresses when e.loc is not the learner's.
void capture_callers(runtime& r, event& e);
/// For each trace event, the first learner's file:line on its call stack ("" when
/// it has none or its own location is already the learner's). Runs addr2line.
std::vector<std::string> learner_lines(const runtime& r);
/// Marks thread t's last operation as one the report is about (event::culprit).
void mark_culprit(runtime& r, int t);
/// The same for a thread of a deadlock, when its last operation is where it waits.
void mark_blocked(runtime& r, int t);

// graph.cpp
/// Writes the execution as a Graphviz graph to `path` (.dot), renders
/// path-with-.svg beside it when `dot` is installed (in the background), and
/// returns the path to show: the SVG's, or the .dot's without Graphviz; "" on failure.
std::string write_graph(const runtime& r, const std::vector<std::string>& lines,
                        const std::string& path);

// trace.cpp
std::string label(const object& o);
/// The trace, one line per event; `lines` (learner_lines) replaces an event's
/// own source line where it is not empty.
std::string format_trace(const runtime& r, const std::vector<std::string>& lines = {});
/// One event as its trace line says it, without step, thread and source line.
std::string describe(const runtime& r, const event& e);
/// The choices part of a replay key (explore.cpp adds the check's identity).
std::string encode_key(const std::vector<choice>& choices);
bool decode_key(const std::string& key, std::vector<choice>& out);
std::string where(const std::source_location& loc);
const char* order_name(int order);  // "relaxed" ... "seq_cst"

}  // namespace wb::model::detail
