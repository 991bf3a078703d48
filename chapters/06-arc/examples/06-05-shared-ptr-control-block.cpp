// Chapter 6, demo 06-05: std::shared_ptr's control block, and std::atomic<std::shared_ptr>
// make_shared puts the counts and the object in one allocation, as our arc does; a
// shared_ptr made from `new` needs a second one. weak_ptr::lock is our upgrade.
// std::atomic<std::shared_ptr<T>> (C++20) lets threads swap the pointer itself.
// Run: ./workbook demo 06-05-shared-ptr-control-block
//      (binary: build/dev/chapters/06-arc/demo.06-05-shared-ptr-control-block)
#include <fmt/core.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

int main() {
  // [control-block]
  auto one_allocation = std::make_shared<std::string>("counts and value together");
  std::shared_ptr<std::string> two_allocations(new std::string("value here, counts elsewhere"));
  std::weak_ptr<std::string> observer = one_allocation;
  fmt::print("use_count {}, weak observers alive: {}\n", one_allocation.use_count(),
             !observer.expired());
  one_allocation.reset();  // the string is destroyed; the block stays for the weak_ptr
  fmt::print("after reset: lock() gives {}\n", observer.lock() ? "a pointer" : "nullptr");
  // [control-block]

  // [atomic-shared-ptr]
  std::atomic<std::shared_ptr<const std::string>> current{
      std::make_shared<const std::string>("config v1")};
  std::jthread writer([&] { current.store(std::make_shared<const std::string>("config v2")); });
  std::shared_ptr<const std::string> seen = current.load();  // v1 or v2, never a torn pointer
  writer.join();
  fmt::print("reader saw \"{}\"; now \"{}\"\n", *seen, *current.load());
  // [atomic-shared-ptr]
  return two_allocations.use_count() == 1 ? 0 : 1;
}
