// Tests for exercise 7.1, cache_padded (exercises/07-processor/cache_padded.hpp).
//
// Layout is checked on real addresses: objects are placed in the ways a
// program places them (a struct that starts on a line with a char before
// them, a built-in array, std::vector, new[]) and the 64-byte lines each
// object covers are computed from its address and size. Neighbours must
// cover disjoint lines. A type that is padded but not aligned starts in the
// middle of a line and shares it with its neighbour; one aligned to less
// than a line (to its own size, to max_align_t) packs several per line.
#include <catch2/catch.hpp>

#include "cache_padded.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

constexpr std::size_t line = 64;  // the hardware's line on x86-64 and most AArch64 cores

struct alignas(128) over_aligned {
  char bytes[200];
};

struct line_range {
  std::uintptr_t first, last;  // the first and last 64-byte line an object touches
};

template <class T>
line_range lines_of(const T& object) {
  const auto begin = reinterpret_cast<std::uintptr_t>(&object);
  return {begin / line, (begin + sizeof(T) - 1) / line};
}

// True when each object covers lines that none of the others covers.
template <class It>
bool disjoint_lines(It first, It last) {
  for (It a = first; a != last; ++a) {
    for (It b = a + 1; b != last; ++b) {
      const line_range ra = lines_of(*a), rb = lines_of(*b);
      if (!(ra.last < rb.first || rb.last < ra.first)) return false;
    }
  }
  return true;
}

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

}  // namespace

TEST_CASE("cache_padded: holds and forwards its value", "[ch07][cache_padded]") {
  cache_padded<int> zero;
  CHECK(*zero == 0);
  CHECK(zero.get() == 0);
  cache_padded<std::string> text(std::in_place, std::size_t{3}, 'x');
  CHECK(*text == "xxx");
  CHECK(text->size() == 3);
  text->append("y");
  const cache_padded<std::string>& view = text;
  CHECK(view.get() == "xxxy");
  CHECK(view->size() == 4);
  cache_padded<std::atomic<long>> counter(std::in_place, 5L);
  counter->fetch_add(2, std::memory_order_relaxed);
  CHECK(counter->load() == 7);
}

TEST_CASE("cache_padded: cache_line_size is a line or more", "[ch07][cache_padded]") {
  cache_padded<int> probe;
  CHECK(*probe == 0);
  CHECK(cache_line_size >= line);
  CHECK((cache_line_size & (cache_line_size - 1)) == 0);  // a power of two
#if defined(__cpp_lib_hardware_interference_size)
  CHECK(cache_line_size >= std::hardware_destructive_interference_size);
#endif
}

TEST_CASE("cache_padded: aligned to a line and padded to whole lines", "[ch07][cache_padded]") {
  cache_padded<char> one;
  cache_padded<over_aligned> big;
  CHECK(*one == 0);
  CHECK(big->bytes[0] == 0);
  CHECK(alignof(cache_padded<char>) == cache_line_size);
  CHECK(alignof(cache_padded<long>) == cache_line_size);
  CHECK(sizeof(cache_padded<char>) == cache_line_size);
  CHECK(sizeof(cache_padded<long>) == cache_line_size);
  CHECK(sizeof(cache_padded<char[64]>) == round_up(64, cache_line_size));  // no extra line
  CHECK(sizeof(cache_padded<char[65]>) == round_up(65, cache_line_size));  // two lines
  CHECK(sizeof(cache_padded<char[300]>) == round_up(300, cache_line_size));
  CHECK(alignof(cache_padded<over_aligned>) == (cache_line_size > 128 ? cache_line_size : 128));
  CHECK(sizeof(cache_padded<over_aligned>) ==
        round_up(sizeof(over_aligned), alignof(cache_padded<over_aligned>)));
  CHECK(reinterpret_cast<std::uintptr_t>(&one) % cache_line_size == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(&big) % 128 == 0);
}

TEST_CASE("cache_padded: no two objects share a line in a struct or an array",
          "[ch07][cache_padded]") {
  // A struct that starts on a line, with a char before the padded members:
  // a type that is padded but not aligned starts one byte later and
  // straddles two lines, sharing each with a neighbour.
  struct alignas(64) holder {
    char before;
    cache_padded<int> counters[4];
    char after;
  };
  holder h{};
  CHECK(h.before == 0);
  CHECK(disjoint_lines(std::begin(h.counters), std::end(h.counters)));
  CHECK(lines_of(h.counters[0]).first > reinterpret_cast<std::uintptr_t>(&h.before) / line);
  CHECK(lines_of(h.counters[3]).last < reinterpret_cast<std::uintptr_t>(&h.after) / line);

  cache_padded<long> local[3];
  CHECK(disjoint_lines(std::begin(local), std::end(local)));

  std::vector<cache_padded<std::atomic<long>>> vec(6);
  CHECK(disjoint_lines(vec.begin(), vec.end()));
  for (const auto& c : vec) CHECK(reinterpret_cast<std::uintptr_t>(&c) % cache_line_size == 0);

  const auto heap = std::make_unique<cache_padded<short>[]>(5);
  CHECK(disjoint_lines(heap.get(), heap.get() + 5));

  std::vector<cache_padded<char[65]>> wide(3);
  CHECK(disjoint_lines(wide.begin(), wide.end()));
}
