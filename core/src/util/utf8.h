// UTF-8 decoding and encoding shared by the JSON reader and the JSON writer.
#ifndef CALLSIGHT_UTIL_UTF8_H_
#define CALLSIGHT_UTIL_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace callsight::util {

// Decodes the valid UTF-8 sequence starting at p (a lead byte >= 0x80): sets
// *cp to its code point and returns its length, or returns 0 when it is not
// valid (bad continuation, overlong, surrogate, > U+10FFFF, or cut short by
// end).
inline size_t DecodeUtf8(const unsigned char* p, const unsigned char* end, uint32_t* cp) {
  const unsigned char c = p[0];
  size_t n;
  uint32_t min, v;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800, v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000, v = c & 0x07;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

// Length of the valid UTF-8 sequence starting at p, or 0 (see DecodeUtf8).
inline size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  uint32_t cp;
  return DecodeUtf8(p, end, &cp);
}

// Appends the UTF-8 encoding of code point cp (at most U+10FFFF) to *out.
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace callsight::util

#endif  // CALLSIGHT_UTIL_UTF8_H_
