// `check --all --format json|junit`: what an autograder reads. The JUnit
// document is read back with a small XML reader written for this test (the
// runner has no XML library), which rejects what is not well-formed (an
// unclosed or crossed tag, a stray '<' or '&'), and checked against the
// Ant/Jenkins layout: testsuites > testsuite > testcase > failure | skipped.
#include "class_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <memory>
#include <stdexcept>

using namespace wb::runner;

namespace {

struct element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::unique_ptr<element>> children;
  std::string text;
};

class xml_reader {
 public:
  explicit xml_reader(std::string text) : s_(std::move(text)) {}

  std::unique_ptr<element> document() {
    skip_space();
    if (s_.compare(i_, 5, "<?xml") == 0) i_ = s_.find("?>", i_) + 2;
    skip_space();
    auto root = read_element();
    skip_space();
    if (i_ != s_.size()) throw std::runtime_error("text after the root element");
    return root;
  }

 private:
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void expect(char c) {
    if (i_ >= s_.size() || s_[i_] != c) throw std::runtime_error(std::string("expected ") + c);
    ++i_;
  }
  std::string name() {
    const std::size_t start = i_;
    while (i_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '-'))
      ++i_;
    if (i_ == start) throw std::runtime_error("expected a name");
    return s_.substr(start, i_ - start);
  }
  std::string text_until(char end) {
    std::string out;
    while (i_ < s_.size() && s_[i_] != end) {
      if (s_[i_] == '<') throw std::runtime_error("a raw '<' in text");
      if (s_[i_] == '&') {
        const std::size_t semi = s_.find(';', i_);
        const std::string entity = s_.substr(i_, semi == std::string::npos ? 0 : semi - i_ + 1);
        static const std::map<std::string, char> known = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        if (!known.count(entity)) throw std::runtime_error("a raw '&' in text");
        out += known.at(entity);
        i_ = semi + 1;
        continue;
      }
      out += s_[i_++];
    }
    return out;
  }
  std::unique_ptr<element> read_element() {
    expect('<');
    auto e = std::make_unique<element>();
    e->name = name();
    for (;;) {
      skip_space();
      if (s_.compare(i_, 2, "/>") == 0) {
        i_ += 2;
        return e;
      }
      if (i_ < s_.size() && s_[i_] == '>') break;
      const std::string key = name();
      expect('=');
      expect('"');
      if (e->attributes.count(key)) throw std::runtime_error("attribute twice: " + key);
      e->attributes[key] = text_until('"');
      expect('"');
    }
    expect('>');
    for (;;) {
      e->text += text_until('<');
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        if (name() != e->name) throw std::runtime_error("crossed tags in " + e->name);
        expect('>');
        return e;
      }
      e->children.push_back(read_element());
    }
  }

  std::string s_;
  std::size_t i_ = 0;
};

manifest two_exercises() {
  manifest m;
  exercise a;
  a.name = "ready_slots";
  a.chapter = "03-memory-ordering";
  a.files = {"exercises/03-memory-ordering/ready_slots.hpp"};
  a.layers = {"build", "test", "tsan", "model"};
  exercise b = a;
  b.name = "joining_thread";
  b.chapter = "01-threads";
  b.files = {"exercises/01-threads/joining_thread.hpp"};
  b.layers = {"build", "test", "tsan"};
  m.exercises = {a, b};
  return m;
}

std::vector<verdict> their_verdicts() {
  verdict failed{"ready_slots", false, false, {}};
  failed.layers.push_back({"build", true, "", {}, 1.5});
  failed.layers.push_back({"test",
                           false,
                           "tests fail <2 & 3> \"quoted\"",
                           {"  \x1b[1min test \"x\"\x1b[0m", "    check:    a < b && c > d"},
                           0.25});
  verdict done{"joining_thread", true, false, {}};
  done.layers.push_back({"build", true, "", {}, 1});
  done.layers.push_back({"test", true, "", {}, 1});
  done.layers.push_back({"tsan", true, "", {}, 2});
  return {failed, done};
}

}  // namespace

TEST_CASE("junit: Ant/Jenkins layout, one suite per exercise and one case per layer", "[runner]") {
  const std::string xml = results_junit(two_exercises(), their_verdicts());
  std::unique_ptr<element> root;
  REQUIRE_NOTHROW(root = xml_reader(xml).document());
  CHECK(root->name == "testsuites");
  CHECK(root->attributes.at("tests") == "7");
  CHECK(root->attributes.at("failures") == "1");
  CHECK(root->attributes.at("skipped") == "2");
  REQUIRE(root->children.size() == 2);
  const element& ready = *root->children[0];
  CHECK(ready.name == "testsuite");
  CHECK(ready.attributes.at("name") == "ready_slots");
  CHECK(ready.attributes.at("tests") == "4");
  REQUIRE(ready.children.size() == 4);
  for (const auto& c : ready.children) {
    CHECK(c->name == "testcase");
    CHECK(c->attributes.at("classname") == "03-memory-ordering.ready_slots");
    CHECK(c->attributes.count("time") == 1);
  }
  CHECK(ready.children[0]->attributes.at("name") == "builds");
  CHECK(ready.children[0]->children.empty());
  const element& test = *ready.children[1];
  REQUIRE(test.children.size() == 1);
  CHECK(test.children[0]->name == "failure");
  CHECK(test.children[0]->attributes.at("message") == "tests fail <2 & 3> \"quoted\"");
  CHECK(test.children[0]->text.find("check:    a < b && c > d") != std::string::npos);
  CHECK(test.children[0]->text.find('\x1b') == std::string::npos);  // no colour codes
  REQUIRE(ready.children[3]->children.size() == 1);
  CHECK(ready.children[3]->children[0]->name == "skipped");
  const element& joining = *root->children[1];
  CHECK(joining.attributes.at("failures") == "0");
  CHECK(joining.children.size() == 3);
}

TEST_CASE("junit: the reader in this test rejects what is not well-formed", "[runner]") {
  CHECK_THROWS(xml_reader("<a><b></a></b>").document());
  CHECK_THROWS(xml_reader("<a>x < y</a>").document());
  CHECK_THROWS(xml_reader("<a>x & y</a>").document());
  CHECK_NOTHROW(xml_reader("<a b=\"&lt;\"><c/></a>").document());
}

TEST_CASE("json: every declared layer with its status", "[runner]") {
  const auto doc = nlohmann::json::parse(results_json(two_exercises(), their_verdicts()));
  CHECK(doc.at("format") == "workbook-results-1");
  CHECK(doc.at("exercises") == 2);
  CHECK(doc.at("done") == 1);
  const auto& ready = doc.at("results").at(0);
  CHECK(ready.at("exercise") == "ready_slots");
  CHECK(ready.at("done") == false);
  REQUIRE(ready.at("layers").size() == 4);
  CHECK(ready.at("layers").at(0).at("status") == "passed");
  CHECK(ready.at("layers").at(1).at("status") == "failed");
  CHECK(ready.at("layers").at(1).at("headline") == "tests fail <2 & 3> \"quoted\"");
  CHECK(ready.at("layers").at(1).at("details").at(0) == "  in test \"x\"");
  CHECK(ready.at("layers").at(3).at("status") == "not run");
  CHECK(doc.at("results").at(1).at("done") == true);
}

TEST_CASE("a layer skipped for a missing program: 'skipped' with the reason, not a failure",
          "[runner]") {
  auto exercises = two_exercises();
  auto verdicts = their_verdicts();
  exercises.exercises[1].layers.push_back("windows");
  layer_result skipped{"windows",
                       true,
                       "skipped: wine is not installed (./workbook deps windows installs it)",
                       {},
                       0};
  skipped.skipped = true;
  verdicts[1].layers.push_back(skipped);
  const auto doc = nlohmann::json::parse(results_json(exercises, verdicts));
  CHECK(doc.at("results").at(1).at("layers").at(3).at("status") == "skipped");
  std::unique_ptr<element> root;
  REQUIRE_NOTHROW(root = xml_reader(results_junit(exercises, verdicts)).document());
  CHECK(root->attributes.at("failures") == "1");
  const element& joining = *root->children[1];
  REQUIRE(joining.children.size() == 4);
  REQUIRE(joining.children[3]->children.size() == 1);
  CHECK(joining.children[3]->children[0]->name == "skipped");
  CHECK(joining.children[3]->children[0]->attributes.at("message").find("wine is not installed") !=
        std::string::npos);
}
