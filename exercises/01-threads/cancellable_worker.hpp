// Exercise 1.5 — cancellable_worker: a background thread that can be told to stop.
//
// Many programs keep one thread in the background and hand it jobs: write the
// log, save the file, refresh the cache. Running the jobs is the easy part;
// ending is the hard one. The worker must wake up when it is asleep waiting
// for work, a long job must be able to give up early, and nothing may hang on
// the way out. std::jthread supplies the parts: a stop_source, a stop_token
// handed to the thread, and a destructor that requests stop and joins.
//
// Contract
//   * cancellable_worker() starts one worker thread; worker_id() is its id.
//     Neither copyable nor movable (the thread holds `this`).
//   * submit(j) queues j, wakes the worker and returns true. Jobs run one at a
//     time, in the order they were queued, on the worker thread, each called
//     with the worker's stop_token. Once stop has been requested, submit
//     returns false and j is destroyed without being called.
//   * A job runs while no lock of the worker is held, so it may call submit()
//     or request_stop() on its own worker.
//   * request_stop(): the running job, if any, sees its stop_token requested
//     and should return soon; then the worker exits. Jobs still queued, not
//     yet started, are dropped: never called, destroyed with the worker.
//     Calling it again does nothing.
//   * So true from submit means "queued", not "will run": a job queued just
//     before a stop request is dropped like any other queued job. false means
//     the job never runs.
//   * ~cancellable_worker() requests stop and joins the worker. It waits for
//     the running job to return, so a job that ignores its token delays it.
//   * Misuse: a job must not throw (an exception leaving a thread's function
//     calls std::terminate) and must not destroy its own worker (a thread
//     cannot join itself).
//
//   state         | submit(j)                | request_stop() | the worker thread
//   --------------|--------------------------|----------------|--------------------------------
//   idle          | queues j, wakes it: true | -> stopped     | sleeps on wake_
//   running a job | queues j: true           | -> stopping    | runs the queued jobs, in order
//   stopping      | false: j never runs      | nothing        | ends its job (token requested),
//                 |                          |                | drops the queue: -> stopped
//   stopped       | false: j never runs      | nothing        | has exited
//
// Memory ordering: what a thread did before a submit that returns true
// happens-before the job runs (the job passes through jobs_ under mutex_);
// each job happens-before the next (one thread runs them all); and all that
// the worker did happens-before the destructor returns (it joins).
//
// Run the tests: ./workbook check cancellable_worker      Hints: ./workbook hint cancellable_worker
#pragma once

#include <wb/not_implemented.hpp>

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

  // ~jthread() is request_stop() then join(), and thread_ is the last member,
  // so it is destroyed first, while everything the worker uses still exists.
  // Nothing more is needed here, provided run() notices the stop request even
  // when it is asleep waiting for a job.
  ~cancellable_worker() = default;

  bool submit(job j) {
    // TODO(exercise): under mutex_, refuse the job (return false) if stop has
    // already been requested (thread_ can give you its stop_token); otherwise
    // queue it. Then wake the worker, which may be asleep on wake_.
    (void)j;
    WB_NOT_IMPLEMENTED(
        "cancellable_worker::submit(): refuse after stop, else queue the job and wake the worker");
  }

  void request_stop() noexcept {
    // TODO(exercise): ask the worker to stop. Use the stop_source the jthread
    // already owns, not a flag of your own: it is what the worker's token and
    // its stop-aware wait listen to.
    WB_NOT_IMPLEMENTED("cancellable_worker::request_stop(): request stop through the jthread");
  }

  std::thread::id worker_id() const noexcept { return thread_.get_id(); }

 private:
  void run(std::stop_token stop) {
    // TODO(exercise): the worker loop. Sleep on wake_ until there is a job or
    // stop is requested (condition_variable_any has a wait that takes the
    // stop_token: why is a plain wait on a predicate that checks the token not
    // enough?). If stop was requested, return: queued jobs are dropped. Else
    // take the front job, release mutex_, and call it with `stop`.
    (void)stop;
    WB_NOT_IMPLEMENTED(
        "cancellable_worker::run(): wait for a job or a stop request, run jobs in order");
  }

  std::mutex mutex_;
  std::condition_variable_any wake_;  // stop-aware waits: wait(lock, stop, pred)
  std::deque<job> jobs_;              // guarded by mutex_
  // Last: the constructor starts run() on the new thread at once, so every
  // member it uses must already exist; and, destroyed first, it is joined
  // before they go away.
  std::jthread thread_;
};
