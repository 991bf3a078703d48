// Moving values from one thread to another: our SPSC ring against Boost's lock-free spsc_queue
// and a mutex + deque channel, in the workbook's harness (tools/bench/include/wb/bench.hpp).
// `./workbook bench spsc` (the bench tree, -O2; needs libboost-dev).
//
// A team of two threads: thread 0 pushes 0, 1, 2, ... and thread 1 pops them (and checks they
// arrive in order). An operation is one push or one pop, so time per operation is half the time
// per value moved; the ratio between queues is the ratio of their throughputs. What is timed is
// the hand-off and nothing else: each queue is built once, before the first round, and the two
// threads are started once and released together for every round (an earlier version built the
// queue, its heap buffer and a fresh producer thread in every timed iteration). The harness pins
// the two threads to a CPU each when the machine has two: unpinned, they shared one CPU in some
// repetitions (taking turns, no cache line moving between cores, and no difference between the
// queues) and not in others, and the ratio measured which mode each repetition landed in.
//
// Equal capacity: every queue holds at most 1024 values, and the program checks it before
// anything is timed (holds() fills each queue until a push fails). Our ring uses all of its 1024
// slots (head and tail are free-running counters); boost::lockfree::spsc_queue keeps one slot
// empty to tell full from empty, and Boost (1.74, Debian 12) adds that slot itself: capacity<1024>
// allocates 1025 and holds 1024. (A ring of 1024 slots compared with a queue holding 1023 would
// be a different comparison; the check would say so.)
#include <boost/lockfree/spsc_queue.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <wb/bench.hpp>
#include <wb/sync.hpp>

#include "spsc_ring.hpp"

namespace {

constexpr std::size_t capacity = 1024;  // values each queue can hold

// The three queues behind one interface: try_push / try_pop.
struct ring_queue {
  spsc_ring<std::uint64_t> ring{capacity};
  bool try_push(std::uint64_t v) { return ring.try_push(v); }
  std::optional<std::uint64_t> try_pop() { return ring.try_pop(); }
};

struct boost_queue {
  boost::lockfree::spsc_queue<std::uint64_t, boost::lockfree::capacity<capacity>> queue;
  bool try_push(std::uint64_t v) { return queue.push(v); }
  std::optional<std::uint64_t> try_pop() {
    std::uint64_t v;
    if (queue.pop(v)) return v;
    return std::nullopt;
  }
};

struct mutex_deque_queue {
  std::mutex mutex;
  std::deque<std::uint64_t> values;  // guarded by mutex
  bool try_push(std::uint64_t v) {
    std::lock_guard lock(mutex);
    if (values.size() == capacity) return false;
    values.push_back(v);
    return true;
  }
  std::optional<std::uint64_t> try_pop() {
    std::lock_guard lock(mutex);
    if (values.empty()) return std::nullopt;
    const std::uint64_t v = values.front();
    values.pop_front();
    return v;
  }
};

// A full (or empty) queue waits for the other side: spin briefly, then yield the CPU. Spinning
// alone measures the scheduler once the machine has more runnable threads than CPUs: a side whose
// partner is not running spins out its whole time slice, and one repetition may see that a few
// times and the next not at all. The same waiting for every queue.
void wait_for_partner(unsigned tries) {
  if (tries < 64) {
    wb::spin_loop_hint();
  } else {
    std::this_thread::yield();
  }
}

template <class Queue>
void transfer(benchmark::State& state) {
  const auto owner = std::make_unique<Queue>();
  Queue* const queue = owner.get();  // copied into the lambda: no shared stack line to read
  // Each touched by one thread only, on a cache line of its own: the bookkeeping must not
  // share a line with anything the other thread touches.
  wb::bench::padded_count next_push, next_pop;
  struct alignas(64) {
    bool value = true;
  } in_order;  // written by the consumer only
  auto op = [queue, &next_push, &next_pop, &in_order](int t, const std::atomic<bool>& stop) {
    if (t == 0) {
      for (unsigned tries = 0; !queue->try_push(next_push.value); ++tries) {
        if (stop.load(std::memory_order_relaxed)) return;  // the consumer may have stopped
        wait_for_partner(tries);
      }
      ++next_push.value;
    } else {
      std::optional<std::uint64_t> v;
      for (unsigned tries = 0; !(v = queue->try_pop()); ++tries) {
        if (stop.load(std::memory_order_relaxed)) return;
        wait_for_partner(tries);
      }
      in_order.value = in_order.value && *v == next_pop.value;
      ++next_pop.value;
    }
  };
  wb::bench::run_team(state, 2, op);
  if (!in_order.value) state.SkipWithError("values were lost, duplicated or reordered");
}

// How many values a fresh queue takes before a push fails.
template <class Queue>
std::size_t holds() {
  auto queue = std::make_unique<Queue>();
  std::size_t n = 0;
  while (n <= 2 * capacity && queue->try_push(n)) ++n;
  return n;
}

const bool registered = [] {
  for (const auto& [name, n] : {std::pair{"spsc_ring", holds<ring_queue>()},
                                std::pair{"boost::spsc_queue", holds<boost_queue>()},
                                std::pair{"mutex+deque", holds<mutex_deque_queue>()}}) {
    if (n != capacity) {
      std::fprintf(stderr, "spsc: %s holds %zu values, not %zu: the comparison would be unequal\n",
                   name, n, capacity);
      std::exit(1);
    }
  }
  wb::bench::baseline("transfer", "boost::spsc_queue");
  for (auto* b :
       {benchmark::RegisterBenchmark("transfer/spsc_ring", transfer<ring_queue>),
        benchmark::RegisterBenchmark("transfer/boost::spsc_queue", transfer<boost_queue>),
        benchmark::RegisterBenchmark("transfer/mutex+deque", transfer<mutex_deque_queue>)}) {
    b->UseManualTime()->Iterations(15);
  }
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
