// Chapter 1, demo 01-11: Exceptions across threads
// An exception cannot leave a thread's function (std::terminate), but it can be carried to
// another thread as a std::exception_ptr and thrown again there. std::async and std::future
// do that for you; std::promise lets you do it by hand.
// Run: ./workbook demo 01-11-exceptions-across-threads
//      (binary: build/dev/chapters/01-threads/demo.01-11-exceptions-across-threads)
#include <fmt/core.h>

#include <exception>
#include <future>
#include <stdexcept>
#include <thread>

int parse_positive(int x) {
  if (x <= 0) throw std::invalid_argument(fmt::format("{} is not positive", x));
  return x;
}

int main() {
  // [by-hand]
  std::exception_ptr failure;  // written by the worker, read after the join
  std::jthread worker([&failure] {
    try {
      parse_positive(-1);
    } catch (...) {
      failure = std::current_exception();  // catch everything: nothing may escape the thread
    }
  });
  worker.join();  // the join orders the worker's write of `failure` before our read
  try {
    if (failure) std::rethrow_exception(failure);
  } catch (const std::invalid_argument& e) {
    fmt::print("by hand: the worker failed: {}\n", e.what());
  }
  // [by-hand]

  // [future]
  std::future<int> result = std::async(std::launch::async, parse_positive, -2);
  try {
    fmt::print("{}\n", result.get());  // get() rethrows what the task threw
  } catch (const std::invalid_argument& e) {
    fmt::print("std::async: the task failed: {}\n", e.what());
  }
  // [future]
}
