// Exercise 6.4 — arc_optimized: arc and weak, with get_mut.
//
// (Write the arc and weak parts as in exercise 6.3 — each exercise is a
// file of its own — then downgrade and get_mut.)
//
// Exercise 6.3's design makes copying an arc cheap: one counter, because all
// the arcs together hold a single weak reference. The price is paid in
// get_mut, which must know that this is the only arc AND that no weak
// exists (a weak could upgrade and read while we write). Those are two
// counters, and two loads do not read them at one instant: between the
// loads, another arc can downgrade (weak 1 -> 2) and drop itself (strong
// 2 -> 1), and both loads see 1 although a weak now exists.
//
// The fix is a tiny lock on the weak count. get_mut swaps weak from 1 (no
// weak objects) to the sentinel `locked` (the counter's largest value, which
// a real count never reaches); while it is locked, downgrade waits; get_mut
// checks strong == 1, then stores 1 back.
//
//     value of weak   meaning                                  who moves it
//     0               the block is being freed                 last weak / last arc
//     1               arcs exist, no weak objects              downgrade: 1 -> 2
//     n > 1           n - 1 weak objects (and maybe arcs)      weak drop: n -> n - 1
//     locked          get_mut is checking strong               get_mut: 1 -> locked -> 1
//
// Contract
//   * Everything in exercise 6.3's contract (arc, weak, downgrade, upgrade,
//     use_count, destruction exactly once, abort on overflow), plus:
//   * get_mut() returns a pointer to the value when this is the only arc and
//     no weak reference exists, else nullptr. It never blocks; a failed
//     get_mut changes nothing. The caller must not copy, share or downgrade
//     this arc object while it uses the pointer.
//   * downgrade() may wait (spin) while a get_mut on another thread holds the
//     lock; it never waits for anything else.
//
// Memory ordering: as in exercise 6.3, plus: every use of the value by arcs
// and weaks dropped before a successful get_mut happens-before the caller's
// writes through the pointer; the exchange that locks is an acquire, so a
// weak that was upgraded and then dropped has its upgrade visible to the
// strong-count check; the unlock is a release that downgrade's exchange
// acquires, so a downgrade after the unlock cannot affect what get_mut saw.
//
// Run the tests: ./workbook check arc_optimized      Hints: ./workbook hint arc_optimized
#pragma once

#include <wb/not_implemented.hpp>
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
  // TODO(exercise): as an arc's drop in exercise 6.1, on the weak count:
  //   subtract one; whoever reaches zero acquires, then deletes the block.
  (void)block;
  WB_NOT_IMPLEMENTED("release_weak: subtract one from weak, the last one deletes the block");
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
    // TODO(exercise): as in exercise 6.1, on the strong count.
    WB_NOT_IMPLEMENTED("arc copy: add one to strong, abort past max_count");
  }

  arc(arc&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}

  arc& operator=(arc other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }

  ~arc() {
    if (block_ == nullptr) return;
    // TODO(exercise): release one strong reference. The last one destroys
    //   the value (std::destroy_at: the block stays while weaks exist), then
    //   gives up the one weak reference that all arcs shared
    //   (arc_optimized_detail::release_weak).
    WB_NOT_IMPLEMENTED("~arc: release one strong reference; the last destroys the value");
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  Count use_count() const noexcept {
    // TODO(exercise): a snapshot of the strong count (0 when moved-from).
    WB_NOT_IMPLEMENTED("arc::use_count: load strong");
  }

  /// A weak reference to the same value. Waits while get_mut holds the lock.
  weak<T, Count> downgrade() const noexcept {
    // TODO(exercise): a compare-exchange loop on the weak count: while it is
    //   arc_optimized_detail::locked<Count>, wait (wb::spin_loop_hint, load
    //   again); else abort past max_count, or swap in n + 1 — with which
    //   order, to pair with get_mut's unlock? Then return weak<T, Count>(block_);
    WB_NOT_IMPLEMENTED("arc::downgrade: add one to weak unless get_mut holds it locked");
  }

  /// The value, for writing, when this arc is its only reference and no weak
  /// reference exists; else nullptr.
  T* get_mut() noexcept {
    if (block_ == nullptr) return nullptr;
    // TODO(exercise): 1. lock: exchange weak from 1 to locked<Count> (one
    //   attempt: if weak is not 1, a weak exists and the answer is nullptr).
    //   2. check strong == 1. 3. unlock: store 1 back, whatever the answer.
    //   Which orders? (See the contract's "Memory ordering" and the chapter.)
    WB_NOT_IMPLEMENTED("arc::get_mut: lock the weak count, check strong == 1, unlock");
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
    // TODO(exercise): add one to the weak count, abort past max_count.
    WB_NOT_IMPLEMENTED("weak copy: add one to weak, abort past max_count");
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
    // TODO(exercise): add one to strong — but never to 0: at 0 the value is
    //   gone, and a fetch_add would bring it back. A compare-exchange loop
    //   that checks each value it sees before it writes. What does a failed
    //   exchange mean here, and what must it not make upgrade do? On success:
    //   return arc<T, Count>(typename arc<T, Count>::adopt_t{}, block_);
    WB_NOT_IMPLEMENTED("weak::upgrade: add one to strong unless it is 0, in a CAS loop");
  }

  /// How many arcs share the value (0 once it is gone). A snapshot.
  Count use_count() const noexcept {
    // TODO(exercise): a snapshot of the strong count (0 when moved-from).
    WB_NOT_IMPLEMENTED("weak::use_count: load strong");
  }

 private:
  friend class arc<T, Count>;
  explicit weak(block_type* block) noexcept : block_(block) {}  // takes over a counted reference

  block_type* block_;  // nullptr only in a moved-from weak
};
