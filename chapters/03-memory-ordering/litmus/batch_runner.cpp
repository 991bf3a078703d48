// Chapter 3, litmus lab: running one variant of a test, fast enough to catch rare outcomes.
//
// A weak outcome needs the threads' accesses to x[i] and y[i] to overlap within a few dozen
// nanoseconds (the time a store spends in a store buffer). Fresh threads, or a barrier, for every
// iteration would cost microseconds each, and most iterations would still not overlap. So, in
// the manner of herdtools' litmus7:
//
//   * Batches. The threads meet once per batch of `batch_capacity` iterations. In between, each
//     thread runs its part of the test over the whole batch in one tight loop, iteration i on
//     its own fresh x[i] and y[i] (one cache line each, see `cell`).
//   * A spinning start line. The coordinator (thread 0) resets the cells, then opens batch g by
//     storing g into one atomic generation counter; the others spin reading it. Sleeping in the
//     kernel (a futex, std::barrier) would wake them microseconds apart.
//   * A metronome. The start line alone is not tight enough: the others see the new generation
//     about a cache-line transfer after the coordinator stored it, and by then the coordinator,
//     whose cells are all in its own cache, is many iterations ahead and never overlaps (we
//     measured 0 weak SB outcomes in 200,000 that way). So the coordinator also publishes a start
//     time a little in the future, and every thread begins iteration i at start + i * slot by a
//     clock all cores share (the TSC on x86). That lines the threads up without any memory
//     traffic; the contention on x[i] and y[i] then keeps them in step.
//   * Pinning. With at least as many usable CPUs as threads, thread t is pinned to its own CPU,
//     so the threads really run at the same time and never migrate mid-batch. With fewer (IRIW's
//     4 threads on a 2-core machine), nothing is pinned and waiting threads yield, so the
//     scheduler interleaves them at its own pace; the report says so.
//
// Between batches the coordinator, alone, tallies the outcomes and writes zeros back. It runs
// after an acquire of every other thread's release increment of `finished`, and the others start
// the next batch only after an acquire of its release store to `generation`: the plain registers
// and batch fields are never accessed concurrently (ThreadSanitizer agrees).
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "litmus_lab.hpp"

namespace litmus {
namespace {

// Heuristics, measured on a 2-core AMD EPYC VM (the lab's reference machine):
// - batch_capacity: 64 to 4096 all show SB at the same rate; 1024 keeps a batch's cells
//   (2 x 1024 x 64 B = 128 KiB) in L2 and the per-batch barrier and tally below 1% of the time.
// - slot: one iteration costs about 1 us there when the two cores fight over x[i] and y[i], so a
//   100 ns slot mostly just restores the lockstep after an interruption; 250 ns and 1 us showed
//   half as many SB outcomes, and were slower. On a faster machine the slot paces more.
// - lead: the start time lies this far ahead, so the others have seen the new generation before
//   it arrives (0 to 10 us made no measurable difference; 2 us is a margin).
constexpr std::size_t batch_capacity = 1024;
constexpr double slot_ns = 100;
constexpr double lead_ns = 2000;

// Spins before a waiting thread starts yielding its CPU. A heuristic: the threads normally end a
// batch in step and the tally takes a few microseconds, so a wait longer than these ~0.1-1 ms of
// PAUSEs means someone was descheduled, and spinning on would only keep it off the CPU.
constexpr unsigned patience = 1u << 14;

// Tells the core we are spinning (saves power, and on x86 avoids the memory-order mis-speculation
// penalty when the awaited store finally arrives).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield");
#endif
}

template <class Done>
void spin_until(Done done, bool oversubscribed) {
  for (unsigned spins = 0; !done(); ++spins) {
    if (oversubscribed || spins >= patience) {
      std::this_thread::yield();  // the thread we wait for may need this CPU
    } else {
      cpu_relax();
    }
  }
}

// Best effort: if the kernel refuses (a container's cpuset changed under us), the test still
// runs, just with less overlap, so the error is deliberately ignored.
void pin_current_thread_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// Memory ordering: `generation` is stored with release by the coordinator after it has reset the
// cells and set batch::size, and loaded with acquire by the others; `finished` is incremented
// with release by each other thread after its batch, and loaded with acquire by the coordinator.
// Each counter has its own cache line so that spinning on one does not disturb the other.
struct start_line {
  alignas(cache_line) std::atomic<std::uint64_t> generation{0};
  alignas(cache_line) std::atomic<std::uint64_t> finished{0};  // counts check-ins, never reset
};

// An outcome as a small integer: values are 0..2, so base 4 with four values fits in 256 slots.
constexpr std::size_t outcome_slots = 256;
using tally = std::array<std::uint64_t, outcome_slots>;

// How many clock ticks make a nanosecond: measured once against the steady clock.
double ticks_per_ns() {
  static const double ratio = [] {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const std::uint64_t k0 = now_ticks();
    while (clock::now() - t0 < std::chrono::milliseconds(5)) {}
    const std::uint64_t k1 = now_ticks();
    const std::chrono::duration<double, std::nano> ns = clock::now() - t0;
    return std::max(1e-3, static_cast<double>(k1 - k0) / ns.count());
  }();
  return ratio;
}

int observe(const batch& b, const source& s, std::size_t i) {
  return s.kind == source::reg ? b.reg[s.index][i]
                               : b.location[s.index][i].value.load(std::memory_order_relaxed);
}

}  // namespace

batch::batch(std::size_t capacity)
    : location{std::vector<cell>(capacity), std::vector<cell>(capacity)},
      reg{std::vector<int>(capacity), std::vector<int>(capacity), std::vector<int>(capacity),
          std::vector<int>(capacity)} {}

std::vector<int> usable_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    }
  }
  return cpus;
}

run_result run_litmus(const litmus_test& test, ordering o, std::uint64_t iterations) {
  const std::vector<int> cpus = usable_cpus();
  const bool pinned = cpus.size() >= test.threads;
  const bool oversubscribed = !pinned;
  const auto& bodies = test.bodies[static_cast<std::size_t>(o)];
  const std::uint64_t batches = (iterations + batch_capacity - 1) / batch_capacity;
  const std::uint64_t others = test.threads - 1;

  batch b{batch_capacity};
  b.sharing_cpus = oversubscribed;
  b.slot_ticks = static_cast<std::uint64_t>(slot_ns * ticks_per_ns());
  const auto lead_ticks = static_cast<std::uint64_t>(lead_ns * ticks_per_ns());
  start_line line;
  tally counts{};

  auto coordinator = [&] {
    // Wait until every other thread has started, so the first batch is not run alone.
    spin_until([&] { return line.finished.load(std::memory_order_acquire) == others; },
               oversubscribed);
    for (std::uint64_t g = 1; g <= batches; ++g) {
      b.size = static_cast<std::size_t>(
          std::min<std::uint64_t>(batch_capacity, iterations - (g - 1) * batch_capacity));
      for (std::size_t l = 0; l < test.locations; ++l) {
        for (std::size_t i = 0; i < b.size; ++i) {
          b.location[l][i].value.store(0, std::memory_order_relaxed);
        }
      }
      b.start_tick = now_ticks() + lead_ticks;
      line.generation.store(g, std::memory_order_release);  // go
      bodies[0](b);
      spin_until([&] { return line.finished.load(std::memory_order_acquire) == (g + 1) * others; },
                 oversubscribed);
      for (std::size_t i = 0; i < b.size; ++i) {
        std::size_t code = 0;
        for (std::size_t k = 0; k < test.observed; ++k) {
          code = code * 4 + static_cast<std::size_t>(observe(b, test.observe[k], i));
        }
        ++counts[code];
      }
    }
  };
  auto other_thread = [&](std::size_t t) {
    line.finished.fetch_add(1, std::memory_order_release);  // started
    for (std::uint64_t g = 1; g <= batches; ++g) {
      spin_until([&] { return line.generation.load(std::memory_order_acquire) == g; },
                 oversubscribed);
      bodies[t](b);
      line.finished.fetch_add(1, std::memory_order_release);  // batch g done
    }
  };

  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < test.threads; ++t) {
      threads.emplace_back([&, t] {
        if (pinned) pin_current_thread_to(cpus[t]);
        if (t == 0) {
          coordinator();
        } else {
          other_thread(t);
        }
      });
    }
  }  // joined here
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  run_result result;
  result.iterations = iterations;
  result.seconds = elapsed.count();
  result.pinned = pinned;
  for (std::size_t code = 0; code < outcome_slots; ++code) {
    if (counts[code] == 0) continue;
    outcome out{};
    std::size_t rest = code;
    for (std::size_t k = test.observed; k-- > 0;) {
      out[k] = static_cast<int>(rest % 4);
      rest /= 4;
    }
    result.counts[out] = counts[code];
  }
  return result;
}

}  // namespace litmus
