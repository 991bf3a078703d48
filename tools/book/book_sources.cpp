// book-sources: keeps the chapters' markdown readable as markdown and identical
// to what it quotes (DESIGN.md section 6).
//
// A chapter README quotes a compiled demo as a fenced code block under a marker
// that names its source:
//
//   <!-- snippet: 01-threads/examples/01-01-hello-threads.cpp [spawn-and-join] -->
//   ```cpp
//   ...the lines between the two "// [spawn-and-join]" lines of the demo...
//   ```
//
// and shows a diagram as a committed SVG generated from a committed Graphviz
// source (chapters/NN-topic/diagrams/name.dot -> name.svg); the SVG records a
// hash of its source in a comment, so a changed source shows as drift.
//
//   book-sources [--check] [--root DIR] [FILE.md | CHAPTER_DIR]...
//
// Without --check it rewrites in place: each raw Doxygen `\snippet path marker`
// line becomes a marked fenced block, each marked block is refreshed from its
// demo, each raw `\dot ... \enddot` block becomes diagrams/<file>-<n>.dot plus
// an image embed, and each diagrams/*.dot whose SVG is missing or stale is
// rendered again with Graphviz's `dot`. With --check it changes nothing and
// fails (exit 1), naming file, line and block, on any drift, raw \snippet or
// \dot line, missing source, or image embed whose file does not exist.
// With no files: every chapters/*/README.md, common/MODEL.md and book/*.md.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Options {
  bool check = false;
  fs::path root = ".";
  std::vector<fs::path> inputs;
};

int problems = 0;

void problem(const fs::path& file, std::size_t line, const std::string& what) {
  ++problems;
  std::cerr << file.string() << ':' << line << ": " << what << '\n';
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "book-sources: cannot write " << path.string() << '\n';
    std::exit(2);
  }
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + '\n';
  return text;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// FNV-1a, 64 bits: enough to notice that a diagram's source changed.
std::string source_hash(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

// The lines strictly between the first two lines of `source` that carry the
// comment marker `// [marker]`, with their common indentation removed (the
// lines Doxygen's \snippet shows).
std::optional<std::vector<std::string>> extract_snippet(const std::string& source,
                                                        const std::string& marker) {
  const std::string tag = "// [" + marker + "]";
  std::vector<std::string> lines = split_lines(source);
  std::vector<std::string> body;
  int seen = 0;
  for (const auto& line : lines) {
    if (line.find(tag) != std::string::npos) {
      if (++seen == 2) break;
      continue;
    }
    if (seen == 1) body.push_back(line);
  }
  if (seen != 2) return std::nullopt;
  std::size_t indent = std::string::npos;
  for (const auto& line : body) {
    if (trim(line).empty()) continue;
    indent = std::min(indent, line.find_first_not_of(' '));
  }
  for (auto& line : body) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    line = line.size() > indent ? line.substr(indent) : "";
  }
  while (!body.empty() && body.front().empty()) body.erase(body.begin());
  while (!body.empty() && body.back().empty()) body.pop_back();
  return body;
}

std::string language_of(const std::string& path) {
  const auto ext = fs::path(path).extension().string();
  if (ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc") return "cpp";
  if (ext == ".cmake" || fs::path(path).filename() == "CMakeLists.txt") return "cmake";
  if (ext == ".sh") return "sh";
  return "";
}

// The fenced block that quotes `marker` of `path` (relative to chapters/).
std::optional<std::vector<std::string>> quote_block(const Options& opt, const std::string& path,
                                                    const std::string& marker, const fs::path& md,
                                                    std::size_t line) {
  const auto source = read_file(opt.root / "chapters" / path);
  if (!source) {
    problem(md, line, "snippet source chapters/" + path + " does not exist");
    return std::nullopt;
  }
  auto body = extract_snippet(*source, marker);
  if (!body) {
    problem(md, line, "chapters/" + path + " has no pair of \"// [" + marker + "]\" lines");
    return std::nullopt;
  }
  std::string fence = "```";
  for (const auto& l : *body)
    while (l.find(fence) != std::string::npos) fence += '`';
  std::vector<std::string> block;
  block.push_back("<!-- snippet: " + path + " [" + marker + "] -->");
  block.push_back(fence + language_of(path));
  block.insert(block.end(), body->begin(), body->end());
  block.push_back(fence);
  return block;
}

bool is_fence(const std::string& line, std::string* fence) {
  const std::string t = trim(line);
  std::size_t n = 0;
  while (n < t.size() && t[n] == '`') ++n;
  if (n < 3) return false;
  if (fence) *fence = t.substr(0, n);
  return true;
}

// Renders a Graphviz source to SVG with its hash recorded after the XML prolog.
bool render_diagram(const fs::path& dot_file, const std::string& hash, const fs::path& svg) {
  const fs::path tmp = svg.string() + ".tmp";
  const std::string command = "dot -Tsvg \"" + dot_file.string() + "\" -o \"" + tmp.string() + "\"";
  if (std::system(command.c_str()) != 0) {
    problem(dot_file, 1, "Graphviz failed: " + command);
    return false;
  }
  auto svg_text = read_file(tmp);
  fs::remove(tmp);
  if (!svg_text) return false;
  const std::string stamp = "<!-- book-sources: generated from " + dot_file.filename().string() +
                            " (source hash " + hash + "); edit the .dot, not this file -->\n";
  auto pos = svg_text->find("?>\n");
  pos = pos == std::string::npos ? 0 : pos + 3;
  svg_text->insert(pos, stamp);
  write_file(svg, *svg_text);
  std::cout << "rendered " << svg.string() << '\n';
  return true;
}

void process_diagrams(const Options& opt, const fs::path& dir) {
  if (!fs::is_directory(dir)) return;
  std::vector<fs::path> sources;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".dot") sources.push_back(entry.path());
  std::sort(sources.begin(), sources.end());
  for (const auto& dot_file : sources) {
    const auto text = read_file(dot_file);
    if (!text) continue;
    const std::string hash = source_hash(*text);
    fs::path svg = dot_file;
    svg.replace_extension(".svg");
    const auto svg_text = read_file(svg);
    const bool current =
        svg_text && svg_text->find("(source hash " + hash + ")") != std::string::npos;
    if (current) continue;
    if (opt.check)
      problem(svg, 1,
              svg_text ? "does not match its source " + dot_file.filename().string() +
                             " (regenerate it: cmake --build --preset dev --target book-sources)"
                       : "missing: render " + dot_file.filename().string() +
                             " (cmake --build --preset dev --target book-sources)");
    else render_diagram(dot_file, hash, svg);
  }
}

void process_markdown(const Options& opt, const fs::path& md) {
  const auto text = read_file(md);
  if (!text) {
    problem(md, 0, "cannot read");
    return;
  }
  const std::vector<std::string> in = split_lines(*text);
  std::vector<std::string> out;
  static const std::regex raw_snippet(R"(^\s*\\snippet(\{[^}]*\})?\s+(\S+)\s+(\S+)\s*$)");
  static const std::regex marked(R"(^<!-- snippet: (\S+) \[([^\]]+)\] -->\s*$)");
  static const std::regex raw_dot(R"re(^\s*\\dot(\s+"([^"]*)")?\s*$)re");
  static const std::regex image(R"(!\[[^\]]*\]\(([^)\s]+)\))");
  int dot_count = 0;
  bool in_fence = false;
  std::string open_fence;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string& line = in[i];
    const std::size_t lineno = i + 1;
    std::smatch m;
    if (std::regex_match(line, m, marked)) {
      std::size_t j = i + 1;
      std::string fence;
      if (j >= in.size() || !is_fence(in[j], &fence)) {
        problem(md, lineno, "snippet marker not followed by a fenced code block");
        out.push_back(line);
        continue;
      }
      std::size_t end = j + 1;
      while (end < in.size() && trim(in[end]) != fence) ++end;
      if (end == in.size()) {
        problem(md, lineno, "snippet block has no closing fence");
        out.insert(out.end(), in.begin() + static_cast<long>(i), in.end());
        break;
      }
      const std::vector<std::string> current(
          in.begin() + static_cast<long>(i),
          in.begin() + static_cast<long>(std::min(end + 1, in.size())));
      const auto fresh = quote_block(opt, m[1], m[2], md, lineno);
      if (!fresh) {
        out.insert(out.end(), current.begin(), current.end());
      } else {
        if (*fresh != current && opt.check)
          problem(md, lineno,
                  "the block quoting " + std::string(m[1]) + " [" + std::string(m[2]) +
                      "] differs from the demo (refresh it: cmake --build --preset dev --target "
                      "book-sources)");
        out.insert(out.end(), fresh->begin(), fresh->end());
      }
      i = std::min(end, in.size());
      continue;
    }
    std::string fence;
    if (is_fence(line, &fence)) {
      if (!in_fence) {
        in_fence = true;
        open_fence = fence;
      } else if (trim(line) == open_fence) {
        in_fence = false;
      }
      out.push_back(line);
      continue;
    }
    if (in_fence) {
      out.push_back(line);
      continue;
    }
    if (std::regex_match(line, m, raw_snippet)) {
      if (opt.check) {
        problem(
            md, lineno,
            "raw \\snippet line (convert it: cmake --build --preset dev --target book-sources)");
        out.push_back(line);
        continue;
      }
      const auto fresh = quote_block(opt, m[2], m[3], md, lineno);
      if (fresh) out.insert(out.end(), fresh->begin(), fresh->end());
      else out.push_back(line);
      continue;
    }
    if (std::regex_match(line, m, raw_dot)) {
      std::size_t end = i + 1;
      while (end < in.size() && trim(in[end]) != "\\enddot") ++end;
      if (opt.check || end == in.size()) {
        problem(
            md, lineno,
            end == in.size()
                ? "\\dot without \\enddot"
                : "raw \\dot block (convert it: cmake --build --preset dev --target book-sources)");
        out.push_back(line);
        continue;
      }
      ++dot_count;
      const fs::path dir = md.parent_path() / "diagrams";
      fs::create_directories(dir);
      std::string stem = md.parent_path().filename().string().substr(0, 2) + "-diagram-" +
                         std::to_string(dot_count);
      while (fs::exists(dir / (stem + ".dot"))) stem += "x";
      std::vector<std::string> body(in.begin() + static_cast<long>(i) + 1,
                                    in.begin() + static_cast<long>(end));
      write_file(dir / (stem + ".dot"), join_lines(body));
      const std::string caption = m[2].matched ? std::string(m[2]) : stem;
      out.push_back("![" + caption + "](diagrams/" + stem + ".svg)");
      i = end;
      continue;
    }
    for (auto it = std::sregex_iterator(line.begin(), line.end(), image);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1];
      if (target.find("://") != std::string::npos) continue;
      const fs::path file = md.parent_path() / target;
      fs::path dot_source = file;
      dot_source.replace_extension(".dot");
      if (!fs::exists(file) && !(file.extension() == ".svg" && fs::exists(dot_source)))
        problem(md, lineno, "image " + target + " does not exist");
    }
    out.push_back(line);
  }
  if (!opt.check) {
    // Diagrams written from \dot blocks above are rendered below.
    const std::string updated = join_lines(out);
    if (updated != *text) {
      write_file(md, updated);
      std::cout << "updated " << md.string() << '\n';
    }
  }
  process_diagrams(opt, md.parent_path() / "diagrams");
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--check") opt.check = true;
    else if (arg == "--root" && i + 1 < argc) opt.root = argv[++i];
    else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: book-sources [--check] [--root DIR] [FILE.md | CHAPTER_DIR]...\n";
      return 0;
    } else opt.inputs.emplace_back(arg);
  }
  std::vector<fs::path> files;
  if (opt.inputs.empty()) {
    std::vector<fs::path> chapters;
    for (const auto& entry : fs::directory_iterator(opt.root / "chapters"))
      if (entry.is_directory() && fs::exists(entry.path() / "README.md"))
        chapters.push_back(entry.path() / "README.md");
    std::sort(chapters.begin(), chapters.end());
    files = chapters;
    files.push_back(opt.root / "common" / "MODEL.md");
    for (const auto& entry : fs::directory_iterator(opt.root / "book"))
      if (entry.path().extension() == ".md") files.push_back(entry.path());
  } else {
    for (const auto& input : opt.inputs)
      files.push_back(fs::is_directory(input) ? input / "README.md" : input);
  }
  for (const auto& file : files) process_markdown(opt, file);
  if (problems > 0) {
    std::cerr << "book-sources: " << problems << " problem(s)\n";
    return 1;
  }
  if (opt.check) std::cout << "book-sources: " << files.size() << " file(s) match their sources\n";
  return 0;
}
