// A payload whose memory the model checker can see, for the chapter 5
// `[model]` cases (layer 4, common/MODEL.md).
//
// The channels of this chapter keep messages in storage of their own: the
// oneshot's slot, the ring's buffer, the deque inside mutex_channel. That is
// plain memory, and the model checker sees data races only on wb::cell. A
// `shadowed` value makes it visible: under the model checker every object
// address has a shadow cell (kept in a `shadow_memory` the test creates inside
// the checked body), and the value's special members access the cell of the
// address they work on:
//
//   constructing, moving into, copying into   write the cell at `this`
//   moving out of                              writes the cell at the source
//   copying out of, value()                    read the cell
//   destroying                                 writes the cell at `this`
//
// So a slot constructed by one thread and moved out by another without
// happens-before between them (a relaxed flag, a value published before it
// is written), or a ring slot reused before the consumer has finished with
// the old value in it, is a data race on that slot's cell, reported with both
// source lines (the lines below; the trace shows which atomic operations led
// there). In every other build the cells are skipped, and the value itself is
// a plain int in the object, which is what ThreadSanitizer watches.
//
// A shadow cell outlives the object that used it, so the next object built at
// that address (the next message in a reused slot) meets the earlier
// accesses there. Memory freed by one modelled thread and reused by another
// would look the same; the [model] scenarios of this chapter keep their
// messages in storage that is allocated before the threads start and freed
// after they are joined, or on the threads' own stacks, so that never happens.
#pragma once

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <functional>
#include <map>
#include <memory>
#include <source_location>
#include <string>
#include <thread>

class shadow_memory {
 public:
  // The shadow cell of `address`, created on first use (model builds only).
  wb::cell<int>& at(const void* address) {
    std::unique_ptr<wb::cell<int>>& cell = cells_[address];
    if (!cell) cell = std::make_unique<wb::cell<int>>(0);
    return *cell;
  }

 private:
  // Only one modelled thread runs at a time, and nothing in here is a
  // scheduling point, so the map needs no lock (and is unused elsewhere).
  std::map<const void*, std::unique_ptr<wb::cell<int>>> cells_;
};

class shadowed {
 public:
  // What a moved-from value reads as.
  static constexpr int moved_from = -1;

  shadowed(shadow_memory& memory, int value) : memory_(&memory), value_(value) { write(this); }

  shadowed(shadowed&& other) noexcept : memory_(other.memory_), value_(other.value_) {
    write(&other);  // the source is left moved-from: a write
    other.value_ = moved_from;
    write(this);
  }

  shadowed(const shadowed& other) : memory_(other.memory_), value_(other.value_) {
    read(&other);
    write(this);
  }

  shadowed& operator=(const shadowed&) = delete;
  shadowed& operator=(shadowed&&) = delete;

  ~shadowed() { write(this); }

  int value() const {
    read(this);
    return value_;
  }

 private:
  // Each access names the line of the special member that made it, which is
  // what a data race report prints.
#if defined(WB_MODEL) && WB_MODEL
  void write(const void* address, std::source_location loc = std::source_location::current()) {
    memory_->at(address).with_mut([](int& bytes) { ++bytes; }, loc);
  }
  void read(const void* address, std::source_location loc = std::source_location::current()) const {
    (void)memory_->at(address).get(loc);
  }
#else
  void write(const void*) {}
  void read(const void*) const {}
#endif

  shadow_memory* memory_;
  int value_;
};

// wb::model::check for a body that blocks (a receive that waits). In the
// model tree a lost wake-up is a deadlock report; in every other tree the
// body runs 100 times with real threads, and there a lost wake-up would
// hang, so those runs happen on a thread with a deadline (one run that ends
// is progress: the deadline is for a run that never ends).
inline void check_blocking(std::function<void()> body, std::string what) {
  if (wb::model::enabled()) {
    wb::model::check(std::move(body));
  } else {
    wb::test::finishes_within(wb::test::default_deadline, std::move(what),
                              [&] { wb::model::check(body); });
  }
}

// One turn of a polling loop in a [model] body: for the model checker a
// point where the other thread runs; with real threads also a yield, so that
// on a busy machine the poller does not spin through the other thread's
// time slice.
inline void pause_polling() {
  wb::spin_loop_hint();
  if (!wb::model::enabled()) std::this_thread::yield();
}
