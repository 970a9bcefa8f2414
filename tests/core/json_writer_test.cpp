// JsonWriter (core/src/json/json_writer.cpp): numbers as the report prints them.
#include "json/json_writer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "util/utf8.h"

using callsight::json::JsonWriter;

namespace {

std::string One(double v, int decimals) {
  JsonWriter w;
  w.BeginArray().Number(v, decimals).EndArray();
  std::string s = w.Take();
  return s.substr(1, s.size() - 2);
}

// The definition: llround to the given decimals, trailing zeros dropped, no "-0".
std::string Reference(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const long long units = std::llround(v * scale);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%lld.%0*lld", units < 0 ? "-" : "",
                std::llabs(units) / static_cast<long long>(scale), decimals,
                std::llabs(units) % static_cast<long long>(scale));
  std::string s = buf;
  if (decimals == 0) s.pop_back();  // "12." -> "12"
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

}  // namespace

TEST_CASE("JsonWriter rounds numbers half away from zero like llround", "[json_writer]") {
  for (double v : {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.125, 0.49999999999999994, 1e11 + 0.5,
                   -1e11 - 0.5, 0.005, 1.005, 2.675, 123.456789}) {
    for (int d : {0, 1, 2, 3, 6}) {
      INFO(v << " " << d);
      CHECK(One(v, d) == Reference(v, d));
    }
  }
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  for (int i = 0; i < 100000; ++i) {
    const double v = i % 2 ? u(rng) : std::round(u(rng)) / 8;  // halves and quarters too
    const int d = static_cast<int>(rng() % 4);
    INFO(v << " " << d);
    REQUIRE(One(v, d) == Reference(v, d));
  }
  CHECK(One(std::nan(""), 2) == "null");
}

std::string Exact(double v) {
  JsonWriter w;
  w.Double(v);
  return w.Take();
}

TEST_CASE("JsonWriter::Double writes the fewest digits that read back", "[json_writer]") {
  // Fixed notation for decimal exponents -4 .. 15, always with a point.
  CHECK(Exact(60) == "60.0");
  CHECK(Exact(0.25) == "0.25");
  CHECK(Exact(-2.5) == "-2.5");
  CHECK(Exact(0.0) == "0.0");
  CHECK(Exact(-0.0) == "-0.0");
  CHECK(Exact(0.1) == "0.1");
  CHECK(Exact(1.0 / 3) == "0.3333333333333333");
  CHECK(Exact(0.89090279) == "0.89090279");  // not 0.8909027900000001
  CHECK(Exact(0.0001) == "0.0001");
  CHECK(Exact(1234500) == "1234500.0");
  CHECK(Exact(1e14) == "100000000000000.0");
  // Beyond: an exponent of at least two digits.
  CHECK(Exact(0.00001) == "1e-05");
  CHECK(Exact(0.000012) == "1.2e-05");
  CHECK(Exact(1e15) == "1e+15");
  CHECK(Exact(1.5e20) == "1.5e+20");
  CHECK(Exact(-1.7976931348623157e308) == "-1.7976931348623157e+308");
  CHECK(Exact(5e-324) == "5e-324");
  CHECK(Exact(std::nan("")) == "null");
  CHECK(Exact(std::numeric_limits<double>::infinity()) == "null");
  // Any double: it reads back, and one digit fewer does not.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i) {
    double v;
    const uint64_t bits = rng();
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    const std::string text = Exact(v);
    INFO(text);
    REQUIRE(std::strtod(text.c_str(), nullptr) == v);
    std::string digits = text.substr(0, text.find_first_of("eE"));
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    digits.erase(0, digits.find_first_not_of("-0"));
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (digits.size() < 2) continue;
    char fewer[40];
    std::snprintf(fewer, sizeof fewer, "%.*e", static_cast<int>(digits.size()) - 2, v);
    REQUIRE(std::strtod(fewer, nullptr) != v);
  }
}

TEST_CASE("JsonWriter prints integers exactly", "[json_writer]") {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1715000412353},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    JsonWriter w;
    w.BeginArray().Int(v).EndArray();
    char want[32];
    std::snprintf(want, sizeof want, "[%" PRId64 "]", v);
    CHECK(w.Take() == want);
  }
}

namespace {

// Writes many small pieces and a few large ones; returns the text expected.
std::string WriteMany(JsonWriter& w) {
  std::string want = "{\"items\":[";
  w.BeginObject().Key("items").BeginArray();
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) want += ',';
    if (i % 997 == 0) {
      const std::string big(5000 + i % 3000, static_cast<char>('a' + i % 26));
      w.String(big);
      want += '"' + big + '"';
    } else {
      const int64_t v = static_cast<int64_t>(rng() % 100000) - 50000;
      w.Int(v);
      want += std::to_string(v);
    }
  }
  w.EndArray().Field("end", "tab\there").EndObject();
  return want + "],\"end\":\"tab\\there\"}";
}

// The characters of a JSON string literal as UTF-8 (escapes decoded, pairs
// joined), for comparing two spellings of one string.
std::string DecodeJsonString(const std::string& literal) {
  std::string out;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    if (literal[i] != '\\') {
      out += literal[i];
      continue;
    }
    const char e = literal[++i];
    if (e != 'u') {
      out += e == 'n'   ? '\n'
             : e == 't' ? '\t'
             : e == 'r' ? '\r'
             : e == 'b' ? '\b'
             : e == 'f' ? '\f'
                        : e;
      continue;
    }
    uint32_t cp = static_cast<uint32_t>(std::stoul(literal.substr(i + 1, 4), nullptr, 16));
    i += 4;
    if (cp >= 0xD800 && cp < 0xDC00 && literal.compare(i + 1, 2, "\\u") == 0) {
      const auto lo = static_cast<uint32_t>(std::stoul(literal.substr(i + 3, 4), nullptr, 16));
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      i += 6;
    }
    callsight::util::AppendUtf8(cp, &out);
  }
  return out;
}

}  // namespace

TEST_CASE("JsonWriter grows its buffer without losing or adding a byte", "[json_writer]") {
  // Across many growths of the buffer.
  JsonWriter w;
  const std::string want = WriteMany(w);
  const std::string got = w.Take();
  CHECK(got.size() == want.size());
  CHECK(got == want);
  // Take() leaves the writer empty and usable.
  w.BeginArray().Null().EndArray();
  CHECK(w.Take() == "[null]");
}

TEST_CASE("JsonWriter with a sink hands the same text over in pieces", "[json_writer]") {
  std::vector<std::string> pieces;
  JsonWriter w(
      -1, [&](std::string_view piece) { pieces.emplace_back(piece); }, 1024);
  const std::string want = WriteMany(w);
  CHECK(pieces.size() > 1);  // sent while being written
  const size_t before_flush = pieces.size();
  w.Flush();
  CHECK(pieces.size() == before_flush + 1);
  std::string joined;
  for (const std::string& piece : pieces) {
    CHECK(!piece.empty());
    // At most the piece size, unless one write alone is longer (a big string's
    // letters, handed over as they are).
    CHECK((piece.size() <= 1024 || piece.find_first_not_of(piece[0]) == std::string::npos));
    joined += piece;
  }
  CHECK(joined == want);
  CHECK(w.Take().empty());
  w.Flush();  // nothing left: no empty piece
  CHECK(pieces.size() == before_flush + 1);
}

TEST_CASE("JsonWriter pretty-prints with the given indent", "[json_writer]") {
  JsonWriter w(2);
  w.BeginObject().Field("a", 1).Key("b").BeginArray().Bool(true).EndArray().EndObject();
  CHECK(w.Take() == "{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}");
}

TEST_CASE("JsonWriter in ASCII mode escapes every character beyond ASCII", "[json_writer]") {
  const auto ascii = [](std::string_view s) {
    JsonWriter w;
    w.set_ascii(true);
    w.String(s);
    return w.Take();
  };
  CHECK(ascii("plain \"q\" \\ \n") == R"("plain \"q\" \\ \n")");
  CHECK(ascii("Zo\xc3\xab") == R"("Zo\u00eb")");            // ë, 2 bytes
  CHECK(ascii("\xe2\x82\xac 5") == R"("\u20ac 5")");        // €, 3 bytes
  CHECK(ascii("\xf0\x9f\x8e\xa5") == R"("\ud83c\udfa5")");  // 🎥, 4 bytes: a pair
  CHECK(ascii("a\xff"
              "b\xc3") == R"("a\ufffdb\ufffd")");  // invalid bytes
  // Decoded, the escapes are the characters the UTF-8 writer writes as they are.
  std::mt19937 rng(11);
  const std::string pieces[] = {"a",    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8e\xa5",
                                "\"",   "\x01",     "\xff",         "\xed\xa0\x80",
                                "\xc3", "z"};
  for (int k = 0; k < 300; ++k) {
    std::string s;
    for (int i = static_cast<int>(rng() % 12); i > 0; --i) s += pieces[rng() % 10];
    const std::string escaped = ascii(s);
    for (char c : escaped) REQUIRE(static_cast<unsigned char>(c) < 0x80);
    JsonWriter plain;
    plain.String(s);
    INFO(escaped);
    CHECK(DecodeJsonString(escaped) == DecodeJsonString(plain.Take()));
  }
}
