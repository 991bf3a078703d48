// Exercise 3.2 — lazy_pointer: build an object on first use and publish it with one CAS.
// Reference solution. (Contract: see exercises/03-memory-ordering/lazy_pointer.hpp.)
//
// Why it is correct
//   * ptr_ goes from nullptr to one object's address at most once and never
//     changes again until the destructor: the only write is a
//     compare-and-swap that expects nullptr. In ptr_'s modification order
//     exactly one CAS finds nullptr; that caller's object is the one.
//   * Every other racing caller's CAS fails and loads the winner's pointer
//     into `expected`. The loser's own object was never visible to anyone
//     else (it was never stored in ptr_), so the loser deletes it and
//     returns the winner's: exactly one object survives, none leaks.
//   * The destructor deletes the published object; a lazy_pointer that never
//     built one deletes nullptr, which does nothing.
//   * If T's constructor throws, new T() frees its memory and nothing is
//     stored: the next get() tries again.
//
//   T1                                    T2
//   load ptr_ -> nullptr                  load ptr_ -> nullptr
//   mine = new T (a)                      mine = new T (b)
//   CAS(nullptr -> a) succeeds
//     (release), returns *a
//                                         CAS(nullptr -> b) fails, reads a
//                                           (acquire), deletes b, returns *a
//
// Memory ordering: the object is built with plain writes by one thread and
// read by others, so whoever obtains the pointer must also obtain the
// writes. The winner's successful CAS is a release; every load of ptr_ that
// can return that pointer — the fast-path load and the CAS's failure order —
// is an acquire. An acquire that reads the value written by a release
// synchronizes with it ([atomics.order] p2), so the constructor's writes
// (sequenced before the CAS) happen-before everything the reader does with
// the object ([intro.races]). Without the release on success, or with a
// relaxed failure order or fast path, a reader could see the pointer but
// not the object's fields (a data race; ThreadSanitizer reports it, and on
// ARM the reader really sees uninitialised memory). The success order need
// not be acquire: it read nullptr, which nobody published.
// The destructor's load is relaxed: the contract makes every get() happen
// before the destructor (the threads were joined, or otherwise
// synchronised), and that happens-before edge already makes the object's
// state visible; no atomic has to provide another.
#pragma once

#include <wb/sync.hpp>

#include <memory>

template <class T>
class lazy_pointer {
 public:
  lazy_pointer() = default;
  lazy_pointer(const lazy_pointer&) = delete;
  lazy_pointer& operator=(const lazy_pointer&) = delete;
  ~lazy_pointer() { delete ptr_.load(wb::memory_order_relaxed); }

  T& get() {
    if (T* published = ptr_.load(wb::memory_order_acquire)) return *published;  // fast path
    return publish_or_adopt(std::make_unique<T>());
  }

 private:
  // Cold path: try to install `mine`; on losing, take the winner's object.
  T& publish_or_adopt(std::unique_ptr<T> mine) {
    T* expected = nullptr;
    if (ptr_.compare_exchange_strong(expected, mine.get(), wb::memory_order_release,
                                     wb::memory_order_acquire)) {
      return *mine.release();  // won: ptr_ owns it now
    }
    return *expected;  // lost: `mine` is deleted on return; the winner's object is ours
  }

  wb::atomic<T*> ptr_{nullptr};  // nullptr until one get() publishes its object, then fixed
};
