// A payload that counts its own lives, shared by the chapter 5 tests.
//
// A channel that moves values through raw storage (placement new, explicit
// destructor calls) can get lifetimes wrong in two silent ways: it can forget
// to destroy a value (a leak), or destroy one twice. `tracked` makes both
// visible. Every constructor (including moves) adds one to `constructed`,
// every destructor adds one to `destroyed`, so once the channel and every
// value taken out of it are gone, `constructed == destroyed` must hold.
//
// The value itself lives on the heap (a std::unique_ptr<int>), so that
//   * a leak is also reported by LeakSanitizer in the asan-ubsan tree,
//   * a double destruction is a double free (AddressSanitizer) and is also
//     counted here through a canary the destructor overwrites,
//   * reading a slot that was never constructed, or reading it while the
//     sender is still writing it, touches the pointer: a crash in a plain run
//     and a data race under ThreadSanitizer.
//
// The counters are std::atomic because senders and receivers on different
// threads construct and destroy values at the same time; they are checked
// only on the test's thread, after the join.
#pragma once

#include <atomic>
#include <memory>
#include <utility>

struct drop_stats {
  std::atomic<long> constructed{0};       // every constructor, moves included
  std::atomic<long> destroyed{0};         // every destructor of a live object
  std::atomic<long> moved{0};             // move constructions and move assignments
  std::atomic<long> double_destroyed{0};  // destructors of an already destroyed object

  long alive() const { return constructed.load() - destroyed.load(); }
};

class tracked {
 public:
  // A value that is not a real message: what a moved-from tracked reads as.
  static constexpr int moved_from = -1;

  tracked(drop_stats& stats, int value) : stats_(&stats), value_(std::make_unique<int>(value)) {
    stats_->constructed.fetch_add(1, std::memory_order_relaxed);
  }

  tracked(tracked&& other) noexcept : stats_(other.stats_), value_(std::move(other.value_)) {
    stats_->constructed.fetch_add(1, std::memory_order_relaxed);
    stats_->moved.fetch_add(1, std::memory_order_relaxed);
  }

  tracked& operator=(tracked&& other) noexcept {
    value_ = std::move(other.value_);
    stats_->moved.fetch_add(1, std::memory_order_relaxed);
    return *this;
  }

  tracked(const tracked&) = delete;
  tracked& operator=(const tracked&) = delete;

  ~tracked() {
    if (canary_ != alive_canary) {
      stats_->double_destroyed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    canary_ = dead_canary;
    stats_->destroyed.fetch_add(1, std::memory_order_relaxed);
  }

  // The message, or moved_from.
  int value() const { return value_ ? *value_ : moved_from; }

 private:
  static constexpr unsigned alive_canary = 0x600dc0deu;
  static constexpr unsigned dead_canary = 0xdeadbeefu;

  drop_stats* stats_;
  std::unique_ptr<int> value_;
  unsigned canary_ = alive_canary;
};
