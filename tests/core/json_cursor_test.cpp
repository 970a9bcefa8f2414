#include "json/json_cursor.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using callsight::json::JsonCursor;

namespace {

bool SkipsClean(const std::string& text, int depth = 32) {
  JsonCursor c(text, depth);
  return c.SkipValue() && c.AtEnd();
}

// A random JSON number of one of the kinds the parser has separate paths for:
// long integers, short and long decimals, negatives, epoch-millisecond
// timestamps, and full-precision doubles with exponents.
std::string RandomNumberText(std::mt19937_64& rng) {
  char buf[64];
  switch (rng() % 5) {
    case 0:
      std::snprintf(buf, sizeof buf, "%llu",
                    static_cast<unsigned long long>(rng() % 10000000000000000ULL));
      break;
    case 1:
      std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(rng() % 8),
                    static_cast<double>(rng() % 100000000) / static_cast<double>(1 + rng() % 1000));
      break;
    case 2:
      std::snprintf(buf, sizeof buf, "-%.*f", static_cast<int>(rng() % 16),
                    static_cast<double>(rng() % 1000000) / 7.0);
      break;
    case 3:
      std::snprintf(buf, sizeof buf, "%lld",
                    1700000000000LL + static_cast<long long>(rng() % 1000000));
      break;
    default:
      std::snprintf(
          buf, sizeof buf, "%.17g",
          std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 200) - 100));
  }
  return buf;
}

}  // namespace

TEST_CASE("cursor accepts valid JSON values", "[json_cursor]") {
  CHECK(SkipsClean("{}"));
  CHECK(SkipsClean("[]"));
  CHECK(SkipsClean(R"({"a":[1,-2.5e3,0,true,false,null,"x\u00e9\n"]})"));
  CHECK(SkipsClean("  [ 1 , 2 ]  \n"));
  CHECK(SkipsClean(R"("\ud83d\ude00")"));
}

TEST_CASE("cursor rejects invalid JSON", "[json_cursor]") {
  CHECK_FALSE(SkipsClean("{"));
  CHECK_FALSE(SkipsClean("[1,]"));
  CHECK_FALSE(SkipsClean("[01]"));
  CHECK_FALSE(SkipsClean("[1.]"));
  CHECK_FALSE(SkipsClean("[.5]"));
  CHECK_FALSE(SkipsClean("[+1]"));
  CHECK_FALSE(SkipsClean("[1e]"));
  CHECK_FALSE(SkipsClean("[tru]"));
  CHECK_FALSE(SkipsClean("[nulls]"));
  CHECK_FALSE(SkipsClean("{'a':1}"));
  CHECK_FALSE(SkipsClean("{\"a\" 1}"));
  CHECK_FALSE(SkipsClean("[\"tab\there\"]"));
  CHECK_FALSE(SkipsClean("[\"\\x\"]"));
  CHECK_FALSE(SkipsClean("[\"\\u12\"]"));
  CHECK_FALSE(SkipsClean("[\"\xff\"]"));          // invalid UTF-8
  CHECK_FALSE(SkipsClean("[\"\xc0\xaf\"]"));      // overlong encoding
  CHECK_FALSE(SkipsClean("[\"\xed\xa0\x80\"]"));  // encoded surrogate
  CHECK_FALSE(SkipsClean("[1] x"));
}

TEST_CASE("cursor caps nesting depth", "[json_cursor]") {
  std::string deep = std::string(40, '[') + std::string(40, ']');
  CHECK_FALSE(SkipsClean(deep, 32));
  CHECK(SkipsClean(deep, 40));
  const std::string hostile(100000, '[');  // the cursor reads it in place: keep it alive
  JsonCursor c(hostile, 32);
  CHECK_FALSE(c.SkipValue());
  CHECK(c.error().find("deeper than 32") != std::string::npos);
}

TEST_CASE("cursor decodes strings and escapes", "[json_cursor]") {
  JsonCursor c(R"("a\"b\\c\/d\u00e9\ud83d\ude00")", 8);
  std::string s;
  REQUIRE(c.ReadString(&s));
  CHECK(s == "a\"b\\c/d\xc3\xa9\xf0\x9f\x98\x80");
  // A lone surrogate is valid JSON but no character: rejected, never altered.
  for (const char* text : {R"("\ud800x")", R"("\udc00")", R"("\ud800\u0041")"}) {
    JsonCursor lone(text, 8);
    CHECK_FALSE(lone.ReadString(&s));
    CHECK(lone.error().find("lone UTF-16 surrogate") != std::string::npos);
    CHECK_FALSE(lone.error_is_syntax());
  }
}

TEST_CASE("cursor reads number arrays with nulls as NaN", "[json_cursor]") {
  JsonCursor c("[1, 2.5, null, -3e2]", 8);
  std::vector<double> v;
  REQUIRE(c.ReadNumberArray(&v, true));
  REQUIRE(v.size() == 4);
  CHECK(v[0] == 1);
  CHECK(v[1] == 2.5);
  CHECK(std::isnan(v[2]));
  CHECK(v[3] == -300);
}

TEST_CASE("cursor skips a value equal byte for byte to one it read", "[json_cursor]") {
  JsonCursor c(R"({"a": [1,2,3], "b":  [1,2,3], "c": [1,2,3,4], "d": [1,2], "e": [1,2,3]})", 8);
  std::string key;
  REQUIRE(c.BeginObject());
  REQUIRE(c.NextMember(&key));
  c.Peek();  // to the value
  const size_t start = c.offset();
  std::vector<double> v;
  REQUIRE(c.ReadNumberArray(&v, false));
  const std::string_view first = c.Since(start);
  CHECK(first == "[1,2,3]");
  REQUIRE(c.NextMember(&key));
  CHECK(c.SkipIfSame(first));  // after white space
  REQUIRE(c.NextMember(&key));
  CHECK(key == "c");
  c.Peek();
  const size_t at_c = c.offset();
  CHECK_FALSE(c.SkipIfSame(first));  // a longer array that starts the same
  CHECK(c.offset() == at_c);
  v.clear();
  REQUIRE(c.ReadNumberArray(&v, false));
  CHECK(v.size() == 4);
  REQUIRE(c.NextMember(&key));
  CHECK_FALSE(c.SkipIfSame(first));  // a shorter one
  REQUIRE(c.SkipValue());
  REQUIRE(c.NextMember(&key));
  CHECK(c.SkipIfSame(first));
  CHECK_FALSE(c.NextMember(&key));  // the closing brace: the skip left the cursor in step
  CHECK_FALSE(c.failed());
  CHECK(c.AtEnd());
}

TEST_CASE("cursor does not skip at the end of its text", "[json_cursor]") {
  JsonCursor c("[1,2", 8);
  CHECK_FALSE(c.SkipIfSame("[1,2]"));
  CHECK_FALSE(c.SkipIfSame(""));  // no value is no match
  CHECK(c.offset() == 0);
  CHECK_FALSE(c.failed());
}

TEST_CASE("cursor names the element that is not a number", "[json_cursor]") {
  JsonCursor c(R"({"fps": [30, 29, "x"]})", 8);
  std::string key;
  REQUIRE(c.BeginObject());
  REQUIRE(c.NextMember(&key));
  std::vector<double> v;
  CHECK_FALSE(c.ReadNumberArray(&v, true));
  CHECK(c.error_pointer() == "/fps/2");
  CHECK(c.error().find("a string") != std::string::npos);

  JsonCursor n("[1, null]", 8);
  CHECK_FALSE(n.ReadNumberArray(&v, /*allow_null=*/false));
  CHECK(n.error_pointer() == "/1");
}

TEST_CASE("cursor rejects numbers out of range", "[json_cursor]") {
  JsonCursor c("[1e999]", 8);
  std::vector<double> v;
  CHECK_FALSE(c.ReadNumberArray(&v, true));
  CHECK(c.error().find("out of range") != std::string::npos);
  JsonCursor z("[-0, 18446744073709551616]", 8);
  v.clear();
  REQUIRE(z.ReadNumberArray(&v, true));
  CHECK(v[1] == 18446744073709551616.0);
}

TEST_CASE("cursor tracks JSON pointers with escaping", "[json_cursor]") {
  JsonCursor c(R"({"a/b": {"c~d": [0, 1, {"x": tru}]}})", 8);
  CHECK_FALSE(c.SkipValue());
  // Errors inside a skipped value point at the start of that value.
  JsonCursor d(R"({"a/b": {"c~d": 5, "e": [1, }]}})", 8);
  std::string key;
  REQUIRE(d.BeginObject());
  REQUIRE(d.NextMember(&key));
  REQUIRE(d.BeginObject());
  REQUIRE(d.NextMember(&key));
  CHECK(d.Pointer() == "/a~1b/c~0d");
}

TEST_CASE("cursor numbers equal strtod's correctly rounded values", "[json_cursor]") {
  // The grammar scan hands fast_float exactly the number's bytes.
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    const std::string number = RandomNumberText(rng);
    const char* buf = number.c_str();
    const std::string text = std::string("[") + buf + "]";
    JsonCursor c(text, 4);
    std::vector<double> v;
    INFO(buf);
    REQUIRE(c.ReadNumberArray(&v, false));
    REQUIRE(v.size() == 1);
    REQUIRE(v[0] == std::strtod(buf, nullptr));
  }
}

TEST_CASE("cursor reads long arrays of numbers as strtod does", "[json_cursor]") {
  // The same kinds of numbers as elements after the first, some after a
  // space, as doubles and as floats.
  std::mt19937_64 rng(7);
  std::vector<std::string> texts;
  std::string array = "[0";
  for (int i = 0; i < 100000; ++i) {
    const std::string buf = RandomNumberText(rng);
    texts.emplace_back(buf);
    array += rng() % 7 == 0 ? ", " : ",";
    array += buf;
  }
  array += "]";
  JsonCursor c(array, 4);
  std::vector<double> v;
  REQUIRE(c.ReadNumberArray(&v, false));
  REQUIRE(v.size() == texts.size() + 1);
  JsonCursor cf(array, 4);
  std::vector<float> f;
  REQUIRE(cf.ReadNumberArray(&f, false));
  REQUIRE(f.size() == v.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    const double want = std::strtod(texts[i].c_str(), nullptr);
    REQUIRE(v[i + 1] == want);
    REQUIRE(f[i + 1] == static_cast<float>(want));
  }
}

TEST_CASE("cursor reads runs of every length of integer and fraction digits", "[json_cursor]") {
  // 1 to 17 digits before the point, none or 1 to 17 after it: runs shorter
  // than 8 digits are read in one step, longer ones digit by digit.
  std::mt19937_64 rng(11);
  std::vector<std::string> texts;
  std::string array = "[";
  for (int int_digits = 1; int_digits <= 17; ++int_digits) {
    for (int frac_digits = 0; frac_digits <= 17; ++frac_digits) {
      for (int k = 0; k < 20; ++k) {
        std::string t = rng() % 2 ? "-" : "";
        t += static_cast<char>(int_digits == 1 ? '0' + rng() % 10 : '1' + rng() % 9);
        for (int i = 1; i < int_digits; ++i) t += static_cast<char>('0' + rng() % 10);
        if (frac_digits > 0) t += '.';
        for (int i = 0; i < frac_digits; ++i) t += static_cast<char>('0' + rng() % 10);
        array += texts.empty() ? "" : rng() % 3 == 0 ? ",\n" : ",";
        array += t;
        texts.push_back(t);
      }
    }
  }
  array += "]";
  JsonCursor c(array, 4);
  std::vector<double> v;
  REQUIRE(c.ReadNumberArray(&v, false));
  REQUIRE(v.size() == texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    INFO(texts[i]);
    REQUIRE(v[i] == std::strtod(texts[i].c_str(), nullptr));
  }
  // A digit run ends at the first byte that is not a digit, whichever it is.
  for (const char* bad : {"1:", "12/", "1.5:", "123.4/", "1234567.a", "12\x80"}) {
    const std::string text = std::string("[0,") + bad + ",0" + std::string(50, ' ') + "]";
    JsonCursor b(text, 4);
    std::vector<double> w;
    INFO(bad);
    CHECK_FALSE(b.ReadNumberArray(&w, false));
  }
}

TEST_CASE("cursor reads every number form inside an array, and names a bad one", "[json_cursor]") {
  const auto padded = [](const std::string& middle) {
    std::string s = "[";
    for (int i = 0; i < 50; ++i) s += std::to_string(i) + ",";
    s += middle;
    for (int i = 0; i < 50; ++i) s += "," + std::to_string(i);
    return s + "]";
  };
  // Valid: the same value as strtod.
  for (const char* ok :
       {"1e5", "1E-2", "-0.0", "0.000001", "12345678901234567890", " 7", "1.5e3", "0", "-0",
        "123456789012345.5", "9007199254740993", "0.1234567890123456"}) {
    INFO(ok);
    const std::string text = padded(ok);  // the cursor borrows its input
    JsonCursor c(text, 4);
    std::vector<double> v;
    REQUIRE(c.ReadNumberArray(&v, false));
    REQUIRE(v.size() == 101);
    CHECK(v[50] == std::strtod(ok, nullptr));
    CHECK(v[51] == 0);
  }
  // Invalid: an error naming element 50.
  for (const char* bad :
       {"01", "1.", "-", "1.e5", "--1", "1x", "+1", ".5", "1e", "0x10", "1.5.2"}) {
    INFO(bad);
    const std::string text = padded(bad);
    JsonCursor c(text, 4);
    std::vector<float> v;
    CHECK_FALSE(c.ReadNumberArray(&v, false));
    CHECK(c.error_pointer() == "/50");
  }
}

TEST_CASE("CompactJson drops the white space outside strings only", "[json_cursor]") {
  using callsight::json::CompactJson;
  CHECK(CompactJson("{ \"a\" : [ 1 ,\n\t2 ] ,\r\n \"b c\" : \"x y\" }") ==
        R"({"a":[1,2],"b c":"x y"})");
  // An escaped quote or backslash does not end a string.
  CHECK(CompactJson(R"([ "a\" b" , "c\\" , " d " ])") == R"(["a\" b","c\\"," d "])");
  CHECK(CompactJson("  true ") == "true");
  CHECK(callsight::json::IsJsonWhitespace('\t'));
  CHECK_FALSE(callsight::json::IsJsonWhitespace('\v'));  // not JSON white space
}
