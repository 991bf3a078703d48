// What the model checker's own tests of blocking, races, waiting, lifetimes
// and exceptions share (model_{locks,race,wait,lifetime,exceptions}_test.cpp).
#pragma once

#include <catch2/catch.hpp>

#include <wb/model.hpp>
#include <wb/sync.hpp>

#include <mutex>
#include <string>

using Catch::Matchers::Contains;

namespace {

constexpr auto relaxed = wb::memory_order_relaxed;
constexpr auto acquire = wb::memory_order_acquire;
constexpr auto release = wb::memory_order_release;

/// The report of the first failing execution, or "" when every execution passed.
template <class Body>
std::string report_of(Body body, wb::model::options opts = {}) {
  try {
    wb::model::check(body, opts);
  } catch (const wb::model::failure& f) { return f.what(); }
  return {};
}

}  // namespace

#define MODEL_ONLY()                                                                     \
  if (!wb::model::enabled()) {                                                           \
    SUCCEED("this scenario fails or blocks by design: it needs the model (WB_MODEL=1)"); \
    return;                                                                              \
  }
