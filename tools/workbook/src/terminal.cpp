#include "terminal.hpp"

#include <unistd.h>
#include <cstdio>
#include <cstdlib>

namespace wb::runner {

terminal terminal::detect() {
  terminal t;
  t.interactive = ::isatty(STDOUT_FILENO) == 1;
  const char* no_colour = std::getenv("NO_COLOR");
  t.colour = t.interactive && (no_colour == nullptr || *no_colour == '\0');
  return t;
}

std::string terminal::paint(std::string_view text, fmt::text_style style) const {
  if (!colour) return std::string(text);
  return fmt::format(style, "{}", text);
}

void terminal::start_line(std::string_view text) const {
  if (!interactive) return;
  fmt::print("{}", text);
  std::fflush(stdout);
}

void terminal::finish_line(std::string_view text) const {
  if (interactive) fmt::print("\r\x1b[K");
  fmt::print("{}\n", text);
  std::fflush(stdout);
}

terminal& term() {
  static terminal instance = terminal::detect();
  return instance;
}

}  // namespace wb::runner
