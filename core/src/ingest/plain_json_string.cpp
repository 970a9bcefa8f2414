#include "ingest/plain_json_string.h"

#include <cstdint>
#include <cstring>

namespace callsight::ingest {

namespace {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr bool kLittleEndian = true;  // byte 0 of a word read is its lowest
#else
constexpr bool kLittleEndian = false;
#endif

// The high bit of each of the eight bytes in `w` that is '"', '\\', a control
// byte (< 0x20) or not ASCII (>= 0x80): the bytes a string scan must stop at.
// Never misses one; may also mark a byte above one (a borrow), never below:
// the lowest bit set is the first stop.
uint64_t StringStops(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t zero_quote = (quote - kOnes) & ~quote;
  const uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
  const uint64_t control = w - kOnes * 0x20;  // the high bit set below 0x20
  return (zero_quote | zero_backslash | control | w) & kHigh;
}

}  // namespace

size_t PlainJsonStringLength(std::string_view in, bool allow_escaped_quotes) {
  if (in.empty() || in.front() != '"') return 0;
  const char* const begin = in.data();
  const char* const end = begin + in.size();
  const char* p = begin + 1;
  while (true) {
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (const uint64_t stops = StringStops(w)) {
        if (kLittleEndian) p += __builtin_ctzll(stops) / 8;  // to the first stop
        break;
      }
      p += 8;
    }
    while (p < end && *p != '"' && *p != '\\') {
      const unsigned char ch = static_cast<unsigned char>(*p);
      if (ch < 0x20 || ch >= 0x80) return 0;
      ++p;
    }
    if (p >= end) return 0;
    if (*p == '"') return static_cast<size_t>(p + 1 - begin);
    if (!allow_escaped_quotes || end - p < 2 || p[1] != '"') return 0;
    p += 2;
  }
}

}  // namespace callsight::ingest
