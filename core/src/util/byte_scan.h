// Two byte scans the dump readers run over nearly every byte of a dump (and
// a comparison they make per member, SameBytes, below),
// sixteen bytes at a time: WebAssembly SIMD in the engine, SSE2 natively
// (every x86-64), one byte at a time elsewhere. WebAssembly's own memchr goes
// four bytes at a time. (Reading a generated 47 MB rtcstats dump in Node, one
// thread, node --cpu-prof: the line-break search 7.7 % -> 0.7 % of the time,
// the string scan 12.7 % -> 8.6 %; with the runs of lines keeping their
// breaks, 148 -> 142 ms a read.)
#ifndef CALLSIGHT_UTIL_BYTE_SCAN_H_
#define CALLSIGHT_UTIL_BYTE_SCAN_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace callsight {

namespace internal {

#if defined(__wasm_simd128__) || defined(__SSE2__)
inline constexpr bool kByteScanVectors = true;

// Bit i set when byte p[i] is `byte` (p[0..15] readable).
inline uint32_t ByteMask16(const char* p, char byte) {
#if defined(__wasm_simd128__)
  const v128_t v = wasm_v128_load(p);
  return wasm_i8x16_bitmask(wasm_i8x16_eq(v, wasm_i8x16_splat(byte)));
#else
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte))));
#endif
}

// Bit i set when p[i] is '"', '\\', below 0x20 or above 0x7f. (As signed
// bytes, the last two are the ones below 0x20.)
inline uint32_t StringStopMask16(const char* p) {
#if defined(__wasm_simd128__)
  const v128_t v = wasm_v128_load(p);
  const v128_t stops = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')),
                                                 wasm_i8x16_eq(v, wasm_i8x16_splat('\\'))),
                                    wasm_i8x16_lt(v, wasm_i8x16_splat(0x20)));
  return wasm_i8x16_bitmask(stops);
#else
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i stops = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
      _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  return static_cast<uint32_t>(_mm_movemask_epi8(stops));
#endif
}
#else
inline constexpr bool kByteScanVectors = false;
inline uint32_t ByteMask16(const char*, char) { return 0; }
inline uint32_t StringStopMask16(const char*) { return 0; }
#endif

inline bool IsStringStop(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  return ch == '"' || ch == '\\' || u < 0x20 || u >= 0x80;
}

// The offset of the first byte of text[from..] that `is_stop` takes, sixteen
// at a time by `mask16` (bit i: byte i is one), else text.size().
template <typename Mask16, typename IsStop>
size_t FindFirst(std::string_view text, size_t from, Mask16 mask16, IsStop is_stop) {
  const char* const begin = text.data();
  const char* p = begin + std::min(from, text.size());
  const char* const end = begin + text.size();
  if constexpr (kByteScanVectors) {
    for (; end - p >= 16; p += 16) {
      if (const uint32_t m = mask16(p)) return static_cast<size_t>(p - begin) + __builtin_ctz(m);
    }
  }
  for (; p < end; ++p) {
    if (is_stop(*p)) return static_cast<size_t>(p - begin);
  }
  return text.size();
}

}  // namespace internal

// The offset of the first '\n' in `text` at or after `from`, or npos.
inline size_t FindLineBreak(std::string_view text, size_t from) {
  const size_t at = internal::FindFirst(
      text, from, [](const char* p) { return internal::ByteMask16(p, '\n'); },
      [](char ch) { return ch == '\n'; });
  return at < text.size() ? at : std::string_view::npos;
}

// The offset of the first byte of `text` at or after `from` that a JSON
// string scan must stop at: '"', '\\', a control byte (below 0x20) or one
// that is not ASCII (0x80 and above); text.size() when there is none.
inline size_t FindStringStop(std::string_view text, size_t from) {
  return internal::FindFirst(
      text, from, [](const char* p) { return internal::StringStopMask16(p); },
      [](char ch) { return internal::IsStringStop(ch); });
}

// Whether `a` and `b` hold the same bytes, eight at a time. For the short
// names and ids the dump readers compare per member: WebAssembly's memcmp is
// a call that compares one byte at a time (it was 7 % of reading a 47 MB
// rtcstats dump in Node).
inline bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  size_t n = a.size();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  for (; n > 0; --n, ++p, ++q) {
    if (*p != *q) return false;
  }
  return true;
}

}  // namespace callsight

#endif  // CALLSIGHT_UTIL_BYTE_SCAN_H_
