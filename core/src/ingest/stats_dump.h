// A browser's WebRTC stats dump as its readers give it, before it becomes the
// session model: the one shape shared by the chrome://webrtc-internals reader
// (webrtc_internals_reader.h) and the rtcstats reader (rtcstats_reader.h), so
// that one converter (dump_to_model.h) maps every layout to peers, tracks,
// series and events.
//
// A dump is written by one browser (one client): its peer connections, each
// with the getStats() objects it reported over time, and the API calls and
// state changes logged on the way. Values are kept as the dump gives them:
// counters stay cumulative (the converter makes rates), states stay text.
#ifndef CALLSIGHT_INGEST_STATS_DUMP_H_
#define CALLSIGHT_INGEST_STATS_DUMP_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace callsight::ingest {

// Which layout the file had.
enum class DumpKind : uint8_t {
  kWebrtcInternals,  // chrome://webrtc-internals "Download the webrtc-internals dump"
  kRtcstatsLines,    // rtcstats / Jitsi: [method, connection, value, timestampMs(, seq)] per line
  kRtcstatsV3,       // rtcstats file format 3: "RTCStatsDump", metadata line, arrays
};
// "webrtc-internals", "rtcstats", "rtcstats-v3".
const char* DumpKindName(DumpKind kind);

// Which getStats() vocabulary the stats objects speak.
enum class StatsFormat : uint8_t {
  kUnknown,
  kChromeStandard,  // W3C webrtc-stats as Chrome writes it (outbound-rtp, inbound-rtp, ...)
  kChromeLegacy,    // Chrome's legacy callback getStats: type "ssrc", "googCandidatePair", goog*
                    // names
  kFirefox,
  kSafari,
};
// "unknown", "chrome_standard", "chrome_legacy", "firefox", "safari" (the
// names rtcstats' connectionInfo.statsFormat uses).
const char* StatsFormatName(StatsFormat format);

// The texts of one property, one per sample ("" where a sample has none).
// A text equal to the one of the sample before (or to the last one added)
// is stored once: ids, kinds, codecs and states repeat sample after sample,
// and a std::string per sample was most of a webrtc-internals dump's heap.
class TextColumn {
 public:
  TextColumn() = default;
  TextColumn(std::initializer_list<std::string_view> texts) {
    for (std::string_view t : texts) push_back(t);
  }
  explicit TextColumn(const std::vector<std::string>& texts) {
    for (const std::string& t : texts) push_back(t);
  }

  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }
  // Sample i's text; valid until the column changes.
  std::string_view operator[](size_t i) const {
    return index_[i] == 0 ? std::string_view() : std::string_view(values_[index_[i] - 1]);
  }
  std::string_view back() const { return (*this)[index_.size() - 1]; }
  bool Contains(std::string_view text) const;

  // One more sample.
  void push_back(std::string_view text) {
    index_.push_back(IdOf(text, index_.empty() ? 0 : index_.back()));
  }
  // n samples of `text`.
  void assign(size_t n, std::string_view text) {
    clear();
    index_.assign(n, IdOf(text, 0));
  }
  void clear() {
    index_.clear();
    values_.clear();
  }
  // n samples: the first ones kept, new ones "".
  void resize(size_t n) { index_.resize(n, 0); }
  // Sample i's text becomes `text`.
  void Set(size_t i, std::string_view text) { index_[i] = IdOf(text, i > 0 ? index_[i - 1] : 0); }
  // Sample `to` gets sample `from`'s text.
  void CopySample(size_t from, size_t to) { index_[to] = index_[from]; }

  // The same texts sample by sample.
  friend bool operator==(const TextColumn& a, const TextColumn& b);
  friend bool operator==(const TextColumn& a, const std::vector<std::string>& b);

 private:
  // The id of `text` (0 for ""): `neighbor`'s or the last one's when equal,
  // else a new one.
  uint32_t IdOf(std::string_view text, uint32_t neighbor);

  std::vector<uint32_t> index_;      // per sample: 0 for "", else 1 + its place in values_
  std::vector<std::string> values_;  // the texts stored
};

// One property of one stats object: a value per sample of the object.
// numbers[i] is NaN where sample i has no numeric value (absent, null, text).
// texts is empty unless the property ever held a string (or a boolean,
// written "true" / "false"); then it has one entry per sample, "" where
// absent. States are stored unquoted ("connected", never "\"connected\"").
struct StatProperty {
  std::string name;
  std::vector<double> numbers;
  TextColumn texts;
};

// One getStats() object (its id stays the same over the call) sampled over
// time. Invariant: every property has times_ms.size() entries; times_ms is
// non-decreasing (a reader repairs or drops samples that step backwards and
// says so).
struct StatObject {
  std::string id;    // "OT01V1234" / "RTCOutboundRTPVideoStream_1234" / "ssrc_1234_send"
  std::string type;  // "outbound-rtp", "inbound-rtp", "remote-inbound-rtp",
                     // "candidate-pair", "local-candidate", "transport", "codec",
                     // "media-source", ... or legacy "ssrc", "googCandidatePair"
  std::vector<int64_t> times_ms;  // Unix epoch ms of each sample
  std::vector<StatProperty> properties;

  // The property called `name`, or nullptr.
  const StatProperty* Find(std::string_view name) const {
    for (const auto& p : properties) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

// What a logged API call or callback was, typed. The readers map their own
// vocabulary (webrtc-internals updateLog types, rtcstats method names and
// format-3 method numbers) onto these; anything else is kOther with the
// method kept as written.
enum class DumpEventKind : uint8_t {
  kOther,
  kCreate,               // a peer connection was created (value: its configuration)
  kClose,                // close() called, or the connection closed
  kIceConnectionState,   // value: the new iceConnectionState
  kConnectionState,      // value: the new connectionState
  kIceGatheringState,    // value: the new iceGatheringState
  kSignalingState,       // value: the new signalingState
  kCreateOffer,          // value: the options as JSON text ({"iceRestart":true} = ICE restart)
  kCreateOfferFailure,   // value: the error
  kCreateAnswerFailure,  // value: the error
  kSetLocalDescriptionFailure,
  kSetRemoteDescriptionFailure,
  kAddIceCandidateFailure,
  kIceCandidateError,  // icecandidateerror: value as JSON text (url, errorCode, errorText)
  kGetUserMedia,       // getUserMedia / getDisplayMedia called (value: the constraints)
  kGetUserMediaSuccess,
  kGetUserMediaFailure,  // value: the error (name and message)
  kTrack,                // ontrack: a remote track arrived (value: kind, track id, stream ids)
};
inline constexpr int kDumpEventKindCount = 18;
// "other", "create", "close", "ice_connection_state", "connection_state",
// "ice_gathering_state", "signaling_state", "create_offer",
// "create_offer_failure", "create_answer_failure",
// "set_local_description_failure", "set_remote_description_failure",
// "add_ice_candidate_failure", "ice_candidate_error", "get_user_media",
// "get_user_media_success", "get_user_media_failure", "track".
const char* DumpEventKindName(DumpEventKind kind);

struct DumpEvent {
  int64_t time_ms = 0;
  std::string connection_id;  // empty: not about one connection (getUserMedia)
  DumpEventKind kind = DumpEventKind::kOther;
  std::string method;  // as the dump names it: "iceconnectionstatechange", "onicecandidateerror"
  // The value as text: a state unquoted ("failed"), an error's text, or
  // other values as compact JSON text.
  std::string value;
  bool display = false;  // getUserMedia kinds: it was getDisplayMedia
};

struct DumpConnection {
  std::string id;  // the dump's own id: "PC_0" (rtcstats), "12-1" (webrtc-internals pid-lid)
  std::string configuration;      // RTCConfiguration as compact JSON text, "" if not given
  std::string constraints;        // legacy constraints as written, "" if none
  std::vector<StatObject> stats;  // sorted by id
};

// How a dump is read. A reader gives the same StatsDump and messages
// whatever `threads` and `task_bytes` are.
struct DumpReadOptions {
  int max_depth = 32;  // deepest JSON nesting accepted
  // Threads one dump may use (the caller's share: 1 when other files are
  // read at the same time).
  int threads = 1;
  // About how many bytes of an rtcstats dump's lines one parsing task takes
  // (tests make it small so that a short dump is parsed in many tasks).
  size_t task_bytes = size_t{256} << 10;
};

struct StatsDump {
  DumpKind kind = DumpKind::kWebrtcInternals;
  StatsFormat format = StatsFormat::kUnknown;
  std::string user_agent;  // "" if not given
  std::string url;         // page URL or origin, "" if not given
  // The dump's own id for its client, when it has one (rtcstats metadata,
  // Jitsi identity); "" otherwise.
  std::string client_id;
  // The first time anywhere in the dump (stats, events, metadata); 0 if none.
  int64_t start_ms = 0;
  // webrtc-internals keeps at most 1000 samples per property: true when a
  // series hit that cap (the call's start is lost).
  bool truncated = false;
  std::vector<DumpConnection> connections;  // sorted by id
  std::vector<DumpEvent> events;            // by time (stable: dump order kept for ties)
};

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_STATS_DUMP_H_
