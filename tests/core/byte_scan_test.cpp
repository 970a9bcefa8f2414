// FindLineBreak and FindStringStop: the first byte they look for, at every
// offset around their sixteen-byte blocks, as a byte-by-byte search finds it.
#include "util/byte_scan.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

using callsight::FindLineBreak;
using callsight::FindStringStop;

namespace {

size_t SlowLineBreak(const std::string& s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\n') return i;
  }
  return std::string::npos;
}

size_t SlowStringStop(const std::string& s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (s[i] == '"' || s[i] == '\\' || u < 0x20 || u >= 0x80) return i;
  }
  return s.size();
}

}  // namespace

TEST_CASE("FindLineBreak finds the first line break at or after from", "[byte_scan]") {
  CHECK(FindLineBreak("", 0) == std::string::npos);
  CHECK(FindLineBreak("abc", 0) == std::string::npos);
  CHECK(FindLineBreak("a\nb\n", 0) == 1);
  CHECK(FindLineBreak("a\nb\n", 2) == 3);
  CHECK(FindLineBreak("a\nb\n", 9) == std::string::npos);  // from beyond the end
  for (size_t n = 0; n < 70; ++n) {
    const std::string s = std::string(n, 'x') + "\n" + std::string(20, 'y') + "\n";
    for (size_t from = 0; from <= n + 1; ++from) {
      CHECK(FindLineBreak(s, from) == (from <= n ? n : n + 21));
    }
  }
}

TEST_CASE("FindStringStop stops at quotes, backslashes, control and non-ASCII bytes",
          "[byte_scan]") {
  CHECK(FindStringStop("", 0) == 0);
  CHECK(FindStringStop("abc", 0) == 3);
  CHECK(FindStringStop("\x7f~ ", 0) == 3);  // DEL, '~' and ' ' are not stops
  for (const char stop : {'"', '\\', '\n', '\x1f', '\x00', '\x80', '\xff', '\xc3'}) {
    for (size_t n = 0; n < 40; ++n) {
      std::string s(n, 'a');
      s.push_back(stop);
      s += "bbbbbbbbbbbbbbbbbbbb";
      INFO("stop byte " << static_cast<int>(static_cast<unsigned char>(stop)) << " after " << n);
      CHECK(FindStringStop(s, 0) == n);
      CHECK(FindStringStop(s, n + 1) == s.size());
    }
  }
}

TEST_CASE("Both scans agree with a byte-by-byte search on random text", "[byte_scan]") {
  std::mt19937 rng(20261208);
  const std::string alphabet = std::string("abc\n\"\\ \x01\x7f\x80\xe9", 11);
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 80, 'x');
    for (char& ch : s) {
      if (rng() % 6 == 0) ch = alphabet[rng() % alphabet.size()];
    }
    const size_t from = s.empty() ? 0 : rng() % (s.size() + 1);
    INFO("text of " << s.size() << " bytes from " << from);
    CHECK(FindLineBreak(s, from) == SlowLineBreak(s, from));
    CHECK(FindStringStop(s, from) == SlowStringStop(s, from));
  }
}

TEST_CASE("SameBytes compares every byte, eight at a time", "[byte_scan]") {
  using callsight::SameBytes;
  CHECK(SameBytes("", ""));
  CHECK_FALSE(SameBytes("a", ""));
  for (size_t n = 1; n < 40; ++n) {
    const std::string a(n, 'k');
    CHECK(SameBytes(a, std::string(n, 'k')));
    for (size_t at = 0; at < n; ++at) {
      std::string b = a;
      b[at] = 'K';  // one byte differs, in a word or in the tail
      CHECK_FALSE(SameBytes(a, b));
    }
    CHECK_FALSE(SameBytes(a, a + "k"));
  }
}
