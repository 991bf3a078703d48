// Catch2 2.x console output read back as "which check, expected vs actual,
// where". The console reporter writes, for each failed assertion:
//
//   ---------------------------------------------------------------------
//   <test case name>
//     <section>...
//   ---------------------------------------------------------------------
//   /path/x_test.cpp:20
//   .....................................................................
//
//   /path/x_test.cpp:31: FAILED:
//     REQUIRE( sum == 42 )
//   with expansion:
//     41 == 42
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

struct catch2_failure {
  std::string test_case;
  std::vector<std::string> sections;
  std::string where;                  ///< file:line of the failed check, repository-relative
  std::string check;                  ///< REQUIRE( sum == 42 )
  std::string expansion;              ///< 41 == 42
  std::vector<std::string> messages;  ///< "due to unexpected exception with message: boom", ...
};

std::vector<catch2_failure> parse_catch2_failures(std::string_view output,
                                                  std::string_view source_root);

/// "test cases: 5 | 3 passed | 2 failed", when present.
std::string catch2_totals(std::string_view output);

/// The lines to print for the first `limit` failures, then a count of the rest.
std::vector<std::string> render_catch2_failures(const std::vector<catch2_failure>& failures,
                                                std::size_t limit = 2);

}  // namespace wb::runner
