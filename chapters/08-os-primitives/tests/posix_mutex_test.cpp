// Tests for exercise 8.4, posix_mutex (exercises/08-os-primitives/posix_mutex.hpp).
//
// What each case can catch
//   * The mutex's type: this file defines pthread_mutexattr_init, _settype
//     and _destroy (the program's own definitions come before libc's), which
//     record the calls and pass them on to libc through dlsym(RTLD_NEXT).
//     A mutex made without ERRORCHECK is seen here; so is an attribute left
//     undestroyed, and a settype error (injected: EINVAL) that does not
//     become a std::system_error carrying that errno.
//   * Misuse refused with the right error code: unlock by a thread that
//     does not hold it (a second thread, or nobody holds it), lock and
//     try_lock by the holder. The mutex must still work afterwards.
//     Leaving the unlock check to the ERRORCHECK mutex's own EPERM passes the
//     plain tests and is reported by ThreadSanitizer, which intercepts the
//     raw misuse: that is why the contract wants the check in the wrapper.
//   * try_lock on a mutex another thread holds returns false (EBUSY is not
//     an error).
//   * The owner recorded only while held: a thread blocked in lock() must
//     not overwrite the holder's id (the holder's unlock would throw), and
//     the holder must forget itself before it unlocks (this file's
//     pthread_mutex_unlock holds the holder back just after the unlock until
//     the next one has locked), and many threads locking and unlocking never
//     see a false refusal.
// Not tested: that destroying a held mutex ends the program (it would need a
// death test in a child process). Sleeps only give a thread time to block in
// lock(); a correct wrapper passes whatever the scheduling.
#include <catch2/catch.hpp>

#include "posix_mutex.hpp"

#include <wb/progress.hpp>
#include <wb/testing.hpp>

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <system_error>
#include <thread>

using namespace std::chrono_literals;

// ---- Interposed pthread attribute calls -------------------------------------
namespace {
std::atomic<int> attr_live{0};           // attributes initialised and not yet destroyed
std::atomic<int> last_type_set{-1};      // the kind passed to the last settype
std::atomic<int> settype_fails_with{0};  // nonzero: the next settype returns this

template <class F>
F real(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f == nullptr) std::abort();
  return reinterpret_cast<F>(f);
}
}  // namespace

extern "C" int pthread_mutexattr_init(pthread_mutexattr_t* attr) noexcept {
  static const auto next = real<int (*)(pthread_mutexattr_t*)>("pthread_mutexattr_init");
  const int rc = next(attr);
  if (rc == 0) attr_live.fetch_add(1);
  return rc;
}

extern "C" int pthread_mutexattr_destroy(pthread_mutexattr_t* attr) noexcept {
  static const auto next = real<int (*)(pthread_mutexattr_t*)>("pthread_mutexattr_destroy");
  attr_live.fetch_sub(1);
  return next(attr);
}

extern "C" int pthread_mutexattr_settype(pthread_mutexattr_t* attr, int kind) noexcept {
  static const auto next = real<int (*)(pthread_mutexattr_t*, int)>("pthread_mutexattr_settype");
  last_type_set.store(kind);
  if (const int error = settype_fails_with.exchange(0); error != 0) return error;
  return next(attr, kind);
}

// pthread_mutex_unlock, passed on to the next definition (ThreadSanitizer's,
// in the tsan tree, then libc's). On the one thread that sets
// pause_after_unlock, it returns only once another thread has been through
// lock() (or after a second): a preemption just after the unlock, made
// certain, so that whatever posix_mutex::unlock does *after* unlocking runs
// while the next holder already holds the mutex.
namespace {
thread_local bool pause_after_unlock = false;
std::atomic<bool> next_holder_locked{false};
}  // namespace

extern "C" int pthread_mutex_unlock(pthread_mutex_t* mutex) noexcept {
  static const auto next = real<int (*)(pthread_mutex_t*)>("pthread_mutex_unlock");
  const int rc = next(mutex);
  if (pause_after_unlock) {
    pause_after_unlock = false;
    const auto give_up = std::chrono::steady_clock::now() + 1s;
    while (!next_holder_locked.load() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
  }
  return rc;
}

// ---- Cases ------------------------------------------------------------------

TEST_CASE("posix_mutex: lock try_lock and unlock on one thread", "[ch08][posix_mutex]") {
  posix_mutex m;
  CHECK_FALSE(m.held_by_this_thread());
  m.lock();
  CHECK(m.held_by_this_thread());
  m.unlock();
  CHECK_FALSE(m.held_by_this_thread());
  REQUIRE(m.try_lock());
  CHECK(m.held_by_this_thread());
  m.unlock();
  {
    std::lock_guard guard(m);
    CHECK(m.held_by_this_thread());
  }
  CHECK_FALSE(m.held_by_this_thread());
}

TEST_CASE("posix_mutex: is an ERRORCHECK mutex and destroys its attribute", "[ch08][posix_mutex]") {
  last_type_set.store(-1);
  const int live_before = attr_live.load();
  { posix_mutex m; }
  CHECK(last_type_set.load() == PTHREAD_MUTEX_ERRORCHECK);
  CHECK(attr_live.load() == live_before);
}

TEST_CASE("posix_mutex: a pthread error becomes a system_error with its errno",
          "[ch08][posix_mutex]") {
  const int live_before = attr_live.load();
  settype_fails_with.store(EINVAL);
  bool threw = false;
  try {
    posix_mutex m;
  } catch (const std::system_error& e) {
    threw = true;
    CHECK(e.code() == std::error_code(EINVAL, std::generic_category()));
  }
  settype_fails_with.store(0);
  CHECK(threw);
  CHECK(attr_live.load() == live_before);  // destroyed on the error path too
}

TEST_CASE("posix_mutex: unlock by a thread that does not hold it is refused",
          "[ch08][posix_mutex]") {
  posix_mutex m;
  SECTION("nobody holds it") {
    bool refused = false;
    try {
      m.unlock();
    } catch (const std::system_error& e) {
      refused = e.code() == std::errc::operation_not_permitted;
    }
    CHECK(refused);
  }
  SECTION("another thread holds it") {
    m.lock();
    std::atomic<int> outcome{0};  // 1 refused with EPERM, 2 other exception, 3 no exception
    wb::test::finishes_within(wb::test::default_deadline, "unlock() from a non-owner thread", [&] {
      std::thread([&] {
        try {
          m.unlock();
          outcome.store(3);
        } catch (const std::system_error& e) {
          outcome.store(e.code() == std::errc::operation_not_permitted ? 1 : 2);
        }
      }).join();
    });
    CHECK(outcome.load() == 1);
    CHECK(m.held_by_this_thread());
    m.unlock();  // still ours, and still works
  }
  REQUIRE(m.try_lock());
  m.unlock();
}

TEST_CASE("posix_mutex: the holder's relock is refused", "[ch08][posix_mutex]") {
  posix_mutex m;
  auto refused_as_deadlock = [](auto&& call) {
    try {
      call();
    } catch (const std::system_error& e) {
      return e.code() == std::errc::resource_deadlock_would_occur;
    }
    return false;
  };
  // On a thread of its own: a relock that is not refused may block forever.
  bool lock_refused = false;
  bool try_lock_refused = false;
  bool still_held = false;
  wb::test::finishes_within(wb::test::default_deadline, "lock() and try_lock() by the holder", [&] {
    m.lock();
    lock_refused = refused_as_deadlock([&] { m.lock(); });
    try_lock_refused = refused_as_deadlock([&] { (void)m.try_lock(); });
    still_held = m.held_by_this_thread();
    m.unlock();
  });
  CHECK(lock_refused);
  CHECK(try_lock_refused);
  CHECK(still_held);
}

TEST_CASE("posix_mutex: try_lock returns false while another thread holds it",
          "[ch08][posix_mutex]") {
  posix_mutex m;
  m.lock();
  std::atomic<int> outcome{0};  // 1 false, 2 true, 3 exception
  std::thread([&] {
    try {
      const bool got = m.try_lock();
      if (got) m.unlock();
      outcome.store(got ? 2 : 1);
    } catch (const std::system_error&) { outcome.store(3); }
  }).join();
  CHECK(outcome.load() == 1);
  m.unlock();
}

TEST_CASE("posix_mutex: a waiter does not take the holder's place", "[ch08][posix_mutex]") {
  posix_mutex m;
  m.lock();
  std::atomic<bool> about_to_lock{false};
  std::atomic<int> waiter_errors{0};
  wb::test::thread_group group("a thread in lock() while the test holds the mutex");
  group.spawn([&] {
    about_to_lock.store(true);
    try {
      m.lock();
      m.unlock();
    } catch (const std::system_error&) { waiter_errors.fetch_add(1); }
  });
  while (!about_to_lock.load()) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);  // time to block inside lock()
  CHECK(m.held_by_this_thread());
  bool unlock_refused = false;
  try {
    m.unlock();
  } catch (const std::system_error&) { unlock_refused = true; }
  if (unlock_refused) {
    // Recorded before it was acquired: let the waiter finish somehow.
    pthread_mutex_unlock(m.native_handle());
  }
  group.join_within();
  CHECK_FALSE(unlock_refused);
  CHECK(waiter_errors.load() == 0);
}

TEST_CASE("posix_mutex: the next holder's id survives the previous unlock", "[ch08][posix_mutex]") {
  posix_mutex m;
  m.lock();
  next_holder_locked.store(false);
  std::atomic<bool> about_to_lock{false};
  std::atomic<bool> previous_unlock_returned{false};
  std::atomic<int> next_holder_outcome{0};  // 1 unlocked, 2 its unlock was refused
  wb::test::thread_group group("a thread in lock() while the test unlocks");
  group.spawn([&] {
    about_to_lock.store(true);
    m.lock();
    next_holder_locked.store(true);
    while (!previous_unlock_returned.load()) std::this_thread::yield();
    try {
      m.unlock();
      next_holder_outcome.store(1);
    } catch (const std::system_error&) {
      next_holder_outcome.store(2);
      pthread_mutex_unlock(m.native_handle());
    }
  });
  while (!about_to_lock.load()) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);  // time to block inside lock()
  pause_after_unlock = true;
  m.unlock();
  pause_after_unlock = false;
  previous_unlock_returned.store(true);
  group.join_within();
  CHECK(next_holder_outcome.load() == 1);
}

TEST_CASE("posix_mutex: many threads count under it", "[ch08][posix_mutex][stress]") {
  constexpr unsigned threads = 4;
  constexpr int per_thread = 5000;
  wb::test::repeat(3, [&](unsigned) {
    posix_mutex m;
    long count = 0;  // plain data, guarded by m
    std::atomic<int> errors{0};
    wb::test::run_concurrently(
        threads,
        [&](unsigned) {
          for (int i = 0; i < per_thread; ++i) {
            try {
              if (i % 4 == 0 && m.try_lock()) {
                ++count;
                m.unlock();
                continue;
              }
              m.lock();  // not a lock_guard: a wrong unlock() throws, and a destructor cannot
              ++count;
              m.unlock();
            } catch (const std::system_error&) {
              errors.fetch_add(1);
              return;
            }
            if (i % 500 == 0) wb::test::progress();
          }
        },
        wb::test::default_deadline, "4 threads locking and unlocking 5000 times each");
    CHECK(errors.load() == 0);
    CHECK(count == static_cast<long>(threads) * per_thread);
  });
}
