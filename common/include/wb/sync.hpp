// The workbook's synchronisation facade.
//
// Exercise code from chapter 2 on reaches atomics and blocking only through
// this header, so that the same source can later be compiled against the
// model checker (WB_MODEL=1, see DESIGN.md section 5), which explores every
// interleaving and weak-memory outcome of a test.
//
// In a normal build every name here is exactly the standard type or function
// (an alias or a using-declaration) or a zero-cost inline wrapper; the test
// common/tests/sync_facade_test.cpp checks that at compile time, so learning
// through the facade costs nothing at run time. (On Windows, wait and wake_*
// call WaitOnAddress and WakeByAddress* themselves: see wait() for why.)
//
// Memory ordering: identical to the standard entity each name maps to.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

#if defined(_WIN32) && !(defined(WB_MODEL) && WB_MODEL)
// wb::wait and wb::wake_* call WaitOnAddress and WakeByAddress* directly
// (-lsynchronization): see wait() below for why.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#endif

#if defined(WB_MODEL) && WB_MODEL
// The model checker's facade: same names, modelled (common/MODEL.md).
#include <wb/model/facade.hpp>
#else

namespace wb {

// --- atomics -----------------------------------------------------------------

template <class T>
using atomic = std::atomic<T>;

using std::atomic_thread_fence;
using std::memory_order;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_consume;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;

/// Tells the processor we are in a spin-wait loop. On x86 it is `pause`
/// (as `_mm_pause()` and Rust's `std::hint::spin_loop()`): it delays the next
/// iteration, saves power and lets a sibling hyper-thread run. On ARM it is
/// `yield`, as GCC's `__yield()`: a hint for multithreaded cores that most
/// AArch64 cores execute as a no-op (Rust emits `isb sy` there instead, a
/// measured heuristic that does stall briefly). The model checker treats it
/// as a point where another thread may be scheduled.
inline void spin_loop_hint() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#endif
}

// --- threads and blocking ----------------------------------------------------

using thread = std::thread;
using mutex = std::mutex;
using condition_variable = std::condition_variable;

#if defined(_WIN32)
namespace detail {
// The atomics WaitOnAddress can watch itself: 1, 2, 4 or 8 bytes, compared
// bit for bit (as std::atomic::wait compares, [atomics.types.operations]).
template <class T>
inline constexpr bool waits_on_address =
    (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8) &&
    std::atomic<T>::is_always_lock_free&& std::has_unique_object_representations_v<T>;
}  // namespace detail
#endif

/// Address-based waiting (C++20 std::atomic::wait): blocks while `a` holds
/// `old`. May return spuriously-looking only after the value changed; callers
/// re-check their condition in a loop, as with a condition variable.
///
/// On Windows it calls WaitOnAddress itself, as Microsoft's std::atomic::wait
/// does: mingw-w64's libstdc++ 12 has no futex there, and its fallback (a
/// counter, a mutex and a condition variable, bits/atomic_wait.h) notifies
/// without taking the mutex, so a notify between the waiter's last look and
/// its sleep is lost and the waiter sleeps forever. WaitOnAddress compares
/// and sleeps as one step with respect to WakeByAddress* on the address. It
/// may return spuriously, hence the loop; the last load, with `order`, is
/// the one that returns.
template <class T>
inline void wait(const atomic<T>& a, T old, memory_order order = memory_order_seq_cst) noexcept {
#if defined(_WIN32)
  if constexpr (detail::waits_on_address<T>) {
    for (;;) {
      const T now = a.load(order);
      if (std::memcmp(&now, &old, sizeof(T)) != 0) return;
      WaitOnAddress(const_cast<atomic<T>*>(&a), &old, sizeof(T), INFINITE);
    }
  }
#endif
  a.wait(old, order);
}

/// Wakes one thread blocked in wb::wait on `a`.
template <class T>
inline void wake_one(atomic<T>& a) noexcept {
#if defined(_WIN32)
  if constexpr (detail::waits_on_address<T>) {
    WakeByAddressSingle(&a);
    return;
  }
#endif
  a.notify_one();
}

/// Wakes every thread blocked in wb::wait on `a`.
template <class T>
inline void wake_all(atomic<T>& a) noexcept {
#if defined(_WIN32)
  if constexpr (detail::waits_on_address<T>) {
    WakeByAddressAll(&a);
    return;
  }
#endif
  a.notify_all();
}

// --- plain shared data -------------------------------------------------------

/// Plain, non-atomic data shared between threads in a test, such as the value
/// a lock protects. In a normal build it is just a T; under the model checker
/// every access is recorded so that a data race on it is reported with both
/// source lines. Access it through `with` (read) and `with_mut` (write) so
/// that the checker can see which kind of access happens.
template <class T>
class cell {
 public:
  constexpr cell() = default;
  constexpr explicit cell(T value) : value_(std::move(value)) {}

  /// Calls f(const T&) and returns its result: a read of the cell.
  template <class F>
  decltype(auto) with(F&& f) const {
    return std::forward<F>(f)(value_);
  }

  /// Calls f(T&) and returns its result: a write (or read-modify-write).
  template <class F>
  decltype(auto) with_mut(F&& f) {
    return std::forward<F>(f)(value_);
  }

  /// A copy of the value: a read.
  T get() const { return value_; }

  /// Replaces the value: a write.
  void set(T value) { value_ = std::move(value); }

 private:
  T value_{};
};

}  // namespace wb

#endif  // WB_MODEL
