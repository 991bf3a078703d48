// Exercise 6.3 — arc_weak: arc with weak references.
//
// (Write the arc parts as in exercise 6.1 — each exercise is a file of its
// own — then the weak parts.)
//
// A weak reference points at the block without keeping the value alive:
// a cache that should not prevent its entries from being freed, a child's
// pointer to its parent, an observer list. To use the value, a weak is
// upgraded to an arc, which fails once the value is gone.
//
//     arc<node> parent(node{...});
//     weak<node> back = parent.downgrade();   // does not keep the node alive
//     if (std::optional<arc<node>> p = back.upgrade()) use((*p)->name);
//     else /* the parent is gone */;
//
// Two counts live in the block. `strong` counts the arcs: the value lives
// while it is above zero. `weak` counts the weak objects PLUS ONE that all
// the arcs hold together: the block (and its counts, which a weak needs in
// order to try an upgrade) lives while it is above zero. So the last arc
// destroys the value and then releases that one shared weak reference, and
// whoever takes `weak` to zero frees the block.
//
// Contract
//   * arc: as in exercise 6.1 (copy, move, assign, *, ->, use_count, abort
//     on overflow past max_count), plus downgrade(), which makes a weak to
//     the same value.
//   * weak: copyable and movable like arc (a moved-from weak can only be
//     destroyed or assigned to). It has no access to the value, only
//     upgrade() and use_count() (the number of arcs, 0 once the value is
//     gone).
//   * upgrade() returns an arc to the value if at least one arc still
//     exists, and std::nullopt once the last arc has been dropped. Once it
//     has failed it fails forever: the count never comes back from zero. It
//     never fails spuriously while an arc exists, however many threads
//     upgrade, copy and drop at the same time.
//   * The value is destroyed exactly once, when the last arc goes; the block
//     is freed exactly once, when the last arc and the last weak are gone,
//     on whichever thread drops the last of them.
//   * Overflow: the strong count at most max_count arcs, the weak count at
//     most max_count (weak objects + 1); going past either prints a message
//     containing "overflow" and calls std::abort().
//
// Memory ordering: every use of the value through an arc happens-before the
// value's destructor, and every use of the block (by arcs and weaks, and
// the destruction of the value) happens-before the block is freed. The
// increments (copy, downgrade, weak copy, upgrade) are relaxed: each is
// made from a live reference. Each decrement is a release, and the one that
// reaches zero acquires (a load of that count) before it destroys or frees.
//
// Run the tests: ./workbook check arc_weak      Hints: ./workbook hint arc_weak
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
  // TODO(exercise): as an arc's drop in exercise 6.1, on the weak count:
  //   subtract one; whoever reaches zero acquires, then deletes the block.
  (void)block;
  WB_NOT_IMPLEMENTED("release_weak: subtract one from weak, the last one deletes the block");
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
    //   (arc_weak_detail::release_weak).
    WB_NOT_IMPLEMENTED("~arc: release one strong reference; the last destroys the value");
  }

  const T& operator*() const noexcept { return block_->value; }
  const T* operator->() const noexcept { return &block_->value; }

  Count use_count() const noexcept {
    // TODO(exercise): a snapshot of the strong count (0 when moved-from).
    WB_NOT_IMPLEMENTED("arc::use_count: load strong");
  }

  /// A weak reference to the same value.
  weak<T, Count> downgrade() const noexcept {
    // TODO(exercise): add one to the weak count (abort past max_count), and
    //   hand the new reference to a weak: return weak<T, Count>(block_);
    WB_NOT_IMPLEMENTED("arc::downgrade: add one to weak, abort past max_count");
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
    // TODO(exercise): add one to the weak count, abort past max_count.
    WB_NOT_IMPLEMENTED("weak copy: add one to weak, abort past max_count");
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
