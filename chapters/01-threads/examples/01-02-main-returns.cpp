// Chapter 1, demo 01-02: When main returns
// Shows the two ways to dispose of a std::thread, join and detach, and explains why a thread
// that is still joinable when destroyed ends the program. The demo itself never terminates.
// Run: ./workbook demo 01-02-main-returns
//      (binary: build/dev/chapters/01-threads/demo.01-02-main-returns)
#include <fmt/core.h>

#include <future>
#include <thread>

int main() {
  // [join-or-detach]
  std::thread joined{[] { fmt::print("joined: main waits for me\n"); }};
  joined.join();

  std::promise<void> finished;
  std::future<void> finished_signal = finished.get_future();
  std::thread detached{[finished = std::move(finished)]() mutable {
    fmt::print("detached: nobody can join me\n");
    // Becomes ready only after this thread's thread_local objects are destroyed, so the
    // waiter knows the thread touches nothing of ours any more.
    finished.set_value_at_thread_exit();
  }};
  detached.detach();       // `detached` now owns no thread; the thread runs on by itself
  finished_signal.wait();  // without this, main could return first (see below)
  // [join-or-detach]
  // Returning from main calls std::exit: static objects are destroyed and then the whole
  // process ends, taking every other thread with it mid-instruction. A detached thread still
  // running at that moment gets no stack unwinding; if it touches a static object that has
  // just been destroyed (a global logger), or even uses std::cout, the behaviour is undefined.

  // [destructor-rule]
  std::thread worker{[] {}};
  fmt::print("before join: joinable() = {}\n", worker.joinable());
  worker.join();
  fmt::print("after join:  joinable() = {}\n", worker.joinable());
  // Had we skipped the join, ~thread() would see a joinable thread and call std::terminate(),
  // aborting the program even if the worker had finished long ago. The standard refuses to
  // guess: an implicit join could hang, an implicit detach could leave the thread using
  // locals that are about to die. An exception thrown between construction and join()
  // reaches the destructor the same way, which is why std::jthread (demo 01-03) exists.
  // [destructor-rule]
}
