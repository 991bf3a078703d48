// The model checker's own tests for object lifetimes: a thread destroyed
// while joinable, an atomic used after destruction, a destruction racing with
// an access, and leaks.
// Each failing scenario checks the report. Model-only (a real deadlock would hang).
#include "model_test_support.hpp"

TEST_CASE("model: destroying a joinable thread is reported", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] { wb::thread t([] {}); });
  CHECK_THAT(report, Contains("destroyed while joinable"));
}

TEST_CASE("model: an atomic used after its destructor ran is reported", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    alignas(wb::atomic<int>) unsigned char storage[sizeof(wb::atomic<int>)];
    auto* a = new (storage) wb::atomic<int>(1);
    a->~atomic();
    (void)a->load(relaxed);  // the memory is intact, the object is gone
  });
  CHECK_THAT(report, Contains("use after destruction: a1"));
}

TEST_CASE("model: an atomic used after its heap memory was freed is reported", "[model][misuse]") {
  MODEL_ONLY();
  // free() overwrites the start of the block (glibc keeps its free list
  // there), handle included: the model must still recognise the object.
  struct block {
    wb::atomic<long> strong{1};
  };
  const std::string report = report_of([] {
    block* b = new block;
    block* volatile dangling = b;  // volatile: g++ would refuse the use after free
    delete b;
    (void)dangling->strong.load(relaxed);
  });
  CHECK_THAT(report, Contains("use after destruction: a1"));
}

TEST_CASE("model: destroying an atomic not ordered after another thread's access is a race",
          "[model][race]") {
  MODEL_ONLY();
  // A reference count done wrong: the decrement is relaxed, so the thread
  // that sees the count reach zero may free the counter while the other
  // thread's decrement is not ordered before the free.
  const std::string report = report_of([] {
    auto* count = new wb::atomic<int>(2);
    wb::thread t([count] {
      if (count->fetch_sub(1, relaxed) == 1) delete count;
    });
    if (count->fetch_sub(1, relaxed) == 1) delete count;
    t.join();
  });
  CHECK_THAT(report,
             Contains("its destruction by t") && Contains("is not ordered after an access by t"));
}

TEST_CASE("model: destroying an atomic after an acquire of the other thread's release is fine",
          "[model][race]") {
  MODEL_ONLY();
  wb::model::check([] {
    auto* count = new wb::atomic<int>(2);
    wb::thread t([count] {
      if (count->fetch_sub(1, wb::memory_order_acq_rel) == 1) delete count;
    });
    if (count->fetch_sub(1, wb::memory_order_acq_rel) == 1) delete count;
    t.join();
  });
}

TEST_CASE("model: an object made in the body and never destroyed is a leak", "[model][misuse]") {
  MODEL_ONLY();
  const std::string report = report_of([] {
    auto* forgotten = new wb::atomic<int>(1);
    wb::thread t([forgotten] { forgotten->fetch_add(1, relaxed); });
    t.join();
  });
  CHECK_THAT(report, Contains("leak: a1 made during the execution was never destroyed"));
  wb::model::check([] {  // objects made outside the body are not the body's to destroy
    auto* freed = new wb::atomic<int>(1);
    delete freed;
  });
}
