// Exercise 1.1 — joining_thread: a thread that cannot be forgotten.
// Reference solution. (Contract: see exercises/01-threads/joining_thread.hpp.)
//
// Why it is correct
//   * Every path that gives up ownership of a running thread joins it first:
//     the destructor and move-assignment. A joinable std::thread is therefore
//     never destroyed or overwritten, so std::terminate is never called.
//   * join() is std::thread::join(): the thread's completion synchronizes
//     with its return ([thread.thread.member]/5), which is what makes the
//     thread's plain (non-atomic) writes visible to the joiner.
//   * Detaching would be wrong: the thread could still be running when the
//     objects it uses are destroyed.
#pragma once

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
    if (this != &other) {
      join_if_joinable();
      thread_ = std::move(other.thread_);  // safe: thread_ is not joinable now
    }
    return *this;
  }

  ~joining_thread() { join_if_joinable(); }

  void join() { thread_.join(); }

  bool joinable() const noexcept { return thread_.joinable(); }
  std::thread::id get_id() const noexcept { return thread_.get_id(); }

 private:
  void join_if_joinable() noexcept {
    // join() only throws for a thread that is not joinable (checked here) or
    // that is the calling thread itself (a thread destroying its own handle,
    // a misuse that std::thread also answers with an exception).
    if (thread_.joinable()) thread_.join();
  }

  std::thread thread_;
};
