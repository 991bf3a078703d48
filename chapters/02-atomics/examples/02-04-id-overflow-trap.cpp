// Chapter 2, demo 02-04: The overflow trap in fetch_add ID allocation
// An 8-bit counter stands in for a 32-bit one so the wrap happens after 256 calls instead of
// four billion. Atomic unsigned arithmetic wraps, with no undefined behaviour, and hands out
// an ID that is already in use; a limit checked after the increment does not help.
// Run: ./workbook demo 02-04-id-overflow-trap
//      (binary: build/dev/chapters/02-atomics/demo.02-04-id-overflow-trap)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

// [naive-ids]
std::atomic<std::uint8_t> next_id{0};

std::uint8_t allocate_id() { return next_id.fetch_add(1, std::memory_order_relaxed); }
// [naive-ids]

// [checked-after]
constexpr std::uint8_t id_limit = 200;  // IDs 0..199 are valid
std::atomic<std::uint8_t> next_checked{0};

std::optional<std::uint8_t> allocate_checked_id() {
  const std::uint8_t id = next_checked.fetch_add(1, std::memory_order_relaxed);
  if (id >= id_limit) return std::nullopt;  // too late: the counter has already moved on
  return id;
}
// [checked-after]

int main() {
  const std::uint8_t first = allocate_id();
  for (int i = 1; i < 256; ++i) allocate_id();
  const std::uint8_t again = allocate_id();  // the 257th call: 255 + 1 wraps to 0
  fmt::print("naive: first ID {}, 257th ID {}: a duplicate\n", first, again);

  int refused = 0;
  std::optional<std::uint8_t> id;
  for (int call = 1; call <= 256; ++call) {  // a program that keeps asking after exhaustion
    id = allocate_checked_id();
    if (!id) ++refused;
  }
  id = allocate_checked_id();  // the 257th call
  fmt::print("checked after: {} calls refused, then the 257th call got {}\n", refused,
             id ? fmt::format("ID {} again", *id) : std::string{"nothing"});
  return (again == first && id && *id == 0) ? 0 : 1;  // exit 0: the trap was demonstrated
}
