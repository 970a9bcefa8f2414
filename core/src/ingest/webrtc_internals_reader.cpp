// The webrtc-internals reader: one pass of JsonCursor over the dump; each
// stats series' `values` string is noted, then read by a cursor of its own (in
// place when it has no escapes, else once decoded), a connection's series on
// DumpReadOptions::threads threads, numbers straight into a column (no tree
// for the big `stats` object). The series of one stats object are then put on
// one time axis.
#include "ingest/webrtc_internals_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "ingest/plain_json_string.h"
#include "ingest/rfc3339.h"
#include "json/json_cursor.h"
#include "json/json_writer.h"
#include "util/byte_scan.h"
#include "util/parallel.h"

namespace callsight::ingest {

using json::CompactJson;
using json::EscapePointerToken;
using json::JsonCursor;
using Kind = JsonCursor::Kind;

namespace {

constexpr double kEarliestMs = 946684800000.0;  // 2000-01-01T00:00:00Z
constexpr double kLatestMs = 4102444800000.0;   // 2100-01-01T00:00:00Z
// Chrome keeps at most this many samples per series (data_series.js).
constexpr size_t kChromeSampleCap = 1000;
// Before Chrome 117, samples of one object whose estimated times are closer
// than this are taken as one sample (they were gathered once a second).
constexpr int64_t kSameSampleMs = 500;
constexpr int64_t kQuarterHourMs = 15 * 60 * 1000;

InputMessage Message(InputMessage::Level level, std::string pointer, std::string text) {
  return InputMessage{level, 0, std::move(pointer), std::move(text)};
}

// Epoch ms of a finite double within 2000..2100, else nullopt.
std::optional<int64_t> ToEpochMs(double v) {
  if (!(v >= kEarliestMs && v < kLatestMs)) return std::nullopt;
  return static_cast<int64_t>(std::floor(v));
}

// Newer Chromes (M142 on) write state values JSON-quoted: "\"connected\"" ->
// "connected". Anything else is returned as it is.
std::string Unquoted(std::string text, int max_depth) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return text;
  JsonCursor c(text, max_depth);
  std::string inner;
  if (c.ReadString(&inner) && c.AtEnd()) return inner;
  return text;
}

// ---- time texts -------------------------------------------------------------

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// A date and time as Date.toLocaleString() writes it in common locales
// ("9/22/2025, 8:35:23 PM", "22/09/2025, 20:35:23", "22.9.2025, 20:35:23",
// "2025-09-22 20:35:23", "2025/9/22 20:35:23"), as ms of that wall-clock time
// read as UTC (the zone is not written). nullopt when it is none of those.
std::optional<int64_t> ParseLocaleDateTime(std::string_view s) {
  int64_t n[7] = {0};
  int count = 0, first_digits = 0;
  char first_sep = 0;
  for (size_t i = 0; i < s.size() && count < 7;) {
    if (s[i] >= '0' && s[i] <= '9') {
      int64_t v = 0;
      size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 9)
        v = v * 10 + (s[i++] - '0');
      if (count == 0) {
        first_digits = static_cast<int>(i - start);
        if (i < s.size()) first_sep = s[i];
      }
      n[count++] = v;
    } else {
      ++i;
    }
  }
  if (count < 6) return std::nullopt;
  const bool pm = s.find("PM") != std::string_view::npos || s.find("pm") != std::string_view::npos;
  const bool am = s.find("AM") != std::string_view::npos || s.find("am") != std::string_view::npos;
  int64_t y, mo, d;
  if (first_digits == 4) {
    y = n[0], mo = n[1], d = n[2];
  } else if (first_sep == '.' || (!pm && !am && (n[0] > 12 || n[1] <= 12))) {
    d = n[0], mo = n[1], y = n[2];  // day first: "22.9.2025", "22/09/2025"
  } else {
    mo = n[0], d = n[1], y = n[2];  // en-US: "9/22/2025, 8:35:23 PM"
  }
  int64_t h = n[3];
  if (pm && h < 12) h += 12;
  if (am && h == 12) h = 0;
  if (y < 2000 || y >= 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || n[4] > 59 ||
      n[5] > 60) {
    return std::nullopt;
  }
  return ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + n[4]) * 60000 + n[5] * 1000;
}

// An updateLog time: epoch ms (number or digits), an ISO date, or a local
// wall-clock time (*local set).
std::optional<int64_t> ParseLogTime(std::string_view text, bool* local) {
  *local = false;
  if (text.empty()) return std::nullopt;
  if (text.find('T') != std::string_view::npos) return ParseRfc3339(text);
  const double v = json::ParseJsonNumber(text);
  if (!std::isnan(v)) return ToEpochMs(v);
  *local = true;
  return ParseLocaleDateTime(text);
}

// ---- stats series -----------------------------------------------------------

// One "<statsId>-<property>" series as the dump gives it.
struct RawSeries {
  std::string name;
  std::optional<int64_t> start_ms, end_ms;
  std::vector<double> numbers;
  TextColumn texts;  // empty unless a value was not a number
};

struct RawObject {
  std::string id;
  std::string type;
  std::vector<double> timestamps;  // the "<id>-timestamp" series (Chrome >= 117)
  bool has_timestamps = false;
  std::vector<RawSeries> series;
};

// Names Chrome's own graphs derived from counters before it bracketed them
// ("[bytesSent_in_bits/s]"); the converter computes its own rates.
bool IsDerivedName(std::string_view name) {
  static const char* const kDerived[] = {
      "packetsSentPerSecond",          "bitsSentPerSecond",
      "packetsReceivedPerSecond",      "bitsReceivedPerSecond",
      "googTargetEncBitrateCorrected",
  };
  if (!name.empty() && name.front() == '[') return true;
  for (const char* d : kDerived) {
    if (name == d) return true;
  }
  return false;
}

// The type of an object whose series carry no statsType (the oldest dumps),
// from its id; "" when the id does not say.
std::string TypeFromId(std::string_view id) {
  static const std::pair<const char*, const char*> kPrefixes[] = {
      {"ssrc_", "ssrc"},
      {"Conn-", "googCandidatePair"},
      {"bweforvideo", "VideoBwe"},
      {"googTrack_", "googTrack"},
      {"Channel-", "googComponent"},
      {"googCertificate_", "googCertificate"},
      {"googLibjingleSession_", "googLibjingleSession"},
      {"RTCInboundRTP", "inbound-rtp"},
      {"RTCOutboundRTP", "outbound-rtp"},
      {"RTCRemoteInboundRtp", "remote-inbound-rtp"},
      {"RTCRemoteOutboundRTP", "remote-outbound-rtp"},
      {"RTCIceCandidatePair_", "candidate-pair"},
      {"RTCTransport_", "transport"},
      {"RTCCodec_", "codec"},
      {"RTCMediaStreamTrack_", "track"},
      {"RTCAudioSource_", "media-source"},
      {"RTCVideoSource_", "media-source"},
      {"RTCPeerConnection", "peer-connection"},
  };
  for (const auto& [prefix, type] : kPrefixes) {
    if (id.substr(0, std::char_traits<char>::length(prefix)) == prefix) return type;
  }
  return "";
}

bool IsLegacyType(std::string_view type) {
  return type == "ssrc" || type == "VideoBwe" || type == "localcandidate" ||
         type == "remotecandidate" || type.substr(0, 4) == "goog";
}

// Reads one array of sample values with `c` into *s. Numbers go to numbers;
// strings, booleans and nested values (compact JSON) to texts. False on
// anything that is not such an array (c->failed() says why).
bool ReadSampleArray(JsonCursor* c, int max_depth, RawSeries* s) {
  if (!c->BeginArray()) return false;
  std::string text;
  while (c->NextElement()) {
    double v = std::numeric_limits<double>::quiet_NaN();
    text.clear();
    bool is_text = false;
    switch (c->Peek()) {
      case Kind::kNumber:
        if (!c->ReadNumber(&v)) return false;
        break;
      case Kind::kString:
        if (!c->ReadString(&text)) return false;
        text = Unquoted(std::move(text), max_depth);
        is_text = true;
        break;
      case Kind::kNull:
        if (!c->SkipValue()) return false;
        break;
      case Kind::kBool: {  // "true" / "false" as written: no white space to remove
        std::string_view span;
        if (!c->SkipValue(&span)) return false;
        text.assign(span.data(), span.size());
        is_text = true;
        break;
      }
      default: {
        std::string_view span;
        if (!c->SkipValue(&span)) return false;
        text = CompactJson(span);
        is_text = true;
      }
    }
    if (is_text && s->texts.empty()) s->texts.resize(s->numbers.size());
    if (is_text) {
      s->texts.push_back(text);
    } else if (!s->texts.empty()) {
      s->texts.push_back("");
    }
    s->numbers.push_back(v);
  }
  return !c->failed();
}

// The length of the series object `in` starts with when it is what Chrome
// writes, an object of strings only ({"statsType":"..","values":"[..]"}) whose
// strings PlainJsonStringLength measures; 0 for anything else (a full JSON
// scan then). The derived series Chrome adds ("[bytesSent_in_bits/s]"), which
// are dropped, are skipped with it: the per-byte scan of their strings was 12 %
// of the instructions of reading a generated 22 MB dump.
size_t PlainSeriesLength(std::string_view in) {
  size_t i = 0;
  const auto skip_ws = [&in, &i] {
    while (i < in.size() && (in[i] == ' ' || in[i] == '\t' || in[i] == '\n' || in[i] == '\r')) {
      ++i;
    }
  };
  const auto plain_string = [&in, &i] {
    const size_t n = PlainJsonStringLength(in.substr(i), /*allow_escaped_quotes=*/true);
    i += n;
    return n > 0;
  };
  if (in.empty() || in[0] != '{') return 0;
  ++i;
  skip_ws();
  if (i < in.size() && in[i] == '}') return i + 1;
  while (true) {
    skip_ws();
    if (!plain_string()) return 0;
    skip_ws();
    if (i >= in.size() || in[i] != ':') return 0;
    ++i;
    skip_ws();
    if (!plain_string()) return 0;
    skip_ws();
    if (i >= in.size()) return 0;
    if (in[i] == '}') return i + 1;
    if (in[i] != ',') return 0;
    ++i;
  }
}

// The common text series read straight from the escaped `values` string,
// without decoding it first and then reading it again: elements that are
// plain ASCII strings (written \"id\"), booleans or null, no white space, as
// Chrome writes ids, kinds and codecs. False (with *s untouched) for anything
// else, which the general path reads. (On a generated 22 MB dump, 42 % of
// whose bytes are text series: 121-126 ms -> 101-111 ms CPU, perf stat.)
bool ReadPlainTextArray(std::string_view in, RawSeries* s) {
  if (in.size() < 2 || in.front() != '[' || in.back() != ']') return false;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> numbers;
  TextColumn texts;
  bool any_text = false;
  size_t i = 1;
  const size_t end = in.size() - 1;  // the ']'
  while (i < end) {
    if (in.compare(i, 2, "\\\"") == 0) {
      const size_t from = i + 2;
      // The closing \" (a quote, control or non-ASCII byte before it: the
      // general path).
      const size_t j = FindStringStop(in.substr(0, end), from);
      if (j >= end || in.compare(j, 2, "\\\"") != 0) return false;  // another escape inside
      texts.push_back(in.substr(from, j - from));
      any_text = true;
      i = j + 2;
    } else if (in.compare(i, 4, "true") == 0 || in.compare(i, 5, "false") == 0) {
      const size_t n = in[i] == 't' ? 4 : 5;
      texts.push_back(in.substr(i, n));
      any_text = true;
      i += n;
    } else if (in.compare(i, 4, "null") == 0) {
      texts.push_back("");
      i += 4;
    } else {
      return false;  // a number, an object, white space: the general path
    }
    numbers.push_back(nan);
    if (i < end) {
      if (in[i] != ',' || i + 1 == end) return false;
      ++i;
    }
  }
  if (!any_text) return false;  // only nulls: numbers, as the general path has them
  s->numbers = std::move(numbers);
  s->texts = std::move(texts);
  return true;
}

// Parses a `values` text (the JSON array Chrome wrote as a string). Numeric
// arrays take ReadNumberArray's fast path; others are read value by value.
bool ParseValuesText(std::string_view text, int max_depth, RawSeries* s, std::string* error) {
  {
    JsonCursor fast(text, max_depth);
    if (fast.ReadNumberArray(&s->numbers, /*allow_null=*/true) && fast.AtEnd()) return true;
    s->numbers.clear();
    if (fast.failed() && fast.error_is_syntax()) {
      *error = fast.error();
      return false;
    }
  }
  JsonCursor slow(text, max_depth);
  if (ReadSampleArray(&slow, max_depth, s) && slow.AtEnd()) return true;
  *error = slow.failed() ? slow.error() : "text after the array";
  s->numbers.clear();
  s->texts.clear();
  return false;
}

// The parse step of reading a connection's stats (see ---- stats ---- below).

// Where one `values` member of a series is in the dump, and how it was read.
struct ValuesText {
  enum class Form : uint8_t {
    kString,   // a JSON string (span with its quotes) holding the array's text
    kArray,    // an array written in place (span: the array)
    kNeither,  // anything else
  };
  Form form = Form::kNeither;
  std::string_view span;  // into the dump's bytes
  bool ok = false;        // set by the parse
  std::string error;      // why not, when !ok
};

// One stats key as the scan found it.
struct ScannedKey {
  std::string key;
  size_t dash = std::string::npos;  // npos: not "<statsId>-<property>"
  bool complete = false;            // false: the dump broke inside the series
  std::string type;                 // its statsType, as text
  RawSeries series;                 // name and times; numbers and texts once parsed
  std::vector<ValuesText> values;   // each `values` member in order: the last counts
};

// Parses one `values` member into *s (emptied first; empty again when it is no
// array of samples, *error then saying why). *decoded: a buffer for a string
// that must be decoded before it is read.
bool ParseValues(const ValuesText& v, int max_depth, RawSeries* s, std::string* error,
                 std::string* decoded) {
  s->numbers.clear();
  s->texts.clear();
  bool ok = false;
  if (v.form == ValuesText::Form::kString) {
    // Without escapes (numbers only) the string's bytes are the array's text:
    // read in place, not copied.
    const std::string_view inner = v.span.substr(1, v.span.size() - 2);
    if (inner.find('\\') == std::string_view::npos) {
      ok = ParseValuesText(inner, max_depth, s, error);
    } else if (ReadPlainTextArray(inner, s)) {
      ok = true;
    } else {
      JsonCursor decode(v.span, max_depth);
      decode.ReadString(decoded);  // valid: the scan's cursor has read it
      ok = ParseValuesText(*decoded, max_depth, s, error);
    }
  } else if (v.form == ValuesText::Form::kArray) {
    ok = ParseValuesText(v.span, max_depth, s, error);
  } else {
    *error = "it is neither a string nor an array";
  }
  if (!ok) {
    s->numbers.clear();
    s->texts.clear();
  }
  return ok;
}

// What one parsing worker reuses from key to key.
struct ParseScratch {
  std::string decoded;
  RawSeries overwritten;  // a `values` member a later one replaces
};

// Parses every `values` member the scan found, each key by whichever of
// `threads` threads takes it; the results and messages do not depend on
// which. This is 370 M of ReadStats' 517 M instructions on the 22.6 MB
// generated dump of scripts/bench --only dumps (3 connections x 1000
// samples); on 2 threads the parse took 29.5 ms -> 15.9 ms, ReadStats' thread
// 517 M -> 337 M instructions (callgrind), the CLI's analyze 69.7 ms -> 58.1
// ms wall (best of 30).
void ParseScannedValues(std::vector<ScannedKey>* keys, int max_depth, int threads) {
  ParallelForWith<ParseScratch>(keys->size(), threads, [&](ParseScratch& scratch, size_t i) {
    ScannedKey& k = (*keys)[i];
    for (size_t j = 0; j < k.values.size(); ++j) {
      ValuesText& v = k.values[j];
      RawSeries* into = j + 1 == k.values.size() ? &k.series : &scratch.overwritten;
      v.ok = ParseValues(v, max_depth, into, &v.error, &scratch.decoded);
    }
  });
}

// ---- reading ----------------------------------------------------------------

class Reader {
 public:
  Reader(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
         std::vector<InputMessage>* messages)
      : bytes_(bytes),
        max_depth_(options.max_depth),
        threads_(options.threads),
        c_(bytes, options.max_depth),
        out_(out),
        messages_(messages) {}

  bool Read();

 private:
  // Fails the cursor with `text` unless it has failed already; no message
  // (Fail says it later). Always false.
  bool Stop(std::string text) {
    if (!c_.failed()) c_.Fail(std::move(text), /*syntax=*/false);
    return false;
  }
  bool Fail(std::string text) {
    Stop(std::move(text));
    InputMessage m = Message(InputMessage::Level::kError, c_.error_pointer(), c_.error());
    m.line = json::LineOf(bytes_, c_.error_offset());
    messages_->push_back(std::move(m));
    return false;
  }
  void Warn(std::string pointer, std::string text) {
    messages_->push_back(
        Message(InputMessage::Level::kWarning, std::move(pointer), std::move(text)));
  }
  // Reads a string member, or fails naming it.
  bool ReadStringField(const char* what, std::string* out);
  // A value as text: a string as it is, anything else as compact JSON.
  bool ReadValueText(std::string* out) { return ScanValueText(out) || Fail(""); }
  // ReadValueText without the message.
  bool ScanValueText(std::string* out);

  bool ReadGetUserMedia();
  bool ReadGetUserMediaEntry();
  bool ReadConnections();
  bool ReadConnection(const std::string& id);
  bool ReadUpdateLog(const std::string& connection_id);
  bool ReadUpdate(const std::string& connection_id);
  bool ReadStats(const std::string& connection_id, DumpConnection* connection);
  bool ScanStats(std::vector<ScannedKey>* keys);
  bool ScanSeries(ScannedKey* k);
  bool ScanValues(ValuesText* v);
  void GroupSeries(const std::string& base, std::vector<ScannedKey>* keys,
                   std::vector<RawObject>* objects);

  void BuildObject(const std::string& pointer, RawObject* raw, StatObject* out);
  void PlaceWithTimestamps(const std::string& pointer, RawObject* raw, StatObject* out);
  void PlaceEstimated(const std::string& pointer, RawObject* raw, StatObject* out);
  void ResolveLocalTimes();
  void Finish();

  std::string_view bytes_;
  int max_depth_;
  int threads_;  // for parsing the stats series' values
  JsonCursor c_;
  StatsDump* out_;
  std::vector<InputMessage>* messages_;
  std::string key_;
  // Events whose time was a local wall-clock time (index into out_->events).
  std::vector<size_t> local_events_;
  std::vector<size_t> untimed_events_;
  bool saw_connections_ = false;
  int64_t first_stat_ms_ = std::numeric_limits<int64_t>::max();
  int64_t last_stat_ms_ = std::numeric_limits<int64_t>::min();
};

bool Reader::ReadStringField(const char* what, std::string* out) {
  if (c_.Peek() != Kind::kString) return Fail(std::string(what) + " must be a string");
  return c_.ReadString(out) || Fail("");
}

bool Reader::ScanValueText(std::string* out) {
  if (c_.Peek() == Kind::kString) return c_.ReadString(out);
  std::string_view span;
  if (!c_.SkipValue(&span)) return false;
  *out = CompactJson(span);
  return true;
}

bool Reader::Read() {
  *out_ = StatsDump{};
  out_->kind = DumpKind::kWebrtcInternals;
  if (c_.Peek() != Kind::kObject) {
    return Fail("a webrtc-internals dump is a JSON object with PeerConnections");
  }
  if (!c_.BeginObject()) return Fail("");
  while (c_.NextMember(&key_)) {
    if (key_ == "getUserMedia") {
      if (!ReadGetUserMedia()) return false;
    } else if (key_ == "PeerConnections") {
      if (!ReadConnections()) return false;
    } else if (key_ == "UserAgent") {
      if (!ReadStringField("UserAgent", &out_->user_agent)) return false;
    } else if (!c_.SkipValue()) {  // UserAgentData and anything newer
      return Fail("");
    }
  }
  if (c_.failed()) return Fail("");
  if (!c_.AtEnd()) {
    if (!c_.failed()) c_.Fail("text after the dump's closing brace");
    return Fail("");
  }
  if (!saw_connections_) {
    messages_->push_back(Message(InputMessage::Level::kError, "",
                                 "not a webrtc-internals dump: it has no PeerConnections"));
    return false;
  }
  Finish();
  return true;
}

// ---- getUserMedia -----------------------------------------------------------

bool Reader::ReadGetUserMedia() {
  if (c_.Peek() != Kind::kArray) return Fail("getUserMedia must be an array");
  if (!c_.BeginArray()) return Fail("");
  while (c_.NextElement()) {
    if (!ReadGetUserMediaEntry()) return false;
  }
  return !c_.failed() || Fail("");
}

// One request (constraints) or answer (stream_id and tracks, or error).
bool Reader::ReadGetUserMediaEntry() {
  if (c_.Peek() != Kind::kObject) return Fail("a getUserMedia entry must be an object");
  DumpEvent e;
  e.method = "getUserMedia";
  bool timed = false;
  std::string error, error_message, value;
  std::vector<std::pair<std::string, std::string>> fields;  // constraints or answer
  bool answered = false;
  const std::string pointer = c_.Pointer();
  if (!c_.BeginObject()) return Fail("");
  while (c_.NextMember(&key_)) {
    const std::string key = key_;
    if (key == "timestamp") {
      std::string text;
      if (!ReadValueText(&text)) return false;
      bool local = false;
      const std::optional<int64_t> t = ParseLogTime(text, &local);
      if (t && !local) e.time_ms = *t, timed = true;
    } else if (key == "request_type") {
      if (!ReadStringField("request_type", &e.method)) return false;
    } else if (key == "error") {
      if (!ReadValueText(&error)) return false;
    } else if (key == "error_message" || key == "errorMessage") {
      if (!ReadValueText(&error_message)) return false;
    } else if (key == "audio" || key == "video" || key == "stream_id" ||
               key == "audio_track_info" || key == "video_track_info") {
      if (!ReadValueText(&value)) return false;
      answered |= key != "audio" && key != "video";
      fields.emplace_back(key, value);
    } else if (!c_.SkipValue()) {
      return Fail("");
    }
  }
  if (c_.failed()) return Fail("");
  e.display = e.method == "getDisplayMedia" || e.method == "getAllScreensMedia";
  if (!error.empty()) {
    e.kind = DumpEventKind::kGetUserMediaFailure;
    e.value = error_message.empty() ? error : error + ": " + error_message;
  } else {
    e.kind = answered ? DumpEventKind::kGetUserMediaSuccess : DumpEventKind::kGetUserMedia;
    json::JsonWriter w;
    w.BeginObject();
    for (const auto& [k, v] : fields) w.Field(k, v);
    w.EndObject();
    e.value = w.Take();
  }
  if (!timed) {
    untimed_events_.push_back(out_->events.size());
    Warn(pointer, "a getUserMedia entry has no usable timestamp; it is placed at the dump's start");
  }
  out_->events.push_back(std::move(e));
  return true;
}

// ---- connections and their updateLog ----------------------------------------

bool Reader::ReadConnections() {
  saw_connections_ = true;
  if (c_.Peek() != Kind::kObject) return Fail("PeerConnections must be an object");
  if (!c_.BeginObject()) return Fail("");
  while (c_.NextMember(&key_)) {
    const std::string id = key_;
    const bool twice = std::any_of(out_->connections.begin(), out_->connections.end(),
                                   [&id](const DumpConnection& d) { return d.id == id; });
    if (twice) {
      Warn(c_.Pointer(), "connection \"" + id + "\" appears twice; the second is skipped");
      if (!c_.SkipValue()) return Fail("");
      continue;
    }
    if (!ReadConnection(id)) return false;
  }
  return !c_.failed() || Fail("");
}

bool Reader::ReadConnection(const std::string& id) {
  if (c_.Peek() != Kind::kObject) return Fail("a peer connection must be an object");
  DumpConnection connection;
  connection.id = id;
  std::string servers;
  if (!c_.BeginObject()) return Fail("");
  while (c_.NextMember(&key_)) {
    if (key_ == "rtcConfiguration" || key_ == "pcConfiguration") {
      if (!ReadValueText(&connection.configuration)) return false;
    } else if (key_ == "servers") {  // the oldest dumps: the ICE servers only
      if (!ReadValueText(&servers)) return false;
    } else if (key_ == "constraints") {
      if (!ReadValueText(&connection.constraints)) return false;
      if (connection.constraints == "{}") connection.constraints.clear();
    } else if (key_ == "url") {
      std::string url;
      if (!ReadValueText(&url)) return false;
      if (out_->url.empty()) out_->url = url;
    } else if (key_ == "updateLog") {
      if (!ReadUpdateLog(id)) return false;
    } else if (key_ == "stats") {
      if (!ReadStats(id, &connection)) return false;
    } else if (!c_.SkipValue()) {  // pid, ...
      return Fail("");
    }
  }
  if (c_.failed()) return Fail("");
  if (connection.configuration.empty() && !servers.empty() && servers != "[]") {
    connection.configuration = "{\"iceServers\":" + servers + "}";
  }
  out_->connections.push_back(std::move(connection));
  return true;
}

bool Reader::ReadUpdateLog(const std::string& connection_id) {
  if (c_.Peek() != Kind::kArray) return Fail("updateLog must be an array");
  if (!c_.BeginArray()) return Fail("");
  while (c_.NextElement()) {
    if (!ReadUpdate(connection_id)) return false;
  }
  return !c_.failed() || Fail("");
}

// updateLog types (lower case; Chrome wrote some in camel case and with "on"
// before) and what they are.
DumpEventKind UpdateKind(std::string type) {
  for (char& ch : type) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (type.size() > 2 && type.compare(0, 2, "on") == 0) type.erase(0, 2);
  static const std::pair<const char*, DumpEventKind> kKinds[] = {
      {"createoffer", DumpEventKind::kCreateOffer},
      {"createofferonfailure", DumpEventKind::kCreateOfferFailure},
      {"createansweronfailure", DumpEventKind::kCreateAnswerFailure},
      {"setlocaldescriptiononfailure", DumpEventKind::kSetLocalDescriptionFailure},
      {"setremotedescriptiononfailure", DumpEventKind::kSetRemoteDescriptionFailure},
      {"addicecandidatefailed", DumpEventKind::kAddIceCandidateFailure},
      {"addicecandidateonfailure", DumpEventKind::kAddIceCandidateFailure},
      {"icecandidateerror", DumpEventKind::kIceCandidateError},
      {"iceconnectionstatechange", DumpEventKind::kIceConnectionState},
      {"connectionstatechange", DumpEventKind::kConnectionState},
      {"icegatheringstatechange", DumpEventKind::kIceGatheringState},
      {"signalingstatechange", DumpEventKind::kSignalingState},
      {"close", DumpEventKind::kClose},
      {"stop", DumpEventKind::kClose},
      {"track", DumpEventKind::kTrack},
  };
  for (const auto& [name, kind] : kKinds) {
    if (type == name) return kind;
  }
  return DumpEventKind::kOther;
}

// Chrome writes an icecandidateerror as "url: ...\naddress: ...\nport: ...\n
// host_candidate: ...\nerror_text: ...\nerror_code: ..."; made JSON text here.
std::string IceCandidateErrorJson(const std::string& value) {
  if (!value.empty() && value.front() == '{') return value;
  json::JsonWriter w;
  w.BeginObject();
  size_t at = 0;
  while (at < value.size()) {
    size_t end = value.find('\n', at);
    if (end == std::string::npos) end = value.size();
    const std::string_view line(value.data() + at, end - at);
    const size_t colon = line.find(": ");
    if (colon != std::string_view::npos) {
      std::string_view k = line.substr(0, colon), v = line.substr(colon + 2);
      const char* name = k == "host_candidate" ? "hostCandidate"
                         : k == "error_text"   ? "errorText"
                         : k == "error_code"   ? "errorCode"
                                               : nullptr;
      const double number = json::ParseJsonNumber(v);
      if ((k == "error_code" || k == "port") && !std::isnan(number)) {
        w.Key(name ? name : k).Number(number, 0);
      } else {
        w.Key(name ? name : k).String(v);
      }
    }
    at = end + 1;
  }
  w.EndObject();
  return w.Take();
}

bool Reader::ReadUpdate(const std::string& connection_id) {
  if (c_.Peek() != Kind::kObject) return Fail("an updateLog entry must be an object");
  DumpEvent e;
  e.connection_id = connection_id;
  std::optional<int64_t> time;
  bool local = false, have_time = false;
  const std::string pointer = c_.Pointer();
  if (!c_.BeginObject()) return Fail("");
  while (c_.NextMember(&key_)) {
    if (key_ == "time" || key_ == "timestamp") {
      std::string text;
      if (!ReadValueText(&text)) return false;
      bool is_local = false;
      const std::optional<int64_t> t = ParseLogTime(text, &is_local);
      if (!have_time || (t && !is_local)) time = t, local = is_local;  // epoch ms wins
      have_time = true;
    } else if (key_ == "type") {
      if (!ReadStringField("type", &e.method)) return false;
    } else if (key_ == "value") {
      if (!ReadValueText(&e.value)) return false;
    } else if (!c_.SkipValue()) {
      return Fail("");
    }
  }
  if (c_.failed()) return Fail("");
  e.kind = UpdateKind(e.method);
  e.value = Unquoted(std::move(e.value), max_depth_);
  if (e.kind == DumpEventKind::kIceCandidateError) e.value = IceCandidateErrorJson(e.value);
  if (!time) {
    untimed_events_.push_back(out_->events.size());
    Warn(pointer,
         "an updateLog entry has no time that can be read; it is placed at the dump's start");
  } else {
    e.time_ms = *time;
    if (local) local_events_.push_back(out_->events.size());
  }
  out_->events.push_back(std::move(e));
  return true;
}

// ---- stats ------------------------------------------------------------------
//
// A connection's stats are read in three steps: the scan walks the keys in
// order with the dump's cursor and notes where each series' `values` text is;
// the parse reads those texts into numbers and texts, on several threads (the
// texts are independent); the grouping then puts the series on their objects
// in key order with the messages a reading of one key at a time would give,
// in the same order (on a dump broken inside its stats, those of the keys
// before the break, then the error).

// Notes where a series' `values` member is and steps over it.
bool Reader::ScanValues(ValuesText* v) {
  const Kind kind = c_.Peek();
  if (kind == Kind::kString) {
    v->form = ValuesText::Form::kString;
    std::string_view span = bytes_.substr(c_.offset());
    span = span.substr(0, PlainJsonStringLength(span, /*allow_escaped_quotes=*/true));
    // A string PlainJsonStringLength measured is valid JSON: the cursor
    // passes it without its per-byte scan (16 instructions a byte here).
    if (span.empty() ? !c_.SkipValue(&span) : !c_.SkipIfSame(span)) return false;
    v->span = span;
  } else if (kind == Kind::kArray) {  // written as an array itself
    v->form = ValuesText::Form::kArray;
    if (!c_.SkipValue(&v->span)) return false;
  } else {
    v->form = ValuesText::Form::kNeither;
    if (!c_.SkipValue()) return false;
  }
  return true;
}

// One series object {statsType, startTime, endTime, values}, its values
// noted, not read. False, with the cursor failed, when the dump breaks.
bool Reader::ScanSeries(ScannedKey* k) {
  if (c_.Peek() != Kind::kObject) return Stop("a stats series must be an object");
  if (!c_.BeginObject()) return false;
  RawSeries* s = &k->series;
  while (c_.NextMember(&key_)) {
    if (key_ == "statsType") {
      if (!ScanValueText(&k->type)) return false;
    } else if (key_ == "startTime" || key_ == "endTime") {
      const bool start = key_ == "startTime";
      std::string text;
      if (!ScanValueText(&text)) return false;
      bool local = false;
      const std::optional<int64_t> t = ParseLogTime(text, &local);
      (start ? s->start_ms : s->end_ms) = local ? std::nullopt : t;
    } else if (key_ == "values") {
      k->values.emplace_back();
      if (!ScanValues(&k->values.back())) {
        k->values.pop_back();
        return false;
      }
    } else if (!c_.SkipValue()) {
      return false;
    }
  }
  return !c_.failed();
}

// The scan: every member of a connection's stats object, in order, into
// *keys (derived series and "type" stepped over). False, with the cursor
// failed, when the dump breaks; *keys then ends with the key it broke in.
bool Reader::ScanStats(std::vector<ScannedKey>* keys) {
  if (!c_.BeginObject()) return false;
  while (c_.NextMember(&key_)) {
    // Ids hold '-' ("Conn-audio-1-0"), property names do not: split at the
    // last '-'. Chrome's derived values are bracketed ("[bytesSent_in_bits/s]")
    // and not bound by that: split at "-[".
    const size_t bracket = key_.find("-[");
    const size_t dash = bracket != std::string::npos ? bracket : key_.rfind('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == key_.size()) {
      keys->emplace_back().key = key_;  // a warning, in its place
      keys->back().complete = true;
      if (!c_.SkipValue()) return false;
      continue;
    }
    const std::string_view name = std::string_view(key_).substr(dash + 1);
    if (IsDerivedName(name) || name == "type") {
      c_.Peek();  // to the value's first byte
      const std::string_view rest = bytes_.substr(c_.offset());
      const size_t n = PlainSeriesLength(rest);
      // A series PlainSeriesLength measured is valid JSON.
      if (n > 0 ? !c_.SkipIfSame(rest.substr(0, n)) : !c_.SkipValue()) return false;
      continue;
    }
    ScannedKey& k = keys->emplace_back();
    k.key = key_;
    k.dash = dash;
    k.series.name = std::string(name);
    if (!ScanSeries(&k)) return false;
    k.complete = true;
  }
  return !c_.failed();
}

// The grouping: each scanned key's messages, then its series on its object
// (a key given twice keeps the first). Stops at a key the scan broke in.
void Reader::GroupSeries(const std::string& base, std::vector<ScannedKey>* keys,
                         std::vector<RawObject>* objects) {
  std::unordered_map<std::string, size_t> index;
  for (ScannedKey& k : *keys) {
    const std::string pointer = base + EscapePointerToken(k.key);
    if (k.dash == std::string::npos) {
      Warn(pointer, "a stats key is not \"<statsId>-<property>\"; it is skipped");
      continue;
    }
    for (const ValuesText& v : k.values) {
      if (v.ok) continue;
      Warn(pointer + "/values",
           "values is not a JSON array of samples (" + v.error + "); the series is skipped");
    }
    if (!k.complete) return;
    RawSeries& s = k.series;
    const std::string id = k.key.substr(0, k.dash);
    auto [it, added] = index.emplace(id, objects->size());
    if (added) {
      objects->emplace_back();
      objects->back().id = id;
    }
    RawObject& o = (*objects)[it->second];
    if (o.type.empty()) o.type = std::move(k.type);
    const bool twice = s.name == "timestamp"
                           ? o.has_timestamps
                           : std::any_of(o.series.begin(), o.series.end(),
                                         [&s](const RawSeries& r) { return r.name == s.name; });
    if (twice) {
      Warn(pointer, "the stats key appears twice; the second is skipped");
      continue;
    }
    if (s.numbers.size() >= kChromeSampleCap) out_->truncated = true;
    if (s.name == "timestamp") {
      o.timestamps = std::move(s.numbers);
      o.has_timestamps = true;
    } else {
      o.series.push_back(std::move(s));
    }
  }
}

bool Reader::ReadStats(const std::string& connection_id, DumpConnection* connection) {
  if (c_.Peek() != Kind::kObject) return Fail("stats must be an object");
  const std::string base = "/PeerConnections/" + EscapePointerToken(connection_id) + "/stats/";
  std::vector<ScannedKey> keys;
  const bool scanned = ScanStats(&keys);
  ParseScannedValues(&keys, max_depth_, threads_);
  std::vector<RawObject> objects;
  GroupSeries(base, &keys, &objects);
  if (!scanned) return Fail("");
  keys.clear();
  keys.shrink_to_fit();
  connection->stats.reserve(objects.size());
  for (RawObject& o : objects) {
    StatObject so;
    BuildObject(base + EscapePointerToken(o.id), &o, &so);
    connection->stats.push_back(std::move(so));
  }
  std::sort(connection->stats.begin(), connection->stats.end(),
            [](const StatObject& a, const StatObject& b) { return a.id < b.id; });
  return true;
}

void Reader::BuildObject(const std::string& pointer, RawObject* raw, StatObject* out) {
  out->id = raw->id;
  out->type = raw->type.empty() ? TypeFromId(raw->id) : Unquoted(raw->type, max_depth_);
  if (raw->has_timestamps) {
    PlaceWithTimestamps(pointer, raw, out);
  } else {
    PlaceEstimated(pointer, raw, out);
  }
  if (!out->times_ms.empty()) {
    first_stat_ms_ = std::min(first_stat_ms_, out->times_ms.front());
    last_stat_ms_ = std::max(last_stat_ms_, out->times_ms.back());
  }
}

// Sample i of a property of k values sits at timestamp index (end - k + 1 + i),
// end being the index of the property's endTime in the timestamps (a property
// may stop before the object does) or else the last one.
void Reader::PlaceWithTimestamps(const std::string& pointer, RawObject* raw, StatObject* out) {
  const std::vector<double>& ts = raw->timestamps;
  const size_t n = ts.size();
  std::vector<char> keep(n, 1);
  size_t dropped_times = 0;
  int64_t last = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> times(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const std::optional<int64_t> t = ToEpochMs(ts[i]);
    if (!t || *t < last) {
      keep[i] = 0;
      ++dropped_times;
      continue;
    }
    times[i] = last = *t;
  }
  if (dropped_times > 0) {
    Warn(pointer + "-timestamp", std::to_string(dropped_times) +
                                     " timestamps are no Unix time in ms or step backwards; "
                                     "their samples are dropped");
  }
  size_t cut_values = 0;
  for (RawSeries& s : raw->series) {
    const size_t k = s.numbers.size();
    if (k == 0) continue;  // no values (or skipped ones): no property
    size_t end = n;        // one past the last index
    if (s.end_ms && n > 0) {
      for (size_t j = n; j-- > 0;) {
        if (keep[j] && times[j] == *s.end_ms) {
          end = j + 1;
          break;
        }
      }
    }
    StatProperty p;
    p.name = std::move(s.name);
    if (k == n && end == n) {
      // One value per timestamp (nearly every series): the columns as read.
      // (Placing them value by value was 12 % of the samples reading a
      // generated 22 MB dump; with the text fast paths in ReadSampleArray
      // 135-140 ms -> 123-125 ms CPU, perf stat.)
      p.numbers = std::move(s.numbers);
      p.texts = std::move(s.texts);
      out->properties.push_back(std::move(p));
      continue;
    }
    p.numbers.assign(n, std::numeric_limits<double>::quiet_NaN());
    if (!s.texts.empty()) p.texts.resize(n);
    const size_t placed = std::min(k, end);
    cut_values += k - placed;
    for (size_t i = 0; i < placed; ++i) {
      const size_t from = k - placed + i, to = end - placed + i;
      p.numbers[to] = s.numbers[from];
      if (!s.texts.empty()) p.texts.Set(to, s.texts[from]);
    }
    out->properties.push_back(std::move(p));
  }
  if (cut_values > 0) {
    Warn(pointer, std::to_string(cut_values) +
                      " samples come before the object's first timestamp; they are dropped");
  }
  // Drop the samples whose timestamps were dropped.
  for (size_t i = 0; i < n; ++i) {
    if (keep[i]) out->times_ms.push_back(times[i]);
  }
  if (dropped_times == 0) return;
  for (StatProperty& p : out->properties) {
    size_t w = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!keep[i]) continue;
      p.numbers[w] = p.numbers[i];
      if (!p.texts.empty()) p.texts.CopySample(i, w);
      ++w;
    }
    p.numbers.resize(w);
    if (!p.texts.empty()) p.texts.resize(w);
  }
}

// Before Chrome 117 a series has only its first and last sample times: the
// samples are spread evenly between them (Chrome gathered them once a second),
// and samples of the object's series closer than kSameSampleMs are one.
void Reader::PlaceEstimated(const std::string& pointer, RawObject* raw, StatObject* out) {
  std::vector<std::vector<int64_t>> when(raw->series.size());
  std::vector<int64_t> all;
  for (size_t si = 0; si < raw->series.size(); ++si) {
    const RawSeries& s = raw->series[si];
    const size_t k = s.numbers.size();
    if (k == 0) continue;
    if (!s.start_ms && !s.end_ms) {
      Warn(pointer + "-" + EscapePointerToken(s.name),
           "a series has neither startTime nor endTime; it is skipped");
      continue;
    }
    int64_t start = s.start_ms ? *s.start_ms : *s.end_ms - 1000 * static_cast<int64_t>(k - 1);
    int64_t end = s.end_ms ? *s.end_ms : start + 1000 * static_cast<int64_t>(k - 1);
    if (end < start) {
      Warn(pointer + "-" + EscapePointerToken(s.name),
           "a series ends before it starts; its samples are taken 1 s apart from startTime");
      end = start + 1000 * static_cast<int64_t>(k - 1);
    }
    when[si].resize(k);
    for (size_t i = 0; i < k; ++i) {
      const double f = k == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(k - 1);
      when[si][i] = start + std::llround(f * static_cast<double>(end - start));
    }
    all.insert(all.end(), when[si].begin(), when[si].end());
  }
  std::sort(all.begin(), all.end());
  for (int64_t t : all) {
    if (out->times_ms.empty() || t - out->times_ms.back() >= kSameSampleMs) {
      out->times_ms.push_back(t);
    }
  }
  const size_t n = out->times_ms.size();
  for (size_t si = 0; si < raw->series.size(); ++si) {
    if (when[si].empty()) continue;
    RawSeries& s = raw->series[si];
    StatProperty p;
    p.name = std::move(s.name);
    p.numbers.assign(n, std::numeric_limits<double>::quiet_NaN());
    if (!s.texts.empty()) p.texts.resize(n);
    for (size_t i = 0; i < when[si].size(); ++i) {
      // The last sample time at or before this one.
      const size_t at = static_cast<size_t>(
          std::upper_bound(out->times_ms.begin(), out->times_ms.end(), when[si][i]) -
          out->times_ms.begin() - 1);
      p.numbers[at] = s.numbers[i];
      if (!s.texts.empty()) p.texts.Set(at, s.texts[i]);
    }
    out->properties.push_back(std::move(p));
  }
}

// ---- after reading ----------------------------------------------------------

// Older Chromes wrote updateLog times with toLocaleString(): a wall-clock time
// without its zone. The zone is taken as the quarter hour that puts the first
// such event nearest the first stats sample (the last ones when Chrome's
// 1000-sample cap cut the start), and UTC without stats.
void Reader::ResolveLocalTimes() {
  if (local_events_.empty()) return;
  int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
  for (size_t i : local_events_) {
    first = std::min(first, out_->events[i].time_ms);
    last = std::max(last, out_->events[i].time_ms);
  }
  int64_t offset = 0;
  if (first_stat_ms_ <= last_stat_ms_) {
    const int64_t gap = out_->truncated ? last_stat_ms_ - last : first_stat_ms_ - first;
    const double quarters = std::round(static_cast<double>(gap) / kQuarterHourMs);
    if (std::fabs(quarters) <= 14 * 4) offset = static_cast<int64_t>(quarters) * kQuarterHourMs;
  }
  for (size_t i : local_events_) out_->events[i].time_ms += offset;
  char zone[32];
  const int64_t minutes = -offset / 60000;  // local = UTC + zone
  std::snprintf(zone, sizeof zone, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+',
                static_cast<int>(std::llabs(minutes) / 60),
                static_cast<int>(std::llabs(minutes) % 60));
  messages_->push_back(Message(
      InputMessage::Level::kInfo, "",
      std::string("updateLog times are local times without a time zone (Chrome before 117); "
                  "they are read as ") +
          zone +
          (first_stat_ms_ <= last_stat_ms_ ? ", the zone that puts them beside the stats"
                                           : ", as the dump has no stats to place them by")));
}

void Reader::Finish() {
  ResolveLocalTimes();
  int64_t start = first_stat_ms_;
  for (size_t i = 0; i < out_->events.size(); ++i) {
    if (std::find(untimed_events_.begin(), untimed_events_.end(), i) == untimed_events_.end()) {
      start = std::min(start, out_->events[i].time_ms);
    }
  }
  out_->start_ms = start == std::numeric_limits<int64_t>::max() ? 0 : start;
  for (size_t i : untimed_events_) out_->events[i].time_ms = out_->start_ms;
  std::stable_sort(out_->events.begin(), out_->events.end(),
                   [](const DumpEvent& a, const DumpEvent& b) { return a.time_ms < b.time_ms; });
  std::sort(out_->connections.begin(), out_->connections.end(),
            [](const DumpConnection& a, const DumpConnection& b) { return a.id < b.id; });
  bool legacy = false, standard = false;
  for (const DumpConnection& c : out_->connections) {
    for (const StatObject& o : c.stats) {
      if (o.type.empty()) continue;
      (IsLegacyType(o.type) ? legacy : standard) = true;
    }
  }
  out_->format = legacy && !standard ? StatsFormat::kChromeLegacy : StatsFormat::kChromeStandard;
}

}  // namespace

bool LooksLikeWebrtcInternalsDump(std::string_view bytes, int max_depth) {
  JsonCursor c(bytes, max_depth);
  if (c.Peek() != Kind::kObject || !c.BeginObject()) return false;
  bool connections = false, beside = false;
  std::string key;
  while (c.NextMember(&key)) {
    connections |= key == "PeerConnections";
    beside |= key == "getUserMedia" || key == "UserAgent";
    if (connections && beside) return true;
    // Chrome also writes the machine's numbers ("cpuPerformance", ...)
    // first. Any other object or array says it is something else: stop
    // before reading it (a 100ms peer-stats file is one big "publisher" and
    // "subscriber" value: skipping them took 11 % of a whole analysis).
    const Kind kind = c.Peek();
    const bool container = kind == Kind::kObject || kind == Kind::kArray;
    const bool own = key == "getUserMedia" || key == "PeerConnections" || key == "UserAgentData";
    if (container && !own) return false;
    if (!c.SkipValue()) return false;
  }
  return false;
}

bool ReadWebrtcInternalsDump(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
                             std::vector<InputMessage>* messages) {
  Reader reader(bytes, options, out, messages);
  return reader.Read();
}

}  // namespace callsight::ingest
