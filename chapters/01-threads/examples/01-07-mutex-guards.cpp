// Chapter 1, demo 01-07: Mutexes and their guards
// lock_guard holds a mutex for a scope, unique_lock can lock late and unlock early, and
// scoped_lock takes two mutexes at once without deadlock (a transfer between accounts).
// Run: ./workbook demo 01-07-mutex-guards
//      (binary: build/dev/chapters/01-threads/demo.01-07-mutex-guards)
#include <fmt/core.h>

#include <mutex>
#include <thread>

struct account {
  std::mutex m;
  int balance = 0;  // guarded by m
};

// [scoped-lock-transfer]
void transfer(account& from, account& to, int amount) {
  if (&from == &to) return;  // locking a std::mutex this thread already holds is undefined
  // One scoped_lock over both mutexes locks them with a deadlock-avoidance algorithm, so
  // transfer(a, b) racing transfer(b, a) is safe. Two lock_guards taken in argument order
  // could deadlock: each thread holding one mutex and waiting forever for the other.
  std::scoped_lock both{from.m, to.m};
  from.balance -= amount;
  to.balance += amount;
}  // both mutexes are released here, whatever path leaves the function
// [scoped-lock-transfer]

int main() {
  account alice, bob;
  alice.balance = bob.balance = 1000;
  std::thread pays_bob{[&] {
    for (int i = 0; i < 1000; ++i) transfer(alice, bob, 1);
  }};
  std::thread pays_alice{[&] {
    for (int i = 0; i < 1000; ++i) transfer(bob, alice, 2);
  }};
  pays_bob.join();
  pays_alice.join();

  // [lock-lifetime]
  std::unique_lock alice_lock{alice.m, std::defer_lock};  // owns the mutex but has not locked it
  alice_lock.lock();
  const int alice_balance = alice.balance;
  alice_lock.unlock();  // release before the slow part; nobody should wait while we print
  fmt::print("alice: {}\n", alice_balance);
  {
    std::lock_guard bob_lock{bob.m};  // named, so it holds bob.m until the closing brace
    // Unnamed, `std::lock_guard<std::mutex>{bob.m};` would be a temporary that locks and
    // unlocks on the same line, leaving the read below unprotected.
    fmt::print("bob:   {}\n", bob.balance);
  }
  // [lock-lifetime]
  fmt::print("total: {} (always 2000)\n", alice.balance + bob.balance);
}
