#include "ingest/rtcstats_stats.h"

#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

#include "fast_float/fast_float.h"
#include "ingest/plain_json_string.h"
#include "ingest/rtcstats_codes.h"
#include "json/json_cursor.h"
#include "json/json_writer.h"

namespace callsight::ingest {

using json::JsonCursor;
using Kind = JsonCursor::Kind;

namespace {

// A cursor over the JSON a getstats line is almost always made of: arrays,
// objects, numbers, strings of printable ASCII without escapes
// (PlainJsonStringLength), any other value passed whole by a JsonCursor. Its
// strings are views of the text. It gives up (failed()) on anything else; the
// reader then reads the value again with a JsonCursor, whose messages name the
// problem. A value it read whole is valid JSON. (JsonCursor decodes member
// names byte by byte into a string: on a generated 60-minute rtcstats dump, a
// third of the reading.)
class PlainCursor {
 public:
  // `depth`: the containers open around `pos` in `text`.
  PlainCursor(std::string_view text, size_t pos, int depth, int max_depth)
      : text_(text), pos_(pos), depth_(depth), max_depth_(max_depth) {}

  Kind Peek() {
    SkipWs();
    if (failed_ || pos_ >= text_.size()) return failed_ ? Kind::kInvalid : Kind::kEnd;
    return JsonCursor::KindOfFirstByte(text_[pos_]);
  }
  bool BeginObject() { return Begin('{'); }
  bool BeginArray() { return Begin('['); }
  // The next member's name, false at the object's end (or on failure).
  bool NextMember(std::string_view* key) {
    if (!Next('}')) return false;
    if (!ReadString(key)) return false;
    SkipWs();
    if (pos_ >= text_.size() || text_[pos_] != ':') return GiveUp();
    ++pos_;
    return true;
  }
  // Whether the array has another element (false at its end or on failure).
  bool NextElement() { return Next(']'); }
  bool ReadString(std::string_view* out) {
    SkipWs();
    if (failed_) return false;
    const std::string_view rest = text_.substr(pos_);
    const size_t n = PlainJsonStringLength(rest, /*allow_escaped_quotes=*/false);
    if (n == 0) return GiveUp();
    *out = rest.substr(1, n - 2);
    pos_ += n;
    return true;
  }
  // JSON's number grammar, then the value as JsonCursor::ReadNumber gives it.
  bool ReadNumber(double* out);
  // Any value, passed by a JsonCursor with the nesting left.
  bool SkipValue(std::string_view* span = nullptr) {
    SkipWs();
    if (failed_ || max_depth_ - depth_ < 0) return GiveUp();
    JsonCursor whole(text_.substr(pos_), max_depth_ - depth_);
    std::string_view bytes;
    if (!whole.SkipValue(&bytes)) return GiveUp();
    pos_ += bytes.size();
    if (span) *span = bytes;
    return true;
  }
  bool failed() const { return failed_; }
  size_t offset() const { return pos_; }
  bool AtEnd() {
    SkipWs();
    return !failed_ && pos_ == text_.size();
  }
  // Leaves the value to the JsonCursor (something to report, or to read
  // the slow way).
  bool GiveUp() {
    failed_ = true;
    return false;
  }

 private:
  bool Begin(char open) {
    SkipWs();
    if (failed_ || pos_ >= text_.size() || text_[pos_] != open || depth_ + 1 > max_depth_) {
      return GiveUp();
    }
    ++pos_;
    ++depth_;
    first_.push_back(true);
    return true;
  }
  // Past the ',' before the next member or element; false at `close`.
  bool Next(char close) {
    if (failed_ || first_.empty()) return GiveUp();
    SkipWs();
    if (pos_ >= text_.size()) return GiveUp();
    if (text_[pos_] == close) {
      ++pos_;
      --depth_;
      first_.pop_back();
      return false;
    }
    if (!first_.back()) {
      if (text_[pos_] != ',') return GiveUp();
      ++pos_;
    }
    first_.back() = false;
    return true;
  }
  bool At(char ch) const { return pos_ < text_.size() && text_[pos_] == ch; }
  bool Digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }
  void SkipWs() {
    while (pos_ < text_.size() && json::IsJsonWhitespace(text_[pos_])) ++pos_;
  }

  std::string_view text_;
  size_t pos_;
  int depth_;
  int max_depth_;
  bool failed_ = false;
  std::vector<bool> first_;
};

bool PlainCursor::ReadNumber(double* out) {
  SkipWs();
  if (failed_) return false;
  const size_t start = pos_;
  if (At('-')) ++pos_;
  if (At('0')) {
    ++pos_;
  } else if (!Digits()) {
    return GiveUp();
  }
  if (At('.')) {
    ++pos_;
    if (!Digits()) return GiveUp();
  }
  if (At('e') || At('E')) {
    ++pos_;
    if (At('+') || At('-')) ++pos_;
    if (!Digits()) return GiveUp();
  }
  if (pos_ < text_.size()) {
    const char ch = text_[pos_];
    if ((ch >= '0' && ch <= '9') || ch == '.' || ch == '+' || ch == '-' ||
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      return GiveUp();
    }
  }
  // The grammar is checked: fast_float itself, inlined here (the call to
  // json::ParseJsonNumber per number was 3 % of a read in Node).
  double v = 0;
  const char* const end = text_.data() + pos_;
  const auto r = fast_float::from_chars(text_.data() + start, end, v);
  if (r.ptr != end || !std::isfinite(v)) return GiveUp();
  *out = v;
  return true;
}

template <typename Cursor>
constexpr bool kPlain = std::is_same_v<Cursor, PlainCursor>;

// One getstats value read with either cursor into a StatsValues. With a
// JsonCursor its errors are messages naming the line; a PlainCursor gives up.
template <typename Cursor>
class ValueParse {
 public:
  ValueParse(Cursor* c, std::string_view text, bool v3, int64_t line, StatsValues* values,
             std::vector<InputMessage>* messages)
      : c_(c), text_(text), v3_(v3), line_(line), values_(values), messages_(messages) {}

  bool Value(StatsValue* value);

 private:
  bool Object(StatsObjectDelta* o);
  bool Member(StatsMember* m);
  bool Type(StatsObjectDelta* o);
  bool Key(std::string_view* key);
  bool String(std::string_view* out);
  bool Error(std::string pointer, std::string text) {
    messages_->push_back({InputMessage::Level::kError, line_, std::move(pointer),
                          "line " + std::to_string(line_) + ": " + std::move(text)});
    return false;
  }
  bool CursorError() {
    if constexpr (kPlain<Cursor>) {
      return false;
    } else {
      messages_->push_back(LineCursorError(line_, *c_));
      return false;
    }
  }

  Cursor* c_;
  std::string_view text_;  // what the cursor reads
  bool v3_;
  int64_t line_;
  StatsValues* values_;
  std::vector<InputMessage>* messages_;
};

template <typename Cursor>
bool ValueParse<Cursor>::Key(std::string_view* key) {
  if constexpr (kPlain<Cursor>) {
    return c_->NextMember(key);
  } else {
    std::string k;
    if (!c_->NextMember(&k)) return false;
    *key = values_->Keep(std::move(k));
    return true;
  }
}

template <typename Cursor>
bool ValueParse<Cursor>::String(std::string_view* out) {
  if constexpr (kPlain<Cursor>) {
    return c_->ReadString(out);
  } else {
    // Printable ASCII without escapes (ids, codecs, fingerprints, most
    // strings of a dump): its bytes are its text, taken without the
    // cursor's per-byte decoding.
    const std::string_view rest = text_.substr(c_->offset());
    const size_t n = PlainJsonStringLength(rest, /*allow_escaped_quotes=*/false);
    if (n > 0) {
      *out = rest.substr(1, n - 2);
      return c_->SkipIfSame(rest.substr(0, n));
    }
    std::string s;
    if (!c_->ReadString(&s)) return false;
    *out = values_->Keep(std::move(s));
    return true;
  }
}

template <typename Cursor>
bool ValueParse<Cursor>::Member(StatsMember* m) {
  switch (c_->Peek()) {
    case Kind::kNumber:
      m->type = StatsMember::Type::kNumber;
      return c_->ReadNumber(&m->number);
    case Kind::kString:
      m->type = StatsMember::Type::kText;
      return String(&m->text);
    case Kind::kBool:
      m->type = StatsMember::Type::kText;
      return c_->SkipValue(&m->text);  // "true" / "false" as written
    case Kind::kObject:
    case Kind::kArray: {
      std::string_view span;
      m->type =
          c_->Peek() == Kind::kObject ? StatsMember::Type::kObject : StatsMember::Type::kArray;
      if (!c_->SkipValue(&span)) return false;
      m->text = values_->Keep(json::CompactJson(span));
      return true;
    }
    default:
      m->type = StatsMember::Type::kNull;
      return c_->SkipValue();
  }
}

// "type": a name, or format 3's code for one.
template <typename Cursor>
bool ValueParse<Cursor>::Type(StatsObjectDelta* o) {
  const Kind k = c_->Peek();
  if (k == Kind::kString) return String(&o->type);
  if (k != Kind::kNumber) return c_->SkipValue();
  double code = 0;
  if (!c_->ReadNumber(&code)) return false;
  const char* name = RtcstatsStatsTypeName(code);
  o->type = name ? std::string_view(name) : values_->Keep(std::to_string(std::llround(code)));
  return true;
}

template <typename Cursor>
bool ValueParse<Cursor>::Object(StatsObjectDelta* o) {
  c_->BeginObject();
  std::vector<StatsMember>& members = values_->members;
  o->first = members.size();
  std::string_view key;
  while (Key(&key)) {
    if (v3_ && key.size() <= 3) key = DecompressPropertyKey(key);  // codes and "t" only
    // webrtc-internals' own derived series ("[bytesSent_in_bits/s]", "[codec]"),
    // which Chromium's rtcstats dump carries too: the converter computes its
    // own rates, and the webrtc-internals reader drops them as well. (Kept,
    // they were a third of a Chromium object's properties, several of them a
    // date text per sample.)
    if (!key.empty() && key.front() == '[') {
      if (!c_->SkipValue()) break;
      continue;
    }
    if (key == "timestamp") {
      const bool ok =
          c_->Peek() == Kind::kNumber ? (o->has_time = c_->ReadNumber(&o->time)) : c_->SkipValue();
      if (!ok) break;
      continue;
    }
    if (key == "type" || key == "id") {
      if (!(key == "type" ? Type(o) : c_->SkipValue())) break;
      continue;
    }
    members.emplace_back();
    members.back().key = key;
    if (!Member(&members.back())) break;
  }
  o->count = members.size() - o->first;
  return !c_->failed() || CursorError();
}

template <typename Cursor>
bool ValueParse<Cursor>::Value(StatsValue* value) {
  *value = StatsValue();
  value->first_object = values_->objects.size();
  const Kind k = c_->Peek();
  if (k == Kind::kNull) {
    value->is_null = true;
    return c_->SkipValue() || CursorError();
  }
  if (k != Kind::kObject) {
    if constexpr (kPlain<Cursor>) return c_->GiveUp();
    if (c_->failed() || k == Kind::kInvalid) return CursorError();
    return Error("/2", "the getstats value should be an object of stats objects");
  }
  c_->BeginObject();
  std::string_view id;
  while (Key(&id)) {
    const Kind vk = c_->Peek();
    if (id == (v3_ ? std::string_view("t") : std::string_view("timestamp")) &&
        vk == Kind::kNumber) {
      value->has_top = c_->ReadNumber(&value->top);
      continue;
    }
    if (vk != Kind::kObject && vk != Kind::kNull) {
      if constexpr (kPlain<Cursor>) return c_->GiveUp();
      if (c_->failed() || vk == Kind::kInvalid) return CursorError();
      return Error("/2/" + json::EscapePointerToken(id),
                   "stats object " + std::string(id) + " should be a JSON object");
    }
    values_->objects.emplace_back();
    StatsObjectDelta& o = values_->objects.back();
    o.id = id;
    o.removed = vk == Kind::kNull;
    o.first = values_->members.size();
    if (o.removed) {
      c_->SkipValue();
    } else if (!Object(&o)) {
      return false;
    }
  }
  if (c_->failed()) return CursorError();
  value->object_count = values_->objects.size() - value->first_object;
  return true;
}

// Undoes a parse that gave up: *values as it was.
void Truncate(StatsValues* values, size_t objects, size_t members) {
  values->objects.resize(objects);
  values->members.resize(members);
}

// The method element of a getstats line.
bool IsStatsMethod(PlainCursor* c) {
  if (c->Peek() == Kind::kNumber) {
    double code = 0;
    if (!c->ReadNumber(&code)) return false;
    const char* name = RtcstatsMethodName(code);
    return name != nullptr && std::string_view(name) == "getStats";
  }
  std::string_view method;
  return c->ReadString(&method) && (method == "getstats" || method == "getStats" || method == "g");
}

// The elements after the value: the one that gives the time (format 3: the
// last, else the 4th, index 3).
bool ReadTimeElements(PlainCursor* c, bool v3, PlainStatsLine* out) {
  for (int index = 3; c->NextElement(); ++index) {
    const bool is_number = c->Peek() == Kind::kNumber;
    double v = 0;
    if (is_number ? !c->ReadNumber(&v) : !c->SkipValue()) return false;
    if (v3 || index == 3) {
      out->time = v;
      out->has_time = is_number;
    }
  }
  return !c->failed();
}

}  // namespace

size_t ParsePlainStatsValue(std::string_view text, size_t pos, int depth, int max_depth, bool v3,
                            StatsValues* values, StatsValue* value) {
  const size_t objects = values->objects.size(), members = values->members.size();
  PlainCursor c(text, pos, depth, max_depth);
  ValueParse<PlainCursor> parse(&c, text, v3, 0, values, nullptr);
  if (parse.Value(value)) return c.offset();
  Truncate(values, objects, members);
  return 0;
}

bool ParseStatsValue(JsonCursor* c, std::string_view text, bool v3, int64_t line,
                     StatsValues* values, StatsValue* value, std::vector<InputMessage>* messages) {
  ValueParse<JsonCursor> parse(c, text, v3, line, values, messages);
  return parse.Value(value);
}

bool ParsePlainStatsLine(std::string_view line, bool v3, int max_depth, StatsValues* values,
                         PlainStatsLine* out) {
  const size_t objects = values->objects.size(), members = values->members.size();
  *out = PlainStatsLine();
  PlainCursor c(line, 0, 0, max_depth);
  const bool read = c.BeginArray() && c.NextElement() && IsStatsMethod(&c) && c.NextElement() &&
                    c.ReadString(&out->connection) && c.NextElement() && c.Peek() == Kind::kObject;
  if (read) {
    ValueParse<PlainCursor> parse(&c, line, v3, 0, values, nullptr);
    if (parse.Value(&out->value) && ReadTimeElements(&c, v3, out) && c.AtEnd()) return true;
  }
  Truncate(values, objects, members);
  *out = PlainStatsLine();
  return false;
}

InputMessage LineCursorError(int64_t line, const JsonCursor& c) {
  const std::string where = "line " + std::to_string(line);
  return {InputMessage::Level::kError, line, c.error_pointer(),
          c.error_is_syntax() ? where + " of the rtcstats dump is not valid JSON: " + c.error()
                              : where + ": " + c.error()};
}

}  // namespace callsight::ingest
