// The model tree's exercise tests compile only their model cases.
//
// In the model tree an exercise's test binary is only ever run with the
// Catch2 filter "[model]" (the model layer's test arguments,
// cmake/WorkbookLayers.cmake): its other cases (stress runs, deadlines,
// scripted schedules) are compiled, never run. Compiling them is most of
// the cost of a model-tree test: the run-time cases instantiate thread
// groups, lambdas and Catch2 expressions that the model cases do not. This
// header, the last one of the precompiled header those tests reuse
// (common/CMakeLists.txt, wb_pch_model_cases), redefines TEST_CASE so that a
// case whose tags do not mention "model" is declared as a function template
// that nothing instantiates: its body is parsed (a typo in it is still an
// error) but generates no code, and it is not registered with Catch2.
//
// The choice is conservative: a case is kept if its tags contain "model"
// anywhere, in any case, so every case that the filter "[model]" selects
// (Catch2 compares tags without regard to case, and "[.model]" is a hidden
// case tagged "model") is kept. A case kept without need costs only time.
// Only TEST_CASE is redefined; the tests use no other registration macro
// (TEMPLATE_TEST_CASE cases are compiled as before).
#pragma once

#include <catch2/catch.hpp>

namespace wb::detail {

/// True when a TEST_CASE's tags mention "model" (ASCII, any case).
consteval bool mentions_model(const char* /*name*/) { return false; }
consteval bool mentions_model(const char* /*name*/, const char* tags) {
  constexpr char word[] = "model";
  for (const char* at = tags; *at != '\0'; ++at) {
    int i = 0;
    while (word[i] != '\0' && at[i] != '\0' && (at[i] | 0x20) == word[i]) ++i;
    if (word[i] == '\0') return true;
  }
  return false;
}

/// Registers the case with Catch2 only when Keep is true. `pick` is a
/// generic lambda that names the case's function template: a case that is
/// not kept never calls it, so the template is never instantiated.
template <bool Keep>
struct register_if {
  template <class Pick>
  register_if(Pick /*pick*/, const Catch::SourceLineInfo& /*line*/,
              const Catch::NameAndTags& /*name_and_tags*/) {}
};

template <>
struct register_if<true> {
  template <class Pick>
  register_if(Pick pick, const Catch::SourceLineInfo& line,
              const Catch::NameAndTags& name_and_tags) {
    const Catch::AutoReg registration(Catch::makeTestInvoker(pick(0)), line, Catch::StringRef(),
                                      name_and_tags);
  }
};

}  // namespace wb::detail

#undef TEST_CASE
#define WB_MODEL_CASES_ONLY_TESTCASE(TestName, ...)                                       \
  template <int>                                                                          \
  static void TestName();                                                                 \
  namespace {                                                                             \
  const ::wb::detail::register_if<::wb::detail::mentions_model(__VA_ARGS__)>              \
      INTERNAL_CATCH_UNIQUE_NAME(wb_model_case_registration)(                             \
          [](auto zero) { return &TestName<decltype(zero){}>; }, CATCH_INTERNAL_LINEINFO, \
          Catch::NameAndTags{__VA_ARGS__});                                               \
  }                                                                                       \
  template <int>                                                                          \
  static void TestName()
#define TEST_CASE(...) \
  WB_MODEL_CASES_ONLY_TESTCASE(INTERNAL_CATCH_UNIQUE_NAME(C_A_T_C_H_T_E_S_T_), __VA_ARGS__)
