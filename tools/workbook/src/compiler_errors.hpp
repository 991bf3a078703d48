// Compiler output made readable: the first error in the learner's own file,
// with its source snippet, and the rest folded into a count. g++ and clang
// both write `file:line:col: error: message` followed by snippet lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

struct compiler_error {
  std::string file;  ///< relative to the repository when it is inside it
  int line = 0;
  int column = 0;
  std::string message;
  std::vector<std::string> snippet;  ///< the `  12 | code` / `     |   ^` lines
  std::vector<std::string> notes;    ///< `note:` lines that belong to it
};

struct compiler_report {
  std::vector<compiler_error> errors;
  std::vector<std::string> other_lines;  ///< linker errors and the like, when no error parsed
};

compiler_report parse_compiler_output(std::string_view output, std::string_view source_root);

/// Index of the error to show: the first one in a learner file, else the first.
std::size_t error_to_show(const compiler_report& report,
                          const std::vector<std::string>& learner_files);

/// The lines to print: the chosen error with its snippet and notes (at most
/// a few), then "N more errors folded". `rebuild_command` says how to see all.
std::vector<std::string> render_compiler_report(const compiler_report& report,
                                                const std::vector<std::string>& learner_files,
                                                std::string_view rebuild_command);

}  // namespace wb::runner
