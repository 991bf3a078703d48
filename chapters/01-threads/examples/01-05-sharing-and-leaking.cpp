// Chapter 1, demo 01-05: Sharing data that outlives the threads
// Three ways to give threads data that stays alive as long as they need it: a static,
// a deliberate leak, and a std::shared_ptr whose last owner frees it.
// Run: ./workbook demo 01-05-sharing-and-leaking
//      (binary: build/dev/chapters/01-threads/demo.01-05-sharing-and-leaking)
#include <fmt/core.h>

#include <array>
#include <memory>
#include <string>
#include <thread>

// [static-and-leak]
// Lives for the whole program and never changes, so any thread may read it without a lock.
constexpr std::array<int, 4> small_primes{2, 3, 5, 7};

// Built at run time and deliberately never deleted: it outlives every thread, even a
// detached one still running while main returns. The pointer lives in static storage, so
// leak checkers still see the block as reachable.
const std::string& greeting() {
  static const std::string* const leaked = new std::string{"hello from the heap"};
  return *leaked;
}
// [static-and-leak]

int main() {
  std::thread reader_a{[] { fmt::print("a: last prime {}\n", small_primes.back()); }};
  std::thread reader_b{[] { fmt::print("b: {}\n", greeting()); }};  // thread-safe first call
  reader_a.join();
  reader_b.join();

  // [shared-ownership]
  // Each thread owns a copy of the shared_ptr; whichever releases the last one frees the
  // string. The reference count is updated atomically, but that protects only the count:
  // the string itself is const here, which is what makes sharing it safe.
  auto message = std::make_shared<const std::string>("shared and immutable");
  std::thread owner_a{[message] { fmt::print("a sees \"{}\"\n", *message); }};
  std::thread owner_b{[message] { fmt::print("b sees \"{}\"\n", *message); }};
  message.reset();  // main gives up its share; the threads keep the string alive
  owner_a.join();
  owner_b.join();
  // [shared-ownership]
}
