// Exercise 8.1 — futex: sleep on a 32-bit word, wake its sleepers.
//
// Every blocking primitive of this workbook ends in one operating-system
// service: "put me to sleep if this word still holds this value", and
// "wake the threads asleep on this word". Linux calls it a futex, Windows
// WaitOnAddress, macOS os_sync_wait_on_address. Here you write the thin,
// honest wrapper over it that a mutex or a parker is built on:
//
//     futex::word_type word{0};
//     // waiter                                     // waker
//     while (word.load(std::memory_order_acquire) == 0)   word.store(1, std::memory_order_release);
//       futex::wait(word, 0);                             futex::wake_all(word);
//
// Contract
//   * wait(word, expected, timeout) sleeps while `word` holds `expected`,
//     checked by the kernel atomically with going to sleep, so a change plus
//     a wake made after the check cannot be missed. It returns
//       value_changed  when the word did not hold `expected` (no sleep),
//       timed_out      when `timeout` (if given) passed with nobody waking us,
//       woken          after a wake call (and, rarely, spuriously: futex(2)
//                      warns that a wake aimed at an earlier user of the
//                      same memory can arrive; Windows documents spurious
//                      returns). Callers always re-check the word.
//     A signal delivered to the waiting thread is none of these: wait goes
//     back to sleep, and a timeout still ends at the time first asked for,
//     however many signals come.
//     Errors the kernel reports for misuse (a bad address, no futex support)
//     throw std::system_error.
//   * wake_one(word) wakes at most one thread asleep in wait on `word`;
//     wake_all(word) wakes all of them. Waking nobody is fine.
//   * Linux: the raw futex system call (no glibc wrapper exists), private to
//     the process. Windows: WaitOnAddress / WakeByAddressSingle /
//     WakeByAddressAll (link with -lsynchronization). macOS: write it if
//     you like, but say plainly that it is untested.
//
// Memory ordering: none. The kernel's comparison synchronizes with nothing
// in the C++ sense; a waiter learns what happened by loading the word
// (acquire) after wait returns, and a waker publishes by storing to the word
// (release) before it wakes.
//
// Run the tests: ./workbook check futex      Hints: ./workbook hint futex
#pragma once

#include <wb/not_implemented.hpp>

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

#if defined(__linux__)

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  // TODO(exercise): syscall(SYS_futex, &word, op | FUTEX_PRIVATE_FLAG, ...)
  // and one case per errno. Which operation takes an absolute deadline, and
  // why does that matter when a signal interrupts the wait (EINTR)?
  (void)word, (void)expected, (void)timeout;
  WB_NOT_IMPLEMENTED(
      "futex::wait: the futex system call, with EAGAIN, ETIMEDOUT and EINTR handled");
}

inline void wake_one(word_type& word) {
  // TODO(exercise): FUTEX_WAKE for one sleeper.
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_one: FUTEX_WAKE (private) for 1 waiter");
}

inline void wake_all(word_type& word) {
  // TODO(exercise): FUTEX_WAKE for every sleeper.
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_all: FUTEX_WAKE (private) for INT_MAX waiters");
}

#elif defined(_WIN32)

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  // TODO(exercise): WaitOnAddress(address, &expected, 4, milliseconds).
  // It returns TRUE also when the word differs: how do you report
  // value_changed? And FALSE with ERROR_TIMEOUT on a timeout.
  (void)word, (void)expected, (void)timeout;
  WB_NOT_IMPLEMENTED("futex::wait: WaitOnAddress, timeout in milliseconds rounded up");
}

inline void wake_one(word_type& word) {
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_one: WakeByAddressSingle");
}

inline void wake_all(word_type& word) {
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_all: WakeByAddressAll");
}

#else
// TODO(exercise, optional): macOS 14.4+ has os_sync_wait_on_address; older
// versions only the private __ulock_wait. Nothing here can test it.

inline wait_result wait(const word_type& word, std::uint32_t expected,
                        std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  (void)word, (void)expected, (void)timeout;
  WB_NOT_IMPLEMENTED("futex::wait on this platform");
}

inline void wake_one(word_type& word) {
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_one on this platform");
}

inline void wake_all(word_type& word) {
  (void)word;
  WB_NOT_IMPLEMENTED("futex::wake_all on this platform");
}

#endif

}  // namespace futex
