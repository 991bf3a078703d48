// The workbook's one plotting helper: self-contained SVG 1.1 text (no scripts, fonts or other
// files; any browser opens it, and the book embeds it as an image). Grown from chapter 3's litmus
// lab, which draws its log-scale histograms with these pieces; the benchmark lab
// (tools/bench/lab.cpp) draws its ratio charts with bar_chart().
#pragma once

#include <fmt/format.h>
#include <wb/xml.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace wb::svg {

using wb::xml_escape;  // wb/xml.hpp

// The opening of a document of the given size, with a white background and `style` (CSS rules).
inline std::string begin(int width, int height, std::string_view style) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">
<style>
{2}</style>
<rect width="100%" height="100%" fill="white"/>
)",
                     width, height, style);
}

inline std::string end() { return "</svg>\n"; }

// Writes `text` to `path`; returns false (with errno set) if the file cannot be written.
inline bool write_file(const std::string& path, std::string_view text) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int saved_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written) errno = saved_errno;
  return written && closed;
}

// ---- a chart of horizontal bars in labelled groups -------------------------------------------
struct bar {
  std::string label;       // left of the bar
  double value = 0;        // its length, on the chart's linear scale
  std::string text;        // right of the bar (e.g. "1.23x  15.1 ns")
  bool highlight = false;  // drawn in the accent colour (e.g. the baseline)
};

struct bar_group {
  std::string title;
  std::vector<bar> bars;
};

struct bar_chart_spec {
  std::string title;
  std::vector<std::string> subtitle;  // lines under the title
  std::string note;                   // one line at the bottom
  double reference = 0;               // a dashed vertical line at this value (0: none), e.g. 1.0x
  std::string reference_label;        // its label
  double clip = 0;  // longer bars stop here (their text still gives the value); 0: none
};

// Horizontal bars on one linear scale shared by all groups, from 0 to the largest value.
inline std::string bar_chart(const bar_chart_spec& spec, const std::vector<bar_group>& groups) {
  constexpr int margin = 24, label_width = 190, plot_width = 420, text_width = 170;
  constexpr int bar_height = 14, bar_gap = 4, group_header = 26, group_gap = 12, page_header = 40;
  constexpr int line_height = 18;
  const int header = page_header + line_height * static_cast<int>(spec.subtitle.size());
  double max_value = spec.reference;
  int height = header + 40;
  for (const auto& g : groups) {
    height += group_header + group_gap + static_cast<int>(g.bars.size()) * (bar_height + bar_gap);
    for (const auto& b : g.bars) max_value = std::max(max_value, b.value);
  }
  if (spec.clip > 0) max_value = std::min(max_value, spec.clip);
  if (max_value <= 0) max_value = 1;
  const int width = 2 * margin + label_width + plot_width + text_width;
  const int plot_left = margin + label_width;
  auto scale = [&](double v) {
    return static_cast<int>(std::lround(plot_width * std::clamp(v, 0.0, max_value) / max_value));
  };

  std::string svg =
      begin(width, height, R"(  text { font-family: sans-serif; font-size: 12px; fill: #212529; }
  .title { font-size: 18px; font-weight: bold; }
  .group { font-weight: bold; }
  .label { text-anchor: end; font-family: monospace; font-size: 11px; }
  .value { font-family: monospace; font-size: 11px; }
  .ref { stroke: #868e96; stroke-dasharray: 4 3; }
)");
  svg += fmt::format(R"(<text x="{}" y="30" class="title">{}</text>)"
                     "\n",
                     margin, xml_escape(spec.title));
  int y = page_header;
  for (const auto& line : spec.subtitle) {
    y += line_height;
    svg += fmt::format(R"(<text x="{}" y="{}">{}</text>)"
                       "\n",
                       margin, y, xml_escape(line));
  }
  y = header + 10;
  for (const auto& g : groups) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="group">{}</text>)"
                       "\n",
                       margin, y + 16, xml_escape(g.title));
    y += group_header;
    const int top = y;
    for (const auto& b : g.bars) {
      const int w = scale(b.value);
      svg += fmt::format(
          R"(<text x="{}" y="{}" class="label">{}</text>)"
          "\n"
          R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>)"
          "\n"
          R"(<text x="{}" y="{}" class="value">{}</text>)"
          "\n",
          plot_left - 6, y + bar_height - 3, xml_escape(b.label), plot_left, y, std::max(w, 1),
          bar_height, b.highlight ? "#f08c00" : "#5c7cfa", xml_escape(b.label), xml_escape(b.text),
          plot_left + w + 6, y + bar_height - 3, xml_escape(b.text));
      y += bar_height + bar_gap;
    }
    if (spec.reference > 0) {
      const int x = plot_left + scale(spec.reference);
      svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" class="ref"/>)"
                         "\n",
                         x, top - 4, y);
    }
    y += group_gap;
  }
  if (spec.reference > 0) {
    svg += fmt::format(R"(<text x="{}" y="{}">dashed line: {}</text>)"
                       "\n",
                       margin, y + 12, xml_escape(spec.reference_label));
  }
  svg += fmt::format(R"(<text x="{}" y="{}">{}</text>)"
                     "\n",
                     margin, y + 30, xml_escape(spec.note));
  return svg + end();
}

}  // namespace wb::svg
