// A payload whose move constructor throws on demand, shared by the chapter 5
// exception-safety cases.
//
// A channel moves its message twice: into the slot (send) and out of it
// (receive). Either move may throw, and a channel that has already changed
// its state or used up a handle when it does is stuck: a state left in
// `writing` refuses every later send, a sender nulled before the throw can
// no longer wake a sleeping receiver. `fragile` throws `move_failed` from its
// move constructor while its `move_switch` is armed, so a test decides which
// move fails; `alive` counts the live objects, so a message that the throw
// left behind and nobody destroys is seen as a leak.
//
// The counters are atomics because a sender and a receiver may construct and
// destroy values on different threads; tests arm and read them only on the
// test's thread.
#pragma once

#include <atomic>
#include <stdexcept>

struct move_failed : std::runtime_error {
  move_failed() : std::runtime_error("fragile: the move constructor threw (on purpose)") {}
};

struct move_switch {
  std::atomic<bool> armed{false};  // while true, every move construction throws
  std::atomic<long> alive{0};      // fragile objects constructed and not yet destroyed
};

class fragile {
 public:
  fragile(move_switch& on, int value) : switch_(&on), value_(value) { switch_->alive.fetch_add(1); }

  fragile(fragile&& other)
      : switch_(other.switch_), value_(other.value_) {  // not noexcept: that is the point
    if (switch_->armed.load()) throw move_failed();
    switch_->alive.fetch_add(1);
  }

  fragile(const fragile&) = delete;
  fragile& operator=(const fragile&) = delete;
  fragile& operator=(fragile&&) = delete;

  ~fragile() { switch_->alive.fetch_sub(1); }

  int value() const { return value_; }

 private:
  move_switch* switch_;
  int value_;
};
