// Exercise 3.2 — lazy_pointer: build an object on first use and publish it with one CAS.
//
// Chapter 2's lazy_value published a number, which travelled inside the
// atomic. Here the atomic holds a *pointer* to an object built with plain
// writes (a table, a parsed configuration, a cache), and the reader follows
// it: now the pointer is a message that says "the object is ready", and the
// memory order is what makes the object's contents arrive with it.
//
//     lazy_pointer<lookup_table> table;
//     int x = table.get().find(key);   // the first caller builds the table
//
// No thread waits. Every caller that finds no object builds one; a single
// compare-and-swap decides whose is published; the losers delete theirs and
// use the winner's.
//
// Contract
//   * get() returns a reference to the object, building it with `new T()`
//     (T must be default-constructible) if none is published yet. Every call
//     on one lazy_pointer, on every thread, returns the same object, fully
//     constructed.
//   * Several callers may build an object at the same time; exactly one
//     object is published and all the others are destroyed before their
//     get() returns. T's constructor must therefore be safe to run
//     concurrently with itself.
//   * If T's constructor throws, the exception propagates out of get() and
//     nothing is published.
//   * The destructor destroys the published object, if any. Destroy the
//     lazy_pointer only after every get() on it has returned (and happens
//     before the destructor, e.g. the threads were joined).
//
// Memory ordering: the construction of the published object happens-before
// every use of it through get(), on every thread. The CAS that publishes it
// must release, and every load that may return it (the first check, and the
// CAS's failure case) must acquire ([atomics.order]).
//
// Run the tests: ./workbook check lazy_pointer      Hints: ./workbook hint lazy_pointer
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <memory>

template <class T>
class lazy_pointer {
 public:
  lazy_pointer() = default;
  lazy_pointer(const lazy_pointer&) = delete;
  lazy_pointer& operator=(const lazy_pointer&) = delete;
  ~lazy_pointer() {
    // TODO(exercise): destroy the published object, if there is one. Which
    // memory order does this load need, given that every get() happens
    // before the destructor?
  }

  T& get() {
    // TODO(exercise): fast path: an object already published is returned
    // (which order makes its fields visible to this thread?). Otherwise
    // build your own (std::make_unique<T>() keeps it safe if something
    // throws) and try to install it with compare_exchange_strong, expecting
    // nullptr. Success: ptr_ owns your object now. Failure: `expected` holds
    // the winner's pointer; your object was never seen by anyone, so destroy
    // it and return the winner's. Choose the CAS's success and failure
    // orders separately: what does each of them publish or receive?
    WB_NOT_IMPLEMENTED(
        "lazy_pointer::get: acquire-load ptr_, or build one and publish it with a release CAS");
  }

 private:
  wb::atomic<T*> ptr_{nullptr};  // nullptr until one get() publishes its object, then fixed
};
