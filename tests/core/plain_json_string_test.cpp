// PlainJsonStringLength: the strings it measures, the ones it leaves to a full
// JSON scan, and agreement with nlohmann/json on every string it measures.
#include "ingest/plain_json_string.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using callsight::ingest::PlainJsonStringLength;

namespace {
constexpr bool kQuotes = true;
constexpr bool kNoQuotes = false;
}  // namespace

TEST_CASE("PlainJsonStringLength measures printable ASCII strings", "[plain_json_string]") {
  CHECK(PlainJsonStringLength(R"("")", kNoQuotes) == 2);
  CHECK(PlainJsonStringLength(R"("abc")", kNoQuotes) == 5);
  CHECK(PlainJsonStringLength(R"("abc",1)", kNoQuotes) == 5);  // stops at the closing quote
  // Longer than eight bytes, the closing quote at every offset of a word.
  for (size_t n = 0; n < 40; ++n) {
    const std::string s = "\"" + std::string(n, 'x') + "\"" + "tail\"";
    CHECK(PlainJsonStringLength(s, kNoQuotes) == n + 2);
  }
  CHECK(PlainJsonStringLength(R"("[1,2.5,-3e4,null]")", kNoQuotes) == 19);
  CHECK(PlainJsonStringLength("\"\x7f\"", kNoQuotes) == 3);  // DEL is not a control byte in JSON
}

TEST_CASE("PlainJsonStringLength takes \\\" only when told", "[plain_json_string]") {
  const std::string quoted = R"("[\"connected\",\"new\"]")";
  CHECK(PlainJsonStringLength(quoted, kNoQuotes) == 0);
  CHECK(PlainJsonStringLength(quoted, kQuotes) == quoted.size());
  CHECK(PlainJsonStringLength(R"("a\\")", kQuotes) == 0);  // \\ is another escape
  CHECK(PlainJsonStringLength(R"("a\n")", kQuotes) == 0);
  CHECK(PlainJsonStringLength(R"("a\u0041")", kQuotes) == 0);
  CHECK(PlainJsonStringLength(R"("abc\")", kQuotes) == 0);  // the quote is escaped: no end
}

TEST_CASE("PlainJsonStringLength leaves the rest to a full scan", "[plain_json_string]") {
  CHECK(PlainJsonStringLength("", kNoQuotes) == 0);
  CHECK(PlainJsonStringLength("abc", kNoQuotes) == 0);    // not a string
  CHECK(PlainJsonStringLength("\"abc", kNoQuotes) == 0);  // no closing quote
  CHECK(PlainJsonStringLength("\"abcdefghijk", kNoQuotes) == 0);
  for (size_t at = 0; at < 20; ++at) {
    std::string s = "\"" + std::string(20, 'y') + "\"";
    for (const char bad : {'\n', '\t', '\x01', '\x1f', '\xc3', '\xff'}) {
      s[1 + at] = bad;
      CAPTURE(at, static_cast<int>(static_cast<unsigned char>(bad)));
      CHECK(PlainJsonStringLength(s, kQuotes) == 0);
    }
  }
}

TEST_CASE("PlainJsonStringLength agrees with a JSON parser on what it measures",
          "[plain_json_string]") {
  // Every printable ASCII byte, alone and in runs across word boundaries.
  for (int ch = 0x20; ch < 0x80; ++ch) {
    if (ch == '"' || ch == '\\') continue;
    for (size_t n : {1, 7, 8, 9, 17}) {
      const std::string content(n, static_cast<char>(ch));
      const std::string s = "\"" + content + "\"";
      REQUIRE(PlainJsonStringLength(s, kNoQuotes) == s.size());
      CHECK(nlohmann::json::parse(s).get<std::string>() == content);
    }
  }
}
