// UTF-8 validation shared by the JSON reader and the JSON writer.
#ifndef CALLSIGHT_UTIL_UTF8_H_
#define CALLSIGHT_UTIL_UTF8_H_

#include <cstddef>
#include <cstdint>

namespace callsight::util {

// Length of the valid UTF-8 sequence starting at p (a lead byte >= 0x80), or 0
// when it is not valid (bad continuation, overlong, surrogate, > U+10FFFF, or
// cut short by end).
inline size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  size_t n;
  uint32_t min, cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800, cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace callsight::util

#endif  // CALLSIGHT_UTIL_UTF8_H_
