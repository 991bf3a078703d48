// Chapter 3, litmus lab: the pieces shared by the test table, the runner, the report and the
// SVG chart.
//
// A litmus test is a few threads, each a couple of loads and stores on shared locations x and y,
// and one *weak* outcome: a result that no interleaving of the threads' statements can produce,
// so seeing it proves that the hardware (or the compiler) reordered something. The C++ memory
// model says for each ordering whether that outcome is allowed; the lab runs each variant
// hundreds of thousands of times and counts what this machine actually does.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace litmus {

// The three variants of every test. `acq_rel` means release stores and acquire loads (a test with
// only stores, 2+2W, gets release stores alone).
enum class ordering { relaxed, acq_rel, seq_cst };
inline constexpr std::array all_orderings{ordering::relaxed, ordering::acq_rel, ordering::seq_cst};

constexpr std::memory_order store_order(ordering o) {
  switch (o) {
    case ordering::relaxed:
      return std::memory_order_relaxed;
    case ordering::acq_rel:
      return std::memory_order_release;
    case ordering::seq_cst:
      return std::memory_order_seq_cst;
  }
  return std::memory_order_seq_cst;
}

constexpr std::memory_order load_order(ordering o) {
  switch (o) {
    case ordering::relaxed:
      return std::memory_order_relaxed;
    case ordering::acq_rel:
      return std::memory_order_acquire;
    case ordering::seq_cst:
      return std::memory_order_seq_cst;
  }
  return std::memory_order_seq_cst;
}

std::string_view ordering_name(ordering o);  // "relaxed", "acq/rel", "seq_cst"

inline constexpr std::size_t max_threads = 4;    // IRIW
inline constexpr std::size_t max_locations = 2;  // x and y
inline constexpr std::size_t max_observed = 4;   // IRIW's r0..r3

// Every shared location of every iteration sits alone in its own cache line (the choice: not x[i]
// and y[i] in one line). Two locations in one line travel between cores together, and whichever
// core owns the line sees both in one state, which tends to hide exactly the reorderings where x
// and y propagate independently (MP, IRIW, 2+2W on weak machines). Separate lines also mean
// consecutive iterations never share a line, so one iteration's traffic cannot disturb the next.
// 64 bytes is the line size of x86-64 and most AArch64 cores; Apple's M-series uses 128, where
// pairs of our cells share a line: the lab still works, with slightly less independence.
inline constexpr std::size_t cache_line = 64;
struct alignas(cache_line) cell {
  std::atomic<int> value{0};
};

// A clock every core reads alike: the invariant TSC on x86 (one count shared by all cores, read
// without touching memory; ~60 ns in the reference VM, less on bare metal), the steady clock in
// nanoseconds elsewhere. If a machine's cores disagree on the TSC, the threads start a constant
// offset apart; the lab still runs, it just sees fewer overlaps.
inline std::uint64_t now_ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// The memory for one batch of iterations: iteration i uses x[i] and y[i], never touched by any
// other iteration, so every iteration starts from fresh zeros; the coordinator writes the zeros
// back once per batch, while the other threads wait.
// Registers are plain ints: register k is written only by the thread that loads it and read by
// the coordinator after the batch's end barrier (which orders the two), so there is no data race.
struct batch {
  explicit batch(std::size_t capacity);
  std::size_t size = 0;  // iterations in the current batch (<= capacity)

  // The metronome (see batch_runner.cpp): every thread starts iteration i at the same instant,
  // start_tick + i * slot_ticks, by the shared clock, so the threads' accesses to x[i] and y[i]
  // really overlap, without any shared memory traffic to line them up.
  std::uint64_t start_tick = 0;
  std::uint64_t slot_ticks = 0;
  bool sharing_cpus = false;  // more threads than CPUs: waiting must let the others run
  void wait_for_turn(std::size_t i) const noexcept {
    const std::uint64_t due = start_tick + i * slot_ticks;
    while (now_ticks() < due) {
      if (sharing_cpus) std::this_thread::yield();
    }
  }

  std::array<std::vector<cell>, max_locations> location;  // [0] is x, [1] is y
  std::array<std::vector<int>, max_observed> reg;         // r0..r3
};

// One thread's part of a test, run for every iteration of a batch in one tight loop.
using thread_body = void (*)(batch&);

// Where one value of an outcome comes from: a register a thread loaded, or the final value of a
// location (2+2W and R ask which store to y came last in y's modification order).
struct source {
  enum kind_t { reg, final_value } kind;
  std::size_t index;
};

using outcome = std::array<int, max_observed>;  // unused trailing values stay 0
using histogram = std::map<outcome, std::uint64_t>;

struct litmus_test {
  std::string_view name;               // what --test takes: SB, MP, LB, IRIW, 2+2W, R
  std::string_view title;              // "store buffering"
  std::string_view program;            // the threads, one line each
  std::string_view weak_meaning;       // what seeing the weak outcome means
  std::string_view x86_note;           // what total store order does to this test
  std::string_view weak_machine_note;  // what AArch64 / POWER may do
  std::size_t threads;
  std::size_t locations;
  std::size_t observed;
  std::array<std::string_view, max_observed> observed_names;
  std::array<source, max_observed> observe;
  outcome weak;
  std::array<bool, 3> weak_allowed;                            // by C++, per ordering
  std::array<std::string_view, 3> variant;                     // the orderings, spelled out
  std::array<std::array<thread_body, max_threads>, 3> bodies;  // [ordering][thread]
};

std::span<const litmus_test> all_tests();

struct run_result {
  histogram counts;
  std::uint64_t iterations = 0;
  double seconds = 0;
  bool pinned = false;  // each thread had a CPU of its own
};

// Runs `iterations` iterations of one variant of a test, in batches, on fresh threads.
run_result run_litmus(const litmus_test& test, ordering o, std::uint64_t iterations);

// The cores this process may run on (its affinity mask), in order.
std::vector<int> usable_cpus();

struct chart_entry {
  const litmus_test* test;
  std::array<run_result, 3> results;  // per ordering
};

// Writes a self-contained SVG bar chart; returns false (with errno set) if the file cannot be
// written.
bool write_svg(const std::string& path, std::span<const chart_entry> entries,
               std::string_view subtitle);

std::string format_outcome(const litmus_test& test, const outcome& o);  // "r0=0 r1=1"
std::string format_tuple(const litmus_test& test, const outcome& o);    // "0,1"

}  // namespace litmus
