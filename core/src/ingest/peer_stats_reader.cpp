// The peer-stats fast path: publisher/subscriber sections read with JsonCursor
// straight into columnar series, then validated (and safely repaired).
#include "ingest/peer_stats_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>

#include "json/json_cursor.h"

namespace callsight::ingest {

using json::JsonCursor;

namespace {

std::string AsciiLower(std::string s) {
  for (char& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

using Kind = JsonCursor::Kind;

constexpr double kEarliestMs = 946684800000.0;  // 2000-01-01T00:00:00Z
constexpr double kLatestMs = 4102444800000.0;   // 2100-01-01T00:00:00Z
// The platform caps sessions at 12 hours; one more hour of slack.
constexpr int64_t kMaxSpanMs = 13 * 3600 * 1000LL;

InputMessage Error(std::string pointer, std::string text) {
  return InputMessage{InputMessage::Level::kError, 0, std::move(pointer), std::move(text)};
}
InputMessage Warning(std::string pointer, std::string text) {
  return InputMessage{InputMessage::Level::kWarning, 0, std::move(pointer), std::move(text)};
}

const char* KindWord(Kind k) {
  switch (k) {
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
    case Kind::kString:
      return "a string";
    case Kind::kNumber:
      return "a number";
    case Kind::kBool:
      return "a boolean";
    case Kind::kNull:
      return "null";
    default:
      return "not JSON";
  }
}

// Reads a string or null (null -> empty). Shape errors go to messages.
bool ReadOptionalString(JsonCursor* c, const char* field, std::string* out,
                        std::vector<InputMessage>* messages) {
  Kind k = c->Peek();
  if (k == Kind::kNull) return c->SkipValue();
  if (k != Kind::kString) {
    messages->push_back(
        Error(c->Pointer(), std::string(field) + " must be a string, not " + KindWord(k)));
    return false;
  }
  return c->ReadString(out);
}

// Buffers reused from one track entry to the next while a section is read:
// their room is kept (keys like "packet_loss_percent" are long; "time_series"
// is longer than some standard libraries keep without allocating).
// A timestamps array read from this cursor's text, and its bytes there.
struct ReadStampsArray {
  std::string_view text;
  std::vector<double> values;
};

struct Scratch {
  std::vector<ReadStampsArray> stamps;  // the last kKeptStamps different ones
  size_t next_stamps = 0;               // the one to replace next
  Samples samples;
  std::string entry_key, series_key, type;
};

constexpr size_t kKeptStamps = 32;

// Reads a timestamps array; returns its values (in *scratch), or null on
// failure. A peer's tracks are sampled together, so a file repeats a few
// timestamps arrays byte for byte (100ms's own example does): one already
// read in this section is recognized by its bytes and not parsed again.
// Pays: timestamps are half the bytes of the bench session (40 peers x 60
// min; 16 different arrays among a file's 85); a single-threaded native
// analysis of it runs 1,592 M instructions with this, 1,726 M without
// (callgrind, 2026-12-07).
const std::vector<double>* ReadStamps(JsonCursor* c, Scratch* scratch) {
  for (const ReadStampsArray& kept : scratch->stamps) {
    if (c->SkipIfSame(kept.text)) return &kept.values;
  }
  if (scratch->stamps.size() < kKeptStamps) scratch->stamps.emplace_back();
  ReadStampsArray& slot = scratch->stamps[scratch->next_stamps++ % scratch->stamps.size()];
  slot.values.clear();
  slot.text = {};
  const size_t start = c->offset();
  if (!c->ReadNumberArray(&slot.values, /*allow_null=*/false)) return nullptr;
  slot.text = c->Since(start);
  return &slot.values;
}

bool ReadTimeSeries(JsonCursor* c, const PeerStatsDoc& doc, TrackEntry* entry, Scratch* scratch,
                    std::vector<InputMessage>* messages) {
  if (c->Peek() != Kind::kObject) {
    messages->push_back(Error(
        c->Pointer(), std::string("time_series must be an object, not ") + KindWord(c->Peek())));
    return false;
  }
  const std::vector<double>* stamps = nullptr;
  // Keys seen so far: known ones as bits (no allocation per track), others by name.
  uint32_t seen_known = 0;
  std::vector<std::string> seen_other;
  std::string& key = scratch->series_key;
  if (!c->BeginObject()) return false;
  while (c->NextMember(&key)) {
    const bool is_stamps = key == "timestamps";
    const std::optional<Metric> known = is_stamps ? std::nullopt : MetricFromName(key);
    const int metric = known ? static_cast<int>(*known) : -1;
    const uint32_t bit = is_stamps ? 1u : metric >= 0 ? 2u << metric : 0u;
    const bool twice =
        bit ? (seen_known & bit) != 0
            : std::find(seen_other.begin(), seen_other.end(), key) != seen_other.end();
    if (twice) {
      messages->push_back(Error(c->Pointer(), "time_series has the key \"" + key + "\" twice"));
      return false;
    }
    if (bit) {
      seen_known |= bit;
    } else {
      seen_other.push_back(key);
    }
    Kind k = c->Peek();
    if (!is_stamps && metric < 0) {
      if (!c->SkipValue()) return false;  // a metric this version does not know
      continue;
    }
    if (k == Kind::kNull) {  // a whole series given as null: not reported
      if (!c->SkipValue()) return false;
      continue;
    }
    if (k != Kind::kArray) {
      messages->push_back(
          Error(c->Pointer(), key + " must be an array of numbers, not " + KindWord(k)));
      return false;
    }
    if (is_stamps) {
      stamps = ReadStamps(c, scratch);
      if (!stamps) return false;
    } else {
      // Parsed into a reused buffer, then stored at its exact size: growth
      // slack would otherwise cost up to half the model's memory.
      Samples& samples = scratch->samples;
      samples.clear();
      if (!c->ReadNumberArray(&samples, /*allow_null=*/true)) return false;
      entry->series.columns[metric].assign(samples.begin(), samples.end());
    }
  }
  if (c->failed()) return false;
  const auto where = [&doc, entry] { return doc.Pointer(*entry) + "/time_series"; };
  bool any_metric = false;
  for (const auto& col : entry->series.columns) any_metric |= !col.empty();
  if (!stamps) {
    if (any_metric) {
      messages->push_back(Error(where(), "time_series has samples but no timestamps"));
      return false;
    }
    return true;
  }
  auto& ts = entry->series.timestamps_ms;
  ts.resize(stamps->size());
  for (size_t i = 0; i < stamps->size(); ++i) {
    const double v = (*stamps)[i];
    // Exports are Unix epoch milliseconds; anything outside 2000..2100 is a
    // wrong unit (seconds), a placeholder (0) or damage.
    if (!(v >= kEarliestMs && v < kLatestMs)) {
      char text[64];
      std::snprintf(text, sizeof text, "%.17g", v);
      messages->push_back(Error(where() + "/timestamps/" + std::to_string(i),
                                std::string("timestamp ") + text +
                                    " is not a Unix time in milliseconds between the years "
                                    "2000 and 2100"));
      return false;
    }
    const auto whole = static_cast<int64_t>(v);  // exact for the usual integer stamps
    ts[i] = static_cast<double>(whole) == v ? whole : std::llround(v);
  }
  return true;
}

// Entry `index` of the document's entry_arrays[array].
bool ReadEntry(JsonCursor* c, Direction direction, bool video, uint32_t array, uint32_t index,
               PeerStatsDoc* doc, Scratch* scratch, std::vector<InputMessage>* messages) {
  if (c->Peek() != Kind::kObject) {
    messages->push_back(Error(
        c->Pointer(), std::string("a track entry must be an object, not ") + KindWord(c->Peek())));
    return false;
  }
  TrackEntry entry;
  entry.direction = direction;
  entry.kind = video ? MediaKind::kVideo : MediaKind::kAudio;
  entry.array = array;
  entry.index = index;
  bool have_id = false;
  std::string& key = scratch->entry_key;
  std::string& type = scratch->type;
  type.clear();
  if (!c->BeginObject()) return false;
  while (c->NextMember(&key)) {
    if (key == "track_id") {
      if (!ReadOptionalString(c, "track_id", &entry.track_id, messages)) return false;
      have_id = !entry.track_id.empty();
    } else if (key == "rid") {
      if (!ReadOptionalString(c, "rid", &entry.rid, messages)) return false;
    } else if (key == "type") {
      if (!ReadOptionalString(c, "type", &type, messages)) return false;
    } else if (key == "time_series") {
      if (!ReadTimeSeries(c, *doc, &entry, scratch, messages)) return false;
    } else if (!c->SkipValue()) {
      return false;
    }
  }
  if (c->failed()) return false;
  if (!have_id) {
    messages->push_back(Error(doc->Pointer(entry), "track entry has no track_id"));
    return false;
  }
  // The vocabulary in any case: type "screen", rids h/m/l (f/q) as lower case.
  if (video && type.size() == 6 && AsciiLower(type) == "screen") entry.kind = MediaKind::kScreen;
  if (!video && !entry.rid.empty()) entry.rid.clear();
  if (entry.rid.size() == 1 && entry.rid[0] != 0 && std::strchr("HMLFQ", entry.rid[0]))
    entry.rid = AsciiLower(entry.rid);
  doc->entries.push_back(std::move(entry));
  return true;
}

bool ReadEntryArray(JsonCursor* c, Direction direction, bool video, PeerStatsDoc* doc,
                    Scratch* scratch, std::vector<InputMessage>* messages) {
  Kind k = c->Peek();
  if (k == Kind::kNull) return c->SkipValue();
  if (k != Kind::kArray) {
    messages->push_back(Error(c->Pointer(), std::string(video ? "video" : "audio") +
                                                " must be an array of tracks, not " + KindWord(k)));
    return false;
  }
  doc->entry_arrays.push_back(c->Pointer());
  const auto array = static_cast<uint32_t>(doc->entry_arrays.size() - 1);
  if (!c->BeginArray()) return false;
  for (uint32_t index = 0; c->NextElement(); ++index) {
    if (!ReadEntry(c, direction, video, array, index, doc, scratch, messages)) return false;
  }
  return !c->failed();
}

}  // namespace

bool ReadPeerStatsSection(JsonCursor* c, Direction direction, PeerStatsDoc* doc,
                          std::vector<InputMessage>* messages) {
  Kind k = c->Peek();
  if (k == Kind::kNull) return c->SkipValue();
  if (k != Kind::kObject) {
    messages->push_back(Error(c->Pointer(), std::string(DirectionName(direction)) +
                                                " must be an object, not " + KindWord(k)));
    return false;
  }
  std::string key;
  Scratch scratch;
  if (!c->BeginObject()) return false;
  while (c->NextMember(&key)) {
    bool ok = key == "video"   ? ReadEntryArray(c, direction, true, doc, &scratch, messages)
              : key == "audio" ? ReadEntryArray(c, direction, false, doc, &scratch, messages)
                               : c->SkipValue();
    if (!ok) return false;
  }
  return !c->failed();
}

namespace {

// All of one peer's samples lie within one session: tracks whose samples are
// further apart than a session can last mean a wrong timestamp (and would
// make the analysis cover decades of empty windows).
void CheckDocumentSpan(const PeerStatsDoc& doc, std::vector<InputMessage>* messages) {
  const TrackEntry* earliest = nullptr;
  const TrackEntry* latest = nullptr;
  for (const TrackEntry& e : doc.entries) {
    const auto& t = e.series.timestamps_ms;
    if (t.empty()) continue;
    if (!earliest || t.front() < earliest->series.timestamps_ms.front()) earliest = &e;
    if (!latest || t.back() > latest->series.timestamps_ms.back()) latest = &e;
  }
  if (!earliest) return;
  const int64_t span = latest->series.timestamps_ms.back() - earliest->series.timestamps_ms.front();
  if (span <= kMaxSpanMs) return;
  messages->push_back(Error(doc.Pointer(*latest) + "/time_series/timestamps",
                            "this track's samples end " + std::to_string(span / 3600000) +
                                " hours after the samples of " + doc.Pointer(*earliest) +
                                " begin, more than a session can last (12 hours): a timestamp "
                                "is wrong"));
}

}  // namespace

namespace {

// The first entry that repeats an earlier one's (direction, track, layer), or
// the number of entries: found by sorting positions (one allocation, not one
// per entry).
size_t FirstRepeatedEntry(const PeerStatsDoc& doc) {
  const auto key = [&doc](size_t i) {
    const TrackEntry& e = doc.entries[i];
    return std::tie(e.direction, e.track_id, e.rid);
  };
  std::vector<size_t> order(doc.entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  size_t first_repeat = order.size();  // equal keys stay in entry order
  for (size_t k = 1; k < order.size(); ++k) {
    if (key(order[k]) == key(order[k - 1])) first_repeat = std::min(first_repeat, order[k]);
  }
  return first_repeat;
}

// Every reported column has a sample per timestamp.
bool CheckColumnLengths(const Series& s, const std::string& where,
                        std::vector<InputMessage>* messages) {
  const size_t n = s.timestamps_ms.size();
  for (int m = 0; m < kMetricCount; ++m) {
    const auto& col = s.columns[m];
    if (!col.empty() && col.size() != n) {
      messages->push_back(Error(where + "/" + MetricName(static_cast<Metric>(m)),
                                std::string(MetricName(static_cast<Metric>(m))) + " has " +
                                    std::to_string(col.size()) + " samples but timestamps has " +
                                    std::to_string(n)));
      return false;
    }
  }
  return true;
}

// Timestamps never go backwards and span no more than a session can last.
// Sets *repeats to the number of timestamps equal to the one before.
bool CheckTimestamps(const Series& s, const std::string& where, size_t* repeats,
                     std::vector<InputMessage>* messages) {
  const size_t n = s.timestamps_ms.size();
  *repeats = 0;
  for (size_t i = 1; i < n; ++i) {
    if (s.timestamps_ms[i] < s.timestamps_ms[i - 1]) {
      messages->push_back(Error(where + "/timestamps/" + std::to_string(i),
                                "timestamps go backwards (" + std::to_string(s.timestamps_ms[i]) +
                                    " after " + std::to_string(s.timestamps_ms[i - 1]) + ")"));
      return false;
    }
    *repeats += s.timestamps_ms[i] == s.timestamps_ms[i - 1];
  }
  if (n > 1 && s.timestamps_ms.back() - s.timestamps_ms.front() > kMaxSpanMs) {
    messages->push_back(
        Error(where + "/timestamps",
              "the samples span " +
                  std::to_string((s.timestamps_ms.back() - s.timestamps_ms.front()) / 3600000) +
                  " hours, more than a session can last (12 hours): a timestamp is wrong"));
    return false;
  }
  return true;
}

// An exact repeat of a timestamp is dropped with its samples (safe repair).
void DropRepeatedTimestamps(Series* s) {
  const size_t n = s->timestamps_ms.size();
  size_t out = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && s->timestamps_ms[i] == s->timestamps_ms[out - 1]) continue;
    s->timestamps_ms[out] = s->timestamps_ms[i];
    for (auto& col : s->columns) {
      if (!col.empty()) col[out] = col[i];
    }
    ++out;
  }
  s->timestamps_ms.resize(out);
  for (auto& col : s->columns) {
    if (!col.empty()) col.resize(out);
  }
}

// Ranges: a negative value (or loss above 100 %) is unusable: kept as missing.
void MissImpossibleValues(Series* s, const std::string& where,
                          std::vector<InputMessage>* messages) {
  for (int m = 0; m < kMetricCount; ++m) {
    auto& col = s->columns[m];
    // Negative, loss above 100 %, or too large for a sample (infinite); a
    // missing value (NaN) fails both tests. Branch-free: one quick pass
    // over the usual clean column.
    const float limit =
        static_cast<Metric>(m) == Metric::kPacketLoss ? 100.0f : std::numeric_limits<float>::max();
    const float missing = std::numeric_limits<float>::quiet_NaN();
    size_t bad = 0;
    for (float& v : col) {
      const bool out_of_range = (v < 0) | (v > limit);
      v = out_of_range ? missing : v;
      bad += out_of_range;
    }
    if (bad > 0) {
      messages->push_back(Warning(where + "/" + MetricName(static_cast<Metric>(m)),
                                  std::to_string(bad) +
                                      " impossible values (negative, or loss above 100 %) "
                                      "were treated as missing"));
    }
  }
}

}  // namespace

void ValidatePeerStats(PeerStatsDoc* doc, std::vector<InputMessage>* messages) {
  const size_t first_repeat = FirstRepeatedEntry(*doc);
  for (size_t i = 0; i < doc->entries.size(); ++i) {
    TrackEntry& e = doc->entries[i];
    if (i == first_repeat) {
      messages->push_back(
          Error(doc->Pointer(e), "track " + e.track_id + (e.rid.empty() ? "" : " layer " + e.rid) +
                                     " appears twice in " + DirectionName(e.direction)));
      return;
    }
    const std::string where = doc->Pointer(e) + "/time_series";
    size_t repeats = 0;
    if (!CheckColumnLengths(e.series, where, messages) ||
        !CheckTimestamps(e.series, where, &repeats, messages)) {
      return;
    }
    if (repeats > 0) {
      DropRepeatedTimestamps(&e.series);
      messages->push_back(Warning(
          where + "/timestamps",
          std::to_string(repeats) + " repeated timestamps; the repeated samples were dropped"));
    }
    MissImpossibleValues(&e.series, where, messages);
  }
  CheckDocumentSpan(*doc, messages);
}

namespace {

int RidRank(const std::string& rid) {
  if (rid == "h" || rid == "f") return 0;
  if (rid == "m") return 1;
  if (rid == "l" || rid == "q") return 2;
  if (rid.empty()) return 3;
  return 4;
}

}  // namespace

void OrderPeerStatsEntries(PeerStatsDoc* doc) {
  // (std::tie, not make_tuple: no copy of the ids per comparison.)
  std::stable_sort(doc->entries.begin(), doc->entries.end(), [](const auto& a, const auto& b) {
    const int ra = RidRank(a.rid), rb = RidRank(b.rid);
    return std::tie(a.direction, a.kind, a.track_id, ra, a.rid) <
           std::tie(b.direction, b.kind, b.track_id, rb, b.rid);
  });
}

}  // namespace callsight::ingest
