// Chapter 1, demo 01-10: Latches and barriers
// A std::latch lets main wait until every worker has checked in, once. A std::barrier makes
// workers wait for each other at the end of every phase and runs a completion step each time.
// Run: ./workbook demo 01-10-latch-barrier
//      (binary: build/dev/chapters/01-threads/demo.01-10-latch-barrier)
#include <fmt/core.h>

#include <barrier>
#include <latch>
#include <thread>
#include <vector>

constexpr int worker_count = 3;

void wait_for_everyone_ready() {
  // [latch]
  std::latch ready{worker_count};  // single use: counts down to zero and stays there
  std::vector<std::jthread> workers;
  for (int i = 0; i < worker_count; ++i) {
    workers.emplace_back([&ready, i] {
      fmt::print("worker {}: ready\n", i);
      ready.count_down();
    });
  }
  ready.wait();  // returns once all three have counted down
  fmt::print("main: every worker is ready\n");
  // [latch]
}  // workers (declared after the latch) are joined before the latch is destroyed

void run_in_phases() {
  // [barrier]
  int phase = 0;  // touched only by the completion step, which runs while everyone waits
  std::barrier phase_end{
      worker_count, [&phase]() noexcept { fmt::print("--- phase {} complete ---\n", phase++); }};
  std::vector<std::jthread> workers;
  for (int i = 0; i < worker_count; ++i) {
    workers.emplace_back([&phase_end, i] {
      for (int step = 0; step < 2; ++step) {
        fmt::print("worker {}: step {}\n", i, step);
        phase_end.arrive_and_wait();  // nobody starts step + 1 until all have finished step
      }
    });
  }
  // [barrier]
}

int main() {
  wait_for_everyone_ready();
  run_in_phases();
}
