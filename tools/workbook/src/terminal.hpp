// How the runner writes to the terminal: colour only on a terminal and only
// when NO_COLOR is unset (https://no-color.org), and the few symbols the
// verdicts use. Cursor tricks (rewriting a "checking…" line) likewise only on
// a terminal, so that logs and pipes read as plain lines.
#pragma once

#include <fmt/color.h>
#include <fmt/core.h>

#include <string>
#include <string_view>

namespace wb::runner {

struct terminal {
  bool colour = false;       ///< escape sequences for colour
  bool interactive = false;  ///< stdout is a terminal: \r rewrites allowed

  /// Decides from isatty(stdout) and NO_COLOR.
  static terminal detect();

  std::string paint(std::string_view text, fmt::text_style style) const;
  std::string bold(std::string_view text) const { return paint(text, fmt::emphasis::bold); }
  std::string dim(std::string_view text) const { return paint(text, fmt::emphasis::faint); }
  std::string red(std::string_view text) const {
    return paint(text, fmt::fg(fmt::terminal_color::red));
  }
  std::string green(std::string_view text) const {
    return paint(text, fmt::fg(fmt::terminal_color::green));
  }
  std::string yellow(std::string_view text) const {
    return paint(text, fmt::fg(fmt::terminal_color::yellow));
  }
  std::string ok() const { return green("✓"); }
  std::string failed() const { return red("✗"); }
  std::string pending() const { return yellow("…"); }

  /// Starts a line that a later finish_line() replaces on a terminal; off a
  /// terminal nothing is printed until finish_line().
  void start_line(std::string_view text) const;
  void finish_line(std::string_view text) const;
};

/// The process-wide terminal settings (set once in main, read everywhere).
terminal& term();

}  // namespace wb::runner
