#include "ingest/rtcstats_reader.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include "ingest/rtcstats_codes.h"
#include "ingest/rtcstats_stats.h"
#include "json/json_cursor.h"
#include "util/byte_scan.h"
#include "util/parallel.h"

namespace callsight::ingest {

namespace {

using json::JsonCursor;
using Kind = JsonCursor::Kind;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Small text helpers.

void AppendJsonString(std::string_view s, std::string* out) {
  *out += '"';
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      *out += '\\';
      *out += ch;
    } else if (u < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      *out += "\\u00";
      *out += kHex[u >> 4];
      *out += kHex[u & 15];
    } else {
      *out += ch;
    }
  }
  *out += '"';
}

// The members of a compact JSON object text, as (name, value text) pairs.
bool ObjectMembers(std::string_view text, int max_depth,
                   std::vector<std::pair<std::string, std::string_view>>* out) {
  JsonCursor c(text, max_depth);
  if (c.Peek() != Kind::kObject || !c.BeginObject()) return false;
  std::string key;
  while (c.NextMember(&key)) {
    std::string_view span;
    if (!c.SkipValue(&span)) return false;
    out->emplace_back(key, span);
  }
  return !c.failed();
}

// Format 3 sends only the changed members of an object-valued property
// (qualityLimitationDurations): `delta` merged over `base`, both compact JSON
// objects. Returns `delta` when either is not an object.
std::string MergeJsonObjects(std::string_view base, std::string_view delta, int max_depth) {
  std::vector<std::pair<std::string, std::string_view>> merged, changes;
  if (!ObjectMembers(base, max_depth, &merged) || !ObjectMembers(delta, max_depth, &changes)) {
    return std::string(delta);
  }
  for (const auto& change : changes) {
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const auto& m) { return m.first == change.first; });
    if (it == merged.end()) {
      merged.push_back(change);
    } else {
      it->second = change.second;
    }
  }
  std::string out = "{";
  for (const auto& m : merged) {
    if (out.size() > 1) out += ',';
    AppendJsonString(m.first, &out);
    out += ':';
    out += m.second;
  }
  out += '}';
  return out;
}

// A time in ms as the dump writes it (a double), or false when it is no time
// a call can have (beyond +-1e15 ms, 31 700 years around 1970).
bool ToMs(double value, int64_t* ms) {
  if (!(std::fabs(value) <= 1e15)) return false;
  *ms = std::llround(value);
  return true;
}

// ---------------------------------------------------------------------------
// Methods as events.

bool EndsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

// getUserMedia and getDisplayMedia in their spellings over the years
// ("navigator.mediaDevices.getUserMedia", "getUserMedia",
// "navigator.webkitGetUserMedia"), with OnSuccess / OnFailure.
bool MediaRequestKind(std::string_view method, DumpEventKind* kind, bool* display) {
  const size_t dot = method.rfind('.');
  std::string_view name = dot == std::string_view::npos ? method : method.substr(dot + 1);
  DumpEventKind k = DumpEventKind::kGetUserMedia;
  if (EndsWith(name, "OnSuccess")) {
    k = DumpEventKind::kGetUserMediaSuccess;
    name.remove_suffix(9);
  } else if (EndsWith(name, "OnFailure")) {
    k = DumpEventKind::kGetUserMediaFailure;
    name.remove_suffix(9);
  }
  if (name == "getUserMedia" || name == "webkitGetUserMedia" || name == "mozGetUserMedia") {
    *display = false;
  } else if (name == "getDisplayMedia") {
    *display = true;
  } else {
    return false;
  }
  *kind = k;
  return true;
}

DumpEventKind EventKindOf(std::string_view method, bool has_connection, bool* display) {
  struct Entry {
    const char* method;
    DumpEventKind kind;
  };
  static constexpr Entry kKinds[] = {
      {"create", DumpEventKind::kCreate},
      {"close", DumpEventKind::kClose},
      {"oniceconnectionstatechange", DumpEventKind::kIceConnectionState},
      {"onconnectionstatechange", DumpEventKind::kConnectionState},
      {"onicegatheringstatechange", DumpEventKind::kIceGatheringState},
      {"onsignalingstatechange", DumpEventKind::kSignalingState},
      {"createOffer", DumpEventKind::kCreateOffer},
      {"createOfferOnFailure", DumpEventKind::kCreateOfferFailure},
      {"createAnswerOnFailure", DumpEventKind::kCreateAnswerFailure},
      {"setLocalDescriptionOnFailure", DumpEventKind::kSetLocalDescriptionFailure},
      {"setRemoteDescriptionOnFailure", DumpEventKind::kSetRemoteDescriptionFailure},
      {"addIceCandidateOnFailure", DumpEventKind::kAddIceCandidateFailure},
      {"addIceCandidateFailed", DumpEventKind::kAddIceCandidateFailure},  // Chrome's own dump
      {"onicecandidateerror", DumpEventKind::kIceCandidateError},
      {"ontrack", DumpEventKind::kTrack},
  };
  *display = false;
  DumpEventKind media;
  if (MediaRequestKind(method, &media, display)) return media;
  for (const Entry& e : kKinds) {
    if (method != e.method) continue;
    // Without a connection, "create" is format 3's client description and
    // "close" the end of the rtcstats session, not a peer connection's.
    const bool per_connection = e.kind == DumpEventKind::kCreate || e.kind == DumpEventKind::kClose;
    return per_connection && !has_connection ? DumpEventKind::kOther : e.kind;
  }
  return DumpEventKind::kOther;
}

bool IsStateKind(DumpEventKind kind) {
  return kind == DumpEventKind::kIceConnectionState || kind == DumpEventKind::kConnectionState ||
         kind == DumpEventKind::kIceGatheringState || kind == DumpEventKind::kSignalingState;
}

StatsFormat StatsFormatOf(std::string_view name) {
  for (StatsFormat f : {StatsFormat::kChromeStandard, StatsFormat::kChromeLegacy,
                        StatsFormat::kFirefox, StatsFormat::kSafari}) {
    if (name == StatsFormatName(f)) return f;
  }
  return StatsFormat::kUnknown;
}

bool IsLegacyStatsType(std::string_view type) {
  return type == "ssrc" || type == "googCandidatePair" || type == "VideoBwe" ||
         type == "googTrack" || type == "googComponent" || type == "googLibjingleSession";
}

bool IsStandardRtpType(std::string_view type) {
  return type == "inbound-rtp" || type == "outbound-rtp" || type == "candidate-pair";
}

// ---------------------------------------------------------------------------
// Stats objects rebuilt from their deltas.

// One property of an object being built. `last` says what a sample that
// omits it carries forward: the previous sample's number or text, or nothing.
// A new sample is opened empty and closed after the line's members are
// applied: only then is the carried value copied in, where the line did not
// set its own. Copying every text forward first and then overwriting it cost
// a copy per text property and sample in Chromium's dumps, whose lines name
// every property. (With the key comparisons in ReadStatsObject: 262-283 ms ->
// 232-241 ms CPU reading a generated 47 MB Chromium rtcstats dump, perf stat.)
struct PropertyBuilder {
  enum class Last : uint8_t { kNone, kNumber, kText };
  StatProperty prop;
  Last last = Last::kNone;
  bool open = false;  // the newest sample has no value yet: Close() carries one in

  // Appends an empty slot for a new sample.
  void Open() {
    prop.numbers.push_back(kNaN);
    if (!prop.texts.empty()) prop.texts.push_back("");
    open = true;
  }
  // Fills the newest sample with the carried value unless it was set.
  void Close() {
    if (!open) return;
    open = false;
    const size_t n = prop.numbers.size();
    if (n < 2) return;
    if (last == Last::kNumber) {
      prop.numbers[n - 1] = prop.numbers[n - 2];
    } else if (last == Last::kText) {
      prop.texts.CopySample(n - 2, n - 1);
    }
  }
  // The text this sample holds so far (carried, or set).
  std::string_view Text() const {
    if (prop.texts.empty()) return std::string_view();
    const size_t n = prop.texts.size();
    if (!open) return prop.texts.back();
    return last == Last::kText && n >= 2 ? prop.texts[n - 2] : std::string_view();
  }
  void SetNumber(double v) {
    open = false;
    prop.numbers.back() = v;
    if (!prop.texts.empty()) prop.texts.Set(prop.texts.size() - 1, "");
    last = Last::kNumber;
  }
  void SetText(std::string_view s) {
    open = false;
    if (prop.texts.empty()) prop.texts.resize(prop.numbers.size());
    prop.texts.Set(prop.texts.size() - 1, s);
    prop.numbers.back() = kNaN;
    last = Last::kText;
  }
  void SetMissing() {
    open = false;
    prop.numbers.back() = kNaN;
    if (!prop.texts.empty()) prop.texts.Set(prop.texts.size() - 1, "");
    last = Last::kNone;
  }
};

struct ObjectBuilder {
  StatObject object;
  std::vector<PropertyBuilder> props;
  std::unordered_map<std::string, size_t> index;
  size_t hint = 0;
  bool present = false;  // in the base the next delta applies to
  uint64_t seen = 0;     // the getstats generation that last named it

  // Deltas name an object's properties in the order it first had them, so the
  // one wanted is usually at or after the last one found.
  PropertyBuilder& Property(std::string_view name) {
    for (size_t i = hint; i < props.size(); ++i) {
      if (SameBytes(props[i].prop.name, name)) {
        hint = i + 1;
        return props[i];
      }
    }
    auto it = index.find(std::string(name));
    size_t i;
    if (it != index.end()) {
      i = it->second;
    } else {
      i = props.size();
      index.emplace(std::string(name), i);
      props.emplace_back();
      props.back().prop.name = std::string(name);
      props.back().prop.numbers.assign(object.times_ms.size(), kNaN);
    }
    hint = i + 1;
    return props[i];
  }
  // Gone from the stats: a later appearance starts from nothing.
  void Remove() {
    present = false;
    for (PropertyBuilder& p : props) p.last = PropertyBuilder::Last::kNone;
  }
};

struct ConnectionBuilder {
  DumpConnection connection;
  std::vector<ObjectBuilder> objects;
  std::unordered_map<std::string, size_t> index;

  size_t hint = 0;

  // Each getstats names the objects in the same order: the one wanted is
  // usually the one after the last one found.
  ObjectBuilder& Object(std::string_view id) {
    if (hint < objects.size() && SameBytes(objects[hint].object.id, id)) return objects[hint++];
    auto [it, added] = index.emplace(std::string(id), objects.size());
    if (added) {
      objects.emplace_back();
      objects.back().object.id = std::string(id);
    }
    hint = it->second + 1;
    return objects[it->second];
  }
};

// ---------------------------------------------------------------------------

// The next non-blank line of bytes[*pos, limit), trimmed of white space, where
// *pos is the start of a line: false when there is none. *pos moves past the
// line's break; *lines (if given) counts the lines passed, blank ones too.
// *unterminated: the line is the file's last and has no line break.
bool NextLineIn(std::string_view bytes, size_t limit, size_t* pos, std::string_view* text,
                bool* unterminated, int64_t* lines) {
  while (*pos < limit) {
    const size_t end = FindLineBreak(bytes, *pos);
    const size_t stop = end == std::string_view::npos ? bytes.size() : end;
    std::string_view line = bytes.substr(*pos, stop - *pos);
    *pos = end == std::string_view::npos ? bytes.size() : end + 1;
    if (lines) ++*lines;
    while (!line.empty() && json::IsJsonWhitespace(line.back())) line.remove_suffix(1);
    while (!line.empty() && json::IsJsonWhitespace(line.front())) line.remove_prefix(1);
    if (line.empty()) continue;
    *text = line;
    *unterminated = end == std::string_view::npos;
    return true;
  }
  return false;
}

// Lines of a dump in byte ranges of about `bytes` each, from `from` on:
// [starts[i], starts[i + 1]) are whole lines (the last range ends at the end).
std::vector<size_t> SplitIntoRuns(std::string_view text, size_t from, size_t bytes) {
  std::vector<size_t> starts;
  while (from < text.size()) {
    starts.push_back(from);
    // The run's last byte were no line to run on past it.
    const size_t last = from + std::min(std::max<size_t>(bytes, 1), text.size() - from) - 1;
    const size_t cut = FindLineBreak(text, last);
    from = cut == std::string_view::npos ? text.size() : cut + 1;
  }
  starts.push_back(text.size());
  return starts;
}

// A run of lines parsed off the reader's thread: its non-blank lines, and
// for each a getstats line read whole (ParsePlainStatsLine) or none: a line
// left to the reader (API calls, events, metadata, anything it must read
// with a JsonCursor).
struct ParsedRun {
  struct Line {
    std::string_view text;  // trimmed
    int64_t lines = 0;      // the lines from the one before it to it: blank ones + 1
    bool unterminated = false;
    bool parsed = false;  // stats holds it
    PlainStatsLine stats;
  };
  std::vector<Line> lines;
  int64_t trailing_lines = 0;  // blank lines after the last one
  StatsValues values;
};

class Reader {
 public:
  Reader(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
         std::vector<InputMessage>* messages)
      : bytes_(bytes),
        max_depth_(options.max_depth),
        threads_(std::max(options.threads, 1)),
        task_bytes_(options.task_bytes),
        out_(out),
        messages_(messages) {}

  bool Read();

 private:
  struct LineText {
    std::string_view text;
    int64_t number = 0;
    bool last_unterminated = false;  // the file's last line, without a line break
  };
  // The next non-blank line at or after pos_, false at the end.
  bool NextLine(LineText* line);
  bool ReadHeader();
  bool ReadLines();
  ParsedRun ParseRun(size_t begin, size_t end) const;
  bool ApplyRun(size_t end, const ParsedRun& run);
  bool ApplyStatsLine(const LineText& line, const PlainStatsLine& parsed,
                      const StatsValues& values);
  bool ReadMetadata(std::string_view text);
  bool ReadLine(const LineText& line);
  bool ReadLineElements(JsonCursor* c);
  bool ReadValueAndTime(JsonCursor* c);
  void AddEvent(DumpEvent event);
  bool ReadTime(JsonCursor* c, int elements_before, int64_t* time, bool* timed);
  bool TakeTime(bool has_time, double last, int64_t* time, bool* timed);
  bool ReadEventValue(JsonCursor* c, DumpEvent* event);
  bool ReadConnectionInfo(JsonCursor* c);
  bool ReadIdentity(JsonCursor* c);
  bool ReadStatsValue(JsonCursor* c);
  void ApplyStats(ConnectionBuilder* conn, const StatsValue& value, const StatsValues& values);
  void ApplySample(ObjectBuilder* o, const StatsObjectDelta* delta, const StatsValues* values,
                   int64_t time);
  void ApplyMembers(ObjectBuilder* o, const StatsObjectDelta& delta, const StatsValues& values);
  void Finish();
  void ChooseFormat();

  bool Error(int64_t line, std::string pointer, std::string text);
  void Warn(int64_t line, std::string text);
  bool CursorError(const JsonCursor& c);

  std::string_view bytes_;
  const int max_depth_;
  const int threads_;
  const size_t task_bytes_;
  StatsDump* out_;
  std::vector<InputMessage>* messages_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
  bool v3_ = false;
  int64_t line_ = 0;            // the line being read
  std::string_view line_text_;  // its text, which the line's cursor reads
  int64_t v3_time_ = 0;
  bool has_previous_time_ = false;
  int64_t previous_time_ = 0;
  int64_t content_lines_ = 0;  // API calls, events and stats read
  uint64_t generation_ = 0;
  std::string method_;
  std::string connection_id_;
  bool has_connection_ = false;
  StatsFormat declared_format_ = StatsFormat::kUnknown;
  bool saw_legacy_types_ = false;
  bool saw_standard_types_ = false;
  std::map<std::string, ConnectionBuilder> connections_;
  StatsValues line_values_;  // the line ReadStatsValue reads
  // Set when a line stops the reading: runs not yet parsed are not.
  std::atomic<bool> stopped_{false};
  // Repairs, said once each with the first line.
  int64_t dropped_samples_ = 0, dropped_first_line_ = 0;
  int64_t untimed_samples_ = 0, untimed_first_line_ = 0;
  int64_t untimed_lines_ = 0, untimed_lines_first_ = 0;
};

bool Reader::Error(int64_t line, std::string pointer, std::string text) {
  messages_->push_back({InputMessage::Level::kError, line, std::move(pointer), std::move(text)});
  return false;
}

void Reader::Warn(int64_t line, std::string text) {
  messages_->push_back({InputMessage::Level::kWarning, line, "", std::move(text)});
}

bool Reader::CursorError(const JsonCursor& c) {
  messages_->push_back(LineCursorError(line_, c));
  return false;
}

bool Reader::NextLine(LineText* line) {
  if (!NextLineIn(bytes_, bytes_.size(), &pos_, &line->text, &line->last_unterminated,
                  &line_number_)) {
    return false;
  }
  line->number = line_number_;
  return true;
}

bool Reader::Read() {
  if (bytes_.size() >= 3 && bytes_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  LineText line;
  const size_t start = pos_;
  if (!NextLine(&line)) return Error(0, "", "the file is empty");
  pos_ = start;
  line_number_ = 0;
  if (line.text == "RTCStatsDump") {
    v3_ = true;
    if (!ReadHeader()) return false;
  }
  out_->kind = v3_ ? DumpKind::kRtcstatsV3 : DumpKind::kRtcstatsLines;
  if (!ReadLines()) return false;
  if (content_lines_ == 0) {
    return Error(0, "", "the rtcstats dump is empty: it holds no API calls, events or stats");
  }
  Finish();
  return true;
}

bool Reader::ReadHeader() {
  LineText line;
  NextLine(&line);  // "RTCStatsDump"
  if (!NextLine(&line)) {
    return Error(0, "", "the rtcstats dump is empty: it ends after its first line, RTCStatsDump");
  }
  line_ = line.number;
  return ReadMetadata(line.text);
}

// The lines after the header. getstats lines, nearly all of a dump's bytes,
// are parsed in runs on up to threads_ threads (ParseRun), and every line is
// applied in order on this one (ApplyRun): the same reading as line by line.
// (A generated 60-minute, 47 MB Chromium dump, analyze in the native CLI:
// 134 ms before, 115 ms on 1 thread (members as views of the line, not
// copies), 88 ms on 2; the package in Node, 2 threads: 153 -> 92 ms.)
bool Reader::ReadLines() {
  const std::vector<size_t> starts = SplitIntoRuns(bytes_, pos_, task_bytes_);
  bool ok = true;
  const auto parse = [&](size_t i) { return ParseRun(starts[i], starts[i + 1]); };
  const auto apply = [&](size_t i, ParsedRun run) {
    if (ok && !ApplyRun(starts[i + 1], run)) {
      ok = false;
      stopped_.store(true, std::memory_order_relaxed);
    }
  };
  ParallelOrdered<ParsedRun>(starts.size() - 1, threads_, 2 * static_cast<size_t>(threads_), parse,
                             apply);
  return ok;
}

// Parses the getstats lines of bytes_[begin, end) that ParsePlainStatsLine
// reads; touches no reader state. A cut-off last line is left to ReadLine.
ParsedRun Reader::ParseRun(size_t begin, size_t end) const {
  ParsedRun run;
  std::string_view text;
  bool unterminated = false;
  int64_t lines = 0;
  while (NextLineIn(bytes_, end, &begin, &text, &unterminated, &lines)) {
    ParsedRun::Line& line = run.lines.emplace_back();
    line.text = text;
    line.lines = lines;
    line.unterminated = unterminated;
    line.parsed = !unterminated && !stopped_.load(std::memory_order_relaxed) &&
                  ParsePlainStatsLine(text, v3_, max_depth_, &run.values, &line.stats);
    lines = 0;
  }
  run.trailing_lines = lines;
  return run;
}

// Applies a parsed run, the lines from pos_ to `end`: its getstats lines
// as parsed, the others read now. False when a line stops the reading.
bool Reader::ApplyRun(size_t end, const ParsedRun& run) {
  for (const ParsedRun::Line& parsed : run.lines) {
    line_number_ += parsed.lines;
    const LineText line{parsed.text, line_number_, parsed.unterminated};
    if (!(parsed.parsed ? ApplyStatsLine(line, parsed.stats, run.values) : ReadLine(line))) {
      return false;
    }
  }
  line_number_ += run.trailing_lines;
  pos_ = end;
  return true;
}

// A getstats line ParsePlainStatsLine read: what ReadLine does with it.
bool Reader::ApplyStatsLine(const LineText& line, const PlainStatsLine& parsed,
                            const StatsValues& values) {
  line_ = line.number;
  has_connection_ = true;
  connection_id_.assign(parsed.connection.data(), parsed.connection.size());
  ConnectionBuilder& conn = connections_[connection_id_];
  conn.connection.id = connection_id_;
  ApplyStats(&conn, parsed.value, values);
  int64_t time = 0;
  bool timed = false;
  if (!TakeTime(parsed.has_time, parsed.time, &time, &timed)) return false;
  if (!timed && v3_) {
    return Error(line_, "",
                 "line " + std::to_string(line_) +
                     ": the last element should be the time since the line before");
  }
  ++content_lines_;
  return true;
}

bool Reader::ReadMetadata(std::string_view text) {
  JsonCursor c(text, max_depth_);
  if (c.Peek() != Kind::kObject) {
    if (c.failed() || c.Peek() == Kind::kInvalid) return CursorError(c);
    return Error(line_, "",
                 "line " + std::to_string(line_) +
                     " of the rtcstats dump should be its metadata, a JSON object");
  }
  c.BeginObject();
  std::string key, url, origin;
  double file_format = kNaN;
  while (c.NextMember(&key)) {
    const Kind k = c.Peek();
    if (key == "fileFormat" && k == Kind::kNumber) {
      c.ReadNumber(&file_format);
    } else if (k == Kind::kString && (key == "url" || key == "origin" || key == "userAgent")) {
      c.ReadString(key == "url" ? &url : key == "origin" ? &origin : &out_->user_agent);
    } else {
      c.SkipValue();
    }
  }
  if (c.failed() || !c.AtEnd()) return CursorError(c);
  if (std::isnan(file_format)) {
    return Error(line_, "/fileFormat", "the rtcstats dump's metadata has no fileFormat");
  }
  if (file_format != 3) {
    char buf[64];
    snprintf(buf, sizeof buf, "%g", file_format);
    return Error(line_, "/fileFormat",
                 std::string("rtcstats file format ") + buf +
                     " is not supported (callsight reads file format 3 and the Jitsi line format)");
  }
  out_->url = !url.empty() && url[0] == '/' ? origin + url : url.empty() ? origin : url;
  return true;
}

bool Reader::ReadLine(const LineText& line) {
  line_ = line.number;
  if (line.last_unterminated) {
    // A dump whose writer stopped mid-line: drop the cut-off line.
    JsonCursor probe(line.text, max_depth_);
    if (!probe.SkipValue() || !probe.AtEnd()) {
      Warn(line_, "the last line (" + std::to_string(line_) +
                      ") is cut off, not complete JSON; it was left out");
      return true;
    }
  }
  line_text_ = line.text;
  JsonCursor c(line.text, max_depth_);
  const Kind k = c.Peek();
  if (k != Kind::kArray) {
    if (c.failed() || k == Kind::kInvalid) return CursorError(c);
    return Error(line_, "",
                 "line " + std::to_string(line_) +
                     " of the rtcstats dump is not a JSON array [method, connection, "
                     "value, time]");
  }
  c.BeginArray();
  if (!ReadLineElements(&c)) return false;
  if (!c.AtEnd()) {
    if (c.failed()) return CursorError(c);
    return Error(line_, "", "line " + std::to_string(line_) + " has more after its JSON array");
  }
  return true;
}

// The method and the connection: the first two elements.
bool Reader::ReadLineElements(JsonCursor* c) {
  if (!c->NextElement()) {
    if (c->failed()) return CursorError(*c);
    return Error(line_, "", "line " + std::to_string(line_) + " is an empty array");
  }
  const Kind mk = c->Peek();
  if (mk == Kind::kString) {
    c->ReadString(&method_);
    if (method_ == "g") method_ = "getStats";
  } else if (mk == Kind::kNumber) {
    double code;
    c->ReadNumber(&code);
    const char* name = RtcstatsMethodName(code);
    char buf[32];
    snprintf(buf, sizeof buf, "%g", code);
    method_ = name ? name : buf;
  } else {
    if (c->failed() || mk == Kind::kInvalid) return CursorError(*c);
    return Error(line_, "/0",
                 "line " + std::to_string(line_) +
                     ": the method (first element) is neither a name nor a number");
  }
  if (!c->NextElement()) {
    if (c->failed()) return CursorError(*c);
    return Error(line_, "", "line " + std::to_string(line_) + " has no connection and no value");
  }
  const Kind ck = c->Peek();
  has_connection_ = ck == Kind::kString;
  connection_id_.clear();
  if (ck == Kind::kString) {
    c->ReadString(&connection_id_);
  } else if (ck == Kind::kNull) {
    c->SkipValue();
  } else {
    if (c->failed() || ck == Kind::kInvalid) return CursorError(*c);
    return Error(line_, "/1",
                 "line " + std::to_string(line_) +
                     ": the connection (second element) is neither a string nor null");
  }
  if (has_connection_) connections_[connection_id_].connection.id = connection_id_;
  return ReadValueAndTime(c);
}

bool Reader::ReadValueAndTime(JsonCursor* c) {
  DumpEvent event;
  const bool has_value = c->NextElement();
  if (c->failed()) return CursorError(*c);
  const bool stats = method_ == "getstats" || method_ == "getStats";
  const bool metadata = method_ == "connectionInfo" || method_ == "identity";
  if (stats && !has_connection_) {
    return Error(line_, "/1",
                 "line " + std::to_string(line_) + ": getstats without a peer connection");
  }
  bool timed = false;
  if (has_value) {
    const bool value_read = stats ? ReadStatsValue(c)
                            : metadata
                                ? (method_ == "identity" ? ReadIdentity(c) : ReadConnectionInfo(c))
                                : ReadEventValue(c, &event);
    if (!value_read || !ReadTime(c, 3, &event.time_ms, &timed)) return false;
  }
  if (!timed && v3_) {
    // Every later line's time counts from this one's. (ApplyStatsLine says
    // the same.)
    return Error(line_, "",
                 "line " + std::to_string(line_) +
                     ": the last element should be the time since the line before");
  }
  if (stats) ++content_lines_;
  if (stats || metadata) return true;
  if (!timed) {
    if (untimed_lines_++ == 0) untimed_lines_first_ = line_;
    if (!has_previous_time_) return true;  // nothing to place it by: left out
    event.time_ms = previous_time_;
  }
  AddEvent(std::move(event));
  return true;
}

void Reader::AddEvent(DumpEvent event) {
  event.method = method_;
  event.kind = EventKindOf(method_, has_connection_, &event.display);
  if (has_connection_) event.connection_id = connection_id_;
  if (IsStateKind(event.kind) && event.value.size() >= 2 && event.value.front() == '"' &&
      event.value.back() == '"') {
    event.value = event.value.substr(1, event.value.size() - 2);
  }
  if (has_connection_) {
    DumpConnection& conn = connections_[connection_id_].connection;
    if (event.kind == DumpEventKind::kCreate && conn.configuration.empty()) {
      conn.configuration = event.value;
    } else if (method_ == "constraints" && conn.constraints.empty()) {
      conn.constraints = event.value;
    }
  }
  out_->events.push_back(std::move(event));
  ++content_lines_;
}

// The rest of the line after the value: the Jitsi layout's 4th element is the
// time in ms (a 5th, a sequence number, may follow); format 3's last element
// is the time since the line before (correlation ids and others come between).
bool Reader::ReadTime(JsonCursor* c, int elements_before, int64_t* time, bool* timed) {
  double last = kNaN;
  bool has_time = false;
  int index = elements_before;
  while (c->NextElement()) {
    const bool is_number = c->Peek() == Kind::kNumber;
    double v = kNaN;
    if (is_number ? !c->ReadNumber(&v) : !c->SkipValue()) return CursorError(*c);
    if (v3_ || index == 3) {
      last = v;
      has_time = is_number;
    }
    ++index;
  }
  if (c->failed()) return CursorError(*c);
  return TakeTime(has_time, last, time, timed);
}

// The line's time from its time element, `last` (when that is a number,
// has_time): Jitsi's ms, or format 3's ms since the line before. False, with
// an error, when it is out of range.
bool Reader::TakeTime(bool has_time, double last, int64_t* time, bool* timed) {
  *timed = false;
  if (!has_time) return true;
  int64_t ms = 0;
  if (!ToMs(last, &ms) || (v3_ && !ToMs(static_cast<double>(v3_time_) + last, &ms))) {
    return Error(line_, "", "line " + std::to_string(line_) + ": the time is out of range");
  }
  if (v3_) v3_time_ = ms;
  *time = ms;
  *timed = true;
  previous_time_ = ms;
  has_previous_time_ = true;
  return true;
}

bool Reader::ReadEventValue(JsonCursor* c, DumpEvent* event) {
  const Kind k = c->Peek();
  if (k == Kind::kString) return c->ReadString(&event->value) || CursorError(*c);
  std::string_view span;
  if (!c->SkipValue(&span)) return CursorError(*c);
  if (k != Kind::kNull) event->value = json::CompactJson(span);
  return true;
}

bool Reader::ReadConnectionInfo(JsonCursor* c) {
  if (c->Peek() != Kind::kObject) return c->SkipValue() || CursorError(*c);
  c->BeginObject();
  std::string key, format;
  while (c->NextMember(&key)) {
    const bool text = c->Peek() == Kind::kString;
    if (text && key == "userAgent") {
      c->ReadString(&out_->user_agent);
    } else if (text && key == "url") {
      c->ReadString(&out_->url);
    } else if (text && key == "statsFormat") {
      c->ReadString(&format);
    } else {
      c->SkipValue();
    }
  }
  if (c->failed()) return CursorError(*c);
  if (!format.empty()) declared_format_ = StatsFormatOf(format);
  return true;
}

// Jitsi's identity: the client's endpoint id (else its device id) is the
// dump's client id. Later identity lines (meetingUniqueId alone) add nothing.
bool Reader::ReadIdentity(JsonCursor* c) {
  if (c->Peek() != Kind::kObject) return c->SkipValue() || CursorError(*c);
  c->BeginObject();
  std::string key, endpoint, device;
  while (c->NextMember(&key)) {
    const bool text = c->Peek() == Kind::kString;
    if (text && key == "endpointId") {
      c->ReadString(&endpoint);
    } else if (text && key == "deviceId") {
      c->ReadString(&device);
    } else {
      c->SkipValue();
    }
  }
  if (c->failed()) return CursorError(*c);
  if (out_->client_id.empty()) out_->client_id = !endpoint.empty() ? endpoint : device;
  return true;
}

// ---------------------------------------------------------------------------
// getstats

// The getstats value of a line ReadLine reads: with ParsePlainStatsValue,
// and with the line's cursor when that gives up (the same result, read more
// slowly, with its messages).
bool Reader::ReadStatsValue(JsonCursor* c) {
  c->Peek();  // to the value's first byte
  const size_t start = c->offset();
  line_values_.Clear();
  StatsValue value;
  if (const size_t end = ParsePlainStatsValue(line_text_, start, /*depth=*/1, max_depth_, v3_,
                                              &line_values_, &value)) {
    c->SkipIfSame(line_text_.substr(start, end - start));
  } else if (!ParseStatsValue(c, line_text_, v3_, line_, &line_values_, &value, messages_)) {
    return false;
  }
  ApplyStats(&connections_[connection_id_], value, line_values_);
  return true;
}

// Undoes the delta compression of one getstats line (docs/INPUTS.md):
//  - Jitsi: every object present is named (unchanged ones as
//    {"timestamp":0}); one not named is gone. An object's timestamp 0 means
//    the line's common timestamp (the value's top-level "timestamp"), none
//    means unchanged since its last sample.
//  - format 3: an object not named is unchanged and sampled at the common
//    time ("t"); null means gone; no own timestamp means the common one;
//    object-valued properties send only their changed members.
// An omitted property keeps its last value in both.
void Reader::ApplyStats(ConnectionBuilder* conn, const StatsValue& value,
                        const StatsValues& values) {
  if (value.is_null) return;
  ++generation_;
  conn->hint = 0;
  const bool has_top = value.has_top;
  const double top = value.top;
  for (size_t i = value.first_object; i < value.first_object + value.object_count; ++i) {
    const StatsObjectDelta& p = values.objects[i];
    ObjectBuilder& o = conn->Object(p.id);
    o.seen = generation_;
    if (p.removed) {
      o.Remove();
      continue;
    }
    double t = top;
    bool timed = has_top;
    if (p.has_time && (v3_ || p.time != 0)) {
      t = p.time;
      timed = true;
    } else if (!v3_ && !p.has_time && o.present && !o.object.times_ms.empty()) {
      t = static_cast<double>(o.object.times_ms.back());
      timed = true;
    }
    int64_t ms;
    if (!timed || !ToMs(t, &ms)) {
      if (untimed_samples_++ == 0) untimed_first_line_ = line_;
      continue;
    }
    if (!p.type.empty() && o.object.type.empty()) {
      o.object.type = std::string(p.type);
      saw_legacy_types_ = saw_legacy_types_ || IsLegacyStatsType(p.type);
      saw_standard_types_ = saw_standard_types_ || IsStandardRtpType(p.type);
    }
    ApplySample(&o, &p, &values, ms);
  }
  int64_t top_ms;
  const bool top_ok = has_top && ToMs(top, &top_ms);
  for (ObjectBuilder& o : conn->objects) {
    if (!o.present || o.seen == generation_) continue;
    if (!v3_) {
      o.Remove();
    } else if (top_ok) {
      ApplySample(&o, nullptr, nullptr, top_ms);
    }
  }
}

void Reader::ApplySample(ObjectBuilder* o, const StatsObjectDelta* delta, const StatsValues* values,
                         int64_t time) {
  std::vector<int64_t>& times = o->object.times_ms;
  if (!times.empty() && time < times.back()) {
    if (dropped_samples_++ == 0) dropped_first_line_ = line_;
    return;
  }
  const bool opened = times.empty() || time > times.back();
  if (opened) {
    times.push_back(time);
    for (PropertyBuilder& prop : o->props) prop.Open();
  }
  o->present = true;
  o->hint = 0;
  if (delta != nullptr) ApplyMembers(o, *delta, *values);
  if (opened) {
    for (PropertyBuilder& prop : o->props) prop.Close();
  }
}

// Sets the properties one stats object of a getstats line names.
void Reader::ApplyMembers(ObjectBuilder* o, const StatsObjectDelta& delta,
                          const StatsValues& values) {
  for (size_t i = delta.first; i < delta.first + delta.count; ++i) {
    const StatsMember& m = values.members[i];
    PropertyBuilder& prop = o->Property(m.key);
    switch (m.type) {
      case StatsMember::Type::kNumber:
        prop.SetNumber(m.number);
        break;
      case StatsMember::Type::kNull:
        prop.SetMissing();
        break;
      case StatsMember::Type::kObject:
        if (v3_ && prop.last == PropertyBuilder::Last::kText && !prop.Text().empty() &&
            prop.Text()[0] == '{') {
          prop.SetText(MergeJsonObjects(prop.Text(), m.text, max_depth_));
        } else {
          prop.SetText(m.text);
        }
        break;
      default:
        prop.SetText(m.text);
    }
  }
}

// ---------------------------------------------------------------------------

void Reader::ChooseFormat() {
  StatsFormat format = declared_format_;
  if (saw_legacy_types_ && format != StatsFormat::kChromeLegacy) {
    if (format != StatsFormat::kUnknown) {
      Warn(0, std::string("connectionInfo says the stats are ") + StatsFormatName(format) +
                  " but they are Chrome's legacy stats (type \"ssrc\", goog*); read as "
                  "chrome_legacy");
    }
    format = StatsFormat::kChromeLegacy;
  } else if (format == StatsFormat::kChromeLegacy && !saw_legacy_types_ && saw_standard_types_) {
    Warn(0,
         "connectionInfo says the stats are chrome_legacy but they are standard ones; read as "
         "chrome_standard");
    format = StatsFormat::kChromeStandard;
  } else if (format == StatsFormat::kUnknown && saw_standard_types_) {
    const std::string& ua = out_->user_agent;
    const bool chromium =
        ua.find("Chrome/") != std::string::npos || ua.find("Chromium/") != std::string::npos;
    if (ua.find("Firefox/") != std::string::npos) {
      format = StatsFormat::kFirefox;
    } else if (!chromium && ua.find("Safari/") != std::string::npos) {
      format = StatsFormat::kSafari;
    } else {
      format = StatsFormat::kChromeStandard;
    }
  }
  out_->format = format;
}

void Reader::Finish() {
  if (dropped_samples_ > 0) {
    Warn(dropped_first_line_, std::to_string(dropped_samples_) +
                                  " stats samples dated before their object's previous sample "
                                  "were left out (the first on line " +
                                  std::to_string(dropped_first_line_) + ")");
  }
  if (untimed_samples_ > 0) {
    Warn(untimed_first_line_, std::to_string(untimed_samples_) +
                                  " stats samples without a usable timestamp were left out (the "
                                  "first on line " +
                                  std::to_string(untimed_first_line_) + ")");
  }
  if (untimed_lines_ > 0) {
    Warn(untimed_lines_first_, std::to_string(untimed_lines_) +
                                   " lines have no time; each was given the time of the line "
                                   "before (the first is line " +
                                   std::to_string(untimed_lines_first_) + ")");
  }
  ChooseFormat();
  std::stable_sort(out_->events.begin(), out_->events.end(),
                   [](const DumpEvent& a, const DumpEvent& b) { return a.time_ms < b.time_ms; });
  int64_t start = std::numeric_limits<int64_t>::max();
  for (const DumpEvent& e : out_->events) start = std::min(start, e.time_ms);
  for (auto& [id, builder] : connections_) {
    DumpConnection& conn = builder.connection;
    for (ObjectBuilder& o : builder.objects) {
      if (o.object.times_ms.empty()) continue;
      start = std::min(start, o.object.times_ms.front());
      o.object.properties.reserve(o.props.size());
      for (PropertyBuilder& p : o.props) o.object.properties.push_back(std::move(p.prop));
      conn.stats.push_back(std::move(o.object));
    }
    std::sort(conn.stats.begin(), conn.stats.end(),
              [](const StatObject& a, const StatObject& b) { return a.id < b.id; });
    out_->connections.push_back(std::move(conn));
  }
  // Metadata times (connectionInfo, identity, format 3's startTime) are not
  // the call's: hand-assembled dumps date them months after it.
  if (start != std::numeric_limits<int64_t>::max()) out_->start_ms = start;
}

}  // namespace

bool LooksLikeRtcstatsDump(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.substr(0, 12) == "RTCStatsDump") return true;
  // A method name first: a string, or a number in format 3. (Read from the
  // line's start only: a line break ends it as any other byte would.)
  const auto is_rtcstats_line = [](std::string_view l) {
    size_t i = 0;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    if (i >= l.size() || l[i] != '[') return false;
    ++i;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    return i < l.size() && (l[i] == '"' || l[i] == '-' || (l[i] >= '0' && l[i] <= '9'));
  };
  // Tested before the line's end is looked for: a 100ms export (an object, or
  // a one-line array of them) is told in a few bytes, not by a search for a
  // line break through the whole file (8 ms of the bench session in
  // WebAssembly, Node's profiler).
  if (!is_rtcstats_line(bytes)) return false;
  const std::string_view line = bytes.substr(0, bytes.find('\n'));
  // An array of documents holds objects; two such lines, or one naming an
  // rtcstats method, tell.
  const size_t next = line.size() + 1;
  if (next < bytes.size() && is_rtcstats_line(bytes.substr(next, bytes.find('\n', next) - next))) {
    return true;
  }
  return line.find("\"connectionInfo\"") != std::string_view::npos ||
         line.find("\"create\"") != std::string_view::npos ||
         line.find("\"getstats\"") != std::string_view::npos;
}

bool ReadRtcstatsDump(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
                      std::vector<InputMessage>* messages) {
  *out = StatsDump();
  Reader reader(bytes, options, out, messages);
  if (reader.Read()) return true;
  *out = StatsDump();
  return false;
}

}  // namespace callsight::ingest
