// Mutexes, condition variables and cells (plain data with race detection).
//
// A mutex carries a clock: unlock stores the thread's clock in it, lock joins
// it, so everything before an unlock happens-before everything after the next
// lock. A thread that finds the mutex held blocks (it is not runnable until
// the mutex is free); when no thread can run the execution is a deadlock.
//
// Cells use FastTrack-style epochs: the last write (thread, epoch, line) and
// the reads since it, one per thread. An access races with a recorded one when
// that one does not happen-before it (its epoch is above the accessing
// thread's clock entry for its thread) and at least one of them is a write.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <string>

namespace wb::model::detail {

namespace {

void take_mutex(object& m, int me, loc_t loc) {
  runtime& r = *rt;
  m.owner = me;
  r.threads[me].clock.join(m.unlock_clock);
  (void)loc;
}

bool holds(const object& m, int me, const char* op, loc_t loc) {
  if (m.owner == me) return true;
  fail(std::string(op) + " of " + label(m) + " by t" + std::to_string(me) +
           ", which does not hold it" +
           (m.owner >= 0 ? " (t" + std::to_string(m.owner) + " does)" : ""),
       "  at " + where(loc) + "\n");
  return false;
}

}  // namespace

void mutex_lock(std::uint32_t id, loc_t loc) {
  runtime& r = *rt;
  r.next = {next_op::kind::access, true, false, id};  // partial-order reduction: it changes m alone
  begin_op(loc);
  const int me = r.current;
  object& m = live_object(id, loc);
  if (m.owner == me) {
    record(ev::lock_blocks, id, loc).other = static_cast<std::uint32_t>(me);
    fail("t" + std::to_string(me) + " locks " + label(m) + ", which it already holds: a deadlock",
         "  at " + where(loc) + "\n");
    return;
  }
  if (m.owner >= 0) {
    record(ev::lock_blocks, id, loc).other = static_cast<std::uint32_t>(m.owner);
    while (m.owner >= 0) block(waits_for::mutex, id, loc);
  }
  take_mutex(m, me, loc);
  record(ev::lock, id, loc);
  end_op();
}

bool mutex_try_lock(std::uint32_t id, loc_t loc) {
  runtime& r = *rt;
  r.next = {next_op::kind::access, true, false, id};
  begin_op(loc);
  const int me = r.current;
  object& m = live_object(id, loc);
  const bool ok = m.owner < 0;
  if (ok) take_mutex(m, me, loc);
  record(ok ? ev::lock : ev::try_lock_fail, id, loc).other = static_cast<std::uint32_t>(m.owner);
  end_op();
  return ok;
}

void mutex_unlock(std::uint32_t id, loc_t loc) {
  runtime& r = *rt;
  r.next = {next_op::kind::access, true, false, id};
  begin_op(loc);
  const int me = r.current;
  object& m = live_object(id, loc);
  if (!holds(m, me, "unlock", loc)) return;
  m.unlock_clock = r.threads[me].clock;
  m.owner = -1;
  record(ev::unlock, id, loc);
  end_op();
}

void cv_wait(std::uint32_t cv, std::uint32_t mutex, loc_t loc) {
  runtime& r = *rt;
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  object& c = live_object(cv, loc);
  object& m = live_object(mutex, loc);
  if (!holds(m, me, "condition_variable::wait with the lock", loc)) return;
  m.unlock_clock = t.clock;  // wait unlocks the mutex
  m.owner = -1;
  record(ev::cv_wait, cv, loc).other = mutex;
  end_op();
  // A spurious wake-up is a choice, bounded per execution.
  if (r.spurious_used < r.opts.spurious_failures && choose(choice_kind::spurious, 2) == 1) {
    ++r.spurious_used;
    record(ev::cv_spurious, cv, loc);
  } else {
    t.woken = false;
    c.waiters.push_back(me);
    block(waits_for::condvar, cv, loc);
    t.woken = false;
  }
  while (m.owner >= 0)  // re-lock before returning
    block(waits_for::mutex, mutex, loc);
  take_mutex(m, me, loc);
  record(ev::cv_woke, cv, loc).other = mutex;
}

void cv_notify(std::uint32_t cv, bool all, loc_t loc) {
  runtime& r = *rt;
  begin_op(loc);
  object& c = live_object(cv, loc);
  event& e = record(ev::notify, cv, loc);
  e.name = all ? "notify_all" : "notify_one";
  e.value = c.waiters.empty() ? 0 : static_cast<std::uint64_t>(c.waiters.front()) + 1;
  if (all || c.waiters.size() <= 1) {
    for (int w : c.waiters) r.threads[w].woken = true;
    e.other = static_cast<std::uint32_t>(c.waiters.size());
    c.waiters.clear();
  } else {  // which waiter notify_one wakes is a choice
    const auto i = choose(choice_kind::wake, static_cast<std::uint32_t>(c.waiters.size()));
    r.threads[c.waiters[i]].woken = true;
    e.value = static_cast<std::uint64_t>(c.waiters[i]) + 1;
    c.waiters.erase(c.waiters.begin() + i);
    e.other = 1;
  }
  end_op();
}

void cell_access(std::uint32_t id, bool write, loc_t loc) {
  runtime& r = *rt;
  if (r.aborting) fail({});  // a failure is pending: end this fiber's part now
  const int me = r.current;
  const thread_state& t = r.threads[me];
  object& c = live_object(id, loc);
  record(write ? ev::cell_write : ev::cell_read, id, loc);
  const char* kind = write ? "write" : "read";
  const auto race = [&](int other, bool other_write, const std::source_location& other_at) {
    for (auto e = r.trace.rbegin(); e != r.trace.rend(); ++e)  // the other access, for the graph
      if (e->obj == id && e->thread == other &&
          (other_write ? e->what == ev::cell_write || e->what == ev::create
                       : e->what == ev::cell_read)) {
        e->culprit = true;
        break;
      }
    fail("data race on " + label(c) + ": " + (other_write ? "write" : "read") + " by t" +
             std::to_string(other) + " and " + kind + " by t" + std::to_string(me) +
             " are not ordered by happens-before",
         "  " + std::string(other_write ? "write" : "read") + " by t" + std::to_string(other) +
             " at " + where(other_at) + "\n  " + kind + " by t" + std::to_string(me) + " at " +
             where(loc) + "\n");
  };
  if (c.writer >= 0 && c.writer != me && c.write_epoch > t.clock.at[c.writer])
    return race(c.writer, true, c.write_at);
  if (write) {
    for (int u = 0; u < max_threads; ++u)
      if (u != me && c.read_epoch[u] != 0 && c.read_epoch[u] > t.clock.at[u])
        return race(u, false, c.read_at[u]);
    c.writer = me;
    c.write_epoch = t.clock.at[me];
    c.write_at = loc;
    c.read_epoch = {};
    note_effect();  // a loop that writes a cell each round is not spinning
  } else {
    c.read_epoch[me] = t.clock.at[me];
    c.read_at[me] = loc;
  }
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
