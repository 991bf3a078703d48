// The real-thread stress shared by the lock tests of chapters 4 and 9: many
// threads enter a critical section over and over, and a probe counts who is
// inside. One body for every lock, however it is taken (lock()/unlock(), a
// std::lock_guard, try_lock, a guard object), so that each test says only
// how its lock is entered and what it checks afterwards.
//
// Two threads inside at once show up twice: the probe's counter sees a
// second thread arrive (`overlapped`), and the update of the caller's plain
// data, made inside the section, loses an increment. Under ThreadSanitizer
// the same overlap, or a hand-over without release/acquire, is a data race
// on that data. The model-checked versions of these situations, which do not
// depend on timing, are in lock_model_scenarios.hpp.
#pragma once

#include <wb/testing.hpp>

#include <atomic>
#include <string>
#include <utility>

namespace lock_stress {

/// What the threads saw: whether two were ever inside together, and how many
/// times in all one of them got in.
struct outcome {
  bool overlapped = false;
  long entered = 0;
};

/// Runs `threads` threads, each making `attempts` attempts through
/// `enter(section)`. `enter` takes the lock its own way, calls
/// `section(update)` while it holds it — `update` being the caller's change
/// to the data the lock protects — and returns whether it got in (a failed
/// try_lock returns false without calling `section`).
template <class Enter>
outcome hammer(unsigned threads, long attempts, std::string what, Enter enter) {
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<long> entered{0};
  // The probe's own counters are relaxed: they are not what orders the
  // sections (the lock is), only a count of who is between enter and leave.
  const auto section = [&](auto&& update) {
    if (inside.fetch_add(1, std::memory_order_relaxed) != 0) overlapped.store(true);
    std::forward<decltype(update)>(update)();
    inside.fetch_sub(1, std::memory_order_relaxed);
  };
  wb::test::run_concurrently(
      threads,
      [&](unsigned) {
        for (long i = 0; i < attempts; ++i) {
          if (enter(section)) entered.fetch_add(1, std::memory_order_relaxed);
        }
      },
      wb::test::default_deadline, std::move(what));
  return {overlapped.load(), entered.load()};
}

}  // namespace lock_stress
