#include "json/json_cursor.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "fast_float/fast_float.h"
#include "util/utf8.h"

namespace callsight::json {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string EscapePointerToken(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string CompactJson(std::string_view span) {
  std::string out;
  out.reserve(span.size());
  bool in_string = false;
  bool escape = false;
  for (char ch : span) {
    if (in_string) {
      out += ch;
      if (escape) {
        escape = false;
      } else if (ch == '\\') {
        escape = true;
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (!IsJsonWhitespace(ch)) {
      out += ch;
      in_string = ch == '"';
    }
  }
  return out;
}

int64_t LineOf(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  int64_t line = 1;
  for (size_t i = 0; i < offset; ++i) line += text[i] == '\n';
  return line;
}

JsonCursor::JsonCursor(std::string_view text, int max_depth)
    : begin_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

bool JsonCursor::Fail(std::string message, bool syntax) {
  if (error_.empty()) {
    error_is_syntax_ = syntax;
    error_ = message.empty() ? "invalid JSON" : std::move(message);
    error_pointer_ = Pointer();
    error_offset_ = base_offset_ + pos_;
  }
  return false;
}

std::string JsonCursor::Pointer() const {
  std::string out;
  for (size_t i = 0; i < open_; ++i) {
    const PathElem& e = path_[i];
    if (e.is_index) {
      if (e.index == std::numeric_limits<size_t>::max()) break;  // before the first element
      out += '/';
      out += std::to_string(e.index);
    } else {
      if (e.key.empty() && i + 1 == open_) break;
      out += '/';
      out += EscapePointerToken(e.key);
    }
  }
  return out;
}

void JsonCursor::SkipWs() {
  const char* p = begin_ + pos_;
  while (p < end_ && IsJsonWhitespace(*p)) ++p;
  pos_ = static_cast<size_t>(p - begin_);
}

bool JsonCursor::SkipWhitespaceCrossesLine() {
  bool crossed = false;
  const char* p = begin_ + pos_;
  while (p < end_ && IsJsonWhitespace(*p)) {
    crossed |= *p == '\n';
    ++p;
  }
  pos_ = static_cast<size_t>(p - begin_);
  return crossed;
}

bool JsonCursor::AtEnd() {
  if (failed()) return false;
  SkipWs();
  return begin_ + pos_ == end_;
}

JsonCursor::Kind JsonCursor::Peek() {
  if (failed()) return Kind::kInvalid;
  SkipWs();
  if (begin_ + pos_ >= end_) return Kind::kEnd;
  return KindOfFirstByte(begin_[pos_]);
}

bool JsonCursor::Expect(char c, const char* what) {
  if (failed()) return false;
  SkipWs();
  if (begin_ + pos_ >= end_) return Fail(std::string("unexpected end of file, expected ") + what);
  if (begin_[pos_] != c) return Fail(std::string("expected ") + what);
  ++pos_;
  return true;
}

bool JsonCursor::Enter() {
  if (++depth_ > max_depth_) {
    return Fail("nesting is deeper than " + std::to_string(max_depth_) +
                " levels, deeper than any real export");
  }
  return true;
}

void JsonCursor::Leave() {
  --depth_;
  first_.pop_back();
  --open_;
}

void JsonCursor::PushPath(bool is_index) {
  // Elements are reused, keys and all: no allocation per container entered.
  if (open_ == path_.size()) path_.emplace_back();
  PathElem& e = path_[open_++];
  e.is_index = is_index;
  e.index = is_index ? std::numeric_limits<size_t>::max() : 0;
  e.key.clear();
}

bool JsonCursor::BeginObject() {
  if (!Expect('{', "an object")) return false;
  if (!Enter()) return false;
  first_.push_back(true);
  PushPath(false);
  return true;
}

bool JsonCursor::NextMember(std::string* key) {
  if (failed()) return false;
  SkipWs();
  if (begin_ + pos_ >= end_) return Fail("unexpected end of file inside an object");
  char c = begin_[pos_];
  if (c == '}') {
    ++pos_;
    Leave();
    return false;
  }
  if (!first_.back()) {
    if (c != ',') return Fail("expected ',' or '}' after an object member");
    ++pos_;
    SkipWs();
    if (begin_ + pos_ >= end_) return Fail("unexpected end of file inside an object");
  }
  first_.back() = false;
  if (begin_[pos_] != '"') return Fail("expected a quoted member name");
  ++pos_;
  key->clear();
  if (!ParseStringBody(key)) return false;
  path_[open_ - 1].key = *key;
  return Expect(':', "':' after a member name");
}

bool JsonCursor::BeginArray() {
  if (!Expect('[', "an array")) return false;
  if (!Enter()) return false;
  first_.push_back(true);
  PushPath(true);
  return true;
}

bool JsonCursor::NextElement() {
  if (failed()) return false;
  SkipWs();
  if (begin_ + pos_ >= end_) return Fail("unexpected end of file inside an array");
  char c = begin_[pos_];
  if (c == ']') {
    ++pos_;
    Leave();
    return false;
  }
  if (!first_.back()) {
    if (c != ',') return Fail("expected ',' or ']' after an array element");
    ++pos_;
  }
  first_.back() = false;
  ++path_[open_ - 1].index;  // wraps from max to 0 on the first element
  return true;
}

namespace {

// Whether a[0..n) == b[0..n), n > 0: the last byte first (a value that
// differs from a kept one usually ends elsewhere: another length, other
// samples), then eight bytes at a time (WebAssembly's memcmp, musl's, takes
// one byte at a time: 8 ms of the bench session, Node's profiler).
bool SameBytes(const char* a, const char* b, size_t n) {
  if (a[n - 1] != b[n - 1]) return false;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

bool JsonCursor::SkipIfSame(std::string_view value) {
  if (failed()) return false;
  SkipWs();
  if (value.empty() || static_cast<size_t>(end_ - (begin_ + pos_)) < value.size() ||
      !SameBytes(begin_ + pos_, value.data(), value.size())) {
    return false;
  }
  pos_ += value.size();
  return true;
}

bool JsonCursor::ReadString(std::string* out) {
  if (!Expect('"', "a string")) return false;
  out->clear();
  return ParseStringBody(out);
}

bool JsonCursor::ParseStringBody(std::string* out) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(begin_ + pos_);
  const unsigned char* end = reinterpret_cast<const unsigned char*>(end_);
  while (true) {
    // The run of plain ASCII up to the next byte that needs a look.
    const unsigned char* run = p;
    while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) ++p;
    if (out) out->append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
    if (p >= end) return FailAt(p, "unexpected end of file inside a string");
    const unsigned char c = *p;
    if (c == '"') {
      pos_ = static_cast<size_t>(reinterpret_cast<const char*>(p + 1) - begin_);
      return true;
    }
    if (c < 0x20) return FailAt(p, "control character inside a string (must be escaped)");
    if (c >= 0x80) {
      const size_t n = util::Utf8SequenceLength(p, end);
      if (n == 0) return FailAt(p, "invalid UTF-8 inside a string");
      if (out) out->append(reinterpret_cast<const char*>(p), n);
      p += n;
      continue;
    }
    if (!ReadEscape(&p, out)) return false;
  }
}

bool JsonCursor::FailAt(const unsigned char* p, const char* message) {
  pos_ = static_cast<size_t>(reinterpret_cast<const char*>(p) - begin_);
  return Fail(message);
}

namespace {

// The character a one-letter escape stands for ('"' for \"); 0 for 'u' and
// for letters that are no escape.
char SimpleEscape(char e) {
  switch (e) {
    case '"':
    case '\\':
    case '/':
      return e;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return 0;
  }
}

// Four hex digits at *p into *v, advancing *p; false when they are not there.
bool ReadHex4(const unsigned char** p, const unsigned char* end, uint32_t* v) {
  if (end - *p < 4) return false;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = HexValue(static_cast<char>((*p)[i]));
    if (h < 0) return false;
    r = (r << 4) | static_cast<uint32_t>(h);
  }
  *p += 4;
  *v = r;
  return true;
}

}  // namespace

bool JsonCursor::ReadEscape(const unsigned char** at, std::string* out) {
  const unsigned char* p = *at + 1;  // after the backslash
  const unsigned char* end = reinterpret_cast<const unsigned char*>(end_);
  pos_ = static_cast<size_t>(reinterpret_cast<const char*>(p) - begin_);
  if (p >= end) return Fail("unexpected end of file inside a string escape");
  const char e = static_cast<char>(*p++);
  if (const char simple = SimpleEscape(e)) {
    if (out) out->push_back(simple);
    *at = p;
    return true;
  }
  if (e != 'u') return Fail("invalid escape sequence in a string");
  uint32_t cp;
  if (!ReadHex4(&p, end, &cp)) return Fail("invalid \\u escape in a string");
  // A UTF-16 surrogate must come as a high-low pair. A lone one is valid JSON
  // but no character at all: rejected, so ids never silently change.
  const char* lone = "a string holds a lone UTF-16 surrogate escape, which is not valid Unicode";
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    uint32_t lo;
    if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return Fail(lone, /*syntax=*/false);
    p += 2;
    if (!ReadHex4(&p, end, &lo)) return Fail("invalid \\u escape in a string");
    if (lo < 0xDC00 || lo > 0xDFFF) return Fail(lone, /*syntax=*/false);
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return Fail(lone, /*syntax=*/false);
  }
  if (out) util::AppendUtf8(cp, out);
  *at = p;
  return true;
}

namespace {

// RFC 8259's number grammar, the one place it is written down:
// [-](0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, not followed by another digit,
// sign, point or letter. Returns the end of the number, or nullptr with *error
// set.
const char* ScanNumberGrammar(const char* p, const char* end, const char** error) {
  const auto digits = [&p, end] {
    while (p < end && IsDigit(*p)) ++p;
  };
  if (p < end && *p == '-') ++p;
  if (p < end && *p == '0') {
    ++p;
  } else if (p < end && IsDigit(*p)) {
    digits();
  } else {
    *error = "invalid number";
    return nullptr;
  }
  if (p < end && *p == '.') {
    ++p;
    if (p >= end || !IsDigit(*p)) {
      *error = "invalid number: digits must follow the decimal point";
      return nullptr;
    }
    digits();
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (p >= end || !IsDigit(*p)) {
      *error = "invalid number: digits must follow the exponent";
      return nullptr;
    }
    digits();
  }
  if (p < end && (IsDigit(*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+' || *p == '-' ||
                  (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
    *error = "invalid number";
    return nullptr;
  }
  return p;
}

// Exact powers of ten representable as doubles.
constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// The value of the 8 ASCII digits loaded little-endian in v (SWAR, as in
// simdjson); a zero byte reads as a 0 digit.
inline uint64_t DigitsValue(uint64_t v) {
  v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
  v = (v & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
  return (v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
}

// The value of the 8 ASCII digits at p.
inline uint64_t ParseEightDigits(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return DigitsValue(v);
}

// How many of the 8 bytes at p are ASCII digits before the first that is not
// (8 when all are). A byte is a digit when its high nibble is 3 and its low
// nibble plus 6 stays below 16; no test carries into the next byte.
inline int LeadingDigits(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  const uint64_t not_digit =
      ((v & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL) |
      (((v & 0x0F0F0F0F0F0F0F0FULL) + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL);
  return not_digit == 0 ? 8 : __builtin_ctzll(not_digit) / 8;
}

// The value of the d ASCII digits at p, 0 < d < 8: the bytes after them are
// shifted out and zero bytes (read as leading zero digits) shifted in.
inline uint64_t ParseDigits(const char* p, int d) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return DigitsValue(v << (8 * (8 - d)));
}

// Exact powers of ten as integers, for shifting digits already read.
constexpr uint64_t kPow10Int[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

// How far FastDecimal may read from its start: at most 1 + 16 + 1 + 16 + 1
// bytes, rounded up.
constexpr ptrdiff_t kFastWindow = 40;

// The one hand-written number path, kept because it pays: an element of
// ReadNumberArray far from the end of the input, read without bounds checks
// when it is [-]digits[.digits] with at most 15 significant digits (then m and
// 10^frac are exact doubles and m / 10^frac is correctly rounded, Clinger's
// fast path) followed by ',', ']' or white space. Returns the end of the
// number, or nullptr to leave it to ParseNumberAt. Measured as CPU time of the
// native CLI, analyze --threads 1, 40 peers x 60 min (scripts/gen bench),
// median of 5, 2026-12-07, with it / without it (grammar scan + fast_float
// only): compact 210 / 270 ms; a space after every separator 229 / 280 ms;
// pretty-printed (2-space indent) 280 / 320 ms. A run of fewer than 8 digits
// is measured and read in one step (LeadingDigits, ParseDigits) instead of
// digit by digit: the bench session (callgrind, one thread) in 1,488 M
// instructions instead of 1,524 M (this loop 300 M -> 265 M).
#if defined(__GNUC__)
// Inlined into the array loop (clang left it a call in WebAssembly).
__attribute__((always_inline))
#endif
inline const char*
FastDecimal(const char* p, double* out) {
  const char* q = p;
  const bool negative = *q == '-';
  q += negative;
  const char* const digits_begin = q;
  uint64_t m = 0;
  // Runs of fewer than 8 digits (most samples) are read in one step each.
  if (*q == '0') {
    ++q;
  } else if (const int d = LeadingDigits(q); d < 8) {
    if (d == 0) return nullptr;
    m = ParseDigits(q, d);
    q += d;
  } else {
    m = ParseEightDigits(q);
    q += 8;
    for (int i = 0; i < 8 && IsDigit(*q); ++i, ++q) m = m * 10 + static_cast<uint64_t>(*q - '0');
  }
  const ptrdiff_t int_digits = q - digits_begin;
  ptrdiff_t frac = 0;
  if (*q == '.') {
    ++q;
    const char* const frac_begin = q;
    if (const int d = LeadingDigits(q); d < 8) {
      if (d == 0) return nullptr;
      m = m * kPow10Int[d] + ParseDigits(q, d);
      q += d;
    } else {
      for (int i = 0; i < 16 && IsDigit(*q); ++i, ++q) {
        m = m * 10 + static_cast<uint64_t>(*q - '0');
      }
    }
    frac = q - frac_begin;
  }
  if (int_digits + frac > 15) return nullptr;
  const char c = *q;
  if (c != ',' && c != ']' && !IsJsonWhitespace(c)) return nullptr;
  double v = static_cast<double>(m);
  if (frac > 0) v /= kPow10[frac];
  *out = negative ? -v : v;
  return q;
}

}  // namespace

double ParseJsonNumber(std::string_view number) {
  double v = std::numeric_limits<double>::quiet_NaN();
  const char* end = number.data() + number.size();
  const auto r = fast_float::from_chars(number.data(), end, v);
  if (r.ptr != end) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

bool JsonCursor::ScanNumber(const char** out_end) {
  const char* error = nullptr;
  const char* stop = ScanNumberGrammar(begin_ + pos_, end_, &error);
  if (stop == nullptr) return Fail(error);
  *out_end = stop;
  return true;
}

// The grammar scan, then fast_float (correctly rounded; its Clinger fast path
// takes the short decimals most samples are). Returns false (failed) on bad
// syntax or a value beyond the double range.
bool JsonCursor::ParseNumberAt(const char* p, const char** stop, double* out) {
  const char* error = nullptr;
  const char* const end = ScanNumberGrammar(p, end_, &error);
  if (end == nullptr) {
    pos_ = static_cast<size_t>(p - begin_);
    return Fail(error);
  }
  const double v = ParseJsonNumber(std::string_view(p, static_cast<size_t>(end - p)));
  if (!std::isfinite(v)) {
    pos_ = static_cast<size_t>(p - begin_);
    return Fail("number " + std::string(p, std::min<size_t>(end - p, 40)) + " is out of range");
  }
  *stop = end;
  *out = v;
  return true;
}

bool JsonCursor::ReadNumber(double* out) {
  if (failed()) return false;
  SkipWs();
  const char* stop;
  if (!ParseNumberAt(begin_ + pos_, &stop, out)) return false;
  pos_ = static_cast<size_t>(stop - begin_);
  return true;
}

bool JsonCursor::ReadNumberArray(std::vector<double>* out, bool allow_null) {
  return ReadNumbers(out, allow_null);
}

bool JsonCursor::ReadNumberArray(std::vector<float>* out, bool allow_null) {
  return ReadNumbers(out, allow_null);
}

template <typename T>
bool JsonCursor::ReadNumbers(std::vector<T>* out, bool allow_null) {
  if (!BeginArray()) return false;
  size_t& index = path_[open_ - 1].index;
  const char* p = begin_ + pos_;
  bool first = true;
  // Hot loop: the path index is written only on failure.
  size_t count = 0;
  while (true) {
    if (!first && end_ - p > kFastWindow && *p == ',') {
      double v;
      if (const char* stop = FastDecimal(p + 1, &v)) {
        out->push_back(static_cast<T>(v));
        p = stop;
        ++count;
        continue;
      }
    }
    while (p < end_ && IsJsonWhitespace(*p)) ++p;
    if (p >= end_) {
      pos_ = static_cast<size_t>(p - begin_);
      index = count;
      return Fail("unexpected end of file inside an array");
    }
    if (*p == ']') {
      pos_ = static_cast<size_t>(p + 1 - begin_);
      Leave();
      return true;
    }
    if (!first) {
      if (*p != ',') {
        pos_ = static_cast<size_t>(p - begin_);
        index = count - 1;
        return Fail("expected ',' or ']' after an array element");
      }
      ++p;
      while (p < end_ && IsJsonWhitespace(*p)) ++p;
    }
    first = false;
    if (end_ - p > kFastWindow) {  // any element, after white space too
      double v;
      if (const char* stop = FastDecimal(p, &v)) {
        out->push_back(static_cast<T>(v));
        p = stop;
        ++count;
        continue;
      }
    }
    if (p < end_ && (*p == '-' || IsDigit(*p))) {
      const char* stop;
      double v;
      if (!ParseNumberAt(p, &stop, &v)) {
        index = count;
        error_pointer_ = Pointer();
        return false;
      }
      out->push_back(static_cast<T>(v));
      p = stop;
    } else if (allow_null && end_ - p >= 4 && std::memcmp(p, "null", 4) == 0 &&
               (end_ - p == 4 || !((p[4] >= 'a' && p[4] <= 'z') || IsDigit(p[4])))) {
      out->push_back(std::numeric_limits<T>::quiet_NaN());
      p += 4;
    } else {
      pos_ = static_cast<size_t>(p - begin_);
      index = count;
      return FailNotANumber();
    }
    ++count;
  }
}

bool JsonCursor::FailNotANumber() {
  const Kind k = Peek();
  const char* what = k == Kind::kString   ? "a string"
                     : k == Kind::kObject ? "an object"
                     : k == Kind::kArray  ? "an array"
                     : k == Kind::kBool   ? "a boolean"
                     : k == Kind::kNull   ? "null"
                                          : "";
  if (k == Kind::kInvalid) return Fail("unexpected character, expected a number");
  return Fail(std::string("expected a number but found ") + what, /*syntax=*/false);
}

bool JsonCursor::SkipValue(std::string_view* span) {
  if (failed()) return false;
  SkipWs();
  size_t start = pos_;
  if (!SkipValueAt(depth_)) return false;
  if (span) *span = std::string_view(begin_ + start, pos_ - start);
  return true;
}

bool JsonCursor::SkipValueAt(int depth) {
  SkipWs();
  if (begin_ + pos_ >= end_) return Fail("unexpected end of file, expected a value");
  char c = begin_[pos_];
  switch (c) {
    case '{':
    case '[': {
      if (depth + 1 > max_depth_) {
        return Fail("nesting is deeper than " + std::to_string(max_depth_) +
                    " levels, deeper than any real export");
      }
      char close = c == '{' ? '}' : ']';
      ++pos_;
      SkipWs();
      if (begin_ + pos_ < end_ && begin_[pos_] == close) {
        ++pos_;
        return true;
      }
      while (true) {
        if (c == '{') {
          SkipWs();
          if (begin_ + pos_ >= end_ || begin_[pos_] != '"') {
            return begin_ + pos_ >= end_ ? Fail("unexpected end of file inside an object")
                                         : Fail("expected a quoted member name");
          }
          ++pos_;
          if (!ParseStringBody(nullptr)) return false;
          if (!Expect(':', "':' after a member name")) return false;
        }
        if (!SkipValueAt(depth + 1)) return false;
        SkipWs();
        if (begin_ + pos_ >= end_) return Fail("unexpected end of file inside a container");
        char d = begin_[pos_++];
        if (d == close) return true;
        if (d != ',') {
          --pos_;
          return Fail(c == '{' ? "expected ',' or '}' after an object member"
                               : "expected ',' or ']' after an array element");
        }
      }
    }
    case '"':
      ++pos_;
      return ParseStringBody(nullptr);
    case 't':
    case 'f':
    case 'n': {
      const char* word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      size_t n = std::strlen(word);
      if (static_cast<size_t>(end_ - (begin_ + pos_)) < n ||
          std::memcmp(begin_ + pos_, word, n) != 0) {
        return Fail("invalid literal");
      }
      pos_ += n;
      if (begin_ + pos_ < end_ &&
          ((begin_[pos_] >= 'a' && begin_[pos_] <= 'z') || IsDigit(begin_[pos_]))) {
        return Fail("invalid literal");
      }
      return true;
    }
    default: {
      if (c != '-' && !IsDigit(c)) return Fail("unexpected character, expected a JSON value");
      const char* stop;
      if (!ScanNumber(&stop)) return false;
      pos_ = static_cast<size_t>(stop - begin_);
      return true;
    }
  }
}

}  // namespace callsight::json
