// The scheduler: which modelled thread runs next, and how an execution
// starts, blocks, finishes, and ends early when it fails.
//
// Every thread of an execution is a fiber (fiber.cpp) on the OS thread that
// called check(); exactly one runs. Before each visible operation the
// running thread asks `choose` who runs next: itself (free) or another
// runnable thread (a preemption, at most opts.preemption_bound per
// execution). A thread that blocks, finishes, or yields (it spun and saw
// nothing new) hands over for free — that is what keeps spin loops cheap.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace wb::model::detail {

thread_local std::uint64_t current_generation = 0;
runtime* rt = nullptr;

namespace {

std::uint64_t next_generation = 1;

/// Switches from thread `from` (-1: check()'s own context) to thread `to`.
void resume(int from, int to) {
  runtime& r = *rt;
  thread_state& target = r.threads[to];
  target.started = true;
  target.parked_at = 0;
  target.parked = false;
  r.current = to;
  if (from < 0) {
    swap_fiber(&r.main_context, &r.main_eh, &target.context, &target.eh);
  } else {
    swap_fiber(&r.threads[from].context, &r.threads[from].eh, &target.context, &target.eh);
  }
}

[[noreturn]] void to_main(int from) {
  runtime& r = *rt;
  r.current = -1;
  swap_fiber(&r.threads[from].context, &r.threads[from].eh, &r.main_context, &r.main_eh);
  std::abort();  // a finished fiber is never resumed
}

bool runnable(const runtime& r, int i) {
  const thread_state& t = r.threads[i];
  if (t.state == status::runnable) return true;
  if (t.state == status::finished) return false;
  switch (t.blocked_on) {
    case waits_for::mutex:
      return r.objects[t.blocked_obj].owner == -1;
    case waits_for::join:
      return r.threads[t.blocked_obj].state == status::finished;
    case waits_for::condvar:
    case waits_for::address:
      return t.woken;
    case waits_for::nothing:
      return true;
  }
  return false;
}

/// Spin parking: true while thread i is parked and nothing it watches has
/// changed, so that its next round would read exactly what its last one read
/// and learn nothing from it. A newer store with the same value as the
/// thread's last read, and nothing to teach it (its sync clock is below the
/// thread's), does not count: a spinner that exchanges true for true leaves
/// the value as it found it. A newer store with another value, or one that
/// would make the thread happen after something new (and so let it see a
/// cell or a plain variable written since), does; so does a store the
/// history no longer holds, or a destroyed object.
bool still_parked(const runtime& r, int i) {
  const thread_state& t = r.threads[i];
  if (!t.parked) return false;
  for (const std::uint32_t id : t.watched) {
    const object& o = r.objects[id];
    if (!o.alive || !o.has_read[i]) return false;
    const std::uint32_t first = o.next_mo > history ? o.next_mo - history : 0;
    for (std::uint32_t m = o.last_read_mo[i] + 1; m < o.next_mo; ++m) {
      if (m < first) return false;
      const store_rec& s = o.stores[m % history];
      if (s.value != o.last_value[i]) return false;
      for (int k = 0; k < max_threads; ++k)
        if (s.sync.at[k] > t.clock.at[k]) return false;
    }
  }
  return true;
}

/// Runnable and not parked. When no thread is (every runnable one is
/// parked), `all` lets the parked ones run again: parking only ever chooses
/// who goes first, it never stops the execution (a real livelock still runs
/// into max_steps and is reported as one).
bool eligible(const runtime& r, int i, bool all) {
  return runnable(r, i) && (all || !still_parked(r, i));
}

bool any_eligible(const runtime& r) {
  for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
    if (eligible(r, i, false)) return true;
  return false;
}

/// Partial-order reduction: may the steps of threads `ta` and `tb` (two
/// different threads), whose next operations are `a` and `b`, not be swapped?
/// Conservative: a step is dependent on every other unless the pair is one
/// MODEL.md ("Partial-order reduction") argues independent:
///   two accesses of different objects (seq_cst or not), or two reads of one
///   object of which neither is seq_cst;
///   a fence that is not seq_cst, or a thread's first step, with anything
///   but a global step;
///   a spawn with anything but a spawn, a join or a global step;
///   a join of thread u with anything but u's steps, a spawn, a join or a
///   global step.
bool dependent(const next_op& a, int ta, const next_op& b, int tb) {
  using k = next_op::kind;
  if (a.what == k::global || b.what == k::global) return true;
  if (a.what == k::join && static_cast<int>(a.obj) == tb) return true;
  if (b.what == k::join && static_cast<int>(b.obj) == ta) return true;
  const bool a_thread = a.what == k::spawn || a.what == k::join;
  const bool b_thread = b.what == k::spawn || b.what == k::join;
  if (a_thread || b_thread) return a_thread && b_thread;
  if (a.what != k::access || b.what != k::access) return false;
  return a.obj == b.obj && (a.writes || b.writes || a.seq_cst || b.seq_cst);
}

/// Chooses which of `alts` (n threads, in the order the options are tried)
/// runs next: a schedule choice. With partial-order reduction, a thread in
/// the sleep set is not chosen (advance() in explore.cpp skips its index),
/// and the sleep set is carried on: the threads tried before the chosen one
/// at this point join it, and every thread whose next operation is
/// dependent on the chosen thread's leaves it (Godefroid's sleep sets).
std::uint32_t choose_thread(const int* alts, std::uint32_t n, std::uint32_t free_count) {
  runtime& r = *rt;
  if (!r.reduce || r.aborting || r.pruned) return choose(choice_kind::schedule, n);
  std::uint32_t asleep = 0;
  for (std::uint32_t i = 0; i < n; ++i)
    if (r.sleep >> alts[i] & 1u) asleep |= 1u << i;
  if (n > 0 && asleep == (n >= 32 ? ~0u : (1u << n) - 1)) {
    // The run is redundant: every thread that could run next is asleep, so
    // every execution that goes on from here is equivalent to one explored
    // from an earlier state. It is not cut short (abandoning its threads
    // would leave behind whatever they had put in static storage, such as
    // a parking lot's queue, for the next run to trip over): it runs to its
    // end taking option 0 at every choice without recording any (choose()),
    // so no execution is searched from it, and a replay key of a failure in
    // it (a real execution, with every choice one the full search has too)
    // replays it, since a replay takes option 0 past the key's end.
    r.pruned = true;
    return choose(choice_kind::schedule, n);
  }
  std::uint32_t k = 0;
  if (n > 1 && r.choice_pos >= r.choices.size()) {  // a new choice: its first awake option
    while (asleep >> k & 1u) ++k;
    r.choices.push_back({choice_kind::schedule, k, n, asleep});
    ++r.choice_pos;
  } else if (n > 1) {
    r.choices[r.choice_pos].asleep = asleep;
    k = choose(choice_kind::schedule, n);  // advance() skipped the sleeping options
  }
  // Under a preemption bound that can be reached, a thread tried before the
  // chosen one goes to sleep only when it was a free option and the chosen
  // one costs a preemption: then running it first, as the equivalent
  // execution explored under it does, costs no more than the schedule it
  // stands for (MODEL.md, "Partial-order reduction", with a preemption bound).
  const bool any = r.opts.preemption_bound >= unbounded;
  std::uint32_t sleep = r.sleep;
  for (std::uint32_t j = 0; j < k; ++j)
    if (any || (j < free_count && k >= free_count)) sleep |= 1u << alts[j];
  sleep &= ~(1u << alts[k]);
  const next_op& chosen = r.threads[alts[k]].pending;
  for (int p = 0; p < static_cast<int>(r.threads.size()); ++p)
    if ((sleep >> p & 1u) && dependent(r.threads[p].pending, p, chosen, alts[k]))
      sleep &= ~(1u << p);
  r.sleep = sleep;
  return k;
}

/// A free switch (the running thread blocked or finished): any runnable thread.
int pick_free() {
  runtime& r = *rt;
  int alts[max_threads];
  std::uint32_t n = 0;
  const bool all = !any_eligible(r);
  for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
    if (eligible(r, i, all)) alts[n++] = i;
  if (n == 0) return -1;
  return alts[choose_thread(alts, n, n)];
}

/// Ends the running fiber's part in a failed execution: it switches to
/// check() and is never resumed. Its stack is abandoned, not unwound: an
/// exception thrown to unwind it would reach std::terminate inside any
/// noexcept function (exercise code is full of them, like std::atomic's own
/// members), and the execution is the last one of the check anyway.
[[noreturn]] void abandon() {
  runtime& r = *rt;
  to_main(r.current);
}

std::string describe_block(const runtime& r, int i) {
  const thread_state& t = r.threads[i];
  std::string s = "  t" + std::to_string(i) + " ";
  switch (t.blocked_on) {
    case waits_for::mutex: {
      const object& m = r.objects[t.blocked_obj];
      s += "waits to lock " + label(m) + " (held by t" + std::to_string(m.owner) + ")";
      break;
    }
    case waits_for::join:
      s += "waits to join t" + std::to_string(t.blocked_obj);
      break;
    case waits_for::condvar:
      s += "waits on " + label(r.objects[t.blocked_obj]) + " (no notify reached it)";
      break;
    case waits_for::address:
      s += "waits in wb::wait on " + label(r.objects[t.blocked_obj]) +
           " (no wake_one/wake_all after it blocked: a lost wake-up)";
      break;
    case waits_for::nothing:
      s += "is runnable";
      break;
  }
  return s + " at " + where(t.blocked_at) + "\n";
}

void report_deadlock() {
  runtime& r = *rt;
  std::string details;
  for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
    if (r.threads[i].state == status::blocked) details += describe_block(r, i);
  r.aborting = true;
  if (!r.failed) {
    for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
      if (r.threads[i].state == status::blocked) mark_blocked(r, i);
    r.failed = true;
    r.headline = "deadlock: no thread can run, and not every thread has finished";
    r.details = details;
  }
}

[[noreturn]] void finish(int me) {
  runtime& r = *rt;
  r.threads[me].state = status::finished;
  if (r.aborting) to_main(me);
  record(ev::finish, UINT32_MAX, {});
  const int next = pick_free();
  if (next < 0) {
    for (const thread_state& t : r.threads)
      if (t.state != status::finished) {
        report_deadlock();
        break;
      }
    to_main(me);
  }
  resume(me, next);
  std::abort();
}

void fiber_main() {
  runtime& r = *rt;
  const int me = r.current;
  try {
    r.threads[me].body->run();
    r.threads[me].body.reset();  // a thread's callable dies with the thread, as in std::thread
  } catch (const std::exception& e) {
    fail("thread t" + std::to_string(me) + " threw: " + e.what(), {}, false);
  } catch (...) {
    fail("thread t" + std::to_string(me) +
             " threw an exception that is not a std::exception (a failed REQUIRE: Catch2 "
             "printed the assertion above)",
         {}, false);
  }
  finish(me);
}

/// Thread 0's body: the user's function, by reference (it outlives every execution).
struct body_ref final : task {
  explicit body_ref(const std::function<void()>& f) : f(f) {}
  void run() override { f(); }
  const std::function<void()>& f;
};

void schedule_point() {
  runtime& r = *rt;
  const int me = r.current;
  thread_state& t = r.threads[me];
  int alts[max_threads];
  std::uint32_t n = 0;
  std::uint32_t free_count = 1;  // alts[0, free_count) cost nothing
  const bool can_preempt = r.preemptions < r.opts.preemption_bound;
  const bool yielding = t.yielding;
  t.yielding = false;
  if (t.stutter) {
    // Spin parking (MODEL.md, "Spin parking"): this thread just repeated a
    // round of a loop that saw nothing new, so running it again before
    // someone changes what it reads would repeat that round. It parks, and
    // any other thread that can run takes over for free; when none can, it
    // carries on (below) as a yielding thread.
    // If something it watches has already changed, its next round may read
    // it: it does not park (the rule below decides, as without parking).
    t.stutter = false;
    t.parked = true;
    const bool all = !any_eligible(r);
    if (still_parked(r, me))
      for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
        if (i != me && eligible(r, i, all)) alts[n++] = i;
    if (n > 0) {
      const int next = alts[choose_thread(alts, n, n)];
      t.parked_at = ++r.park_clock;
      resume(me, next);
      return;
    }
    t.parked = false;
  }
  const bool all =
      !any_eligible(r);  // parked threads are no one's alternative while others can run
  if (yielding) {
    // Fairness among spinners: a yield hands over for free only to the
    // runnable threads that have waited longest (not parked at a yield, or
    // parked earliest). Without it two spinners could hand the CPU to each
    // other for free forever while the thread they wait for never runs.
    // Anyone else, and carrying on spinning, costs a preemption.
    // A thread parked by spin parking (not run since) yielded last at some
    // point between its parking and now, had it kept spinning: it counts as
    // longest-waiting if its parking was, and never keeps the others from
    // being so (MODEL.md, "Spin parking": no switch costs more than it
    // would have without parking).
    const auto is_free = [&](int i, std::uint64_t best) {
      const thread_state& o = r.threads[i];
      return o.parked ? o.parked_at <= best : o.parked_at == best;
    };
    std::uint64_t best = UINT64_MAX;
    for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
      if (i != me && eligible(r, i, all) && !r.threads[i].parked && r.threads[i].parked_at < best)
        best = r.threads[i].parked_at;
    for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
      if (i != me && eligible(r, i, all) && is_free(i, best)) alts[n++] = i;
    free_count = n;
    if (can_preempt)
      for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
        if (i != me && eligible(r, i, all) && !is_free(i, best)) alts[n++] = i;
    if (n == 0 || can_preempt) alts[n++] = me;
    if (free_count == 0) free_count = n;  // alone: carrying on is free
  } else {                                // carrying on is free; switching costs a preemption
    alts[n++] = me;
    if (can_preempt)
      for (int i = 0; i < static_cast<int>(r.threads.size()); ++i)
        if (i != me && eligible(r, i, all)) alts[n++] = i;
  }
  const std::uint32_t k = choose_thread(alts, n, free_count);
  const int next = alts[k];
  if (k >= free_count) ++r.preemptions;
  if (next != me) {
    if (yielding) t.parked_at = ++r.park_clock;
    resume(me, next);
  }
}

}  // namespace

void fail(std::string headline, std::string details, bool may_switch) {
  runtime& r = *rt;
  if (!r.failed) {
    r.failed = true;
    r.headline = std::move(headline);
    r.details = std::move(details);
    if (r.current >= 0) mark_culprit(r, r.current);
  }
  r.aborting = true;
  if (may_switch) abandon();
}

void begin_op(std::source_location) {
  runtime& r = *rt;
  if (r.aborting) abandon();              // a failure was recorded where no switch was possible
  r.threads[r.current].pending = r.next;  // partial-order reduction: what this thread does next
  r.next = next_op{next_op::kind::global};
  if (++r.steps > r.opts.max_steps) {
    fail("livelock: more than " + std::to_string(r.opts.max_steps) +
             " operations in one execution (options.max_steps)",
         "  a loop keeps running without the progress it waits for (see the end of the trace)\n");
  }
  schedule_point();
}

void end_op() {
  runtime& r = *rt;
  thread_state& t = r.threads[r.current];
  ++t.clock.at[r.current];
  if (!t.pure) note_effect();
  t.pure = false;
}

void note_effect() {
  runtime& r = *rt;
  thread_state& t = r.threads[r.current < 0 ? 0 : r.current];
  ++t.effects;
  t.watched.clear();
  t.stutter = false;
}

void pure_op() {
  runtime& r = *rt;
  r.threads[r.current].pure = true;
}

void block(waits_for what, std::uint32_t obj, std::source_location loc) {
  runtime& r = *rt;
  const int me = r.current;
  thread_state& t = r.threads[me];
  t.state = status::blocked;
  note_effect();  // a blocked thread is not spinning
  t.blocked_on = what;
  t.blocked_obj = obj;
  t.blocked_at = loc;
  const int next = pick_free();
  if (next < 0) {
    report_deadlock();
    abandon();
  }
  if (next != me) resume(me, next);
  t.state = status::runnable;
  t.blocked_on = waits_for::nothing;
}

std::uint32_t choose(choice_kind kind, std::uint32_t count) {
  runtime& r = *rt;
  if (count <= 1) return 0;
  if (r.pruned && r.choice_pos >= r.choices.size()) return 0;  // choose_thread: a redundant run
  if (r.choice_pos < r.choices.size()) {
    choice& c = r.choices[r.choice_pos++];
    if (c.count == 0 && c.index < count) {  // from a replay key
      c.count = count;
      c.kind = kind;
    }
    if (c.kind != kind || c.count != count || c.index >= count) {
      fail("the test body is not deterministic (or the replay key is not for this test)",
           "  the same prefix of choices led to a different decision: a body must do the same\n"
           "  thing every time it is re-run (no clocks, randomness or state kept between runs)\n");
      return 0;
    }
    return c.index;
  }
  r.choices.push_back({kind, 0, count});
  ++r.choice_pos;
  return 0;
}

event& record(ev what, std::uint32_t obj, std::source_location loc) {
  runtime& r = *rt;
  event& e = r.trace.emplace_back();
  e.what = what;
  e.thread = static_cast<std::uint16_t>(r.current < 0 ? 0 : r.current);
  e.step = r.steps;
  e.obj = obj;
  e.loc = loc;
  capture_callers(r, e);
  return e;
}

object& live_object(std::uint32_t id, std::source_location loc) {
  runtime& r = *rt;
  object& o = r.objects[id];
  if (!o.alive) use_after_destruction(o, loc);
  return o;
}

void use_after_destruction(const object& o, std::source_location loc) {
  fail(
      "use after destruction: " + label(o) + " used at " + where(loc),
      "  " + label(o) + " was created at " + where(o.created) + " and destroyed before this use\n");
  std::abort();  // not reached: fail() ends the execution
}

/// Every thread finished: an object constructed during the execution and
/// never destroyed is a leak (the memory holding it was never freed, or its
/// owner forgot to run its destructor).
static void report_leaks(runtime& r) {
  std::string details;
  std::string first;
  int count = 0;
  for (const object& o : r.objects) {
    if (!o.alive || !o.made_in_body) continue;
    if (++count == 1) first = label(o);
    if (count <= 5) details += "  " + label(o) + " created at " + where(o.created) + "\n";
  }
  if (count == 0) return;
  if (count > 5) details += "  ... and " + std::to_string(count - 5) + " more\n";
  details +=
      "  (an object the body keeps beyond its end, e.g. in a static, counts as leaked too)\n";
  fail("leak: " + first +
           (count > 1 ? " and " + std::to_string(count - 1) + " more" : std::string()) +
           " made during the execution " + (count > 1 ? "were" : "was") + " never destroyed",
       details, false);
}

void run_execution(const std::function<void()>& body) {
  runtime& r = *rt;
  r.threads.clear();
  r.objects.clear();
  r.labels = {};
  r.trace.clear();
  r.call_stacks.clear();
  r.choice_pos = 0;
  r.current = -1;
  r.preemptions = 0;
  r.park_clock = 0;
  r.spurious_used = 0;
  r.steps = 0;
  r.sc_clock = {};
  r.sc_next = 0;
  r.sc_fences.clear();
  r.aborting = r.failed = r.force_latest = r.pruned = false;
  r.next = next_op{next_op::kind::global};
  r.sleep = 0;
  r.headline.clear();
  r.details.clear();
  ++r.execution;
  current_generation = next_generation++;

  thread_state& t0 = r.threads.emplace_back();
  t0.body = std::make_unique<body_ref>(body);
  t0.clock.at[0] = 1;
  init_context(r, 0, fiber_main);
  resume(-1, 0);  // returns when every thread finished, or the execution failed
  if (!r.failed) report_leaks(r);

  // After a failure the unfinished fibers are abandoned (see abandon()).
  for (thread_state& t : r.threads) t.state = status::finished;
  current_generation = 0;  // the threads' callables die as plain objects
  for (thread_state& t : r.threads) t.body.reset();
}

void prepare_thread(int id) { init_context(*rt, id, fiber_main); }

}  // namespace wb::model::detail

#endif  // WB_MODEL
