// The exit codes the workbook's tests end with, so that the runner
// (tools/workbook, which includes this header too) can tell a stub or a hang
// from an ordinary failed check. Dependency-free on purpose.
#pragma once

namespace wb::exit_code {
inline constexpr int not_implemented = 90;  ///< a stub was called
inline constexpr int deadline = 91;         ///< a test did not finish in time
}  // namespace wb::exit_code
