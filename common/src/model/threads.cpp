// wb::thread under the model: spawn and join, with the happens-before edges
// std::thread gives (spawn -> the thread's start, its end -> join's return).
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <string>

namespace wb::model::detail {

std::uint32_t spawn(std::unique_ptr<task> body, loc_t loc) {
  runtime& r = *rt;
  r.next = {next_op::kind::spawn, false, false, UINT32_MAX};
  begin_op(loc);
  if (r.threads.size() >= static_cast<std::size_t>(max_threads)) {
    fail("too many threads: the model runs at most " + std::to_string(max_threads) +
         " threads per execution");
    return 0;
  }
  const int me = r.current;
  const int id = static_cast<int>(r.threads.size());
  thread_state& child = r.threads.emplace_back();
  child.body = std::move(body);
  child.clock = r.threads[me].clock;  // spawn synchronises-with the thread's start
  child.clock.at[id] = 1;
  prepare_thread(id);
  record(ev::spawn, UINT32_MAX, loc).other = static_cast<std::uint32_t>(id);
  end_op();
  return static_cast<std::uint32_t>(id);
}

void join(std::uint32_t thread, loc_t loc) {
  runtime& r = *rt;
  r.next = {next_op::kind::join, false, false, thread};
  begin_op(loc);
  const int me = r.current;
  if (static_cast<int>(thread) == me) {
    fail("t" + std::to_string(me) +
         " joins itself (std::thread::join throws resource_deadlock_would_occur)");
    return;
  }
  while (r.threads[thread].state != status::finished) block(waits_for::join, thread, loc);
  r.threads[me].clock.join(
      r.threads[thread].clock);  // the thread's end happens-before join returns
  record(ev::join, UINT32_MAX, loc).other = thread;
  end_op();
}

std::uint32_t current_thread() noexcept { return rt && rt->current >= 0 ? rt->current : 0; }

void thread_misuse(const char* what, std::uint32_t thread, loc_t loc) {
  runtime& r = *rt;
  if (r.aborting) return;
  record(ev::misuse, UINT32_MAX, loc).other = thread;
  fail("wb::thread t" + std::to_string(thread) + " " + what, {}, false);
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
