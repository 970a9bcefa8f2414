// The session model: what ingest produces and analysis reads.
//
// sessions -> peers -> tracks -> layers -> columnar time series.
// A time series is one int64 timestamp vector plus one float vector per metric
// (Samples); a missing sample (JSON null) is NaN, never 0. All times are Unix
// epoch ms.
#ifndef CALLSIGHT_MODEL_H_
#define CALLSIGHT_MODEL_H_

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace callsight {

enum class Direction : uint8_t { kPublisher, kSubscriber };
enum class MediaKind : uint8_t { kAudio, kVideo, kScreen };

// Every metric a time series may carry. Units are those of the export:
// bitrate in bits/s, loss in percent, times in ms, counts per sample window.
enum class Metric : uint8_t {
  kBitrate,
  kFps,
  kPacketLoss,
  kRtt,
  kJitter,
  kFreezeCount,
  kConcealedSamples,
  // Only browser stats dumps carry these (100ms exports do not):
  kFrameHeight,       // video frame height in pixels, as sent or received
  kCpuLimited,        // share (0..1) of the interval a sent video was limited by CPU
  kBandwidthLimited,  // share (0..1) of the interval a sent video was limited by bandwidth
  kFreezeMs,          // ms of the interval a received video stood frozen
  kJitterBufferMs,    // mean jitter-buffer delay (ms) of what a receiver played in the interval
  kPausedMs,          // ms of the interval a received video stood paused (no frames for 5 s+)
  kJitterBufferMinimumMs,  // the jitter buffer's own minimum delay (ms), without outside targets
  kEncodeUsage,  // % of the interval a sent video's encoder spent encoding it (time / wall clock)
  kDecodeUsage,  // % of the interval a received video's decoder spent decoding it
};
inline constexpr int kMetricCount = 16;

// "publisher" / "subscriber"; "audio" / "video" / "screen".
const char* DirectionName(Direction d);
const char* MediaKindName(MediaKind k);
// The export's field name: "bitrate", "fps", "packet_loss_percent", "rtt_ms",
// "jitter_ms", "freeze_count", "concealed_samples"; for dumps "frame_height",
// "cpu_limited", "bandwidth_limited", "freeze_ms", "jitter_buffer_ms", "paused_ms",
// "jitter_buffer_minimum_ms", "encode_usage", "decode_usage".
const char* MetricName(Metric m);
// Inverse of MetricName; nullopt for an unknown name.
std::optional<Metric> MetricFromName(const std::string& name);

// One metric's samples. float keeps 7 significant digits, ample for bitrate,
// loss, delays and counts, at half the memory of double (the model is most of
// the engine's memory). NaN = missing.
using Samples = std::vector<float>;

// Columnar samples. Invariant: every non-empty column has timestamps_ms.size()
// entries; timestamps are non-decreasing. An empty column means "not reported".
struct Series {
  std::vector<int64_t> timestamps_ms;
  std::array<Samples, kMetricCount> columns;

  size_t size() const { return timestamps_ms.size(); }
  bool empty() const { return timestamps_ms.empty(); }
  bool has(Metric m) const { return !columns[static_cast<int>(m)].empty(); }
  const Samples& column(Metric m) const { return columns[static_cast<int>(m)]; }
  Samples& column(Metric m) { return columns[static_cast<int>(m)]; }
};

// One simulcast layer ("h", "m", "l") or, for non-simulcast tracks, the only layer
// (rid empty).
struct Layer {
  std::string rid;
  Series series;
  // Browser dumps' sent layers: the index of its encoding among the
  // sender's (encodingIndex, 0 = the first of sendEncodings); nullopt when
  // the dump does not say.
  std::optional<int> encoding_index;
};

// Browser dumps only: what the dump says of a track's stream beyond its
// series (the figures rtcstats' feature extractor computes per track). Counts
// are totals at the stream's last sample; nullopt / "" = the dump does not say.
// A video frame's size in pixels.
struct FrameSize {
  int width = 0;
  int height = 0;
  bool operator==(const FrameSize& o) const { return width == o.width && height == o.height; }
};

struct StreamFacts {
  std::string codec;                 // the codec's mimeType: "video/VP8", "audio/opus"
  std::string codec_fmtp;            // its SDP fmtp parameters (sdpFmtpLine), "" if none
  std::string implementation;        // encoderImplementation / decoderImplementation
  std::optional<double> nack_count;  // NACKs sent (received stream) or received (sent)
  std::optional<double> pli_count;
  std::optional<double> fir_count;
  std::optional<double> encode_ms_per_frame;  // totalEncodeTime / framesEncoded
  std::optional<double> decode_ms_per_frame;  // totalDecodeTime / framesDecoded
  // Received audio: samples removed to catch up (acceleration) and inserted to
  // slow down (deceleration), in % of the samples received.
  std::optional<double> accelerated_pct;
  std::optional<double> decelerated_pct;
  // Frames encoded (sent) or decoded (received), of them key frames, and the
  // mean quantizer per frame (qpSum / frames).
  std::optional<double> frame_count;
  std::optional<double> key_frame_count;
  std::optional<double> qp_per_frame;
  // Video frame sizes over the stream's samples: the most frequent (the
  // earliest of equally frequent ones), the smallest and the largest by pixels.
  std::optional<FrameSize> common_size;
  std::optional<FrameSize> min_size;
  std::optional<FrameSize> max_size;
  // Sent video: % of the time the encoder was limited by CPU, bandwidth or
  // another reason (qualityLimitationDurations), and how often such a limit
  // changed the resolution (qualityLimitationResolutionChanges).
  std::optional<double> cpu_limited_pct;
  std::optional<double> bandwidth_limited_pct;
  std::optional<double> other_limited_pct;
  std::optional<double> limitation_resolution_changes;
  std::optional<bool> power_efficient;  // powerEfficientEncoder / powerEfficientDecoder
  // Sent video, where the browser measures it: the mean PSNR (dB) of the
  // encoded frames per plane, psnrSum.y / .u / .v over psnrMeasurements.
  std::optional<double> psnr_y_db;
  std::optional<double> psnr_u_db;
  std::optional<double> psnr_v_db;
  // ECN (L4S) packet counts: sent with the ECT(1) mark (packetsSentWithEct1);
  // received with ECT(1) and with CE (congestion experienced) marks, by this
  // browser (received stream) or as the receiver reported them (sent stream,
  // remote-inbound-rtp); sent with ECT(1) and found cleared on the way
  // (packetsWithBleachedEct1Marking, sent stream).
  std::optional<double> ect1_sent_packets;
  std::optional<double> ect1_received_packets;
  std::optional<double> ce_received_packets;
  std::optional<double> ect1_bleached_packets;
  // Received streams:
  std::optional<double> freeze_count;
  std::optional<double> freeze_total_ms;  // totalFreezesDuration
  std::optional<double> frames_dropped;
  // Jitter-buffer delay, target delay and minimum delay per emitted frame or
  // sample (jitterBufferDelay / jitterBufferEmittedCount, ...), in ms.
  std::optional<double> jitter_buffer_ms;
  std::optional<double> jitter_buffer_target_ms;
  std::optional<double> jitter_buffer_minimum_ms;
  std::optional<double> jitter_buffer_flushes;  // a count
  std::optional<double> processing_ms;          // totalProcessingDelay / jitterBufferEmittedCount
  std::optional<double> assembly_ms;     // totalAssemblyTime / framesAssembledFromMultiplePackets
  std::optional<double> inter_frame_ms;  // totalInterFrameDelay / framesDecoded
  std::optional<double> concealed_pct;   // concealedSamples / totalSamplesReceived, in %
  // Received video: whether a sample named the decoder "NullVideoDecoder"
  // (Chrome decoded nothing: the video was not shown).
  std::optional<bool> null_decoder;
  // Received video: ms from its connection connected (connectionState, else
  // ICE; or, for a track that arrived later, its ontrack) to the first stats
  // sample showing a decoded frame. Set only where the samples bracket it within 2 s (the sample
  // before showed none, or the stream's first sample is that close).
  std::optional<int64_t> first_frame_ms;
  std::optional<int64_t> first_frame_at_ms;  // that sample's time (Unix ms)
  // Received audio: when each flush (jitter_buffer_flushes) happened (the
  // sample where the counter rose; k flushes in one interval are spread
  // evenly over it), in order.
  std::vector<int64_t> jitter_buffer_flush_times_ms;
};

struct Track {
  std::string track_id;
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  // Subscriber tracks: the peer that published this track, when it can be known
  // (the same track_id published by exactly one peer of the session). Empty otherwise.
  std::string remote_peer_id;
  // Audio: exactly one layer (its rid dropped). Video and screen: one layer
  // per rid the export gives, highest quality first (h or f, m, l or q, then
  // no rid, then any other rid by name): several for simulcast publisher
  // video, usually one for a received track.
  std::vector<Layer> layers;
  // Browser dumps only: the id of the peer connection that carried it
  // (Peer::connections); empty for 100ms exports.
  std::string connection_id;
  std::optional<StreamFacts> facts;  // browser dumps only (of its first layer's stream)
};

// Why a peer left, from a peer.leave.success event's `reason` (matched
// case-insensitively). kNone: no reason given.
enum class LeaveReason : uint8_t {
  kNone,
  kClientRequest,             // "client request"
  kPeerKicked,                // "peer kicked"
  kWebsocketClosed,           // "websocket closed"
  kIceConnectionStateClosed,  // "ice connection state closed"
  kServerRemovedPeer,         // "server removed peer"
  kOther,                     // any other text (kept raw beside it)
};
// "", "client request", "peer kicked", "websocket closed",
// "ice connection state closed", "server removed peer", "other".
const char* LeaveReasonName(LeaveReason r);
// Inverse of LeaveReasonName, case-insensitive: "" -> kNone, unknown -> kOther.
LeaveReason LeaveReasonFromText(const std::string& text);
// The connection dropped (websocket or ICE closed) rather than the peer leaving.
inline bool IsDisconnect(LeaveReason r) {
  return r == LeaveReason::kWebsocketClosed || r == LeaveReason::kIceConnectionStateClosed;
}

// Peer details as the inputs carry them. Empty string / nullopt = not known.
struct PeerInfo {
  std::string name;
  std::string user_id;
  std::string role;
  std::optional<int64_t> joined_ms;
  std::optional<int64_t> left_ms;
  std::string end_reason;                            // raw leave reason, e.g. "websocket closed"
  LeaveReason end_reason_kind = LeaveReason::kNone;  // end_reason, typed
  std::string platform;                              // agent.os / sdk family, e.g. "web", "android"
  std::string os;
  std::string os_version;
  std::string browser;          // "Chrome" (from agent.device_model "Chrome_125.0.0.0")
  std::string browser_version;  // "125.0.0.0"
  std::string device_model;
  std::string framework;
  std::string sdk;
  std::string sdk_version;
  // A browser's stats dump (not a 100ms export) gave this peer: the dump's
  // layout ("webrtc-internals", "rtcstats", "rtcstats-v3") and its getStats
  // vocabulary ("chrome_standard", "chrome_legacy", "firefox", "safari",
  // "unknown"). Empty for 100ms exports.
  std::string dump_kind;
  std::string stats_format;
  // The dump kept only the call's last samples (webrtc-internals keeps 1000
  // per series): the start of the call is missing.
  bool dump_truncated = false;
};

struct Interval {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

// A peer connection's configured ICE servers (RTCConfiguration.iceServers).
struct IceServers {
  std::optional<int> count;  // entries of iceServers; nullopt when not JSON (Chrome's own text)
  bool stun = false;         // a stun: or stuns: URL
  bool turn_udp = false;     // a turn: URL over UDP (transport=udp, or no transport given)
  bool turn_tcp = false;     // a turn: URL with transport=tcp
  bool turns = false;        // a turns: URL (TURN over TLS)
  bool relay_only = false;   // iceTransportPolicy "relay"
};

// Which ICE candidate types a side offered: host (an IP address), mdns (a
// host candidate named *.local), srflx, prflx, relay.
struct CandidateTypes {
  bool host = false;
  bool mdns = false;
  bool srflx = false;
  bool prflx = false;
  bool relay = false;
};

// One RTCPeerConnection of a browser's stats dump (100ms exports have
// none): how it was set up and how its media travelled. Times are Unix ms;
// empty strings and nullopt = the dump does not say.
struct Connection {
  std::string id;                       // the dump's own id: "PC_0", "12-1"
  std::optional<int64_t> created_ms;    // the connection was created
  std::optional<int64_t> checking_ms;   // ICE began checking candidate pairs
  std::optional<int64_t> connected_ms;  // ICE first connected (or completed)
  std::optional<int64_t> failed_ms;     // ICE or the connection first failed
  std::optional<int64_t> closed_ms;
  // connectionState (ICE and DTLS together): its first "connecting", and its
  // first "connected" after that.
  std::optional<int64_t> connecting_ms;
  std::optional<int64_t> transport_connected_ms;
  // The first offer/answer exchange, from the signalling states: the first
  // "have-local-offer" (offerer) or "have-remote-offer" (answerer), and the
  // "stable" that followed it.
  std::optional<int64_t> offer_ms;
  std::optional<int64_t> answer_ms;
  bool offerer = false;
  // The candidate pair that carried the media (the last one selected):
  std::string local_candidate_type;   // "host", "srflx", "prflx", "relay"
  std::string remote_candidate_type;  // the same, of the other side
  std::string protocol;               // "udp" or "tcp", the local candidate's
  std::string relay_protocol;  // a relay candidate's way to its TURN server: "udp", "tcp", "tls"
  std::string local_address;   // as written; the report masks it unless told
  std::string remote_address;
  // When ICE restarts were asked for (createOffer with iceRestart), and how
  // many of them reached connected again.
  std::vector<int64_t> ice_restarts_ms;
  int ice_restarts_completed = 0;
  // DTLS, of the first transport that gave a tlsVersion: its dtlsRole
  // ("client", "server"), tlsVersion ("FEFD") and srtpCipher.
  std::string dtls_role;
  std::string tls_version;
  std::string srtp_cipher;
  // Whether a remote description said a=ice-lite (a server); nullopt when the
  // dump logged no remote description.
  std::optional<bool> remote_ice_lite;
  // The ICE servers the connection was configured with; nullopt when the dump
  // gives no configuration with ICE servers.
  std::optional<IceServers> ice_servers;
  // Candidate types gathered locally (onicecandidate) and added from the
  // remote (addIceCandidate); nullopt when the dump logged none.
  std::optional<CandidateTypes> gathered_candidates;
  std::optional<CandidateTypes> added_candidates;
  // The selected pair's mean STUN round trip (totalRoundTripTime /
  // responsesReceived), in ms, and its mean bitrates in bits/s from its first
  // sample that had sent and received bytes to its last.
  std::optional<double> stun_rtt_ms;
  std::optional<double> outbound_bps;
  std::optional<double> inbound_bps;

  // How long ICE took to connect: from checking to connected.
  std::optional<int64_t> setup_ms() const {
    if (!checking_ms || !connected_ms) return std::nullopt;
    return *connected_ms - *checking_ms;
  }
  // connectionState "connecting" to "connected" (rtcstats' connectionTime):
  // ICE checks and the DTLS handshake.
  std::optional<int64_t> connection_ms() const {
    if (!connecting_ms || !transport_connected_ms) return std::nullopt;
    return *transport_connected_ms - *connecting_ms;
  }
  // The DTLS handshake after ICE: ICE connected to connectionState
  // "connected".
  std::optional<int64_t> dtls_ms() const {
    if (!connected_ms || !transport_connected_ms || *transport_connected_ms < *connected_ms) {
      return std::nullopt;
    }
    return *transport_connected_ms - *connected_ms;
  }
  // The offer/answer exchange: offer_ms to answer_ms (rtcstats'
  // signalingDelay for the offerer).
  std::optional<int64_t> signaling_ms() const {
    if (!offer_ms || !answer_ms) return std::nullopt;
    return *answer_ms - *offer_ms;
  }
};

struct Peer {
  std::string peer_id;
  PeerInfo info;
  std::vector<Track> tracks;
  // Browser dumps only: the peer connections, sorted by id.
  std::vector<Connection> connections;
  // Presence from session documents and join/leave events: one interval per
  // join/leave pair (a peer id that joined, left and joined again has two),
  // sorted, non-overlapping (pairs that overlap or touch are one interval).
  // A join without its leave lasts until the peer's next join or leave, else
  // its last sample, else the session's end (when a session document or
  // webhook gave one); a leave without its join starts at the previous
  // leave, else the first sample (at the latest at the leave itself). Empty
  // when no input gave join/leave
  // times: a peer known only from failed join/connect events has empty
  // presence and no info.joined_ms/left_ms (it never joined); analysis then
  // uses the samples, if any.
  std::vector<Interval> presence;
};

// What a failure event says failed, from its type (matched case-insensitively):
// client.connect.failed -> kConnect; client.join.failed, peer.join.failure ->
// kJoin; client.publish.failed -> kPublish; client.subscribe.failed ->
// kSubscribe; client.disconnected -> kConnection; any other failure -> kOther.
enum class FailedOperation : uint8_t {
  kNone,  // not a failure
  kConnect,
  kJoin,
  kPublish,
  kSubscribe,
  kConnection,
  kOther,
};
inline constexpr int kFailedOperationCount = 7;
// "", "connect", "join", "publish", "subscribe", "connection", "other".
const char* FailedOperationName(FailedOperation op);

// A webhook-history entry (GET /v2/analytics/webhooks): one delivery attempt
// of a webhook to the account's own server. It says nothing about presence.
struct WebhookDelivery {
  std::string original_type;  // payload.original_event_name, e.g. "peer.join.success"
  // event_name ends in ".failed" / ".failure" (reporter.webhook.delivery.failed),
  // or the entry gives an error_reason.
  bool failed = false;
  std::string error_reason;  // payload.error_reason, as written
  std::string webhook_url;   // payload.webhook_url
};

// One entry of the session's event log as read from the inputs (analytics events,
// webhooks, webhook-history deliveries). Derived events (breaches, layer
// changes) are added by analysis.
struct Event {
  int64_t time_ms = 0;
  std::string peer_id;   // empty for session-wide events
  std::string type;      // as exported: "peer.join.success", "client.publish.failed", ...
  std::string track_id;  // track events only
  // Track events only: the track's `type` ("audio", "video") and `source`
  // ("regular", "screen", ...) as written, and whether a track.update.success
  // muted it (nullopt: the event does not say).
  std::string track_type;
  std::string track_source;
  std::optional<bool> mute;
  std::string role;       // join events: the role joined as, as written
  bool is_error = false;  // failed != kNone
  // Error events only.
  FailedOperation failed = FailedOperation::kNone;  // what failed, from `type`
  std::string error_code;
  std::string error_name;
  std::string error_message;
  std::string action;  // the event's `action` exactly as written ("PUBLISH"); may be empty
  bool is_terminal = false;
  bool terminal_given = false;  // the event has `is_terminal` at all
  // Browser dumps' connection failures only: when the connection was
  // connected again (nullopt: it was not, or the input does not say).
  std::optional<int64_t> recovered_ms;
  // Leave events only: the reason, typed, and as written.
  LeaveReason leave_reason = LeaveReason::kNone;
  std::string leave_reason_raw;
  // Webhook-history entries only (then type is the entry's event_name).
  std::optional<WebhookDelivery> delivery;
  // A well-formed 100ms event of a type callsight does not interpret: kept as
  // it is in the log.
  bool uninterpreted = false;
  std::string source;  // input file name
};

// Whether the event's type is `type` (written in lower case), matched
// case-insensitively as every vocabulary of the inputs is.
bool EventTypeIs(const Event& e, const char* type);

// The API call a browser dump's failed signalling step names: "createOffer",
// "createAnswer", "setLocalDescription", "setRemoteDescription" or
// "addIceCandidate" for the events webrtc.<call>_failure; nullptr for any
// other event.
const char* SignalingStepOf(const Event& e);

// The error_name of a browser dump's connection failure that its DTLS
// transport caused (dtlsState "failed"), in place of the state's name.
inline constexpr const char kDtlsFailedName[] = "dtlsState failed";

// Whether two events say the same (time, peer, type and every fact but the
// input file): one event read from an events page and from a webhook.
bool SameEventContent(const Event& a, const Event& b);
// A strict weak order on the same facts, for sorting events.
bool EventContentLess(const Event& a, const Event& b);

struct Session {
  std::string session_id;
  std::string room_id;
  // The room's name from events and webhooks (data.room_name, when text; if
  // they differ, one picked in a fixed order, whatever the file order);
  // empty when none gives it.
  std::string room_name;
  // From session documents / session.open and session.close webhooks; else
  // from its peers' first / last presence and samples; else (a session known
  // from events alone) from its first / last event.
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
  std::vector<Peer> peers;    // sorted by first presence (else first sample), then peer_id
  std::vector<Event> events;  // chronological
};

// Why an event without session_id could not be given to a session.
enum class UnattachedWhy : uint8_t {
  kNoSessionOfRoom,  // its room has no session in the inputs
  kNoMatch,          // no session (of its room, if known) has its peer or spans its time
};
// "no_session_of_room", "no_match".
const char* UnattachedWhyName(UnattachedWhy why);

struct UnattachedEvent {
  Event event;
  UnattachedWhy why = UnattachedWhy::kNoMatch;
};

// Events of one room that no session took (room_id empty: room unknown).
struct RoomEvents {
  std::string room_id;
  std::vector<UnattachedEvent> events;  // chronological
};

struct SessionSet {
  std::vector<Session> sessions;  // sorted by start, then session_id
  // Events without session_id that fit no session, per room (sorted by
  // room_id). An event without session_id joins the session of its room that
  // has its peer id, else the one whose span (+-10 minutes) holds its time.
  std::vector<RoomEvents> unattached;
};

}  // namespace callsight

#endif  // CALLSIGHT_MODEL_H_
