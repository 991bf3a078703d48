// Chapter 3, demo 03-02: Happens-before from starting and joining threads
// The main thread fills a plain vector, starts four threads that read it, and reads their
// plain results after joining them. No atomics, no locks, and no data race: the thread
// constructor and join() create all the happens-before edges the program needs.
// Run: ./workbook demo 03-02-spawn-and-join
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-02-spawn-and-join)
#include <fmt/core.h>

#include <cstddef>
#include <numeric>
#include <thread>
#include <vector>

int main() {
  // [spawn-and-join]
  std::vector<long> input(40'000);
  std::iota(input.begin(), input.end(), 1);  // written before the threads exist...

  constexpr std::size_t workers = 4;
  std::vector<long> partial(workers, 0);  // one slot per thread: no two threads share a slot
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    // ...and the constructor's completion synchronizes with the start of the new thread,
    // so everything above happens before everything the lambda does.
    threads.emplace_back([&input, &partial, w] {
      std::size_t chunk = input.size() / workers;
      for (std::size_t i = w * chunk; i < (w + 1) * chunk; ++i) partial[w] += input[i];
    });
  }
  for (auto& t : threads) t.join();  // the thread's completion synchronizes with join()'s return
  long total = std::accumulate(partial.begin(), partial.end(), 0L);  // so these reads see it all
  // [spawn-and-join]

  long expected = 40'000L * 40'001L / 2;
  fmt::print("partial sums: {} {} {} {}\n", partial[0], partial[1], partial[2], partial[3]);
  fmt::print("total = {} (expected {}): ordered by spawn and join alone\n", total, expected);
  return total == expected ? 0 : 1;
}
