// Exercise 6.1 — arc: a thread-safe reference-counted pointer.
//
// std::shared_ptr, built by hand (Rust calls it Arc: "atomically reference
// counted"). One heap block holds a value and a count of the arcs that point
// to it. Copying an arc adds one; destroying an arc subtracts one; the arc
// that takes the count to zero destroys the value and frees the block. Any
// thread may copy or destroy its own arcs at any time.
//
//     arc<config> a(config{...});      // count 1
//     std::thread t([b = a] {          // copy: count 2
//       use(b->name);
//     });                              // t's copy is destroyed when t is done
//     a = arc<config>(config{...});    // our arc leaves the old value: whichever
//                                      // of us is last destroys it
//
// Contract
//   * arc(value) makes a new block with the value and count 1.
//   * Copying adds one reference to the same value; moving hands the
//     reference over and leaves the source empty (a moved-from arc may only
//     be destroyed or assigned to). Assignment releases the old reference.
//   * The destructor releases one reference; the last one destroys the
//     value and frees the block, exactly once, on whichever thread drops it.
//   * *a and a-> give const access to the value (shared: no writing).
//   * use_count() is the number of arcs sharing the value, a snapshot (0 for
//     a moved-from arc).
//   * Overflow: at most max_count arcs may share one value. A copy that
//     would make one more prints a message containing "overflow" to stderr
//     and ends the process with std::abort(). (Only leaked copies can get
//     there with the default counter; tests use std::uint8_t as Count.)
//   * Thread-safe: different threads may copy and destroy different arc
//     objects that share a value, at once. One arc object is not to be
//     written by one thread while another uses it (like shared_ptr).
//
// Memory ordering: everything any thread did with the value through its
// arc happens-before the value's destructor runs. Copying needs no
// ordering: a new reference is made from an existing one, which keeps the
// value alive anyway. Dropping is a release, and the last drop adds an
// acquire before it destroys; chapter 6 explains why, and why the acquire
// here is a load of the count rather than an atomic_thread_fence.
//
// Run the tests: ./workbook check arc      Hints: ./workbook hint arc
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

template <class T, class Count = std::size_t>
class arc {
 public:
  /// The most arcs that may share one value; one more aborts the process.
  static constexpr Count max_count = std::numeric_limits<Count>::max() / 2;

  explicit arc(T value) : block_(new control_block(std::move(value))) {}

  arc(const arc& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    // TODO(exercise): add one to the count. Which memory order is enough, given
    //   that `other` keeps the block alive? Then check the old count: at
    //   max_count or above, call abort_on_overflow().
    WB_NOT_IMPLEMENTED("arc copy: add one to the count, abort past max_count");
  }

  arc(arc&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  arc& operator=(arc other) noexcept {  // copy or move, then release what we had
    std::swap(block_, other.block_);
    return *this;
  }

  ~arc() {
    if (block_ == nullptr) return;
    // TODO(exercise): subtract one. Only the arc that took the count from 1
    //   to 0 deletes the block — and before it does, every other owner's use
    //   of the value must happen-before the delete. Which order on the
    //   decrement, and what must the last one do before `delete block_`?
    WB_NOT_IMPLEMENTED("~arc: release one reference, the last one deletes the block");
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  /// How many arcs share the value (0 for a moved-from arc). A snapshot.
  Count use_count() const noexcept {
    // TODO(exercise): read the count; it is only a snapshot.
    WB_NOT_IMPLEMENTED("arc::use_count: load the count");
  }

 private:
  struct control_block {
    explicit control_block(T&& v) : value(std::move(v)) {}
    wb::atomic<Count> count{1};  // arcs pointing here
    T value;
  };

  [[noreturn]] static void abort_on_overflow() noexcept {
    std::fputs("arc: reference count overflow (too many clones, or clones leaked)\n", stderr);
    std::abort();
  }

  control_block* block_;  // nullptr only in a moved-from arc
};
