// wb::test::progress — how a test says it moved forward, so that its
// deadlines bound the time without progress rather than the time the work
// takes (see wb/testing.hpp). Its own header because the non-model
// wb::model::check marks progress after each repetition, and wb/model.hpp
// must stay small.
#pragma once

#include <atomic>
#include <cstdint>

namespace wb::test {

namespace detail {
// How many times the running test moved forward. Relaxed: only its changing
// matters, it orders nothing.
inline std::atomic<std::uint64_t> progress_count{0};
}  // namespace detail

/// Marks that the test moved forward: a deadline waiting on it restarts.
/// Call it where a wrong solution that is stuck can never arrive (after a
/// whole operation returned, e.g. every 100 iterations of a loop of calls),
/// never inside a retry loop that a livelock would keep running.
inline void progress() noexcept { detail::progress_count.fetch_add(1, std::memory_order_relaxed); }

/// The current progress count, to compare with a later one.
inline std::uint64_t progress_mark() noexcept {
  return detail::progress_count.load(std::memory_order_relaxed);
}

}  // namespace wb::test
