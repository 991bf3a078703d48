// Exercise 1.5 — cancellable_worker: a background thread that can be told to stop.
// Reference solution. (Contract: see exercises/01-threads/cancellable_worker.hpp.)
//
// Why it is correct
//   * jobs_ is touched only under mutex_. The worker moves a job out of the
//     queue under the lock and calls it after unlocking, so a job may call
//     submit() (relocking a std::mutex the thread already holds is undefined
//     behaviour, a deadlock in practice), and submitters never wait for a
//     long job to finish.
//   * Jobs run in submission order: submit pushes at the back under mutex_,
//     the worker alone pops the front, one job at a time.
//   * No wake-up is lost. A new job: submit pushes under mutex_ and then
//     notifies, and the worker tests "queue empty?" and goes to sleep under
//     mutex_, so the notify either comes after it sleeps or the push comes
//     before its test. A stop request: request_stop() never takes mutex_, so
//     that argument does not apply, and with a plain std::condition_variable
//     whose predicate also read stop_requested() the wake-up could be lost:
//
//         worker                                 request_stop() (another thread)
//         lock mutex_
//         predicate: no job, no stop
//                                                stop_source.request_stop()
//                                                notify_all()  -- nobody sleeps yet
//         wake_.wait(lock)  -- sleeps forever
//
//     condition_variable_any's stop-aware wait ([thread.condvarany.intwait])
//     registers a stop_callback that notifies the condition variable for as
//     long as the wait lasts, and tests stop_requested() and goes to sleep
//     atomically with respect to that notification (libstdc++ does both under
//     the condition variable's internal mutex, which the callback's
//     notify_all() also takes). So a stop request is either seen by the test
//     or wakes the sleeping worker. It works for the stop request that
//     ~jthread makes, too, which does not pass through our request_stop().
//   * The wait returns pred(), even when it returns because of a stop request:
//     true if jobs are still queued. Its return value alone would therefore
//     run the queued jobs after a stop; the worker tests the token itself, and
//     that is what drops them.
//   * submit tests for a stop request under mutex_. The lock is not what keeps
//     the contract honest: a request can come one instruction after the test,
//     and then the job just queued is dropped while submit returned true. The
//     contract promises only what holds anyway: true = "queued"; false = "stop
//     was already requested, so it never runs" (a request_stop() that returned
//     before submit was called is seen, because request_stop() synchronizes
//     with a stop_requested() that returns true, [thread.stoptoken.intro]).
//   * The destructor is std::jthread's: request_stop(), then join(). thread_
//     is the last member, so it is destroyed first: the worker has exited
//     before the queue, the mutex and the condition variable it uses are
//     destroyed. The dropped jobs die with jobs_, on the destroying thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>

class cancellable_worker {
 public:
  using job = std::function<void(std::stop_token)>;

  // The worker thread starts here and runs run() with the token of the
  // jthread's own stop_source.
  cancellable_worker() : thread_([this](std::stop_token stop) { run(std::move(stop)); }) {}

  cancellable_worker(const cancellable_worker&) = delete;
  cancellable_worker& operator=(const cancellable_worker&) = delete;

  // ~jthread() is request_stop() then join(): the stop request wakes the
  // worker from its stop-aware wait or reaches the running job's token.
  ~cancellable_worker() = default;

  bool submit(job j) {
    {
      std::lock_guard lock(mutex_);
      if (thread_.get_stop_token().stop_requested()) return false;  // j is destroyed unrun
      jobs_.push_back(std::move(j));
    }
    wake_.notify_one();  // one waiter at most: the worker
    return true;
  }

  void request_stop() noexcept { thread_.request_stop(); }

  std::thread::id worker_id() const noexcept { return thread_.get_id(); }

 private:
  void run(std::stop_token stop) {
    while (true) {
      job next;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, stop, [this] { return !jobs_.empty(); });
        if (stop.stop_requested()) return;  // queued jobs are dropped
        next = std::move(jobs_.front());    // not empty: the wait returned for a job
        jobs_.pop_front();
      }
      next(stop);  // without mutex_: the job may call submit
    }
  }

  std::mutex mutex_;
  std::condition_variable_any wake_;  // stop-aware waits: wait(lock, stop, pred)
  std::deque<job> jobs_;              // guarded by mutex_
  // Last: the constructor starts run() on the new thread at once, so every
  // member it uses must already exist; and, destroyed first, it is joined
  // before they go away.
  std::jthread thread_;
};
