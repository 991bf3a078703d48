// The one XML text escaper, for everything the workbook writes as XML: the
// SVG plots (wb/svg.hpp) and the runner's JUnit report
// (tools/workbook/src/class_report.cpp).
#pragma once

#include <string>
#include <string_view>

namespace wb {

/// `text` as XML 1.0 character data or an attribute value (in either
/// quotes): the five special characters as entities, and each control
/// character XML 1.0 does not allow (all below 0x20 but tab, newline and
/// carriage return, which an ANSI colour code or a stray byte of a test's
/// output can hold) as a space.
inline std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace wb
