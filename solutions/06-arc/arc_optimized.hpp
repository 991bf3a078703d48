// Exercise 6.4 — arc_optimized: arc and weak, with get_mut.
// Reference solution. (Contract: see exercises/06-arc/arc_optimized.hpp.)
//
// Why it is correct
//   * The counts are those of exercise 6.3: `strong` counts the arcs, and
//     `weak` counts the weak objects plus one for all arcs together. Cloning
//     an arc touches one counter, not two. Everything 6.3 argues for clone,
//     drop, downgrade and upgrade holds here unchanged.
//   * get_mut needs two facts at once: no weak object exists (weak == 1)
//     and no other arc exists (strong == 1). Two loads cannot check both at
//     one instant. Between them another arc could downgrade (weak 1 -> 2)
//     and drop itself (strong 2 -> 1): both loads then see 1 while a weak
//     object exists that can upgrade and read the value we are writing.
//     So get_mut LOCKS the weak count: it exchanges 1 for the sentinel
//     `locked` (the counter's maximum, which a real count never reaches:
//     overflow aborts at half the range). While it is locked, downgrade
//     waits (it spins until the count is no longer `locked`), so no weak
//     object can appear. Then `strong` is checked, and the lock released.
//   * The state of `weak`:
//
//       value      meaning                                  who moves it
//       0          block being deleted                      last weak / last arc
//       1          arcs exist, no weak objects              downgrade: 1 -> 2
//       n > 1      arcs exist (or not), n - 1 weak objects  weak drop: n -> n - 1
//       locked     get_mut is checking `strong`             get_mut: 1 -> locked -> 1
//
//     Only get_mut takes 1 -> locked, only when it holds an arc (so `strong`
//     is at least 1 and the block alive), and it always stores 1 back.
//   * After the unlock, may the result still be trusted? If strong was 1,
//     ours is the only arc: nobody can clone it (the caller does not share
//     this arc object while it uses the pointer), no weak existed while we
//     looked, and a later downgrade needs an arc, which only we have. So
//     the value stays ours until the caller next uses this arc.
//
// Memory ordering (beyond 6.3's)
//   * get_mut's exchange 1 -> locked is an acquire. The 1 it reads may have
//     been written by the release decrement of a weak that was dropped just
//     before; if that weak was upgraded first, the upgrade (sequenced
//     before the drop) then happens-before our load of `strong`, which
//     therefore sees the upgraded count (write-read coherence,
//     [intro.races]), not an older 1. Relaxed could read an old strong == 1
//     while the upgraded arc exists.
//   * The unlock is a release store, and downgrade's exchange an acquire.
//     A downgrade that reads our 1 then happens-after our load of `strong`,
//     so that load cannot have read a change made after the downgrade (for
//     example an upgrade through the new weak object).
//
//       T1 get_mut                          T2 downgrade, then upgrade
//       weak: 1 -> locked (acquire)
//       strong.load() == 1 (acquire)
//       weak.store(1) (release)  ------>    weak: 1 -> 2 (acquire)
//                                           strong: 1 -> 2 (its upgrade)
//       T1's load of strong happens-before T2's upgrade, so it cannot read 2.
//
//   * The load of `strong` is an acquire for the same reason as in 6.2:
//     the 1 it reads synchronizes with the release decrements of the arcs
//     that were dropped, so their reads of the value happen-before our
//     writes. (The classic version loads relaxed and issues an acquire
//     fence only on success; ThreadSanitizer cannot see the fence.)
//   * downgrade's spin loads are relaxed: they only wait for the lock to go;
//     the acquire that matters is the exchange that takes the reference.
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

namespace arc_optimized_detail {

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

// `weak` while get_mut checks `strong`; far above max_count, so never a real count.
template <class Count>
inline constexpr Count locked = std::numeric_limits<Count>::max();

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

}  // namespace arc_optimized_detail

template <class T, class Count = std::size_t>
class arc {
  using block_type = arc_optimized_detail::control_block<T, Count>;

 public:
  static constexpr Count max_count = arc_optimized_detail::max_count<Count>;

  explicit arc(T value) : block_(new block_type(std::move(value))) {}

  arc(const arc& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    if (block_->strong.fetch_add(1, wb::memory_order_relaxed) >= max_count) {
      arc_optimized_detail::abort_on_overflow("strong");
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
    arc_optimized_detail::release_weak(block_);  // the weak reference all arcs shared
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  Count use_count() const noexcept {
    return block_ == nullptr ? 0 : block_->strong.load(wb::memory_order_relaxed);
  }

  /// A weak reference to the same value. Waits while get_mut holds the lock.
  weak<T, Count> downgrade() const noexcept {
    Count n = block_->weak.load(wb::memory_order_relaxed);
    for (;;) {
      if (n == arc_optimized_detail::locked<Count>) {  // get_mut is looking: wait
        wb::spin_loop_hint();
        n = block_->weak.load(wb::memory_order_relaxed);
        continue;
      }
      if (n >= max_count) arc_optimized_detail::abort_on_overflow("weak");
      // Acquire pairs with get_mut's release unlock (see "Memory ordering").
      if (block_->weak.compare_exchange_weak(n, n + 1, wb::memory_order_acquire,
                                             wb::memory_order_relaxed)) {
        return weak<T, Count>(block_);
      }
    }
  }

  /// The value, for writing, when this arc is its only reference and no weak
  /// reference exists; else nullptr.
  T* get_mut() noexcept {
    if (block_ == nullptr) return nullptr;
    Count expected = 1;  // 1: no weak objects, only the one all arcs share
    if (!block_->weak.compare_exchange_strong(expected, arc_optimized_detail::locked<Count>,
                                              wb::memory_order_acquire, wb::memory_order_relaxed)) {
      return nullptr;  // a weak exists (or another get_mut holds the lock)
    }
    const bool unique = block_->strong.load(wb::memory_order_acquire) == 1;
    block_->weak.store(1, wb::memory_order_release);  // unlock: downgrade may go on
    return unique ? &block_->value : nullptr;
  }

 private:
  friend class weak<T, Count>;
  struct adopt_t {};
  arc(adopt_t, block_type* block) noexcept : block_(block) {}  // takes over a counted reference

  block_type* block_;  // nullptr only in a moved-from arc
};

template <class T, class Count>
class weak {
  using block_type = arc_optimized_detail::control_block<T, Count>;

 public:
  weak(const weak& other) noexcept : block_(other.block_) {
    if (block_ == nullptr) return;
    if (block_->weak.fetch_add(1, wb::memory_order_relaxed) >= arc<T, Count>::max_count) {
      arc_optimized_detail::abort_on_overflow("weak");
    }
  }

  weak(weak&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  weak& operator=(weak other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }

  ~weak() {
    if (block_ != nullptr) arc_optimized_detail::release_weak(block_);
  }

  /// An arc to the value if it is still alive, else std::nullopt.
  std::optional<arc<T, Count>> upgrade() const noexcept {
    if (block_ == nullptr) return std::nullopt;
    Count n = block_->strong.load(wb::memory_order_relaxed);
    do {
      if (n == 0) return std::nullopt;  // the value is gone and must stay gone
      if (n >= arc<T, Count>::max_count) arc_optimized_detail::abort_on_overflow("strong");
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
