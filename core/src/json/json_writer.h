// JsonWriter: writes JSON text straight into a string (or to a sink, in
// pieces), in order, with no tree in between (the report is megabytes; a DOM
// would cost time and memory). Strings are escaped and invalid UTF-8 is
// replaced by U+FFFD; non-finite numbers are written as null. Misuse is a bug:
// debug builds assert on a key right after a key and on closing a container
// that is not open or whose last key has no value. The writer does not check
// that objects get keys.
#ifndef CALLSIGHT_JSON_JSON_WRITER_H_
#define CALLSIGHT_JSON_JSON_WRITER_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace callsight::json {

class JsonWriter {
 public:
  // Receives the text in pieces, in order (see the constructor below).
  using Sink = std::function<void(std::string_view)>;

  // indent < 0: compact; otherwise pretty, `indent` spaces per level.
  explicit JsonWriter(int indent = -1) : indent_(indent) {}
  // Hands the text to `sink` in pieces of about `piece_bytes` as it is written,
  // instead of keeping it: memory stays at one piece, whatever the length.
  // Flush() hands over the rest; Take() is then empty.
  JsonWriter(int indent, Sink sink, size_t piece_bytes = size_t{64} << 10)
      : indent_(indent), sink_(std::move(sink)) {
    out_.resize(piece_bytes > 16 ? piece_bytes : 16);
  }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  // A finite number rounded to `decimals` places, half away from zero, with
  // trailing zeros dropped and never "-0"; from 1e12 on, or with decimals
  // outside 0..6, all 17 significant digits (%.17g). Non-finite: null.
  JsonWriter& Number(double v, int decimals = 2);
  // A finite number exactly: the fewest significant digits that read back as
  // v, always with a point or an exponent ("60.0", "0.25", "-0.0", "1e-05",
  // "1.5e+20"; fixed notation for decimal exponents -4 .. 15); or null.
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();
  // Already-valid JSON text, inserted as one value.
  JsonWriter& Raw(std::string_view json);

  // Object members in one call.
  JsonWriter& Field(std::string_view key, std::string_view v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const char* v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const std::string& v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, int64_t v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, int v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, size_t v) {
    return Key(key).Int(static_cast<int64_t>(v));
  }
  JsonWriter& Field(std::string_view key, bool v) { return Key(key).Bool(v); }
  JsonWriter& Field(std::string_view key, double v, int decimals) {
    return Key(key).Number(v, decimals);
  }
  // Optional members: written only when given (non-empty / finite).
  JsonWriter& FieldIfGiven(std::string_view key, std::string_view v) {
    return v.empty() ? *this : Field(key, v);
  }
  JsonWriter& FieldIfFinite(std::string_view key, double v, int decimals = 2);
  JsonWriter& StringArray(std::string_view key, const std::vector<std::string>& values);

  // Hands what is buffered to the sink (nothing without one).
  void Flush();

  // Writes every character beyond ASCII as a \u escape (a pair for those
  // beyond U+FFFF): the same JSON, in text a decoder can take as ASCII.
  void set_ascii(bool ascii) { ascii_ = ascii; }

  // The text written so far; the writer is empty afterwards.
  std::string Take() {
    out_.resize(size_);
    size_ = 0;
    return std::move(out_);
  }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void BeforeValue();
  void Escaped(std::string_view s);  // the quoted, escaped string
  void PutCodePoint(uint32_t cp);    // as \uXXXX (a surrogate pair beyond U+FFFF)
  void NewLine();

  // Appends, inline: std::string's own are calls in WebAssembly, and a
  // report is hundreds of thousands of small pieces.
  void Put(char c) {
    if (size_ == out_.size()) sink_ ? Flush() : Grow(1);
    out_[size_++] = c;
  }
  void Put(std::string_view s) {
    if (out_.size() - size_ < s.size()) return PutSlow(s);
    std::memcpy(&out_[size_], s.data(), s.size());
    size_ += s.size();
  }
  void PutSlow(std::string_view s);  // s does not fit in the room left
  void Grow(size_t n);               // room for n more bytes, doubling (no sink)

  // The text is out_[0, size_); out_ beyond that is spare room.
  std::string out_;
  size_t size_ = 0;
  int indent_;
  // Per open container: whether it already holds an element.
  std::vector<uint8_t> has_items_;
  bool after_key_ = false;
  bool ascii_ = false;
  Sink sink_;
};

}  // namespace callsight::json

#endif  // CALLSIGHT_JSON_JSON_WRITER_H_
