// Chapter 5, demo 05-04: Handles that can be used once: &&-qualified member functions
// A `ticket` can be redeemed only through an rvalue, so the call site must say std::move:
// "this object is used up". C++ still lets you touch a moved-from object, so the ticket also
// remembers that it is empty and refuses a second use at run time.
// Run: ./workbook demo 05-04-rvalue-handles
//      (binary: build/dev/chapters/05-channels/demo.05-04-rvalue-handles)
#include <fmt/core.h>

#include <stdexcept>
#include <string>
#include <utility>

// [ticket]
class ticket {
 public:
  explicit ticket(std::string seat) : seat_(std::move(seat)), valid_(true) {}
  ticket(ticket&& other) noexcept
      : seat_(std::move(other.seat_)), valid_(std::exchange(other.valid_, false)) {}
  ticket& operator=(ticket&&) = delete;

  std::string redeem() && {  // callable only on an rvalue: std::move(t).redeem()
    if (!valid_) throw std::logic_error("ticket: moved-from or already redeemed");
    valid_ = false;
    return std::move(seat_);
  }

 private:
  std::string seat_;
  bool valid_;
};
// [ticket]

int main() {
  ticket t("row 7, seat 12");
  // t.redeem();                         // does not compile: t is an lvalue
  // [use-once]
  const std::string seat = std::move(t).redeem();
  fmt::print("redeemed: {}\n", seat);
  try {
    (void)std::move(t).redeem();  // compiles (C++ has no borrow checker), but is refused
    return 1;
  } catch (const std::logic_error& e) { fmt::print("second use refused: {}\n", e.what()); }
  // [use-once]
  ticket a("row 1, seat 1");
  ticket b = std::move(a);  // a is now moved-from
  try {
    (void)std::move(a).redeem();
    return 1;
  } catch (const std::logic_error&) { fmt::print("moved-from ticket refused\n"); }
  return std::move(b).redeem() == "row 1, seat 1" ? 0 : 1;
}
