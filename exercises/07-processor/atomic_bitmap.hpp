// Exercise 7.4 — atomic_bitmap: 64 flags in one word, set and cleared with fetch_or and fetch_and.
//
// A word of 64 bits is 64 flags that one instruction can change together:
// fetch_or sets bits, fetch_and clears them, and each returns the word as it
// was, so the caller learns whether *it* was the one that changed a bit. On
// x86-64 that is `lock or`/`lock and` (or a `lock cmpxchg` loop when the old
// value is used), on AArch64 with LSE `ldset`/`ldclr`, and an ldxr/stxr loop
// without it. Two uses: ready flags (a writer fills slot i, then sets bit i;
// a reader that sees bit i set reads slot i), and a slot allocator
// (claim_any takes a free slot, clear gives it back).
//
//     atomic_bitmap used;
//     if (auto slot = used.claim_any()) {   // slot *slot is ours
//       buffers[*slot].fill(...);
//       used.clear(*slot);                  // give it back
//     }
//
// Contract
//   * All 64 bits start clear. Indices are 0..63.
//   * set(i): sets bit i; returns true when this call set it (it was clear),
//     false when it was set already. Of many threads setting a clear bit at
//     once, exactly one gets true.
//   * clear(i): clears bit i; true when this call cleared it.
//   * test(i), bits(): the bit, the whole word.
//   * claim_any(): sets the lowest bit it finds clear and returns its index;
//     std::nullopt when all 64 are set. Two claims never return the same
//     bit unless it was cleared in between. It may return a bit that is not
//     the lowest clear one by the time it returns.
//   * Other bits are never disturbed: each call changes its own bit only.
//
// Memory ordering (the tests check each one, in the model tree too):
//   * Whatever a thread wrote before set(i) is visible to a thread whose
//     test(i) or bits() then reads the bit set (ready flags).
//   * Whatever an owner wrote before clear(i) is visible to the thread whose
//     set(i) or claim_any() then takes the bit (the slot's next owner).
//   Work out which of release, acquire and acq_rel each of set, clear, test,
//   bits and claim_any needs, and no more.
//
// Run the tests: ./workbook check atomic_bitmap      Hints: ./workbook hint atomic_bitmap
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): one fetch_or; the returned word says who set the bit.
    static_cast<void>(i);
    WB_NOT_IMPLEMENTED("atomic_bitmap::set: one fetch_or of the bit's mask");
  }

  /// Clears bit i; true when this call cleared it (it was set).
  bool clear(unsigned i) noexcept {
    // TODO(exercise): one fetch_and with every bit but this one.
    static_cast<void>(i);
    WB_NOT_IMPLEMENTED("atomic_bitmap::clear: one fetch_and of the inverted mask");
  }

  /// Whether bit i is set now.
  bool test(unsigned i) const noexcept {
    // TODO(exercise): a load, and the bit.
    static_cast<void>(i);
    WB_NOT_IMPLEMENTED("atomic_bitmap::test: load the word and look at bit i");
  }

  /// All 64 bits.
  std::uint64_t bits() const noexcept {
    // TODO(exercise): a load.
    WB_NOT_IMPLEMENTED("atomic_bitmap::bits: load the word");
  }

  /// Sets the lowest clear bit and returns its index; nullopt when all are set.
  std::optional<unsigned> claim_any() noexcept {
    // TODO(exercise): read the word, pick its lowest clear bit
    // (std::countr_one), try to set it with fetch_or; if someone was first,
    // the word fetch_or returned tells you what to try next.
    WB_NOT_IMPLEMENTED(
        "atomic_bitmap::claim_any: fetch_or the lowest clear bit until one is yours");
  }

 private:
  wb::atomic<std::uint64_t> bits_{0};
};
