// Exercise 1.1 — joining_thread: a thread that cannot be forgotten.
//
// A std::thread that is still joinable when it is destroyed calls
// std::terminate, and forgetting to join on one path (an early return, an
// exception) is the most common way a first threaded program crashes.
// joining_thread fixes that with RAII: its destructor joins.
//
// Contract
//   * joining_thread(f, args...) starts a thread running f(args...), exactly
//     like std::thread (arguments are copied or moved into the thread).
//   * Move-only. A moved-from or default-constructed joining_thread owns no
//     thread: it is not joinable and destroying it does nothing.
//   * ~joining_thread() joins the owned thread, if any: when it returns,
//     everything the thread did happens-before what follows.
//   * Move-assignment first joins the thread this object owns (if any), then
//     takes over the other's thread.
//   * join() waits for the thread; calling it when not joinable throws
//     std::system_error, as std::thread::join does.
//
// Memory ordering: the completion of the thread synchronizes with the return
// of join() ([thread.thread.member]), so a joined thread's writes are visible
// without any atomics.
//
// Run the tests: ./workbook check joining_thread      Hints: ./workbook hint joining_thread
#pragma once

#include <wb/not_implemented.hpp>

#include <thread>
#include <utility>

class joining_thread {
 public:
  joining_thread() noexcept = default;

  template <class F, class... Args>
  explicit joining_thread(F&& f, Args&&... args)
      : thread_(std::forward<F>(f), std::forward<Args>(args)...) {}

  joining_thread(const joining_thread&) = delete;
  joining_thread& operator=(const joining_thread&) = delete;

  // Moving a std::thread leaves the source owning nothing, so the default
  // move constructor already does the right thing.
  joining_thread(joining_thread&& other) noexcept = default;

  joining_thread& operator=(joining_thread&& other) noexcept {
    // TODO(exercise): if this object still owns a running thread, it must be
    // joined before it is replaced (assigning over a joinable std::thread
    // calls std::terminate). Then take over other's thread.
    (void)other;
    WB_NOT_IMPLEMENTED(
        "joining_thread::operator=(joining_thread&&): join the old thread, take the new one");
  }

  ~joining_thread() {
    // TODO(exercise): join the thread if this object owns one. Destroying a
    // joinable std::thread would call std::terminate; detaching would let the
    // thread outlive everything it uses.
    WB_NOT_IMPLEMENTED("~joining_thread(): join the owned thread, if any");
  }

  void join() {
    // TODO(exercise): wait for the thread to finish.
    WB_NOT_IMPLEMENTED("joining_thread::join(): wait for the thread");
  }

  bool joinable() const noexcept { return thread_.joinable(); }
  std::thread::id get_id() const noexcept { return thread_.get_id(); }

 private:
  std::thread thread_;
};
