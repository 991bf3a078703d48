// Exercise 7.1 — cache_padded: one value per cache line.
//
// A core reads and writes memory in cache lines, 64-byte blocks on every
// x86-64 and most AArch64 cores. Two variables that share a line are one
// variable as far as coherence goes: when one core writes its counter, the
// whole line is taken from every other core, including the neighbour that
// only ever touches the *other* counter. That is false sharing (demo
// 07-02), and the cure is layout: give each hot variable a line of its own.
//
//     cache_padded<wb::atomic<long>> counters[4];   // four lines, not one
//     counters[1]->fetch_add(1, wb::memory_order_relaxed);
//
// Contract
//   * cache_line_size: the size of the lines to keep apart, a power of two,
//     at least 64 and at least std::hardware_destructive_interference_size
//     where the standard library defines it (g++ 12 does; clang 14 with
//     libstdc++ does not, so fall back to 64 there). g++ warns
//     (-Winterference-size) at every use of that constant in a header:
//     decide what to do about it, and say why in a comment.
//   * cache_padded<T> holds one T, value-initialised by the default
//     constructor, or constructed from args by
//     cache_padded(std::in_place, args...). get(), * and -> give access.
//   * Layout, which the tests check: alignof(cache_padded<T>) is the larger
//     of cache_line_size and alignof(T); sizeof(cache_padded<T>) is sizeof(T)
//     rounded up to a multiple of that alignment, and no larger. So two
//     cache_padded objects never share a line, whether they are separate
//     variables, members of one struct, or elements of one array (in
//     std::vector too).
//
// Memory ordering: none. This is layout only; the T inside decides.
//
// Run the tests: ./workbook check cache_padded      Hints: ./workbook hint cache_padded
#pragma once

#include <wb/not_implemented.hpp>

#include <cstddef>
#include <new>
#include <utility>

// TODO(exercise): std::hardware_destructive_interference_size where
// __cpp_lib_hardware_interference_size says it exists, otherwise 64.
inline constexpr std::size_t cache_line_size = 1;

/// A T alone on its cache line(s): aligned to cache_line_size and padded to
/// a multiple of it, so that no other object shares a line with it.
// TODO(exercise): the class needs an alignment. Which one, and does it also
// take care of the padding?
template <class T>
class cache_padded {
 public:
  cache_padded() { WB_NOT_IMPLEMENTED("cache_padded(): value-initialise the T"); }

  template <class... Args>
  explicit cache_padded(std::in_place_t, Args&&... args) {
    // TODO(exercise): construct the T from args (in the member initialiser list).
    (static_cast<void>(args), ...);
    WB_NOT_IMPLEMENTED("cache_padded(std::in_place, args...): construct the T from args");
  }

  T& get() noexcept { return value_; }
  const T& get() const noexcept { return value_; }
  T& operator*() noexcept { return value_; }
  const T& operator*() const noexcept { return value_; }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

 private:
  T value_;
};
