// Chapter 8, demo 08-02: a futex round trip.
// Two threads hand a turn back and forth through one 32-bit word: each sleeps on the word with
// FUTEX_WAIT until the other stores its number and makes a FUTEX_WAKE. Every hand-over is a
// store, a wake system call, a context switch and a return from the kernel on the other side.
// It counts how often a wait really slept and how often it came back at once (EAGAIN: the value
// had already changed) or for no reason (woken, but the turn was not ours yet).
// Run: ./workbook demo 08-02-futex-ping-pong [round-trips]
//      (binary: build/dev/chapters/08-os-primitives/demo.08-02-futex-ping-pong)
#include <fmt/core.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

std::atomic<std::uint32_t> turn{0};
std::atomic<long> slept{0}, value_changed{0}, woken_early{0};

// [ping-pong]
void play(std::uint32_t me, long hand_overs) {
  for (long i = 0; i < hand_overs; ++i) {
    for (std::uint32_t seen; (seen = turn.load(std::memory_order_acquire)) != me;) {
      long rc = syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
      if (rc == -1 && errno == EAGAIN) ++value_changed;  // it changed before we slept
      else if (turn.load(std::memory_order_relaxed) == me) ++slept;
      else ++woken_early;  // a spurious return, or EINTR: look again
    }
    turn.store(1 - me, std::memory_order_release);                          // first the state...
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);  // ...then the wake
  }
}
// [ping-pong]

int main(int argc, char** argv) {
  const long round_trips = argc > 1 ? std::atol(argv[1]) : 20000;
  const auto start = std::chrono::steady_clock::now();
  std::thread other(play, 1u, round_trips);
  play(0u, round_trips);
  other.join();
  const std::chrono::duration<double, std::micro> elapsed =
      std::chrono::steady_clock::now() - start;
  fmt::print("{} round trips: {:.2f} us each\n", round_trips,
             elapsed.count() / static_cast<double>(round_trips));
  fmt::print("waits that slept: {}, found the value changed (EAGAIN): {}, returned early: {}\n",
             slept.load(), value_changed.load(), woken_early.load());
}
#else
int main() { fmt::print("This demo uses the Linux futex system call; nothing to show here.\n"); }
#endif
