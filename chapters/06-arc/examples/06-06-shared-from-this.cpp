// Chapter 6, demo 06-06: an object that hands out shared_ptrs to itself
// std::enable_shared_from_this keeps a weak_ptr to the object's own control block, so that a
// member function can make a new owner (shared_from_this) or an observer (weak_from_this)
// without a second control block. A callback on another thread holds one of them.
// Run: ./workbook demo 06-06-shared-from-this
//      (binary: build/dev/chapters/06-arc/demo.06-06-shared-from-this)
#include <fmt/core.h>

#include <memory>
#include <thread>

// [shared-from-this]
class session : public std::enable_shared_from_this<session> {
 public:
  // The worker keeps the session alive until it is done with it: a new owner.
  std::jthread start_owning() {
    return std::jthread([self = shared_from_this()] { fmt::print("owner: {}\n", self->name); });
  }
  // The worker only observes: it uses the session if someone else still keeps it alive.
  std::jthread start_observing() {
    return std::jthread([weak = weak_from_this()] {
      if (std::shared_ptr<session> self = weak.lock()) fmt::print("observer: {}\n", self->name);
    });
  }
  const char* name = "session 1";
};
// [shared-from-this]

int main() {
  // [not-owned]
  session on_the_stack;
  try {
    (void)on_the_stack.shared_from_this();  // no shared_ptr owns it: no control block to share
  } catch (const std::bad_weak_ptr&) {
    fmt::print("shared_from_this on an object no shared_ptr owns throws bad_weak_ptr\n");
  }
  // [not-owned]
  auto s = std::make_shared<session>();
  std::jthread owning = s->start_owning();
  std::jthread observing = s->start_observing();
  owning.join();
  observing.join();
  fmt::print("use_count after both threads: {}\n", s.use_count());
  return s.use_count() == 1 ? 0 : 1;
}
