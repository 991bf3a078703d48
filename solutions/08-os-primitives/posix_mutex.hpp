// Exercise 8.4 — posix_mutex: a pthread mutex that throws and refuses misuse.
// Reference solution. (Contract: see exercises/08-os-primitives/posix_mutex.hpp.)
//
// Why it is correct
//   * The pthread_mutex_t lives inside the object and never moves: glibc's
//     waiters sleep on a futex word inside it, and POSIX leaves a copy's
//     behaviour undefined. Copy and move are deleted.
//   * The attribute object is destroyed on every path of the constructor
//     (attr_guard), and a failed pthread_mutex_init leaves nothing to
//     destroy, so an exception from the constructor leaks nothing.
//   * Every return code is looked at: 0 is success, EBUSY from trylock is
//     the answer "held", and anything else becomes std::system_error with
//     the errno value and the name of the call that failed.
//   * Ownership is checked here, before pthread is asked: an ERRORCHECK
//     mutex would answer EPERM (unlock by a non-owner) and EDEADLK (relock)
//     itself, but ThreadSanitizer intercepts pthread_mutex_unlock and reports
//     the raw misuse as an error before that EPERM comes back. The type stays
//     ERRORCHECK as a second line of defence for code that uses
//     native_handle().
//   * owner_ is written only while the mutex is held: set right after the
//     lock succeeds, cleared right before the unlock. The other order on
//     either side (record before locking, clear after unlocking) lets a
//     second thread's id and the first's overlap: a waiter would overwrite
//     the holder's id, or an old holder would erase the new one's.
//
// Memory ordering: the mutex itself orders the protected data (pthread's
// lock and unlock synchronize as std::mutex's do, [thread.mutex.requirements.mutex],
// by POSIX's "memory synchronization" rules). owner_ is atomic only because
// non-owners read it while the owner writes; relaxed is enough: a thread
// compares owner_ with its *own* id, which only it ever stores, and its
// own later store of "nobody" is sequenced after, so by write-read
// coherence ([intro.races]) it can never read its own id once it has
// cleared it; and it cannot read its id before storing it.
// So "owner_ == my id" is exact for the calling thread, which is all the
// checks ask.
#pragma once

#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <exception>
#include <system_error>
#include <thread>

class posix_mutex {
 public:
  posix_mutex() {
    pthread_mutexattr_t attr;
    throw_if_error(pthread_mutexattr_init(&attr), "pthread_mutexattr_init");
    struct attr_guard {
      pthread_mutexattr_t* attr;
      ~attr_guard() { pthread_mutexattr_destroy(attr); }
    } guard{&attr};
    throw_if_error(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK),
                   "pthread_mutexattr_settype");
    throw_if_error(pthread_mutex_init(&mutex_, &attr), "pthread_mutex_init");
  }

  // A destructor cannot throw: destroying a held mutex is a bug, and ends the program.
  ~posix_mutex() {
    if (owner_.load(std::memory_order_relaxed) != std::thread::id{}) std::terminate();
    pthread_mutex_destroy(&mutex_);
  }

  posix_mutex(const posix_mutex&) = delete;
  posix_mutex& operator=(const posix_mutex&) = delete;

  void lock() {
    refuse_if_owner("posix_mutex::lock: this thread already holds the mutex");
    throw_if_error(pthread_mutex_lock(&mutex_), "pthread_mutex_lock");
    owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  }

  bool try_lock() {
    refuse_if_owner("posix_mutex::try_lock: this thread already holds the mutex");
    const int rc = pthread_mutex_trylock(&mutex_);
    if (rc == EBUSY) return false;  // held by another thread: an answer, not an error
    throw_if_error(rc, "pthread_mutex_trylock");
    owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    return true;
  }

  void unlock() {
    if (!held_by_this_thread()) {
      throw std::system_error(std::make_error_code(std::errc::operation_not_permitted),
                              "posix_mutex::unlock: this thread does not hold the mutex");
    }
    owner_.store(std::thread::id{}, std::memory_order_relaxed);
    throw_if_error(pthread_mutex_unlock(&mutex_), "pthread_mutex_unlock");
  }

  bool held_by_this_thread() const noexcept {
    return owner_.load(std::memory_order_relaxed) == std::this_thread::get_id();
  }

  pthread_mutex_t* native_handle() noexcept { return &mutex_; }

 private:
  static void throw_if_error(int rc, const char* call) {
    if (rc != 0) throw std::system_error(rc, std::generic_category(), call);
  }

  void refuse_if_owner(const char* what) const {
    if (held_by_this_thread()) {
      throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur), what);
    }
  }

  pthread_mutex_t mutex_;
  std::atomic<std::thread::id> owner_{};
};
