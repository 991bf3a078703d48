// Chapter 1, demo 01-04: Passing arguments to a thread
// std::thread copies its arguments; std::ref passes a reference on purpose; a lambda that
// captures a local by reference can outlive it, so the safe version moves the data in.
// Run: ./workbook demo 01-04-passing-arguments
//      (binary: build/dev/chapters/01-threads/demo.01-04-passing-arguments)
#include <fmt/core.h>

#include <functional>
#include <string>
#include <thread>
#include <utility>

void add_one(int& target) { ++target; }

int main() {
  // [by-value-vs-ref]
  int counter = 0;
  // std::thread{add_one, counter} does not compile: the thread stores a copy of `counter`
  // and passes that copy as an rvalue, which cannot bind to int&. std::ref opts in.
  std::thread by_ref{add_one, std::ref(counter)};
  by_ref.join();  // the join orders the thread's write before our read: no race
  fmt::print("after std::ref: counter = {}\n", counter);

  std::string name = "alpha";
  std::thread by_value{[](std::string copy) { copy += "-changed"; }, name};
  by_value.join();
  fmt::print("the thread changed its copy; ours is still \"{}\"\n", name);
  // [by-value-vs-ref]

  // [dangling-reference]
  // The pitfall, described rather than run:
  //
  //   std::thread start_logger() {
  //     std::string prefix = "log";
  //     return std::thread{[&prefix] { fmt::print("{}\n", prefix); }};
  //   }  // prefix is destroyed here while the new thread may still read it: use after free
  //
  // The fix gives the thread its own copy, so nothing it uses lives on our stack:
  auto start_logger = [] {
    std::string prefix = "log";
    return std::thread{[prefix = std::move(prefix)] { fmt::print("{}: safe\n", prefix); }};
  };
  // [dangling-reference]
  std::thread logger = start_logger();
  logger.join();
}
