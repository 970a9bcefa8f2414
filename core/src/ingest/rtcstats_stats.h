// The getstats values of an rtcstats dump, parsed: the stats objects each
// names and their members, as views of the line (or of text the parse had to
// make), before the reader undoes the delta compression (rtcstats_reader.cpp).
// Parsing touches nothing but its StatsValues, so the lines of one dump can be
// parsed on several threads and applied in order on one.
#ifndef CALLSIGHT_INGEST_RTCSTATS_STATS_H_
#define CALLSIGHT_INGEST_RTCSTATS_STATS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/ingest.h"
#include "json/json_cursor.h"

namespace callsight::ingest {

// A property value of one stats object in one getstats value.
struct StatsMember {
  enum class Type : uint8_t { kNumber, kText, kNull, kObject, kArray };
  std::string_view key;  // the full name (format 3's codes decompressed)
  Type type = Type::kNull;
  double number = 0;
  std::string_view text;  // kText decoded; kObject / kArray compact JSON; "true" / "false"
};

// One stats object of one getstats value.
struct StatsObjectDelta {
  std::string_view id;
  std::string_view type;  // "" when the value does not say
  size_t first = 0;       // its members: StatsValues::members[first, first + count)
  size_t count = 0;
  bool removed = false;  // format 3: null, the object is gone
  bool has_time = false;
  double time = 0;
};

// Where one getstats value's objects are in its StatsValues.
struct StatsValue {
  bool is_null = false;  // the value was null: nothing to apply
  bool has_top = false;  // the value's common time: "timestamp" (format 3: "t")
  double top = 0;
  size_t first_object = 0;  // StatsValues::objects[first_object, first_object + object_count)
  size_t object_count = 0;
};

// Getstats values parsed one after another, and the text they had to make.
// The views stay valid while the StatsValues is kept and not cleared (and
// the line text they were parsed from is kept).
class StatsValues {
 public:
  std::vector<StatsObjectDelta> objects;
  std::vector<StatsMember> members;

  // Keeps `text`; the view returned stays valid until Clear().
  std::string_view Keep(std::string text) {
    kept_.push_back(std::move(text));
    return kept_.back();
  }
  void Clear() {
    objects.clear();
    members.clear();
    kept_.clear();
  }

 private:
  std::deque<std::string> kept_;  // a deque: what it holds never moves
};

// The getstats value at text[pos], where `depth` containers are open, when it
// is written the way dumps almost always are: objects, numbers, plain strings
// (printable ASCII without escapes), other values passed whole. Appends it to
// *values and returns the offset just past it; returns 0 for anything else,
// with *values as it was (ParseStatsValue then reads it and says what is
// wrong). A value it reads whole is valid JSON.
size_t ParsePlainStatsValue(std::string_view text, size_t pos, int depth, int max_depth, bool v3,
                            StatsValues* values, StatsValue* value);

// The getstats value at the cursor `c` over `text` (line `line`), any JSON.
// False, with an error naming the line in *messages, when it is not an object
// of stats objects (or null).
bool ParseStatsValue(json::JsonCursor* c, std::string_view text, bool v3, int64_t line,
                     StatsValues* values, StatsValue* value, std::vector<InputMessage>* messages);

// A whole getstats line, [method, connection, value, ...], read without a
// JsonCursor: method "getstats", "getStats", "g" or format 3's code 1, the
// connection a string, the value as ParsePlainStatsValue reads it.
struct PlainStatsLine {
  std::string_view connection;
  StatsValue value;
  // The element that gives the line's time (format 3: the last one, else the
  // 4th), when it is a number.
  bool has_time = false;
  double time = 0;
};
// Reads `line` (trimmed of white space) into *values and *out when it is such
// a line and valid JSON throughout; false otherwise (the reader then reads it
// element by element, and says what is wrong with it), *values as it was.
bool ParsePlainStatsLine(std::string_view line, bool v3, int max_depth, StatsValues* values,
                         PlainStatsLine* out);

// An error on line `line` of a dump where the JsonCursor `c` failed.
InputMessage LineCursorError(int64_t line, const json::JsonCursor& c);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_RTCSTATS_STATS_H_
