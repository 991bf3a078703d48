// Chapter 1, demo 01-01: Hello, threads
// Starts four threads, joins them, and prints thread ids and the hardware concurrency hint.
// Run: ./workbook demo 01-01-hello-threads
//      (binary: build/dev/chapters/01-threads/demo.01-01-hello-threads)
#include <fmt/core.h>
#include <fmt/std.h>  // lets fmt print a std::thread::id

#include <thread>
#include <vector>

int main() {
  // A hint, not a promise: 0 means "unknown", and CPU affinity or container limits may give
  // this process fewer cores than the machine has.
  const unsigned hint = std::thread::hardware_concurrency();
  fmt::print("hardware_concurrency() = {}\n", hint);
  fmt::print("main runs on thread {}\n", std::this_thread::get_id());

  // [spawn-and-join]
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    // The new thread may start running before emplace_back even returns; `i` is copied into
    // the lambda so each worker keeps its own number.
    workers.emplace_back(
        [i] { fmt::print("worker {} runs on thread {}\n", i, std::this_thread::get_id()); });
  }
  for (std::thread& worker : workers) {
    worker.join();  // blocks until that worker has returned from its lambda
  }
  // [spawn-and-join]

  // [joinable]
  // After join() a std::thread no longer represents a thread of execution: its id is the
  // default "no thread" id, and destroying it is safe.
  fmt::print("after join: joinable() = {}, id is empty: {}\n", workers[0].joinable(),
             workers[0].get_id() == std::thread::id{});
  // [joinable]
  fmt::print("all {} workers joined\n", workers.size());
}
