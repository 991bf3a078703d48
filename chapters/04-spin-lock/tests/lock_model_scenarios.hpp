// Model-checked scenarios shared by the lock tests of chapter 4 (spin_lock,
// ttas_lock, ticket_lock): one body per situation, templated on the lock
// type, in the spirit of one torture harness for many variants.
//
// Each critical section increments a wb::cell, which stands for the data the
// lock protects. In the model tree (common/MODEL.md) every schedule up to
// two preemptions is explored, and every atomic load may read every store
// the memory model allows, so:
//   * a lock that lets two threads in (a load of `false` and a separate
//     store of `true`, a ticket drawn with a load and a store) is seen with
//     both threads inside: a data race on the cell;
//   * a lock that admits one thread at a time but with a relaxed unlock or a
//     relaxed acquire gives no happens-before from one critical section to
//     the next: again a data race on the cell, with both source lines;
//   * a lock that never lets a waiter in is a livelock report.
// In every other tree the same body runs 100 times with real threads.
// Assertions only on the body's thread, after the joins.
#pragma once

#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

namespace lock_model {

// The critical section: a read-modify-write of plain data.
inline void add_one(wb::cell<int>& counter) {
  counter.with_mut([](int& value) { ++value; });
}

template <class Lock>
void add_one_locked(Lock& lock, wb::cell<int>& counter) {
  lock.lock();
  add_one(counter);
  lock.unlock();
}

// Two threads take the lock once each.
template <class Lock>
void two_threads_once() {
  wb::model::check([] {
    Lock lock;
    wb::cell<int> counter{0};
    wb::thread other([&] { add_one_locked(lock, counter); });
    add_one_locked(lock, counter);
    other.join();
    REQUIRE(counter.get() == 2);
  });
}

// The body's thread takes the lock twice, the other thread once: the second
// lock() may find the other thread waiting, inside, or just leaving.
template <class Lock>
void one_thread_locks_again() {
  wb::model::check([] {
    Lock lock;
    wb::cell<int> counter{0};
    wb::thread other([&] { add_one_locked(lock, counter); });
    add_one_locked(lock, counter);
    add_one_locked(lock, counter);
    other.join();
    REQUIRE(counter.get() == 3);
  });
}

// One thread takes the lock with lock(), the other tries once with
// try_lock(): a successful try_lock must have synchronized with the unlock
// before it, and a failed one must not enter.
template <class Lock>
void lock_and_try_lock() {
  wb::model::check([] {
    Lock lock;
    wb::cell<int> counter{0};
    bool taken = false;  // written by the other thread, read after the join
    wb::thread other([&] {
      if (lock.try_lock()) {
        taken = true;
        add_one(counter);
        lock.unlock();
      }
    });
    add_one_locked(lock, counter);
    other.join();
    REQUIRE(counter.get() == (taken ? 2 : 1));
  });
}

// The body's thread holds the lock while two others start waiting for it,
// then lets go: both waiters may see it free at the same moment, and only
// one of them may get in. (Three threads: with two, one of them must be the
// owner, and a returning owner takes the fast path, not the waiting one.)
template <class Lock>
void two_waiters_for_one_owner() {
  wb::model::check([] {
    Lock lock;
    wb::cell<int> counter{0};
    lock.lock();
    wb::thread first([&] { add_one_locked(lock, counter); });
    wb::thread second([&] { add_one_locked(lock, counter); });
    add_one(counter);
    lock.unlock();
    first.join();
    second.join();
    REQUIRE(counter.get() == 3);
  });
}

}  // namespace lock_model

namespace lock_model {

// A try_lock that fails must leave the lock held by its owner. The other
// thread tries once while the body's thread takes the lock; then the body's
// thread, still the owner, tries again, which must fail. A try_lock that
// "undoes" a failed exchange by storing false frees the owner's lock, and
// the owner's second try_lock gets in. (A relaxed read that sees the lock
// free just before the owner's exchange is what sends a test-and-test-and-
// set try_lock down that path.)
template <class Lock>
void failed_try_lock_leaves_lock_held() {
  wb::model::check([] {
    Lock lock;
    wb::thread other([&] {
      if (lock.try_lock()) lock.unlock();
    });
    lock.lock();
    const bool taken_again = lock.try_lock();  // we hold it: must fail
    if (taken_again) lock.unlock();
    lock.unlock();
    other.join();
    REQUIRE_FALSE(taken_again);
  });
}

}  // namespace lock_model
