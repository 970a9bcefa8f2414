#include "json/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/utf8.h"

namespace callsight::json {

void JsonWriter::PutSlow(std::string_view s) {
  if (sink_) {
    Flush();
    if (s.size() > out_.size()) {  // longer than a piece: handed over as it is
      sink_(s);
      return;
    }
  } else {
    Grow(s.size());
  }
  std::memcpy(&out_[size_], s.data(), s.size());
  size_ += s.size();
}

void JsonWriter::Grow(size_t n) {
  // std::string picks the new capacity as its own appends would (doubling);
  // all of it is then room to write into.
  out_.resize(size_ + n);
  out_.resize(out_.capacity());
}

void JsonWriter::Flush() {
  if (!sink_ || size_ == 0) return;
  sink_(std::string_view(out_.data(), size_));
  size_ = 0;
}

void JsonWriter::NewLine() {
  if (indent_ < 0) return;
  Put('\n');
  for (size_t i = has_items_.size() * static_cast<size_t>(indent_); i > 0; --i) Put(' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) Put(',');
    has_items_.back() = true;
    NewLine();
  }
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  Put(c);
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  assert(!has_items_.empty() && !after_key_);
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items) NewLine();
  Put(c);
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!after_key_);
  BeforeValue();
  Escaped(key);
  Put(':');
  if (indent_ >= 0) Put(' ');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  Escaped(s);
  return *this;
}

namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void JsonWriter::PutCodePoint(uint32_t cp) {
  const auto unit = [this](uint32_t u) {
    char text[6] = {'\\',        'u', kHex[u >> 12 & 15], kHex[u >> 8 & 15], kHex[u >> 4 & 15],
                    kHex[u & 15]};
    Put(std::string_view(text, sizeof text));
  };
  if (cp < 0x10000) {
    unit(cp);
  } else {
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10));
    unit(0xDC00 + (cp & 0x3FF));
  }
}

void JsonWriter::Escaped(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  Put('"');
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
    Put(std::string_view(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run)));
    if (p >= end) break;
    unsigned char c = *p;
    if (c >= 0x80) {
      uint32_t cp = 0xFFFD;  // U+FFFD for an invalid byte
      const size_t n = util::DecodeUtf8(p, end, &cp);
      if (ascii_) {
        PutCodePoint(cp);
      } else if (n == 0) {
        Put("\xEF\xBF\xBD");
      } else {
        Put(std::string_view(reinterpret_cast<const char*>(p), n));
      }
      p += n == 0 ? 1 : n;
      continue;
    }
    ++p;
    switch (c) {
      case '"':
        Put("\\\"");
        break;
      case '\\':
        Put("\\\\");
        break;
      case '\n':
        Put("\\n");
        break;
      case '\r':
        Put("\\r");
        break;
      case '\t':
        Put("\\t");
        break;
      case '\b':
        Put("\\b");
        break;
      case '\f':
        Put("\\f");
        break;
      default:
        PutCodePoint(c);
    }
  }
  Put('"');
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  Put(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  return *this;
}

JsonWriter& JsonWriter::Number(double v, int decimals) {
  if (!std::isfinite(v)) return Null();
  BeforeValue();
  static constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  char buf[64];
  if (std::fabs(v) >= 1e12 || decimals < 0 || decimals > 6) {
    int n = std::snprintf(buf, sizeof buf, "%.17g", v);
    Put(std::string_view(buf, static_cast<size_t>(n)));
    return *this;
  }
  // v rounded to `decimals` places as an integer count of 10^-decimals, then
  // printed by hand: integer part, point, fraction without trailing zeros.
  const int64_t scale = kPow10[decimals];
  // Half away from zero, like llround, without a libm call: x - trunc(x) is
  // exact, and |x| < 1e18 fits int64.
  const double x = v * static_cast<double>(scale);
  double whole_units = std::trunc(x);
  if (std::fabs(x - whole_units) >= 0.5) whole_units += x < 0 ? -1 : 1;
  const auto units = static_cast<int64_t>(whole_units);
  char* end = buf + sizeof buf;
  char* p = end;
  const bool negative = units < 0;
  uint64_t u = negative ? static_cast<uint64_t>(-units) : static_cast<uint64_t>(units);
  uint64_t whole = u / static_cast<uint64_t>(scale);
  uint64_t frac = u % static_cast<uint64_t>(scale);
  int frac_digits = decimals;
  while (frac_digits > 0 && frac % 10 == 0) frac /= 10, --frac_digits;
  for (int i = 0; i < frac_digits; ++i, frac /= 10) *--p = static_cast<char>('0' + frac % 10);
  if (frac_digits > 0) *--p = '.';
  do {
    *--p = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole > 0);
  if (negative && u != 0) *--p = '-';  // never "-0"
  Put(std::string_view(p, static_cast<size_t>(end - p)));
  return *this;
}

namespace {

// The shortest significant digits of a finite v > 0 that read back as v, and
// the decimal exponent of the first digit: v ~ 0.DIGITS x 10^point. printf's
// digits are correctly rounded, so the first precision that reads back is the
// shortest (at most 17 digits always do).
void ShortestDigits(double v, std::string* digits, int* point) {
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf is "D[.DDD]e[+-]XX".
  const char* e = std::strchr(buf, 'e');
  digits->clear();
  for (const char* p = buf; p < e; ++p) {
    if (*p != '.') digits->push_back(*p);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *point = std::atoi(e + 1) + 1;
}

}  // namespace

JsonWriter& JsonWriter::Double(double v) {
  if (!std::isfinite(v)) return Null();
  BeforeValue();
  if (std::signbit(v)) Put('-');
  v = std::fabs(v);
  if (v == 0) {
    Put("0.0");
    return *this;
  }
  std::string digits;
  int point;
  ShortestDigits(v, &digits, &point);
  const int n = static_cast<int>(digits.size());
  if (n <= point && point <= 15) {  // 1234500.0
    Put(digits);
    for (int i = n; i < point; ++i) Put('0');
    Put(".0");
  } else if (0 < point && point <= 15) {  // 1234.5
    Put(std::string_view(digits).substr(0, point));
    Put('.');
    Put(std::string_view(digits).substr(point));
  } else if (-4 < point && point <= 0) {  // 0.0012345
    Put("0.");
    for (int i = point; i < 0; ++i) Put('0');
    Put(digits);
  } else {  // 1.2345e-05, 1e+20: at least two exponent digits
    Put(digits[0]);
    if (n > 1) {
      Put('.');
      Put(std::string_view(digits).substr(1));
    }
    char exponent[8];
    const int e = point - 1;
    const int len =
        std::snprintf(exponent, sizeof exponent, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    Put(std::string_view(exponent, static_cast<size_t>(len)));
  }
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  Put(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  Put("null");
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  Put(json);
  return *this;
}

JsonWriter& JsonWriter::FieldIfFinite(std::string_view key, double v, int decimals) {
  return std::isfinite(v) ? Field(key, v, decimals) : *this;
}

JsonWriter& JsonWriter::StringArray(std::string_view key, const std::vector<std::string>& values) {
  Key(key).BeginArray();
  for (const auto& v : values) String(v);
  return EndArray();
}

}  // namespace callsight::json
