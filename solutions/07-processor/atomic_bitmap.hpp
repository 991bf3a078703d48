// Exercise 7.4 — atomic_bitmap: 64 flags in one word, set and cleared with fetch_or and fetch_and.
// Reference solution. (Contract: see exercises/07-processor/atomic_bitmap.hpp.)
//
// Why it is correct
//   * One read-modify-write decides each question. set(i) is one fetch_or:
//     of all the threads that set bit i while it is clear, exactly one
//     reads it clear in the value fetch_or returns, because read-modify-
//     writes on one atomic follow its modification order one at a time, each
//     reading the value the one before wrote ([atomics.order]/10). The same
//     holds for clear(i) and fetch_and. A load followed by a store would let
//     two threads both see the bit clear, and the store would also wipe the
//     other 63 bits' changes made in between.
//   * claim_any() reads the word once (relaxed: it only suggests a bit),
//     then tries that bit with fetch_or. If fetch_or says someone else got
//     it first, the value it returned is a fresher view of the word: try its
//     lowest clear bit. The loop ends with a bit of our own, or when the
//     word is full. It is not a compare-exchange loop: a failed attempt
//     still changes nothing (the bit was already set) and tells us more.
//
// Memory ordering
//   * set(i) is acq_rel. Release: the caller writes data, then sets the bit
//     that says "ready"; a thread whose test(i) (acquire) reads the bit set
//     reads a value in the release sequence headed by our fetch_or (later
//     RMWs on the word, even other bits', continue it, [intro.races]/5), so
//     it synchronizes with us and sees the data ([atomics.order]/2).
//     Acquire: when set(i) claims a slot that an owner gave back with
//     clear(i) (release), the new owner must see the old owner's writes to
//     the slot happen-before its own.
//   * clear(i) is release: it gives the slot back, and publishes the owner's
//     writes to whoever claims it next. It needs no acquire: nothing read
//     after it depends on others.
//   * claim_any() is acquire, for the same reason as set's acquire; it
//     publishes nothing, the claimer writes the slot after claiming it.
//   * test(i) and bits() are acquire: their callers use them to decide to
//     read what a set published.
//   On x86-64 every lock-prefixed RMW is a full barrier, so all of these
//   cost the same; on AArch64 with LSE fetch_or is ldset with A/L/AL
//   suffixes (ldsetal for acq_rel), and fetch_and is ldclr of the inverted
//   mask.
#pragma once

#include <wb/sync.hpp>

#include <bit>
#include <cstdint>
#include <optional>

class atomic_bitmap {
 public:
  static constexpr unsigned size = 64;

  atomic_bitmap() = default;
  atomic_bitmap(const atomic_bitmap&) = delete;
  atomic_bitmap& operator=(const atomic_bitmap&) = delete;

  /// Sets bit i; true when this call set it (it was clear).
  bool set(unsigned i) noexcept {
    const std::uint64_t mask = std::uint64_t{1} << i;
    return (bits_.fetch_or(mask, wb::memory_order_acq_rel) & mask) == 0;
  }

  /// Clears bit i; true when this call cleared it (it was set).
  bool clear(unsigned i) noexcept {
    const std::uint64_t mask = std::uint64_t{1} << i;
    return (bits_.fetch_and(~mask, wb::memory_order_release) & mask) != 0;
  }

  /// Whether bit i is set now.
  bool test(unsigned i) const noexcept {
    return (bits_.load(wb::memory_order_acquire) >> i & 1u) != 0;
  }

  /// All 64 bits.
  std::uint64_t bits() const noexcept { return bits_.load(wb::memory_order_acquire); }

  /// Sets the lowest clear bit and returns its index; nullopt when all are set.
  std::optional<unsigned> claim_any() noexcept {
    std::uint64_t seen = bits_.load(wb::memory_order_relaxed);  // only a suggestion
    while (seen != ~std::uint64_t{0}) {
      const auto i = static_cast<unsigned>(std::countr_one(seen));  // the lowest clear bit
      const std::uint64_t mask = std::uint64_t{1} << i;
      const std::uint64_t before = bits_.fetch_or(mask, wb::memory_order_acquire);
      if ((before & mask) == 0) return i;  // we set it: ours
      seen = before;                       // taken: try again with the fresher value
    }
    return std::nullopt;
  }

 private:
  wb::atomic<std::uint64_t> bits_{0};
};
