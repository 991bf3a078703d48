// The model checker's runtime interface: what the modelled facade types
// (wb/model/atomic.hpp, threads.hpp, cell.hpp) call. Not for tests.
//
// Every modelled object has two lives. Outside a running check() it is a
// plain object (an atomic is a std::atomic_ref on its own value, a mutex a
// std::mutex), so setup code in an ordinary test works. Inside an execution
// it is a numbered object of the runtime (a1, m1, cv1, c1, by creation
// order), reached through a `handle`. An object created before check() and
// used inside it is registered lazily at its first use in each execution,
// with its plain value as the initial store — so every execution starts from
// the same state.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <source_location>

namespace wb::model::detail {

using loc_t = std::source_location;

/// How the trace prints an atomic's value.
enum class value_kind : std::uint8_t { boolean, signed_int, unsigned_int, pointer };

/// Which kind of object; also the label prefix in the trace.
enum class object_kind : std::uint8_t { atomic, mutex, condvar, cell };

/// The number of the running execution, 0 when no check() runs on this OS
/// thread (every fiber of a check runs on the calling OS thread).
extern thread_local std::uint64_t current_generation;

inline bool active() noexcept { return current_generation != 0; }

/// An object's runtime id, valid while `generation` is the running one.
struct handle {
  std::uint32_t id = 0;
  std::uint64_t generation = 0;
};

/// A thread body, type-erased and move-only (std::function needs copies).
struct task {
  virtual ~task() = default;
  virtual void run() = 0;
};

std::uint32_t register_object(object_kind kind, std::uint64_t init_bits, value_kind vk, int size,
                              bool created_now, const void* address, loc_t loc);
/// `id` if it still names the object whose handle is at `where`; otherwise
/// the handle was overwritten (its memory freed and reused): a use after
/// destruction, reported.
std::uint32_t checked_id(std::uint32_t id, const void* address, loc_t loc);
void destroy_object(std::uint32_t id, loc_t loc);

/// The object's id in the running execution, registering it lazily.
inline std::uint32_t resolve(handle& h, object_kind kind, std::uint64_t init_bits, value_kind vk,
                             int size, loc_t loc) {
  if (h.generation != current_generation) {
    h.id = register_object(kind, init_bits, vk, size, false, &h, loc);
    h.generation = current_generation;
    return h.id;
  }
  return checked_id(h.id, &h, loc);
}

/// Registers an object constructed while a check runs (a trace line "create").
inline void register_new(handle& h, object_kind kind, std::uint64_t init_bits, value_kind vk,
                         int size, loc_t loc) {
  if (!active()) return;
  h.id = register_object(kind, init_bits, vk, size, true, &h, loc);
  h.generation = current_generation;
}

inline void unregister(handle& h, loc_t loc) {
  if (active() && h.generation == current_generation) destroy_object(h.id, loc);
}

// --- atomics (values travel as their object representation, zero-extended) --
using rmw_fn = std::uint64_t (*)(const void* operand, std::uint64_t old_bits);

std::uint64_t atomic_load(std::uint32_t id, std::memory_order order, loc_t loc);
void atomic_store(std::uint32_t id, std::uint64_t bits, std::memory_order order, loc_t loc);
std::uint64_t atomic_rmw(std::uint32_t id, const char* op, std::uint64_t operand_bits, rmw_fn fn,
                         const void* operand, std::memory_order order, loc_t loc);
bool atomic_cas(std::uint32_t id, std::uint64_t& expected_bits, std::uint64_t desired_bits,
                bool weak, std::memory_order success, std::memory_order failure, loc_t loc);
void atomic_wait(std::uint32_t id, std::uint64_t old_bits, std::memory_order order, loc_t loc);
void atomic_wake(std::uint32_t id, bool all, loc_t loc);
void fence(std::memory_order order, loc_t loc);
void spin_hint(loc_t loc);

// --- threads, mutexes, condition variables, cells ---------------------------
std::uint32_t spawn(std::unique_ptr<task> body, loc_t loc);
void join(std::uint32_t thread, loc_t loc);
std::uint32_t current_thread() noexcept;
/// Reports misuse of a wb::thread (destroyed while joinable, detach).
void thread_misuse(const char* what, std::uint32_t thread, loc_t loc);

void mutex_lock(std::uint32_t id, loc_t loc);
bool mutex_try_lock(std::uint32_t id, loc_t loc);
void mutex_unlock(std::uint32_t id, loc_t loc);

void cv_wait(std::uint32_t cv, std::uint32_t mutex, loc_t loc);
void cv_notify(std::uint32_t cv, bool all, loc_t loc);

void cell_access(std::uint32_t id, bool write, loc_t loc);

}  // namespace wb::model::detail
