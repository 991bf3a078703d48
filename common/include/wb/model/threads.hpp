// wb::thread, wb::mutex, wb::condition_variable and address-based waiting
// under the model checker (WB_MODEL=1).
//
// Inside a check() a wb::thread is a fiber of the checker; outside it is a
// real std::thread, a wb::mutex a std::mutex, a condition variable a
// std::condition_variable_any, so plain tests still work in the model tree.
//
// Misuse is reported, not undefined: destroying a joinable wb::thread or
// calling detach (a modelled thread must be joined), unlocking a mutex the
// thread does not hold, locking a mutex twice from one thread.
//
// Memory ordering: spawn and join synchronise as std::thread's do; unlock
// synchronises with the next lock of the same mutex; a notification creates
// no happens-before by itself (the mutex does).
#pragma once

#include <wb/model/atomic.hpp>
#include <wb/model/runtime.hpp>

#include <compare>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <source_location>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace wb {

class thread {
  using loc_t = std::source_location;

 public:
  /// Identifies a thread: a modelled thread's number, or a real thread's id.
  class id {
   public:
    id() = default;
    friend bool operator==(const id&, const id&) = default;
    friend auto operator<=>(const id&, const id&) = default;

   private:
    friend class thread;
    id(bool model, std::uint32_t n, std::thread::id real) : model_(model), n_(n), real_(real) {}
    bool model_ = false;
    std::uint32_t n_ = 0;
    std::thread::id real_{};
  };

  thread() noexcept = default;

  template <class F, class... Args>
  requires(!std::is_same_v<std::remove_cvref_t<F>, thread>) explicit thread(F&& f, Args&&... args) {
    if (!model::detail::active()) {
      real_ = std::thread(std::forward<F>(f), std::forward<Args>(args)...);
      return;
    }
    using body_t = bound<std::decay_t<F>, std::decay_t<Args>...>;
    model_ = true;
    joinable_ = true;
    n_ = model::detail::spawn(
        std::make_unique<body_t>(std::forward<F>(f), std::forward<Args>(args)...),
        loc_t{});  // a variadic constructor cannot take a defaulted location
  }

  thread(thread&& other) noexcept { swap(other); }
  thread& operator=(thread&& other) {
    if (joinable()) misuse("move-assigned onto while joinable (std::terminate)");
    thread moved(std::move(other));
    swap(moved);
    return *this;
  }
  // While an exception unwinds the body, that exception is the failure to
  // report (the checker then unwinds this thread too), not the missing join.
  ~thread() {
    if (model_ && joinable_ && std::uncaught_exceptions() == 0)
      misuse("destroyed while joinable (std::terminate in a real program)");
  }

  bool joinable() const noexcept { return model_ ? joinable_ : real_.joinable(); }

  void join(loc_t loc = loc_t::current()) {
    if (!model_) return real_.join();
    model::detail::join(n_, loc);
    joinable_ = false;
  }

  void detach(loc_t loc = loc_t::current()) {
    if (!model_) return real_.detach();
    joinable_ = false;  // reported once, here
    model::detail::thread_misuse("detached: the model checks only joined threads", n_, loc);
  }

  id get_id() const noexcept {
    if (model_) return joinable_ ? id(true, n_, {}) : id();
    return id(false, 0, real_.get_id());
  }

  void swap(thread& other) noexcept {
    std::swap(real_, other.real_);
    std::swap(model_, other.model_);
    std::swap(joinable_, other.joinable_);
    std::swap(n_, other.n_);
  }

 private:
  template <class F, class... Args>
  struct bound final : model::detail::task {
    template <class G, class... A>
    explicit bound(G&& g, A&&... a) : f(std::forward<G>(g)), args(std::forward<A>(a)...) {}
    void run() override { std::apply(std::move(f), std::move(args)); }
    F f;
    std::tuple<Args...> args;
  };

  void misuse(const char* what) {
    joinable_ = false;
    if (model::detail::active()) model::detail::thread_misuse(what, n_, loc_t{});
  }

  std::thread real_;
  bool model_ = false;
  bool joinable_ = false;
  std::uint32_t n_ = 0;
};

class mutex {
  using loc_t = std::source_location;

 public:
  mutex(loc_t loc = loc_t::current()) {
    model::detail::register_new(h_, model::detail::object_kind::mutex, 0, {}, 0, loc);
  }
  ~mutex() { model::detail::unregister(h_, loc_t::current()); }
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;

  // std::lock_guard and std::unique_lock call these from <mutex>: the trace
  // finds the caller's line on the call stack (common/src/model/frames.cpp).
  void lock(loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.lock();
    model::detail::mutex_lock(id(loc), loc);
  }
  bool try_lock(loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.try_lock();
    return model::detail::mutex_try_lock(id(loc), loc);
  }
  void unlock(loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.unlock();
    model::detail::mutex_unlock(id(loc), loc);
  }

  /// The runtime id (used by condition_variable).
  std::uint32_t model_id(loc_t loc) {
    return model::detail::resolve(h_, model::detail::object_kind::mutex, 0, {}, 0, loc);
  }

 private:
  std::uint32_t id(loc_t loc) { return model_id(loc); }
  std::mutex real_;
  model::detail::handle h_;
};

class condition_variable {
  using loc_t = std::source_location;

 public:
  condition_variable(loc_t loc = loc_t::current()) {
    model::detail::register_new(h_, model::detail::object_kind::condvar, 0, {}, 0, loc);
  }
  ~condition_variable() { model::detail::unregister(h_, loc_t::current()); }
  condition_variable(const condition_variable&) = delete;
  condition_variable& operator=(const condition_variable&) = delete;

  /// Under the model a wait may wake spuriously (a choice the checker explores).
  void wait(std::unique_lock<wb::mutex>& lock, loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.wait(lock);
    model::detail::cv_wait(id(loc), lock.mutex()->model_id(loc), loc);
  }
  template <class Predicate>
  void wait(std::unique_lock<wb::mutex>& lock, Predicate pred, loc_t loc = loc_t::current()) {
    while (!pred()) wait(lock, loc);
  }
  void notify_one(loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.notify_one();
    model::detail::cv_notify(id(loc), false, loc);
  }
  void notify_all(loc_t loc = loc_t::current()) {
    if (!model::detail::active()) return real_.notify_all();
    model::detail::cv_notify(id(loc), true, loc);
  }

 private:
  std::uint32_t id(loc_t loc) {
    return model::detail::resolve(h_, model::detail::object_kind::condvar, 0, {}, 0, loc);
  }
  std::condition_variable_any real_;
  model::detail::handle h_;
};

/// Blocks while `a` holds `old` (see the normal facade). Under the model a
/// thread that blocks is woken only by wake_one/wake_all on `a`: a missing
/// wake is reported as a deadlock.
template <class T>
inline void wait(const atomic<T>& a, T old, std::memory_order order = std::memory_order_seq_cst,
                 std::source_location loc = std::source_location::current()) noexcept {
  a.wait(old, order, loc);
}

template <class T>
inline void wake_one(atomic<T>& a,
                     std::source_location loc = std::source_location::current()) noexcept {
  a.notify_one(loc);
}

template <class T>
inline void wake_all(atomic<T>& a,
                     std::source_location loc = std::source_location::current()) noexcept {
  a.notify_all(loc);
}

}  // namespace wb
