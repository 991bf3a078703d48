// Tests for exercise 1.2, parallel_sum (exercises/01-threads/parallel_sum.hpp).
//
// Sums are checked against std::accumulate for sizes that do and do not
// divide evenly by the thread count (a dropped remainder shows up there). A
// shared accumulator is caught by lost updates on large inputs and, every
// time, by ThreadSanitizer. An instrumented number type records which thread
// performs each addition, which proves the work really is spread over
// thread_count worker threads.
#include <catch2/catch.hpp>

#include "parallel_sum.hpp"

#include <wb/testing.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace {

std::vector<long long> make_values(std::size_t n) {
  std::vector<long long> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<long long>(i % 1000) * (i % 3 == 0 ? -7 : 13);
  return v;
}

long long expected_sum(const std::vector<long long>& v) {
  return std::accumulate(v.begin(), v.end(), 0LL);
}

// A number that counts, per thread, the additions performed with it.
class additions_log {
 public:
  void record() {
    std::lock_guard lock(mutex_);
    ++count_[std::this_thread::get_id()];
  }
  std::map<std::thread::id, long> snapshot() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    count_.clear();
  }

 private:
  std::mutex mutex_;
  std::map<std::thread::id, long> count_;
};
additions_log additions;

struct counted {
  long long value = 0;
  counted& operator+=(const counted& other) {
    additions.record();
    value += other.value;
    return *this;
  }
  // For solutions that use std::accumulate (which adds with +).
  [[maybe_unused]] friend counted operator+(counted a, const counted& b) { return a += b; }
};

}  // namespace

TEST_CASE("parallel_sum: matches a sequential sum for every size and thread count",
          "[ch01][parallel_sum]") {
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 100u, 1001u, 10007u}) {
    const auto values = make_values(n);
    for (unsigned threads : {1u, 2u, 3u, 4u, 8u}) {
      INFO(n << " values, " << threads << " threads");
      CHECK(parallel_sum<long long>(values, threads) == expected_sum(values));
    }
  }
}

TEST_CASE("parallel_sum: zero threads is rejected", "[ch01][parallel_sum]") {
  const auto values = make_values(10);
  CHECK_THROWS_AS(parallel_sum<long long>(values, 0), std::invalid_argument);
}

TEST_CASE("parallel_sum: more threads than values", "[ch01][parallel_sum]") {
  const auto values = make_values(3);
  CHECK(parallel_sum<long long>(values, 16) == expected_sum(values));
}

TEST_CASE("parallel_sum: the additions happen on thread_count worker threads",
          "[ch01][parallel_sum]") {
  constexpr std::size_t n = 4000;
  constexpr unsigned threads = 4;
  std::vector<counted> values(n, counted{1});
  additions.clear();
  const counted total = parallel_sum<counted>(values, threads);
  CHECK(total.value == static_cast<long long>(n));

  auto per_thread = additions.snapshot();
  const auto caller = per_thread.find(std::this_thread::get_id());
  const long on_caller = caller == per_thread.end() ? 0 : caller->second;
  if (caller != per_thread.end()) per_thread.erase(caller);
  CHECK(on_caller <= static_cast<long>(threads) + 1);  // combining the partial sums only
  CHECK(per_thread.size() == threads);                 // one worker per chunk
  for (const auto& [id, count] : per_thread) {
    CHECK(count >= static_cast<long>(n / threads) - 1);  // each did a whole chunk
  }
}

TEST_CASE("parallel_sum: many threads over a large input, repeated", "[ch01][parallel_sum]") {
  const auto values = make_values(1 << 18);
  const long long expected = expected_sum(values);
  wb::test::repeat(10, [&](unsigned round) {
    const unsigned threads = 2 + round % 7;
    INFO("round " << round << ", " << threads << " threads");
    CHECK(parallel_sum<long long>(values, threads) == expected);
  });
}

// The balance clause: chunks are contiguous, cover every element once, and
// differ in size by at most one. A split that gives the whole remainder to
// the last thread (or rounds the chunk size up) still meets the total, and
// for sizes that divide evenly it is the right split; here every element
// carries its index, each worker records the indices it added, and the
// chunks are measured for sizes that do not divide evenly.
namespace {

class chunk_log {
 public:
  void record(long index) {
    if (index < 0) return;  // a partial sum or T{}, not an element
    std::lock_guard lock(mutex_);
    indices_[std::this_thread::get_id()].push_back(index);
  }
  std::map<std::thread::id, std::vector<long>> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(indices_, {});
  }

 private:
  std::mutex mutex_;
  std::map<std::thread::id, std::vector<long>> indices_;
};
chunk_log chunks;

struct indexed {
  long long value = 0;
  long index = -1;  // the element's position in the input; -1 for sums
  indexed& operator+=(const indexed& other) {
    chunks.record(index);
    chunks.record(other.index);
    value += other.value;
    return *this;
  }
  [[maybe_unused]] friend indexed operator+(indexed a, const indexed& b) { return a += b; }
};

}  // namespace

TEST_CASE("parallel_sum: chunks are contiguous and differ in size by at most one",
          "[ch01][parallel_sum]") {
  for (const auto& [n, threads] : std::vector<std::pair<long, unsigned>>{
           {10, 4}, {7, 3}, {4003, 4}, {1001, 8}, {5, 8}, {9, 2}}) {
    INFO(n << " values, " << threads << " threads");
    std::vector<indexed> values;
    for (long i = 0; i < n; ++i) values.push_back(indexed{1, i});
    (void)chunks.take();
    CHECK(parallel_sum<indexed>(values, threads).value == n);
    auto per_thread = chunks.take();
    per_thread.erase(std::this_thread::get_id());  // the caller only combines
    std::vector<long> sizes;
    std::vector<int> covered(static_cast<std::size_t>(n), 0);
    bool contiguous = true;
    for (auto& [id, indices] : per_thread) {
      std::sort(indices.begin(), indices.end());
      indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
      if (indices.back() - indices.front() + 1 != static_cast<long>(indices.size()))
        contiguous = false;
      for (long i : indices) ++covered[static_cast<std::size_t>(i)];
      sizes.push_back(static_cast<long>(indices.size()));
    }
    CHECK(contiguous);
    CHECK(std::count(covered.begin(), covered.end(), 1) == n);  // every element once, on a worker
    CHECK(sizes.size() == std::min<std::size_t>(threads, static_cast<std::size_t>(n)));
    if (!sizes.empty()) {
      const auto [smallest, largest] = std::minmax_element(sizes.begin(), sizes.end());
      INFO("chunk sizes from " << *smallest << " to " << *largest);
      CHECK(*largest - *smallest <= 1);
    }
  }
}
