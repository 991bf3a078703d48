// Exercise 8.4 — posix_mutex: a pthread mutex that throws and refuses misuse.
//
// std::mutex on Linux is a pthread_mutex_t with a C++ face. Here you write
// that face yourself, stricter than std::mutex: a C API reports failure
// with a return code that is easy to drop on the floor, and a mutex
// misused (unlocked by a thread that does not hold it, locked twice by its
// holder) is undefined behaviour for std::mutex. This wrapper turns every
// error code into an exception and checks the misuse itself.
//
//     posix_mutex m;
//     {
//       std::lock_guard guard(m);   // Lockable: lock, try_lock, unlock
//       ...
//     }
//     m.unlock();                   // throws: this thread does not hold it
//
// Contract
//   * The constructor makes a PTHREAD_MUTEX_ERRORCHECK mutex (through a
//     pthread_mutexattr_t, destroyed again on every path). Any error from
//     the pthread calls throws std::system_error whose code() is the errno
//     value the call returned (std::generic_category()); nothing leaks.
//   * lock() blocks until this thread holds the mutex. try_lock() returns
//     false at once if another thread holds it (EBUSY is an answer, not an
//     error). Other error codes throw std::system_error.
//   * Misuse is refused with std::system_error, before pthread is called:
//       unlock() by a thread that does not hold it  -> errc::operation_not_permitted
//       lock() or try_lock() by the thread holding it -> errc::resource_deadlock_would_occur
//     Why not let the ERRORCHECK mutex answer EPERM / EDEADLK itself?
//     ThreadSanitizer intercepts pthread_mutex_unlock and reports the raw
//     misuse as an error before that EPERM comes back: the check belongs here.
//   * held_by_this_thread() says whether the calling thread holds it.
//   * Destroying a held mutex is a bug: the destructor (which cannot throw)
//     ends the program with std::terminate.
//   * Not copyable or movable: POSIX leaves a copied pthread_mutex_t
//     undefined, and threads sleep on an address inside it.
//
// Memory ordering: lock() is an acquire and unlock() a release on the
// mutex (pthread gives that): what a thread did before unlock()
// happens-before what the next holder does after lock(). The bookkeeping of
// who holds it must itself be free of data races (non-owners read it while
// the owner writes it); say in a comment why the order you chose is enough.
//
// Run the tests: ./workbook check posix_mutex      Hints: ./workbook hint posix_mutex
#pragma once

#include <wb/not_implemented.hpp>

#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <exception>
#include <system_error>
#include <thread>

class posix_mutex {
 public:
  posix_mutex() {
    // TODO(exercise): pthread_mutexattr_init, settype ERRORCHECK,
    // pthread_mutex_init, and destroy the attribute whatever happens. Check
    // every return code.
    WB_NOT_IMPLEMENTED("posix_mutex(): an ERRORCHECK mutex, every pthread return code checked");
  }

  ~posix_mutex() {
    // TODO(exercise): std::terminate if it is held, else pthread_mutex_destroy.
  }

  posix_mutex(const posix_mutex&) = delete;
  posix_mutex& operator=(const posix_mutex&) = delete;

  void lock() {
    // TODO(exercise): refuse a relock by the holder, lock, then remember who
    // holds it. Why *after* pthread_mutex_lock returns, not before?
    WB_NOT_IMPLEMENTED("posix_mutex::lock: refuse a relock, pthread_mutex_lock, record the owner");
  }

  bool try_lock() {
    // TODO(exercise): like lock, but EBUSY means "return false".
    WB_NOT_IMPLEMENTED("posix_mutex::try_lock: pthread_mutex_trylock, EBUSY is false");
  }

  void unlock() {
    // TODO(exercise): refuse an unlock by a thread that does not hold it,
    // forget the owner, then unlock. Why forget *before* unlocking?
    WB_NOT_IMPLEMENTED(
        "posix_mutex::unlock: refuse a non-owner, clear the owner, pthread_mutex_unlock");
  }

  bool held_by_this_thread() const noexcept {
    // TODO(exercise): compare the recorded owner with std::this_thread::get_id().
    WB_NOT_IMPLEMENTED("posix_mutex::held_by_this_thread: the recorded owner is this thread");
  }

  pthread_mutex_t* native_handle() noexcept { return &mutex_; }

 private:
  pthread_mutex_t mutex_;
  std::atomic<std::thread::id> owner_{};  // who holds it; std::thread::id{} when nobody does
};
