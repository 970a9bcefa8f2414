#include "json/json_tree.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

using callsight::json::JsonCursor;
using callsight::json::JsonTree;
using callsight::json::JsonValue;

namespace {

// The names of an object's Members(), joined by ','.
std::string Names(const JsonValue& v) {
  std::string out;
  for (const auto& [name, value] : v.Members()) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

}  // namespace

TEST_CASE("JsonTree: values, text and lookups", "[json_tree]") {
  const std::string text =
      R"( {"s":"a\"b\u00e9\ud83d\ude00","n":-1.5e3,"i":12,"t":true,"f":false,"z":null,)"
      R"("o":{"deep":{"x":[1,{"y":2}]},"after":"here"},"a":[3,"four",[5],{}],"e":{}} )";
  JsonCursor c(text, 32);
  JsonTree tree;
  REQUIRE(tree.Read(&c));
  CHECK(c.AtEnd());
  const JsonValue root = tree.root();
  REQUIRE(root.is_object());
  CHECK(root.Find("s").text() == "a\"b\xC3\xA9\xF0\x9F\x98\x80");  // decoded, UTF-8
  CHECK(root.Find("n").is_number());
  CHECK(root.Find("n").text() == "-1.5e3");  // as written
  CHECK(root.Find("i").text() == "12");
  CHECK(root.Find("t").is_true());
  CHECK(root.Find("f").is_bool());
  CHECK_FALSE(root.Find("f").is_true());
  CHECK(root.Find("z").is_null());
  CHECK(root.Find("z").text() == "null");
  // A member after a nested one is found: subtrees are skipped whole.
  CHECK(root.Find("o").Find("after").text() == "here");
  CHECK(root.Find("o").Find("deep").Find("x").Elements().at(1).Find("y").text() == "2");
  CHECK_FALSE(root.Find("o").Has("x"));  // only direct members
  const std::vector<JsonValue> a = root.Find("a").Elements();
  REQUIRE(a.size() == 4);
  CHECK(a[0].text() == "3");
  CHECK(a[1].text() == "four");
  CHECK(a[2].Elements().size() == 1);
  CHECK(a[3].is_object());
  CHECK(root.Find("e").Members().empty());
  CHECK(Names(root) == "a,e,f,i,n,o,s,t,z");
}

TEST_CASE("JsonTree: a missing value has no type and no members", "[json_tree]") {
  const std::string text = R"({"a":[1],"s":"x"})";
  JsonCursor c(text, 32);
  JsonTree tree;
  REQUIRE(tree.Read(&c));
  const JsonValue none = tree.root().Find("nope");
  CHECK(none.missing());
  CHECK_FALSE(none.is_object());
  CHECK_FALSE(none.is_null());
  CHECK(none.text().empty());
  CHECK(none.Find("a").missing());
  CHECK(none.Elements().empty());
  CHECK(none.Members().empty());
  // Lookups by name only work on objects, elements only on arrays.
  CHECK(tree.root().Find("a").Find("0").missing());
  CHECK(tree.root().Find("s").Elements().empty());
  CHECK(tree.root().Elements().empty());
  CHECK(JsonTree().root().missing());
}

TEST_CASE("JsonTree: a repeated name keeps its last value, as a DOM would", "[json_tree]") {
  const std::string text = R"({"b":1,"a":{"k":1},"b":2,"c":3,"a":"last","b":3})";
  JsonCursor c(text, 32);
  JsonTree tree;
  REQUIRE(tree.Read(&c));
  CHECK(tree.root().Find("b").text() == "3");
  CHECK(tree.root().Find("a").text() == "last");
  const auto members = tree.root().Members();
  REQUIRE(members.size() == 3);  // each name once, by name
  CHECK(members[0].first == "a");
  CHECK(members[0].second.text() == "last");
  CHECK(members[1].first == "b");
  CHECK(members[1].second.text() == "3");
  CHECK(members[2].first == "c");
}

TEST_CASE("JsonTree: bad JSON and deep nesting fail with the cursor's reason", "[json_tree]") {
  struct Case {
    std::string text;
    std::string phrase, pointer;
  };
  const std::vector<Case> cases = {
      {R"({"a":[1,2,}})", "expected a JSON value", "/a/2"},  // the error names its place
      {R"({"a":"\x"})", "escape", "/a"},
      {R"({"a":tru})", "invalid literal", "/a"},
      {R"([[[[1]]]])", "nesting is deeper than 3", "/0/0/0"},
      {"", "unexpected end", ""},
  };
  for (const Case& k : cases) {
    INFO(k.text);
    JsonCursor c(k.text, 3);
    JsonTree tree;
    CHECK_FALSE(tree.Read(&c));
    REQUIRE(c.failed());
    CHECK(c.error().find(k.phrase) != std::string::npos);
    CHECK(c.error_pointer() == k.pointer);
  }
  // At the cap itself it reads.
  JsonCursor c("[[[1]]]", 3);
  JsonTree tree;
  CHECK(tree.Read(&c));
}

TEST_CASE("JsonTree: numbers as doubles, and out-of-range numbers only under kFinite",
          "[json_tree]") {
  const std::string text = R"({"a":-1.5e3,"b":"12","c":0.1,"big":1e999})";
  {
    JsonCursor c(text, 4);
    JsonTree tree;
    REQUIRE(tree.Read(&c));  // kAny: kept as written
    const JsonValue root = tree.root();
    CHECK(root.Find("a").number() == -1500.0);
    CHECK(root.Find("c").number() == 0.1);
    CHECK(std::isnan(root.Find("b").number()));  // a string is no number
    CHECK(std::isnan(root.Find("nope").number()));
    CHECK(root.Find("big").text() == "1e999");
    CHECK(std::isinf(root.Find("big").number()));
  }
  JsonCursor c(text, 4);
  JsonTree tree;
  CHECK_FALSE(tree.Read(&c, JsonTree::NumberRange::kFinite));
  CHECK(c.error() == "number 1e999 is out of range");
  CHECK(c.error_pointer() == "/big");
}
