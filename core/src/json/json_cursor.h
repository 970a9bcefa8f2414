// JsonCursor: a strict, allocation-light JSON pull reader over a byte range.
//
// It validates RFC 8259 exactly (grammar, string escapes, UTF-8, number syntax)
// and rejects one thing RFC 8259 allows, a lone UTF-16 surrogate escape. It caps
// nesting depth and tracks the JSON Pointer of the current position so a
// failure can say where it happened. The first error sticks: every later call
// fails fast, and the caller reads error(), error_pointer() and error_offset()
// once.
//
// The peer-stats reader drives it directly so that large sample arrays go
// straight into columns (ReadNumberArray) without building a DOM; JsonTree
// (json_tree.h) reads small documents whole with it.
#ifndef CALLSIGHT_JSON_JSON_CURSOR_H_
#define CALLSIGHT_JSON_JSON_CURSOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callsight::json {

class JsonCursor {
 public:
  JsonCursor(std::string_view text, int max_depth);

  // The kind of the next value, after skipping white space: kEnd at the end
  // of the text, kInvalid on a byte no value starts with or once failed.
  enum class Kind : uint8_t { kObject, kArray, kString, kNumber, kBool, kNull, kEnd, kInvalid };
  Kind Peek();
  // The kind of the value whose first byte is `c` (kInvalid when no JSON
  // value starts with it); Peek's answer after the white space.
  // (Inline: the readers' own cursors ask it for every value.)
  static Kind KindOfFirstByte(char c) {
    switch (c) {
      case '{':
        return Kind::kObject;
      case '[':
        return Kind::kArray;
      case '"':
        return Kind::kString;
      case 't':
      case 'f':
        return Kind::kBool;
      case 'n':
        return Kind::kNull;
      default:
        return c == '-' || (c >= '0' && c <= '9') ? Kind::kNumber : Kind::kInvalid;
    }
  }

  // Objects: BeginObject(); while (NextMember(&key)) { ...read the value... }
  // NextMember consumes the separator, the key and the colon; returns false at
  // the closing brace (consumed) or on error (check failed()).
  bool BeginObject();
  bool NextMember(std::string* key);

  // Arrays: BeginArray(); while (NextElement()) { ...read the value... }
  bool BeginArray();
  bool NextElement();

  bool ReadString(std::string* out);  // decoded
  bool ReadNumber(double* out);       // finite only; out-of-range numbers are errors
  // Skips any value, validating everything it skips (numbers by their syntax
  // only: 1e999 passes); *span gets its exact bytes ("null", "\"x\"", "12").
  bool SkipValue(std::string_view* span = nullptr);

  // Reads an array of numbers into `out` (appending). JSON null becomes NaN when
  // allow_null, else an error. Anything else is an error naming the element.
  bool ReadNumberArray(std::vector<double>* out, bool allow_null);
  // The same, each value rounded to float after its exact parse as a double.
  bool ReadNumberArray(std::vector<float>* out, bool allow_null);

  // Skips white space, then `value` if the text goes on with exactly its
  // bytes; true when it did. `value` must be a whole value this cursor read
  // earlier (see Since), so its bytes are valid JSON already; false (also for
  // an empty `value`) consumes nothing but white space and is not a failure.
  bool SkipIfSame(std::string_view value);
  // The text from `offset` (an earlier offset()) to the current position.
  std::string_view Since(size_t offset) const {
    return std::string_view(begin_ + offset, pos_ - offset);
  }

  // Skips white space; true when nothing else is left (false once failed).
  bool AtEnd();
  // Skips white space and returns whether a line break was crossed.
  bool SkipWhitespaceCrossesLine();

  // The position in the text, in bytes.
  size_t offset() const { return pos_; }
  // Added to error_offset(), for a text that is a slice of a larger one.
  void set_base_offset(size_t base) { base_offset_ = base; }

  bool failed() const { return !error_.empty(); }
  // The first error: what, where (base offset + position), at which value.
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }
  const std::string& error_pointer() const { return error_pointer_; }
  // Records an error at the current position (first error wins). Always false.
  // syntax: the text is not valid JSON (else: valid JSON of the wrong shape).
  bool Fail(std::string message, bool syntax = true);
  bool error_is_syntax() const { return error_is_syntax_; }
  // The JSON Pointer of the value being read, e.g. "/publisher/video/0".
  std::string Pointer() const;

 private:
  struct PathElem {
    bool is_index;
    size_t index;
    std::string key;
  };

  void SkipWs();
  bool Expect(char c, const char* what);
  // A string's text after the opening quote, up to and past the closing one,
  // decoded into *out (nothing kept when out is null).
  bool ParseStringBody(std::string* out);
  // The escape at *at (a backslash), decoded into *out; *at moves past it.
  bool ReadEscape(const unsigned char** at, std::string* out);
  // Fail() with the position moved to p.
  bool FailAt(const unsigned char* p, const char* message);
  bool ScanNumber(const char** end);
  bool ParseNumberAt(const char* p, const char** stop, double* out);
  template <typename T>
  bool ReadNumbers(std::vector<T>* out, bool allow_null);
  // Fails naming what stands where an array element should be a number.
  bool FailNotANumber();
  bool SkipValueAt(int depth);
  bool Enter();
  void Leave();
  void PushPath(bool is_index);

  const char* begin_;
  const char* end_;
  size_t pos_ = 0;
  size_t base_offset_ = 0;
  int max_depth_;
  int depth_ = 0;
  // Per open container: whether the next member/element is the first.
  std::vector<bool> first_;
  std::vector<PathElem> path_;  // path_[0 .. open_) are the open containers
  size_t open_ = 0;
  std::string error_;
  std::string error_pointer_;
  size_t error_offset_ = 0;
  bool error_is_syntax_ = true;
};

// Whether `c` is JSON white space (space, tab, line feed, carriage return).
inline bool IsJsonWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `span`, a value a cursor passed (valid JSON), without the white space
// outside its strings.
std::string CompactJson(std::string_view span);

// The line (1-based) of a byte offset within text.
int64_t LineOf(std::string_view text, size_t offset);

// The value of a number as the JSON grammar writes it (as ScanNumber or
// SkipValue found it), correctly rounded to a double; +-infinity beyond the
// double range, NaN for text that is not such a number.
double ParseJsonNumber(std::string_view number);

// A member name as a JSON Pointer token: "~" -> "~0", "/" -> "~1" (RFC 6901).
std::string EscapePointerToken(std::string_view key);

}  // namespace callsight::json

#endif  // CALLSIGHT_JSON_JSON_CURSOR_H_
