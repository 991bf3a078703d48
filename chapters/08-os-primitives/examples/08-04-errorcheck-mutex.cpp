// Chapter 8, demo 08-04: what an ERRORCHECK mutex answers.
// A default pthread mutex relocked by its owner deadlocks, and unlocked by another thread is
// undefined behaviour. An ERRORCHECK mutex returns error codes instead, and pthread functions
// return them rather than setting errno. The demo makes each mistake once and prints the answer.
// ThreadSanitizer reports the unlock by a non-owner as a bug before pthread answers EPERM, so
// this demo does not run in the tsan tree: exercise posix_mutex checks ownership itself.
// Run: ./workbook demo 08-04-errorcheck-mutex
//      (binary: build/dev/chapters/08-os-primitives/demo.08-04-errorcheck-mutex)
#include <fmt/core.h>

#include <pthread.h>

#include <cstring>
#include <thread>

void show(const char* what, int rc) {
  fmt::print("{:<40} -> {}\n", what, rc == 0 ? "0 (success)" : std::strerror(rc));
}

int main() {
  // [errorcheck]
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t m;
  pthread_mutex_init(&m, &attr);
  pthread_mutexattr_destroy(&attr);  // the mutex keeps its own copy of the settings

  show("lock", pthread_mutex_lock(&m));
  show("lock again, same thread", pthread_mutex_lock(&m));  // EDEADLK
  show("trylock, same thread", pthread_mutex_trylock(&m));  // EBUSY
  std::thread([&] {
    show("unlock from another thread", pthread_mutex_unlock(&m));  // EPERM
  }).join();
  show("unlock", pthread_mutex_unlock(&m));
  show("unlock again", pthread_mutex_unlock(&m));  // EPERM
  show("destroy", pthread_mutex_destroy(&m));
  // [errorcheck]
}
