// What <wb/sync.hpp> provides when WB_MODEL=1: the model checker's versions
// of the facade (same names, same use), and std's memory_order names.
#pragma once

#include <wb/model/atomic.hpp>
#include <wb/model/cell.hpp>
#include <wb/model/threads.hpp>

#include <atomic>

namespace wb {
using std::memory_order;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_consume;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;
}  // namespace wb
