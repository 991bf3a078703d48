// ABA, step by step: a Treiber stack used as a free list, without and with a
// tag in its head. The interleaving of two "threads" is scripted on one thread
// (each step is what that thread would do next), so the outcome never depends
// on timing: it is exactly the execution the model checker finds.
#include <fmt/core.h>

#include <atomic>
#include <cstdint>

// [free-list]
struct free_list {
  std::uint32_t next[3] = {none, none, none};  // per slot: the slot below it
  std::atomic<std::uint64_t> head{pack(none, 0)};
  bool tagged;

  static constexpr std::uint32_t none = 0xffffffff;
  static constexpr std::uint64_t pack(std::uint32_t top, std::uint32_t tag) {
    return (std::uint64_t{tag} << 32) | top;
  }
  static std::uint32_t top(std::uint64_t h) { return static_cast<std::uint32_t>(h); }
  std::uint32_t new_tag(std::uint64_t h) const {
    return tagged ? static_cast<std::uint32_t>(h >> 32) + 1 : 0;
  }

  void push(std::uint32_t s) {
    std::uint64_t old = head.load();
    do next[s] = top(old);
    while (!head.compare_exchange_weak(old, pack(s, new_tag(old))));
  }
  std::uint32_t pop() {  // in one piece: the other thread's pops
    std::uint64_t old = head.load();
    while (!head.compare_exchange_weak(old, pack(next[top(old)], new_tag(old)))) {}
    return top(old);
  }
};
// [free-list]

void script(bool tagged) {
  free_list list{.tagged = tagged};
  list.push(1);
  list.push(0);  // top first: 0 1
  // [script]
  // Thread A starts a pop: it reads the head (slot 0) and slot 0's link (1)...
  std::uint64_t a_head = list.head.load();
  const std::uint32_t a_below = list.next[free_list::top(a_head)];
  // ...and is preempted. Thread B pops 0, pops 1, keeps 1 and pushes 0 back.
  const std::uint32_t b_first = list.pop();
  const std::uint32_t b_keeps = list.pop();
  list.push(b_first);
  // Thread A resumes: is the head still what it read?
  const bool a_won =
      list.head.compare_exchange_strong(a_head, free_list::pack(a_below, list.new_tag(a_head)));
  // [script]
  fmt::print("{}: A's compare-and-exchange {}", tagged ? "tagged head  " : "untagged head",
             a_won ? "succeeds" : "fails (A retries)");
  if (a_won) {
    fmt::print(
        ": A holds slot 0, B holds slot {}, and the free list's top is slot {}: "
        "slot {} is handed out twice\n",
        b_keeps, free_list::top(list.head.load()), b_keeps);
  } else {
    fmt::print(": the tag changed three times since A read it\n");
  }
}

int main() {
  script(false);
  script(true);
}
