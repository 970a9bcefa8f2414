#include "ingest/rtcstats_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "ingest/plain_json_string.h"
#include "json/json_cursor.h"

namespace callsight::ingest {

namespace {

using json::JsonCursor;
using Kind = JsonCursor::Kind;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// rtcstats file format 3's compression tables (rtcstats-shared compression.js:
// its compression tables plus the names it only decompresses). Sorted by code.

struct Code {
  int code;
  const char* name;
};

constexpr Code kMethodCodes[] = {
    {1, "getStats"},
    {2, "createOffer"},
    {3, "createOfferOnSuccess"},
    {4, "createAnswer"},
    {5, "createAnswerOnSuccess"},
    {6, "setLocalDescription"},
    {7, "setLocalDescriptionOnSuccess"},
    {8, "setRemoteDescription"},
    {9, "setRemoteDescriptionOnSuccess"},
    {10, "addIceCandidate"},
    {11, "addIceCandidateOnSuccess"},
    {12, "createOfferOnFailure"},
    {13, "createAnswerOnFailure"},
    {14, "setLocalDescriptionOnFailure"},
    {15, "setRemoteDescriptionOnFailure"},
    {16, "addIceCandidateOnFailure"},
    {20, "onicecandidate"},
    {21, "onicecandidateerror"},
    {22, "ontrack"},
    {23, "onsignalingstatechange"},
    {24, "oniceconnectionstatechange"},
    {25, "onconnectionstatechange"},
    {26, "onicegatheringstatechange"},
    {27, "onnegotiationneeded"},
    {28, "ondatachannel"},
    {30, "addTrack"},
    {31, "addTrackOnSuccess"},
    {32, "addTransceiver"},
    {33, "addTransceiverOnSuccess"},
    {34, "removeTrack"},
    {35, "createDataChannel"},
    {36, "close"},
    {37, "restartIce"},
    {38, "setConfiguration"},
    {39, "create"},
    {40, "constraints"},
    {41, "setCodecPreferences"},
    {42, "setHeaderExtensionsToNegotiate"},
    {50, "setParameters"},
    {51, "replaceTrack"},
    {60, "navigator.mediaDevices.getUserMedia"},
    {61, "navigator.mediaDevices.getUserMediaOnSuccess"},
    // 62 was meant for getUserMediaOnFailure, but a duplicate key in the
    // writers' table made released clients write 65 for it: 62 never occurs.
    {63, "navigator.mediaDevices.getDisplayMedia"},
    {64, "navigator.mediaDevices.getDisplayMediaOnSuccess"},
    {65, "navigator.mediaDevices.getUserMediaOnFailure"},
    {66, "navigator.mediaDevices.enumerateDevices"},
    {67, "navigator.mediaDevices.ondevicechange"},
    {68, "navigator.mediaDevices.getDisplayMediaOnFailure"},
    {70, "MediaStreamTrack.stop"},
    {71, "MediaStreamTrack.applyConstraints"},
    {72, "MediaStreamTrack.onended"},
    {73, "MediaStreamTrack.onmute"},
    {74, "MediaStreamTrack.onunmute"},
    {80, "HTMLMediaElement.resize"},
};

constexpr Code kStatsTypeCodes[] = {
    {1, "inbound-rtp"},         {2, "outbound-rtp"},     {3, "remote-inbound-rtp"},
    {4, "remote-outbound-rtp"}, {5, "transport"},        {6, "candidate-pair"},
    {7, "local-candidate"},     {8, "remote-candidate"}, {9, "data-channel"},
    {10, "peer-connection"},    {11, "certificate"},     {12, "media-source"},
    {13, "media-playout"},      {14, "codec"},
};

constexpr Code kPropertyCodes[] = {
    {4, "payloadType"},
    {5, "transportId"},
    {6, "mimeType"},
    {7, "clockRate"},
    {8, "channels"},
    {9, "sdpFmtpLine"},
    {10, "ssrc"},
    {11, "kind"},
    {12, "codecId"},
    {14, "packetsReceived"},
    {15, "packetsLost"},
    {16, "jitter"},
    {17, "trackIdentifier"},
    {18, "mid"},
    {19, "remoteId"},
    {20, "framesDecoded"},
    {21, "keyFramesDecoded"},
    {22, "framesDropped"},
    {23, "frameWidth"},
    {24, "frameHeight"},
    {25, "framesPerSecond"},
    {26, "qpSum"},
    {27, "totalDecodeTime"},
    {28, "totalInterFrameDelay"},
    {29, "totalSquaredInterFrameDelay"},
    {30, "pauseCount"},
    {31, "totalPausesDuration"},
    {32, "freezeCount"},
    {33, "totalFreezesDuration"},
    {34, "lastPacketReceivedTimestamp"},
    {35, "headerBytesReceived"},
    {36, "packetsDiscarded"},
    {37, "fecPacketsReceived"},
    {38, "fecPacketsDiscarded"},
    {39, "fecBytesReceived"},
    {40, "fecSsrc"},
    {41, "bytesReceived"},
    {42, "nackCount"},
    {43, "firCount"},
    {44, "pliCount"},
    {45, "totalProcessingDelay"},
    {46, "estimatedPlayoutTimestamp"},
    {47, "jitterBufferDelay"},
    {48, "jitterBufferTargetDelay"},
    {49, "jitterBufferEmittedCount"},
    {50, "jitterBufferMinimumDelay"},
    {51, "totalSamplesReceived"},
    {52, "concealedSamples"},
    {53, "silentConcealedSamples"},
    {54, "concealmentEvents"},
    {55, "insertedSamplesForDeceleration"},
    {56, "removedSamplesForAcceleration"},
    {57, "audioLevel"},
    {58, "totalAudioEnergy"},
    {59, "totalSamplesDuration"},
    {60, "framesReceived"},
    {61, "decoderImplementation"},
    {62, "playoutId"},
    {63, "powerEfficientDecoder"},
    {64, "framesAssembledFromMultiplePackets"},
    {65, "totalAssemblyTime"},
    {66, "contentType"},
    {67, "googTimingFrameInfo"},
    {68, "retransmittedPacketsReceived"},
    {69, "retransmittedBytesReceived"},
    {70, "rtxSsrc"},
    {71, "totalCorruptionProbability"},
    {72, "totalSquaredCorruptionProbability"},
    {73, "corruptionMeasurements"},
    {74, "localId"},
    {75, "roundTripTime"},
    {76, "totalRoundTripTime"},
    {77, "fractionLost"},
    {78, "roundTripTimeMeasurements"},
    {79, "packetsSent"},
    {80, "bytesSent"},
    {81, "mediaSourceId"},
    {82, "rid"},
    {83, "encodingIndex"},
    {84, "headerBytesSent"},
    {85, "retransmittedPacketsSent"},
    {86, "retransmittedBytesSent"},
    {87, "targetBitrate"},
    {88, "totalEncodedBytesTarget"},
    {89, "framesSent"},
    {90, "hugeFramesSent"},
    {91, "framesEncoded"},
    {92, "keyFramesEncoded"},
    {93, "totalEncodeTime"},
    {94, "totalPacketSendDelay"},
    {95, "qualityLimitationReason"},
    {96, "qualityLimitationDurations"},
    {97, "qualityLimitationResolutionChanges"},
    {98, "encoderImplementation"},
    {99, "powerEfficientEncoder"},
    {100, "active"},
    {101, "scalabilityMode"},
    {102, "remoteTimestamp"},
    {103, "reportsSent"},
    {104, "echoReturnLoss"},
    {105, "echoReturnLossEnhancement"},
    {106, "width"},
    {107, "height"},
    {108, "frames"},
    {109, "synthesizedSamplesDuration"},
    {110, "synthesizedSamplesEvents"},
    {111, "totalPlayoutDelay"},
    {112, "totalSamplesCount"},
    {113, "dataChannelsOpened"},
    {114, "dataChannelsClosed"},
    {115, "label"},
    {116, "protocol"},
    {117, "dataChannelIdentifier"},
    {118, "state"},
    {119, "messagesSent"},
    {120, "messagesReceived"},
    {121, "iceRole"},
    {122, "iceLocalUsernameFragment"},
    {123, "dtlsState"},
    {124, "iceState"},
    {125, "selectedCandidatePairId"},
    {126, "localCertificateId"},
    {127, "remoteCertificateId"},
    {128, "tlsVersion"},
    {129, "dtlsCipher"},
    {130, "dtlsRole"},
    {131, "srtpCipher"},
    {132, "selectedCandidatePairChanges"},
    {133, "rtcpTransportStatsId"},
    {134, "address"},
    {135, "port"},
    {136, "candidateType"},
    {137, "priority"},
    {138, "url"},
    {139, "relayProtocol"},
    {140, "foundation"},
    {141, "relatedAddress"},
    {142, "relatedPort"},
    {143, "usernameFragment"},
    {144, "tcpType"},
    {145, "networkType"},
    {148, "localCandidateId"},
    {149, "remoteCandidateId"},
    {150, "nominated"},
    {151, "lastPacketSentTimestamp"},
    {152, "currentRoundTripTime"},
    {153, "availableOutgoingBitrate"},
    {154, "availableIncomingBitrate"},
    {155, "requestsReceived"},
    {156, "requestsSent"},
    {157, "responsesReceived"},
    {158, "responsesSent"},
    {159, "consentRequestsSent"},
    {160, "packetsDiscardedOnSend"},
    {161, "bytesDiscardedOnSend"},
    {163, "fingerprint"},
    {164, "fingerprintAlgorithm"},
    {165, "base64Certificate"},
    {166, "issuerCertificateId"},
    {167, "psnrMeasurements"},
    {168, "psnrSum"},
    {169, "packetsReceivedWithEct1"},
    {170, "packetsReceivedWithCe"},
    {171, "packetsReportedAsLost"},
    {172, "packetsReportedAsLostButRecovered"},
    {173, "packetsWithBleachedEct1Marking"},
    {174, "packetsSentWithEct1"},
    {175, "ccfbMessagesSent"},
    {176, "ccfbMessagesReceived"},
};

template <size_t N>
constexpr bool SortedByCode(const Code (&table)[N]) {
  for (size_t i = 1; i < N; ++i) {
    if (table[i - 1].code >= table[i].code) return false;
  }
  return true;
}
static_assert(SortedByCode(kMethodCodes) && SortedByCode(kStatsTypeCodes) &&
                  SortedByCode(kPropertyCodes),
              "LookUpCode searches the tables by code");

template <size_t N>
const char* LookUpCode(const Code (&table)[N], double code) {
  if (!(code >= 0 && code <= 1000) || code != std::floor(code)) return nullptr;
  const int c = static_cast<int>(code);
  const Code* it =
      std::lower_bound(table, table + N, c, [](const Code& e, int v) { return e.code < v; });
  return it != table + N && it->code == c ? it->name : nullptr;
}

// A format-3 property key: a number written as a string ("75"), "t" for the
// timestamp, or a name the table does not shorten (kept).
void DecompressPropertyKey(std::string* key) {
  if (key->size() == 1 && (*key)[0] == 't') {
    *key = "timestamp";
    return;
  }
  if (key->empty() || key->size() > 3) return;
  int code = 0;
  for (char ch : *key) {
    if (ch < '0' || ch > '9') return;
    code = code * 10 + (ch - '0');
  }
  if (const char* name = LookUpCode(kPropertyCodes, code)) *key = name;
}

// ---------------------------------------------------------------------------
// Small text helpers.

bool IsBlank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

// Valid JSON text without the white space outside strings.
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
    } else if (!IsBlank(ch)) {
      out += ch;
      in_string = ch == '"';
    }
  }
  return out;
}

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
    if (!prop.texts.empty()) prop.texts.emplace_back();
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
      prop.texts[n - 1] = prop.texts[n - 2];
    }
  }
  // The text this sample holds so far (carried, or set).
  std::string_view Text() const {
    if (prop.texts.empty()) return std::string_view();
    const size_t n = prop.texts.size();
    if (!open) return prop.texts.back();
    return last == Last::kText && n >= 2 ? std::string_view(prop.texts[n - 2]) : std::string_view();
  }
  void SetNumber(double v) {
    open = false;
    prop.numbers.back() = v;
    if (!prop.texts.empty()) prop.texts.back().clear();
    last = Last::kNumber;
  }
  void SetText(std::string_view s) {
    open = false;
    if (prop.texts.empty()) prop.texts.resize(prop.numbers.size());
    prop.texts.back().assign(s.data(), s.size());
    prop.numbers.back() = kNaN;
    last = Last::kText;
  }
  void SetMissing() {
    open = false;
    prop.numbers.back() = kNaN;
    if (!prop.texts.empty()) prop.texts.back().clear();
    last = Last::kNone;
  }
};

// A property value of one stats object in one getstats line.
struct Member {
  enum class Type : uint8_t { kNumber, kText, kNull, kObject, kArray };
  std::string key;
  Type type = Type::kNull;
  double number = 0;
  std::string text;  // kText decoded; kObject / kArray compact JSON; "true" / "false"
};

// One stats object of one getstats line, its members in Reader::members_.
struct PendingObject {
  std::string id;
  std::string type;
  size_t first = 0;
  size_t count = 0;
  bool removed = false;  // format 3: null, the object is gone
  bool has_time = false;
  double time = 0;
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
  PropertyBuilder& Property(const std::string& name) {
    for (size_t i = hint; i < props.size(); ++i) {
      if (props[i].prop.name == name) {
        hint = i + 1;
        return props[i];
      }
    }
    auto it = index.find(name);
    size_t i;
    if (it != index.end()) {
      i = it->second;
    } else {
      i = props.size();
      index.emplace(name, i);
      props.emplace_back();
      props.back().prop.name = name;
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
  ObjectBuilder& Object(const std::string& id) {
    if (hint < objects.size() && objects[hint].object.id == id) return objects[hint++];
    auto [it, added] = index.emplace(id, objects.size());
    if (added) {
      objects.emplace_back();
      objects.back().object.id = id;
    }
    hint = it->second + 1;
    return objects[it->second];
  }
};

// ---------------------------------------------------------------------------

// A cursor over the JSON a getstats value is almost always made of: objects,
// numbers, strings of printable ASCII without escapes (PlainJsonStringLength),
// any other value passed whole by a JsonCursor. It gives up (failed()) on
// anything else, and Reader then reads the value again with the JsonCursor,
// whose messages name the problem; a value it read whole is valid JSON.
// (JsonCursor decodes member names byte by byte into a string: on a generated
// 60-minute rtcstats dump, a third of the reading.)
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
  bool BeginObject() {
    SkipWs();
    if (failed_ || pos_ >= text_.size() || text_[pos_] != '{' || depth_ + 1 > max_depth_) {
      return GiveUp();
    }
    ++pos_;
    ++depth_;
    first_.push_back(true);
    return true;
  }
  bool NextMember(std::string* key) {
    if (failed_ || first_.empty()) return GiveUp();
    SkipWs();
    if (pos_ >= text_.size()) return GiveUp();
    if (text_[pos_] == '}') {
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
    if (!ReadString(key)) return false;
    SkipWs();
    if (pos_ >= text_.size() || text_[pos_] != ':') return GiveUp();
    ++pos_;
    return true;
  }
  bool ReadString(std::string* out) {
    SkipWs();
    if (failed_) return false;
    const std::string_view rest = text_.substr(pos_);
    const size_t n = PlainJsonStringLength(rest, /*allow_escaped_quotes=*/false);
    if (n == 0) return GiveUp();
    out->assign(rest.data() + 1, n - 2);
    pos_ += n;
    return true;
  }
  // JSON's number grammar, then the value as JsonCursor::ReadNumber gives it.
  bool ReadNumber(double* out) {
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
    const double v = json::ParseJsonNumber(text_.substr(start, pos_ - start));
    if (!std::isfinite(v)) return GiveUp();
    *out = v;
    return true;
  }
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
  // Leaves the value to the JsonCursor (something to report, or to read
  // the slow way).
  bool GiveUp() {
    failed_ = true;
    return false;
  }

 private:
  bool At(char ch) const { return pos_ < text_.size() && text_[pos_] == ch; }
  bool Digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }
  void SkipWs() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_;
  int depth_;
  int max_depth_;
  bool failed_ = false;
  std::vector<bool> first_;
};

template <typename Cursor>
constexpr bool kPlain = std::is_same_v<Cursor, PlainCursor>;

class Reader {
 public:
  Reader(std::string_view bytes, int max_depth, StatsDump* out, std::vector<InputMessage>* messages)
      : bytes_(bytes), max_depth_(max_depth), out_(out), messages_(messages) {}

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
  bool ReadMetadata(std::string_view text);
  bool ReadLine(const LineText& line);
  bool ReadLineElements(JsonCursor* c);
  bool ReadValueAndTime(JsonCursor* c);
  void AddEvent(DumpEvent event);
  bool ReadTime(JsonCursor* c, int elements_before, int64_t* time, bool* timed);
  bool ReadEventValue(JsonCursor* c, DumpEvent* event);
  bool ReadConnectionInfo(JsonCursor* c);
  bool ReadIdentity(JsonCursor* c);
  bool ReadStatsValue(JsonCursor* c);
  template <typename Cursor>
  bool ReadStats(Cursor* c, const std::string& connection);
  template <typename Cursor>
  bool ReadStatsObject(Cursor* c, PendingObject* pending);
  template <typename Cursor>
  bool ReadMember(Cursor* c, Member* m);
  void ApplyStats(ConnectionBuilder* conn, bool has_top, double top);
  void ApplySample(ObjectBuilder* o, const PendingObject* p, int64_t time);
  void ApplyMembers(ObjectBuilder* o, const PendingObject& p);
  void Finish();
  void ChooseFormat();

  bool Error(int64_t line, std::string pointer, std::string text);
  void Warn(int64_t line, std::string text);
  bool CursorError(const JsonCursor& c);
  bool CursorError(const PlainCursor&) { return false; }  // read again with a JsonCursor

  std::string_view bytes_;
  int max_depth_;
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
  std::vector<Member> members_;
  size_t members_used_ = 0;
  std::vector<PendingObject> pending_;
  size_t pending_used_ = 0;
  std::string key_;
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
  if (c.error_is_syntax()) {
    return Error(
        line_, c.error_pointer(),
        "line " + std::to_string(line_) + " of the rtcstats dump is not valid JSON: " + c.error());
  }
  return Error(line_, c.error_pointer(), "line " + std::to_string(line_) + ": " + c.error());
}

bool Reader::NextLine(LineText* line) {
  while (pos_ < bytes_.size()) {
    const size_t end = bytes_.find('\n', pos_);
    const size_t stop = end == std::string_view::npos ? bytes_.size() : end;
    std::string_view text = bytes_.substr(pos_, stop - pos_);
    pos_ = end == std::string_view::npos ? bytes_.size() : end + 1;
    ++line_number_;
    while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
    while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
    if (text.empty()) continue;
    line->text = text;
    line->number = line_number_;
    line->last_unterminated = end == std::string_view::npos;
    return true;
  }
  return false;
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
  while (NextLine(&line)) {
    if (!ReadLine(line)) return false;
  }
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
    const char* name = LookUpCode(kMethodCodes, code);
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
    // Every later line's time counts from this one's.
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
  if (k != Kind::kNull) event->value = CompactJson(span);
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

template <typename Cursor>
bool Reader::ReadMember(Cursor* c, Member* m) {
  switch (c->Peek()) {
    case Kind::kNumber:
      m->type = Member::Type::kNumber;
      return c->ReadNumber(&m->number);
    case Kind::kString: {
      m->type = Member::Type::kText;
      if constexpr (kPlain<Cursor>) {
        return c->ReadString(&m->text);
      } else {
        // Printable ASCII without escapes (ids, codecs, fingerprints, most
        // strings of a dump): its bytes are its text, taken without the
        // cursor's per-byte decoding.
        const std::string_view rest = line_text_.substr(c->offset());
        const size_t n = PlainJsonStringLength(rest, /*allow_escaped_quotes=*/false);
        if (n == 0) return c->ReadString(&m->text);
        m->text.assign(rest.data() + 1, n - 2);
        return c->SkipIfSame(rest.substr(0, n));
      }
    }
    case Kind::kBool: {
      std::string_view span;
      m->type = Member::Type::kText;
      if (!c->SkipValue(&span)) return false;
      m->text.assign(span.data(), span.size());
      return true;
    }
    case Kind::kObject:
    case Kind::kArray: {
      std::string_view span;
      m->type = c->Peek() == Kind::kObject ? Member::Type::kObject : Member::Type::kArray;
      if (!c->SkipValue(&span)) return false;
      m->text = CompactJson(span);
      return true;
    }
    default:
      m->type = Member::Type::kNull;
      return c->SkipValue();
  }
}

template <typename Cursor>
bool Reader::ReadStatsObject(Cursor* c, PendingObject* p) {
  c->BeginObject();
  p->first = members_used_;
  while (c->NextMember(&key_)) {
    if (v3_) DecompressPropertyKey(&key_);
    const Kind k = c->Peek();
    // string_view: a length check first, no strlen (std::string == "literal"
    // was 19 % of the samples reading a generated 47 MB rtcstats dump).
    const std::string_view key = key_;
    // webrtc-internals' own derived series ("[bytesSent_in_bits/s]", "[codec]"),
    // which Chromium's rtcstats dump carries too: the converter computes its
    // own rates, and the webrtc-internals reader drops them as well. (Kept,
    // they were a third of a Chromium object's properties, several of them a
    // date text per sample.)
    if (!key.empty() && key.front() == '[') {
      if (!c->SkipValue()) break;
      continue;
    }
    if (key == "timestamp") {
      if (k == Kind::kNumber) {
        p->has_time = c->ReadNumber(&p->time);
      } else if (!c->SkipValue()) {
        break;
      }
      continue;
    }
    if (key == "type" || key == "id") {
      if (key == "type" && k == Kind::kString) {
        c->ReadString(&p->type);
      } else if (key == "type" && k == Kind::kNumber) {
        double code = 0;
        c->ReadNumber(&code);
        const char* name = LookUpCode(kStatsTypeCodes, code);
        p->type = name ? name : std::to_string(std::llround(code));
      } else {
        c->SkipValue();
      }
      continue;
    }
    if (members_used_ == members_.size()) members_.emplace_back();
    Member& m = members_[members_used_++];
    m.key.swap(key_);
    if (!ReadMember(c, &m)) break;
  }
  p->count = members_used_ - p->first;
  return !c->failed() || CursorError(*c);
}

// The getstats value: with a PlainCursor, and with the line's cursor when
// that gives up (the same result, read more slowly, with its messages).
bool Reader::ReadStatsValue(JsonCursor* c) {
  c->Peek();  // to the value's first byte
  const size_t start = c->offset();
  PlainCursor plain(line_text_, start, /*depth=*/1, max_depth_);
  if (ReadStats(&plain, connection_id_)) {
    return c->SkipIfSame(line_text_.substr(start, plain.offset() - start));
  }
  return ReadStats(c, connection_id_);
}

template <typename Cursor>
bool Reader::ReadStats(Cursor* c, const std::string& connection) {
  const Kind k = c->Peek();
  if (k == Kind::kNull) return c->SkipValue() || CursorError(*c);
  if (k != Kind::kObject) {
    if constexpr (kPlain<Cursor>) return c->GiveUp();
    if (c->failed() || k == Kind::kInvalid) return CursorError(*c);
    return Error(line_, "/2",
                 "line " + std::to_string(line_) +
                     ": the getstats value should be an object of stats objects");
  }
  c->BeginObject();
  members_used_ = 0;
  pending_used_ = 0;
  bool has_top = false;
  double top = 0;
  std::string id;
  while (c->NextMember(&id)) {
    const Kind vk = c->Peek();
    if (std::string_view(id) == (v3_ ? std::string_view("t") : std::string_view("timestamp")) &&
        vk == Kind::kNumber) {
      has_top = c->ReadNumber(&top);
      continue;
    }
    if (vk != Kind::kObject && vk != Kind::kNull) {
      if constexpr (kPlain<Cursor>) return c->GiveUp();
      if (c->failed() || vk == Kind::kInvalid) return CursorError(*c);
      return Error(
          line_, "/2/" + json::EscapePointerToken(id),
          "line " + std::to_string(line_) + ": stats object " + id + " should be a JSON object");
    }
    if (pending_used_ == pending_.size()) pending_.emplace_back();
    PendingObject& p = pending_[pending_used_++];
    p.id.swap(id);
    p.type.clear();
    p.removed = vk == Kind::kNull;
    p.has_time = false;
    p.first = members_used_;
    p.count = 0;
    if (p.removed) {
      c->SkipValue();
    } else if (!ReadStatsObject(c, &p)) {
      return false;
    }
  }
  if (c->failed()) return CursorError(*c);
  ApplyStats(&connections_[connection], has_top, top);
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
void Reader::ApplyStats(ConnectionBuilder* conn, bool has_top, double top) {
  ++generation_;
  conn->hint = 0;
  for (size_t i = 0; i < pending_used_; ++i) {
    const PendingObject& p = pending_[i];
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
      o.object.type = p.type;
      saw_legacy_types_ = saw_legacy_types_ || IsLegacyStatsType(p.type);
      saw_standard_types_ = saw_standard_types_ || IsStandardRtpType(p.type);
    }
    ApplySample(&o, &p, ms);
  }
  int64_t top_ms;
  const bool top_ok = has_top && ToMs(top, &top_ms);
  for (ObjectBuilder& o : conn->objects) {
    if (!o.present || o.seen == generation_) continue;
    if (!v3_) {
      o.Remove();
    } else if (top_ok) {
      ApplySample(&o, nullptr, top_ms);
    }
  }
}

void Reader::ApplySample(ObjectBuilder* o, const PendingObject* p, int64_t time) {
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
  if (p != nullptr) ApplyMembers(o, *p);
  if (opened) {
    for (PropertyBuilder& prop : o->props) prop.Close();
  }
}

// Sets the properties one stats object of a getstats line names.
void Reader::ApplyMembers(ObjectBuilder* o, const PendingObject& p) {
  for (size_t i = p.first; i < p.first + p.count; ++i) {
    const Member& m = members_[i];
    PropertyBuilder& prop = o->Property(m.key);
    switch (m.type) {
      case Member::Type::kNumber:
        prop.SetNumber(m.number);
        break;
      case Member::Type::kNull:
        prop.SetMissing();
        break;
      case Member::Type::kObject:
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
  Reader reader(bytes, options.max_depth, out, messages);
  if (reader.Read()) return true;
  *out = StatsDump();
  return false;
}

}  // namespace callsight::ingest
