// Failed assertions as the test wrote them. The Catch2 main
// (common/src/test_main.cpp) appends each failed assertion's message to the
// file named by WB_FAILURE_RECORD, unwrapped and unprefixed: the console
// reporter's copy is wrapped at 80 columns with every line prefixed, and the
// model checker's trace is unreadable that way. The model checker's failures
// are explained from these records:
//
//   ✗ model checker — data race on c1: write by t1 and read by t0 are not ordered by happens-before
//     in test "ready_slots: model try_collect sees every published value"
//     <the checker's report, line for line, paths repository-relative>
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

struct failure_record {
  std::string where;      ///< file:line of the assertion (as the compiler named the file)
  std::string test_case;  ///< the test case it failed in
  std::string message;    ///< exactly as thrown or written
};

/// The records of a WB_FAILURE_RECORD file ("wb-failure <bytes> <where>
/// <test case>\n<message>\n" each); a damaged tail is ignored.
std::vector<failure_record> parse_failure_records(std::string_view text);

/// What the learner should look at first, of a list of repository-relative
/// locations (stack frames, trace lines): the first in one of the learner's
/// files, else the first in the test's directory, else the first inside the
/// repository at all (a location starting with '/' is outside it). Empty
/// when there is none. Every layer shows its frame through this.
struct frame_preference {
  std::vector<std::string> learner_files;  ///< exercises/03-memory-ordering/ready_slots.hpp
  std::string test_dir;                    ///< chapters/03-memory-ordering/tests/
};
bool in_learner_files(std::string_view location, const frame_preference& prefer);
std::optional<std::size_t> pick_frame(const std::vector<std::string>& locations,
                                      const frame_preference& prefer);

/// A model checker's finding, read from the records of a failed run.
struct model_explanation {
  std::string headline;              ///< "data race on c1: write by t1 and ..."
  std::vector<std::string> details;  ///< the test, then the report as printed
};

/// The finding of the first record whose message is a model checker report
/// ("wb::model: <finding>" and the lines after it), with the repository root
/// stripped from every path (so the replay command runs from the repository);
/// the other failed test cases follow as one line each. nullopt when no
/// record is the model checker's.
std::optional<model_explanation> explain_model_records(const std::vector<failure_record>& records,
                                                       std::string_view source_root,
                                                       const frame_preference& prefer);

}  // namespace wb::runner
