// Exercise 8.1 — futex: sleep on a 32-bit word, wake its sleepers.
// Reference solution. (Contract: see exercises/08-os-primitives/futex.hpp.)
//
// Why it is correct
//   * Linux. One system call per attempt: FUTEX_WAIT_BITSET with the
//     private flag and an *absolute* CLOCK_MONOTONIC deadline (futex(2):
//     "FUTEX_WAIT_BITSET ... timeout is interpreted as an absolute value").
//     The deadline is computed once, before the loop, so a retry after a
//     signal waits only for what is left of the timeout. (FUTEX_WAIT takes a
//     relative timeout; retrying it with the same value after every signal
//     would let a stream of signals postpone the timeout forever.)
//     The kernel's answers, each handled:
//       0          a wake call reached us (or, as futex(2) warns, a stale
//                  wake meant for an earlier user of this memory): woken
//       EAGAIN     the word did not hold `expected` when the kernel looked:
//                  value_changed (we never slept)
//       ETIMEDOUT  the deadline passed: timed_out
//       EINTR      a signal handler ran. Nobody woke us and the word may
//                  still hold `expected`: reporting woken or value_changed
//                  would send the caller round its loop for nothing, or,
//                  worse, make it believe the word changed. Wait again.
//       anything else (EFAULT, EINVAL, ENOSYS) is a bug or a kernel without
//                  futexes: std::system_error.
//   * Windows. WaitOnAddress compares and sleeps as one step with respect to
//     WakeByAddress* on the same address, as the futex does. It returns TRUE
//     both when woken and when the word did not hold `expected`, so we look
//     first, in user space, to report value_changed; a change that slips in
//     after our look is reported as woken, which is also true ("recheck").
//     FALSE with ERROR_TIMEOUT is the timeout. Microsoft documents that it
//     may also return spuriously, so woken means "recheck" there too. The
//     timeout is in whole milliseconds, rounded up (never time out early),
//     and INFINITE is 0xFFFFFFFF, so a finite timeout is capped below it.
//     Link with -lsynchronization.
//   * macOS: os_sync_wait_on_address_with_timeout (macOS 14.4 and later),
//     else the private __ulock_wait. NOT TESTED: no macOS machine builds
//     or runs this workbook's tests. Written from Apple's headers and
//     documentation; treat it as a sketch.
//
// Memory ordering: none, on every platform. The kernel's comparison is not
// a C++ atomic operation and synchronizes with nothing; callers read the
// word (acquire) after wait returns, and the waker's change of the word
// (release) is what publishes its data.
#pragma once

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#elif defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#elif defined(__APPLE__)
#include <AvailabilityMacros.h>
#if defined(__has_include) && __has_include(<os/os_sync_wait_on_address.h>)
#include <os/os_sync_wait_on_address.h>
#define WB_HAVE_OS_SYNC_WAIT_ON_ADDRESS 1
#endif
#endif

namespace futex {

enum class wait_result {
  woken,          // a wake call came (or a spurious return): recheck the word
  value_changed,  // the word did not hold `expected`: did not sleep
  timed_out,      // the timeout passed with nobody waking us
};

using word_type = std::atomic<std::uint32_t>;
static_assert(sizeof(word_type) == sizeof(std::uint32_t) && word_type::is_always_lock_free,
              "the kernel sees the atomic's object as a plain 32-bit word");

namespace detail {

// Timeouts beyond this are "forever": no deadline arithmetic can overflow.
inline constexpr std::chrono::nanoseconds longest_timeout = std::chrono::hours(24 * 365);

[[noreturn]] inline void fail(int error, const char* what) {
  throw std::system_error(error, std::system_category(), what);
}

}  // namespace detail

#if defined(__linux__)

namespace detail {

inline void* address(const word_type& word) noexcept {
  return const_cast<void*>(static_cast<const volatile void*>(&word));
}

inline long futex_call(const word_type& word, int op, std::uint32_t value,
                       const timespec* deadline) noexcept {
  return syscall(SYS_futex, address(word), op | FUTEX_PRIVATE_FLAG, value, deadline, nullptr,
                 FUTEX_BITSET_MATCH_ANY);
}

inline timespec deadline_after(std::chrono::nanoseconds timeout) {
  timespec now{};
  if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) fail(errno, "clock_gettime");
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  long nanoseconds = now.tv_nsec + static_cast<long>((timeout - seconds).count());
  time_t whole = now.tv_sec + static_cast<time_t>(seconds.count());
  if (nanoseconds >= 1'000'000'000L) {
    nanoseconds -= 1'000'000'000L;
    ++whole;
  }
  return timespec{.tv_sec = whole, .tv_nsec = nanoseconds};
}

}  // namespace detail

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  std::optional<timespec> deadline;
  if (timeout && *timeout < detail::longest_timeout) {
    deadline = detail::deadline_after(std::max(*timeout, std::chrono::nanoseconds::zero()));
  }
  const timespec* deadline_or_null = deadline ? &*deadline : nullptr;
  for (;;) {
    if (detail::futex_call(word, FUTEX_WAIT_BITSET, expected, deadline_or_null) == 0) {
      return wait_result::woken;
    }
    switch (errno) {
      case EAGAIN:
        return wait_result::value_changed;
      case ETIMEDOUT:
        return wait_result::timed_out;
      case EINTR:
        continue;  // a signal, not a wake-up: sleep again until the same deadline
      default:
        detail::fail(errno, "futex(FUTEX_WAIT_BITSET)");
    }
  }
}

inline void wake_one(word_type& word) {
  if (detail::futex_call(word, FUTEX_WAKE, 1, nullptr) < 0)
    detail::fail(errno, "futex(FUTEX_WAKE)");
}

inline void wake_all(word_type& word) {
  if (detail::futex_call(word, FUTEX_WAKE, INT_MAX, nullptr) < 0) {
    detail::fail(errno, "futex(FUTEX_WAKE)");
  }
}

#elif defined(_WIN32)

namespace detail {

inline volatile VOID* address(const word_type& word) noexcept {
  return const_cast<volatile VOID*>(static_cast<const volatile VOID*>(&word));
}

// Whole milliseconds, rounded up, below INFINITE.
inline DWORD milliseconds_for(std::chrono::nanoseconds timeout) noexcept {
  if (timeout <= std::chrono::nanoseconds::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
  return ms >= static_cast<long long>(INFINITE) ? INFINITE - 1 : static_cast<DWORD>(ms);
}

}  // namespace detail

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  // WaitOnAddress returns TRUE at once when the word differs: look first,
  // so that value_changed is reported as on Linux.
  if (word.load(std::memory_order_relaxed) != expected) return wait_result::value_changed;
  const DWORD ms =
      timeout && *timeout < detail::longest_timeout ? detail::milliseconds_for(*timeout) : INFINITE;
  if (WaitOnAddress(detail::address(word), &expected, sizeof expected, ms)) {
    return wait_result::woken;
  }
  const DWORD error = GetLastError();
  if (error == ERROR_TIMEOUT) return wait_result::timed_out;
  detail::fail(static_cast<int>(error), "WaitOnAddress");
}

inline void wake_one(word_type& word) {
  WakeByAddressSingle(const_cast<VOID*>(detail::address(word)));
}

inline void wake_all(word_type& word) {
  WakeByAddressAll(const_cast<VOID*>(detail::address(word)));
}

#elif defined(__APPLE__)
// UNTESTED. Written from Apple's headers and documentation; no macOS machine
// builds or runs this workbook's tests.

extern "C" int __ulock_wait(std::uint32_t operation, void* address, std::uint64_t value,
                            std::uint32_t timeout_us);
extern "C" int __ulock_wake(std::uint32_t operation, void* address, std::uint64_t wake_value);

namespace detail {

inline constexpr std::uint32_t ul_compare_and_wait = 1;   // UL_COMPARE_AND_WAIT (private header)
inline constexpr std::uint32_t ulf_wake_all = 0x100;      // ULF_WAKE_ALL
inline constexpr std::uint32_t ulf_no_errno = 0x1000000;  // ULF_NO_ERRNO: return -errno

inline void* address(const word_type& word) noexcept {
  return const_cast<void*>(static_cast<const volatile void*>(&word));
}

}  // namespace detail

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  if (word.load(std::memory_order_relaxed) != expected) return wait_result::value_changed;
  const bool forever = !timeout || *timeout >= detail::longest_timeout;
  const auto deadline =
      std::chrono::steady_clock::now() + (forever ? std::chrono::nanoseconds::zero() : *timeout);
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (!forever && left <= std::chrono::nanoseconds::zero()) return wait_result::timed_out;
    int result = 0;
#if defined(WB_HAVE_OS_SYNC_WAIT_ON_ADDRESS)
    if (__builtin_available(macOS 14.4, *)) {
      result = forever ? os_sync_wait_on_address(detail::address(word), expected, sizeof expected,
                                                 OS_SYNC_WAIT_ON_ADDRESS_NONE)
                       : os_sync_wait_on_address_with_timeout(
                             detail::address(word), expected, sizeof expected,
                             OS_SYNC_WAIT_ON_ADDRESS_NONE, OS_CLOCK_MACH_ABSOLUTE_TIME,
                             static_cast<std::uint64_t>(left.count()));
      if (result >= 0) return wait_result::woken;
      result = -errno;
    } else
#endif
    {
      const auto us = forever ? 0 : std::chrono::ceil<std::chrono::microseconds>(left).count();
      result =
          __ulock_wait(detail::ul_compare_and_wait | detail::ulf_no_errno, detail::address(word),
                       expected, static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX)));
      if (result >= 0) {
        // __ulock_wait returns at once when the word differs, without an error.
        return word.load(std::memory_order_relaxed) == expected ? wait_result::woken
                                                                : wait_result::value_changed;
      }
    }
    switch (-result) {
      case EINTR:
        continue;  // a signal, not a wake-up
      case ETIMEDOUT:
        return wait_result::timed_out;
      default:
        detail::fail(-result, "os_sync_wait_on_address / __ulock_wait");
    }
  }
}

inline void wake_one(word_type& word) {
#if defined(WB_HAVE_OS_SYNC_WAIT_ON_ADDRESS)
  if (__builtin_available(macOS 14.4, *)) {
    // -1 with ENOENT means nobody waited: not an error for us.
    os_sync_wake_by_address_any(detail::address(word), sizeof(std::uint32_t),
                                OS_SYNC_WAKE_BY_ADDRESS_NONE);
    return;
  }
#endif
  __ulock_wake(detail::ul_compare_and_wait | detail::ulf_no_errno, detail::address(word), 0);
}

inline void wake_all(word_type& word) {
#if defined(WB_HAVE_OS_SYNC_WAIT_ON_ADDRESS)
  if (__builtin_available(macOS 14.4, *)) {
    os_sync_wake_by_address_all(detail::address(word), sizeof(std::uint32_t),
                                OS_SYNC_WAKE_BY_ADDRESS_NONE);
    return;
  }
#endif
  __ulock_wake(detail::ul_compare_and_wait | detail::ulf_wake_all | detail::ulf_no_errno,
               detail::address(word), 0);
}

#else
#error "futex.hpp: no address-based waiting known for this platform (Linux, Windows, macOS)"
#endif

}  // namespace futex
