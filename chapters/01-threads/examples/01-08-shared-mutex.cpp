// Chapter 1, demo 01-08: A readers-writer lock
// std::shared_mutex lets many readers in at once (shared_lock) but a writer only alone
// (unique_lock). Four readers and one writer share a small settings table.
// Run: ./workbook demo 01-08-shared-mutex
//      (binary: build/dev/chapters/01-threads/demo.01-08-shared-mutex)
#include <fmt/core.h>

#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

// [readers-writer]
class settings {
 public:
  std::string get(const std::string& key) const {
    std::shared_lock lock{mutex_};  // shared: other readers may hold it at the same time
    const auto it = values_.find(key);
    return it == values_.end() ? std::string{} : it->second;  // copy out under the lock
  }

  void set(const std::string& key, std::string value) {
    std::unique_lock lock{mutex_};  // exclusive: waits until no reader or writer holds it
    values_[key] = std::move(value);
  }

 private:
  mutable std::shared_mutex mutex_;            // mutable: locking does not change the logical value
  std::map<std::string, std::string> values_;  // guarded by mutex_
};
// [readers-writer]

int main() {
  settings config;
  config.set("mode", "draft");
  {
    std::vector<std::jthread> readers;
    for (int r = 0; r < 4; ++r) {
      // Each reader sees "draft" or "final", depending on the schedule, but never a torn mix.
      readers.emplace_back([&config, r] { fmt::print("reader {}: {}\n", r, config.get("mode")); });
    }
    std::jthread writer{[&config] { config.set("mode", "final"); }};
  }  // the writer joins first, then the readers
  fmt::print("after the joins: {}\n", config.get("mode"));
}
