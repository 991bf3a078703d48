// Exercise 6.3 — arc_weak: arc with weak references.
// Reference solution. (Contract: see exercises/06-arc/arc_weak.hpp.)
//
// Why it is correct
//   * Two counts in one block. `strong` counts the arcs: the value lives
//     while it is above 0. `weak` counts the weak objects PLUS ONE for all
//     the arcs together: the block lives while it is above 0. The last arc
//     destroys the value and then gives up that shared one weak reference,
//     exactly as a weak object does when it is destroyed; whoever takes
//     `weak` to 0 deletes the block. So the block outlives the value, the
//     value outlives every arc, and each is destroyed exactly once (one
//     fetch_sub reads 1 per count).
//   * upgrade must never turn 0 into 1: at 0 the value is destroyed or being
//     destroyed. It loads `strong` and, in a compare-exchange loop, adds 1
//     only to the value it has just seen to be non-zero. A failed exchange
//     (another upgrade, clone or drop got in first, or a spurious failure)
//     hands back the current value, which is checked again. Once `strong`
//     is 0 it stays 0 (only a successful exchange from a non-zero value
//     increments it), so an upgrade that fails keeps failing.
//   * The race between an upgrade and the last drop is settled by the
//     modification order of `strong`: if the drop's 1 -> 0 comes first the
//     exchange sees 0 and gives up; if the upgrade's n -> n + 1 comes first
//     the drop reads 2, is not the last, and the upgraded arc keeps the
//     value alive.
//   * Overflow: clone, downgrade, weak copies and upgrade refuse to go past
//     max_count and abort with a message instead, as in exercise 6.1.
//
// Memory ordering
//   * Increments (clone, weak copy, downgrade, upgrade's exchange): relaxed.
//     Each is made from a live reference (an arc, or a weak that keeps the
//     block), so the thing it protects cannot disappear meanwhile, and it
//     publishes nothing. upgrade reads the value only if it won a reference
//     to a live value, which was constructed before the first arc existed.
//   * Decrements: release, with an acquire (a load of the same count) by the
//     thread whose decrement reached 0. For `strong`: every arc's use of the
//     value happens-before the destruction of the value (same argument and
//     T1/T2 diagram as exercise 6.1). For `weak`: every weak's (and the last
//     arc's) accesses to the block, including the value's destruction,
//     happen-before the delete. The acquire is a load rather than an
//     atomic_thread_fence so that ThreadSanitizer can see it; the two are
//     equivalent here (chapter text).
//   * The last arc releases the shared weak reference only after it has
//     destroyed the value (program order), and that decrement is a release,
//     so the destruction happens-before the delete of the block.
#pragma once

#include <wb/sync.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

template <class T, class Count = std::size_t>
class weak;

namespace arc_weak_detail {

template <class T, class Count>
struct control_block {
  explicit control_block(T&& v) : value(std::move(v)) {}
  ~control_block() {}  // the value is destroyed by the last arc, not here

  wb::atomic<Count> strong{1};  // arcs: the value lives while > 0
  wb::atomic<Count> weak{1};    // weaks, + 1 for all arcs together: the block lives while > 0
  union {
    T value;  // alive while strong > 0
  };
};

template <class Count>
inline constexpr Count max_count = std::numeric_limits<Count>::max() / 2;

[[noreturn]] inline void abort_on_overflow(const char* which) noexcept {
  std::fprintf(stderr, "arc: %s reference count overflow\n", which);
  std::abort();
}

// Releases one weak reference; the last one deletes the block.
template <class T, class Count>
void release_weak(control_block<T, Count>* block) noexcept {
  if (block->weak.fetch_sub(1, wb::memory_order_release) != 1) return;
  (void)block->weak.load(wb::memory_order_acquire);  // see every other user of the block
  delete block;
}

}  // namespace arc_weak_detail

template <class T, class Count = std::size_t>
class arc {
  using block_type = arc_weak_detail::control_block<T, Count>;

 public:
  static constexpr Count max_count = arc_weak_detail::max_count<Count>;

  explicit arc(T value) : block_(new block_type(std::move(value))) {}

  arc(const arc& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    if (block_->strong.fetch_add(1, wb::memory_order_relaxed) >= max_count) {
      arc_weak_detail::abort_on_overflow("strong");
    }
  }

  arc(arc&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  arc& operator=(arc other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }

  ~arc() {
    if (block_ == nullptr) return;
    if (block_->strong.fetch_sub(1, wb::memory_order_release) != 1) return;
    (void)block_->strong.load(wb::memory_order_acquire);  // see every other arc's use of the value
    std::destroy_at(&block_->value);
    arc_weak_detail::release_weak(block_);  // the weak reference all arcs shared
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  Count use_count() const noexcept {
    return block_ == nullptr ? 0 : block_->strong.load(wb::memory_order_relaxed);
  }

  /// A weak reference to the same value.
  weak<T, Count> downgrade() const noexcept {
    if (block_->weak.fetch_add(1, wb::memory_order_relaxed) >= max_count) {
      arc_weak_detail::abort_on_overflow("weak");
    }
    return weak<T, Count>(block_);
  }

 private:
  friend class weak<T, Count>;
  struct adopt_t {};
  arc(adopt_t, block_type* block) noexcept : block_(block) {}  // takes over a counted reference

  block_type* block_;  // nullptr only in a moved-from arc
};

template <class T, class Count>
class weak {
  using block_type = arc_weak_detail::control_block<T, Count>;

 public:
  weak(const weak& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    if (block_->weak.fetch_add(1, wb::memory_order_relaxed) >= arc<T, Count>::max_count) {
      arc_weak_detail::abort_on_overflow("weak");
    }
  }

  weak(weak&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  weak& operator=(weak other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }

  ~weak() {
    if (block_ != nullptr) arc_weak_detail::release_weak(block_);
  }

  /// An arc to the value if it is still alive, else std::nullopt.
  std::optional<arc<T, Count>> upgrade() const noexcept {
    if (block_ == nullptr) return std::nullopt;
    Count n = block_->strong.load(wb::memory_order_relaxed);
    do {
      if (n == 0) return std::nullopt;  // the value is gone and must stay gone
      if (n >= arc<T, Count>::max_count) arc_weak_detail::abort_on_overflow("strong");
    } while (!block_->strong.compare_exchange_weak(n, n + 1, wb::memory_order_relaxed));
    return arc<T, Count>(typename arc<T, Count>::adopt_t{}, block_);
  }

  /// How many arcs share the value (0 once it is gone). A snapshot.
  Count use_count() const noexcept {
    return block_ == nullptr ? 0 : block_->strong.load(wb::memory_order_relaxed);
  }

 private:
  friend class arc<T, Count>;
  explicit weak(block_type* block) noexcept : block_(block) {}  // takes over a counted reference

  block_type* block_;  // nullptr only in a moved-from weak
};
