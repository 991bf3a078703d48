// Chapter 7, demo 07-04: how long does a cache line take to go from one core to another?
// For every pair of CPUs this process may use, two threads pinned one to each CPU pass a
// counter back and forth through one atomic: each waits until it sees the other's value and
// then writes the next one. A round trip moves the line twice; half of it is the one-way
// latency. SMT siblings (demo 07-01) share a core and are fastest; cores on different
// sockets or chiplets are slowest. Shown, never checked.
// Run: ./workbook demo 07-04-ping-pong [round trips per pair]
//      (binary: build/dev/chapters/07-processor/demo.07-04-ping-pong)
#include <fmt/core.h>

#include <pthread.h>
#include <sched.h>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

// Spins until `ball` holds n. (It yields now and then, in case both threads share one CPU.)
void wait_for(const std::atomic<long>& ball, long n) {
  for (unsigned spins = 1; ball.load(std::memory_order_acquire) != n; ++spins) {
    if (spins % 4096 == 0) std::this_thread::yield();
  }
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) ==
         0;  // refused in some containers
}

// [ping-pong]
double one_way_nanoseconds(int cpu_a, int cpu_b, long round_trips, bool& pinned) {
  alignas(64) std::atomic<long> ball{0};
  std::atomic<bool> pinned_b{true};
  std::jthread other([&] {
    pinned_b.store(pin_to(cpu_b));
    for (long n = 1; n < 2 * round_trips; n += 2) {
      wait_for(ball, n);                             // our turn
      ball.store(n + 1, std::memory_order_release);  // hit it back
    }
  });
  pinned = pin_to(cpu_a);
  const auto begin = std::chrono::steady_clock::now();
  for (long n = 0; n < 2 * round_trips; n += 2) {
    ball.store(n + 1, std::memory_order_release);
    wait_for(ball, n + 2);
  }
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - begin;
  other.join();
  pinned = pinned && pinned_b.load();
  return took.count() / static_cast<double>(2 * round_trips);
}
// [ping-pong]

int main(int argc, char** argv) {
  const long round_trips = argc > 1 ? std::atol(argv[1]) : 200'000;  // the smoke test passes fewer
  cpu_set_t allowed;
  sched_getaffinity(0, sizeof allowed, &allowed);
  std::vector<int> cpus;  // at most 16: 16 x 15 pairs already take a while
  for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 16; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  fmt::print("one-way latency in ns (row CPU writes, column CPU reads it back)\n{:>6}", "");
  for (int b : cpus) fmt::print(" {:>6}", b);
  bool all_pinned = true, pinned = true;
  for (int a : cpus) {
    fmt::print("\n{:>6}", a);
    for (int b : cpus) {
      if (a == b) fmt::print(" {:>6}", "-");
      else fmt::print(" {:>6.1f}", one_way_nanoseconds(a, b, round_trips, pinned));
      all_pinned = all_pinned && pinned;
    }
  }
  fmt::print("\n{}\n", all_pinned
                           ? "every thread was pinned to its CPU"
                           : "pinning was refused: the threads ran where the scheduler put them");
}
