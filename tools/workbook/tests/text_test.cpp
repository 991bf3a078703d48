// Pure helpers: did-you-mean, paths, hashing.
#include "text.hpp"
#include "content_hash.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace wb::runner;

TEST_CASE("edit_distance: insertions deletions and substitutions", "[runner]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("lock", "lock") == 0);
  CHECK(edit_distance("lock", "block") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("abc", "") == 3);
}

TEST_CASE("did_you_mean: a typo finds the exercise and a part finds the full name", "[runner]") {
  const std::vector<std::string> names = {"joining_thread", "parallel_sum", "blocking_queue",
                                          "fetch_max"};
  CHECK(did_you_mean("joinig_thread", names) == std::vector<std::string>{"joining_thread"});
  CHECK(did_you_mean("queue", names) == std::vector<std::string>{"blocking_queue"});
  CHECK(did_you_mean("fetch_min", names) == std::vector<std::string>{"fetch_max"});
  CHECK(did_you_mean("zzzzzzzz", names).empty());
}

TEST_CASE("did_you_mean: commands", "[runner]") {
  const std::vector<std::string> commands = {"list", "check", "hint", "reset", "demo", "book"};
  CHECK(did_you_mean("chek", commands).front() == "check");
  CHECK(did_you_mean("lsit", commands).front() == "list");
}

TEST_CASE("relative_to and strip_root: repository paths", "[runner]") {
  CHECK(relative_to("/ROOT/exercises/01-threads/x.hpp", "/ROOT") == "exercises/01-threads/x.hpp");
  CHECK(relative_to("/usr/include/c++/12/mutex", "/ROOT") == "/usr/include/c++/12/mutex");
  CHECK(strip_root("at /ROOT/a.hpp:3 and /ROOT/b.hpp:4", "/ROOT") == "at a.hpp:3 and b.hpp:4");
}

TEST_CASE("progress_bar: filled in proportion", "[runner]") {
  CHECK(progress_bar(0, 4, 4) == "[····]");
  CHECK(progress_bar(2, 4, 4) == "[██··]");
  CHECK(progress_bar(4, 4, 4) == "[████]");
  CHECK(progress_bar(0, 0, 2) == "[··]");
}

TEST_CASE("content_hash: the same bytes give the same key and any change gives another",
          "[runner]") {
  content_hash a;
  a.add("ab");
  a.add("c");
  content_hash b;
  b.add("a");
  b.add("bc");
  CHECK(a.hex() != b.hex());
  content_hash c;
  c.add("ab");
  c.add("c");
  CHECK(a.hex() == c.hex());
  CHECK(a.hex().size() == 16);

  const auto dir = std::filesystem::temp_directory_path() / "workbook-runner-hash-test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "x.hpp";
  std::ofstream(file) << "int x;\n";
  content_hash before;
  before.add_file(file);
  std::ofstream(file) << "int y;\n";
  content_hash after;
  after.add_file(file);
  content_hash missing;
  missing.add_file(dir / "no-such-file");
  CHECK(before.hex() != after.hex());
  CHECK(missing.hex() != before.hex());
  CHECK(files_under(dir) == std::vector<std::filesystem::path>{file});
  std::filesystem::remove_all(dir);
}
