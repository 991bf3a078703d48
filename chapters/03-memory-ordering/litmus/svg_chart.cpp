// Chapter 3, litmus lab: the histogram as a self-contained SVG bar chart.
//
// One panel per test, one group of bars per ordering, one bar per outcome. Every group lists the
// same outcomes in the same order (all outcomes seen in any ordering, plus the weak one even when
// never seen), so the eye can compare relaxed, acq/rel and seq_cst side by side. Counts span six
// orders of magnitude (millions of ordinary outcomes, a handful of weak ones), so bar heights use
// a log scale, and the exact count is printed on every bar. Plain SVG 1.1 text, no scripts, fonts
// or other files: any browser opens it. The SVG plumbing is the workbook's one plotting helper,
// <wb/svg.hpp>, shared with the benchmark lab.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <wb/svg.hpp>

#include "litmus_lab.hpp"

namespace litmus {
namespace {

// Layout, in SVG pixels.
constexpr int margin = 24;
constexpr int bar_width = 18;
constexpr int bar_gap = 4;
constexpr int group_gap = 40;
constexpr int min_group_slot = 220;  // room for "weak outcome forbidden by C++, not seen"
constexpr int tuple_overhang = 36;   // the first bar's slanted label reaches this far left
constexpr int plot_height = 150;     // the tallest bar
constexpr int count_headroom = 60;   // rotated count labels above the bars
constexpr int label_room = 64;       // rotated outcome labels below the bars
constexpr int panel_header = 52;
constexpr int panel_footer = 34;
constexpr int panel_height =
    panel_header + count_headroom + plot_height + label_room + panel_footer;
constexpr int page_header = 112;

constexpr std::string_view ordinary_fill = "#5c7cfa";
constexpr std::string_view weak_fill = "#f08c00";
constexpr std::string_view forbidden_fill = "#e03131";

using wb::svg::xml_escape;

// Writes one test's panel with its top edge at `top`.
void write_panel(std::string& svg, const chart_entry& e, int top) {
  const litmus_test& test = *e.test;
  std::set<outcome> outcomes{test.weak};
  std::uint64_t max_count = 1;
  for (const run_result& r : e.results) {
    for (const auto& [out, count] : r.counts) {
      outcomes.insert(out);
      max_count = std::max(max_count, count);
    }
  }
  const double log_max = std::log10(static_cast<double>(max_count) + 1);

  svg += fmt::format(R"(<text x="{}" y="{}" class="test">{} &#8212; {}</text>)"
                     "\n",
                     margin, top + 20, xml_escape(test.name), xml_escape(test.title));
  svg += fmt::format(
      R"(<text x="{}" y="{}" class="code" xml:space="preserve">{}    weak: {}    bars: {}</text>)"
      "\n",
      margin, top + 40, xml_escape(test.program), xml_escape(format_outcome(test, test.weak)),
      fmt::join(test.observed_names.begin(), test.observed_names.begin() + test.observed, ","));

  const int baseline = top + panel_header + count_headroom + plot_height;
  const int group_width = static_cast<int>(outcomes.size()) * (bar_width + bar_gap) - bar_gap;
  const int slot = std::max(group_width, min_group_slot);  // a narrow group is centred in its slot
  int x = margin + tuple_overhang;
  for (ordering o : all_orderings) {
    const auto k = static_cast<std::size_t>(o);
    const run_result& r = e.results[k];
    const int left = x + (slot - group_width) / 2;
    int bar_x = left;
    for (const outcome& out : outcomes) {
      const auto it = r.counts.find(out);
      const std::uint64_t count = it == r.counts.end() ? 0 : it->second;
      const bool weak = out == test.weak;
      const std::string_view fill =
          !weak ? ordinary_fill : (test.weak_allowed[k] ? weak_fill : forbidden_fill);
      const int h = count == 0
                        ? 0
                        : std::max(2, static_cast<int>(std::lround(
                                          plot_height * std::log10(double(count) + 1) / log_max)));
      const std::string tooltip = fmt::format("{} {}: {} = {} of {}", test.name, ordering_name(o),
                                              format_outcome(test, out), count, r.iterations);
      if (count > 0) {
        svg += fmt::format(
            R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>)"
            "\n",
            bar_x, baseline - h, bar_width, h, fill, xml_escape(tooltip));
      } else if (weak) {  // an empty, outlined slot: "looked for it, never saw it"
        svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}" )"
                           R"(stroke-dasharray="3 2"><title>{}</title></rect>)"
                           "\n",
                           bar_x + 1, baseline - plot_height, bar_width - 2, plot_height, fill,
                           xml_escape(tooltip));
      }
      const int cx = bar_x + bar_width / 2 + 4;
      svg += fmt::format(
          R"svg(<text transform="translate({},{}) rotate(-90)" class="count{}">{}</text>)svg"
          "\n",
          cx, baseline - h - 4, weak ? " weak" : "", count);
      svg += fmt::format(
          R"svg(<text transform="translate({},{}) rotate(-60)" class="tuple{}">{}</text>)svg"
          "\n",
          cx, baseline + 10, weak ? " weak" : "", format_tuple(test, out));
      bar_x += bar_width + bar_gap;
    }
    svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)"
                       "\n",
                       left - 2, baseline, left + group_width + 2, baseline);
    svg += fmt::format(R"(<text x="{}" y="{}" class="group">{}</text>)"
                       "\n",
                       x + slot / 2, baseline + label_room + 4, ordering_name(o));
    svg += fmt::format(R"(<text x="{}" y="{}" class="verdict">weak outcome {} by C++, {}</text>)"
                       "\n",
                       x + slot / 2, baseline + label_room + 20,
                       test.weak_allowed[k] ? "allowed" : "forbidden",
                       r.counts.contains(test.weak) ? "seen" : "not seen");
    x += slot + group_gap;
  }
}

}  // namespace

bool write_svg(const std::string& path, std::span<const chart_entry> entries,
               std::string_view subtitle) {
  int width = 640;
  for (const auto& e : entries) {
    std::set<outcome> outcomes{e.test->weak};
    for (const auto& r : e.results) {
      for (const auto& kv : r.counts) outcomes.insert(kv.first);
    }
    const int group = static_cast<int>(outcomes.size()) * (bar_width + bar_gap);
    width = std::max(
        width, 2 * margin + tuple_overhang + 3 * (std::max(group, min_group_slot) + group_gap));
  }
  const int height = page_header + static_cast<int>(entries.size()) * panel_height + margin;

  std::string svg = wb::svg::begin(
      width, height, R"(  text { font-family: sans-serif; font-size: 12px; fill: #212529; }
  .title { font-size: 20px; font-weight: bold; }
  .test { font-size: 16px; font-weight: bold; }
  .code, .tuple { font-family: monospace; }
  .code { white-space: pre; }
  .count { font-size: 10px; fill: #495057; }
  .tuple { font-size: 11px; text-anchor: end; }
  .weak { font-weight: bold; fill: #c92a2a; }
  .group { text-anchor: middle; font-weight: bold; }
  .verdict { text-anchor: middle; font-size: 11px; }
  .axis { stroke: #495057; stroke-width: 1; }
)");
  svg += fmt::format(
      R"(<text x="{0}" y="32" class="title">Litmus lab: how often each outcome happened</text>
<text x="{0}" y="54">{1}. Bar height is logarithmic; the exact count is on each bar.</text>
<rect x="{0}" y="70" width="14" height="14" fill="{2}"/>
<text x="{3}" y="82">outcome some interleaving explains</text>
<rect x="{4}" y="70" width="14" height="14" fill="{5}"/>
<text x="{6}" y="82">weak outcome, allowed by C++</text>
<rect x="{7}" y="70" width="14" height="14" fill="{8}"/>
<text x="{9}" y="82">weak outcome, forbidden by C++ (a bug if it ever appears)</text>
)",
      margin, xml_escape(subtitle), ordinary_fill, margin + 20, margin + 250, weak_fill,
      margin + 270, margin + 460, forbidden_fill, margin + 480);
  int top = page_header;
  for (const auto& e : entries) {
    write_panel(svg, e, top);
    top += panel_height;
  }
  svg += wb::svg::end();
  return wb::svg::write_file(path, svg);
}

std::string format_tuple(const litmus_test& test, const outcome& o) {
  std::string text;
  for (std::size_t k = 0; k < test.observed; ++k) {
    text += fmt::format("{}{}", k == 0 ? "" : ",", o[k]);
  }
  return text;
}

std::string format_outcome(const litmus_test& test, const outcome& o) {
  std::string text;
  for (std::size_t k = 0; k < test.observed; ++k) {
    text += fmt::format("{}{}={}", k == 0 ? "" : " ", test.observed_names[k], o[k]);
  }
  return text;
}

}  // namespace litmus
