// Chapter 8, demo 08-01: what does entering the kernel cost?
// Times a function call, an uncontended atomic read-modify-write, the cheapest system call
// (getpid, made with syscall() so that no library caches it) and two futex calls that find
// nothing to do: a wake with nobody asleep, and a wait whose value does not match (EAGAIN).
// Run: ./workbook demo 08-01-syscall-cost [iterations]
//      (binary: build/dev/chapters/08-os-primitives/demo.08-01-syscall-cost)
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstdlib>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

template <class F>
double nanoseconds_per_call(long iterations, F&& f) {
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) f();
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / static_cast<double>(iterations);
}

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  std::atomic<unsigned> word{0};
#if defined(__linux__)
  // [syscall-cost]
  fmt::print("{:<44} {:>8.1f} ns\n", "atomic fetch_add (uncontended)",
             nanoseconds_per_call(iterations, [&] { word.fetch_add(1); }));
  fmt::print("{:<44} {:>8.1f} ns\n", "syscall(SYS_getpid)",
             nanoseconds_per_call(iterations, [] { syscall(SYS_getpid); }));
  fmt::print("{:<44} {:>8.1f} ns\n", "FUTEX_WAKE_PRIVATE, nobody asleep",
             nanoseconds_per_call(iterations, [&] {
               syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
             }));
  fmt::print("{:<44} {:>8.1f} ns\n", "FUTEX_WAIT_PRIVATE, value differs (EAGAIN)",
             nanoseconds_per_call(iterations, [&] {
               syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, ~0u, nullptr, nullptr, 0);
             }));
  // [syscall-cost]
  fmt::print("({} calls each; a VM or a busy machine makes system calls dearer, never cheaper)\n",
             iterations);
#else
  fmt::print("This demo uses the Linux futex system call; it measures nothing here.\n");
#endif
  return word.load() == 0 ? 1 : 0;  // keep the fetch_adds
}
