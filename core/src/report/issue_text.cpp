#include "report/issue_text.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "json/json_cursor.h"
#include "json/json_tree.h"
#include "report/error_text.h"
#include "report/event_text.h"
#include "report/format.h"
#include "report/labels.h"
#include "util/ascii.h"

namespace callsight::report {
namespace {

// How a breach metric reads: human words, unit, scale (value * scale = value
// in unit) and decimals.
struct MetricWords {
  const char* what;
  const char* unit;
  double scale;
  int decimals;
};

MetricWords WordsFor(BreachMetric m) {
  switch (m) {
    case BreachMetric::kPacketLoss:
      return {"packet loss", "%", 1, 1};
    case BreachMetric::kRtt:
      return {"round-trip time", " ms", 1, 0};
    case BreachMetric::kJitter:
      return {"jitter", " ms", 1, 0};
    case BreachMetric::kAudioBitrate:
      return {"audio bitrate", " kbps", 0.001, 0};
    case BreachMetric::kVideoBitrateTotal:
      return {"video bitrate", " kbps", 0.001, 0};
    case BreachMetric::kFps:
      return {"frame rate", " fps", 1, 1};
    case BreachMetric::kLayerOff:
      return {"stopped layer", "", 1, 0};
    case BreachMetric::kMos:
      return {"audio MOS", "", 1, 2};
    case BreachMetric::kConcealment:
      return {"concealed audio", "%", 1, 1};
    case BreachMetric::kFreezeCount:
      return {"video freezes", " per sample window", 1, 0};
    case BreachMetric::kMediaGap:
      return {"gap", " s", 0.001, 0};
  }
  return {"value", "", 1, 1};
}

std::string FormatValue(double v, const MetricWords& w) {
  return FormatNumber(v * w.scale, w.decimals) + w.unit;
}

const char* BreachAdvice(IssueCode code, bool up) {
  switch (code) {
    case IssueCode::kHighPacketLoss:
      return up ? "Loss on the way up means the sender's network is congested or unstable: move "
                  "closer to the Wi-Fi access point or use a wired connection, pause uploads and "
                  "other heavy traffic, or publish a lower resolution."
                : "Loss on what this participant received, from every sender, points at their own "
                  "network: check Wi-Fi signal, VPNs and other downloads; receiving lower "
                  "simulcast "
                  "layers helps.";
    case IssueCode::kHighRtt:
      return "A long round trip means a long or congested route to the media server: check which "
             "region the peer was routed to, VPNs or proxies, and cellular or satellite links.";
    case IssueCode::kHighJitter:
      return "Uneven packet arrival makes audio choppy: usually Wi-Fi interference or a congested "
             "uplink; prefer a wired connection and stop competing traffic.";
    case IssueCode::kLowVideoBitrate:
      return "The browser cut the video bitrate for lack of bandwidth or CPU: check the uplink "
             "speed and CPU load, or publish a lower resolution.";
    case IssueCode::kLowAudioBitrate:
      return "Audio got less bitrate than speech needs: check the uplink bandwidth and the audio "
             "codec settings.";
    case IssueCode::kLowFps:
      return "A low frame rate from the sender usually means an overloaded CPU (the encoder) or a "
             "camera in low light: close heavy apps and tabs, or publish a lower resolution.";
    case IssueCode::kVideoFreeze:
      return up ? "Every receiver saw this sender's video freeze, so the cause is on the sender's "
                  "side: its uplink or its encoder."
                : "Video froze on this participant's side across senders: their downlink or their "
                  "device (decoder, CPU) could not keep up; lower received layers or close heavy "
                  "apps.";
    case IssueCode::kAudioConcealment:
      return up ? "Receivers had to conceal this sender's audio: packets arrived late or not at "
                  "all "
                  "from the sender's side."
                : "This participant's device had to invent missing audio because packets came late "
                  "or not at all: their downlink is congested or unstable.";
    case IssueCode::kSimulcastLayerOff:
      return "Higher simulcast layers stopped while lower ones went on: the sender ran out of "
             "uplink bandwidth or CPU. Receivers got a lower resolution meanwhile.";
    case IssueCode::kLowAudioMos:
      return "Estimated call audio quality dropped to a level callers notice; the loss, delay and "
             "jitter figures of the same period show which to fix first.";
    case IssueCode::kMediaGap:
      return "The track stopped reporting while the peer stayed in the call: a device, permission "
             "or network interruption on that peer's side.";
    default:
      return "";
  }
}

const char* EventAdvice(IssueCode code) {
  switch (code) {
    case IssueCode::kJoinFailed:
    case IssueCode::kConnectFailed:
      return "The client could not connect or join: check firewalls and proxies that block WebRTC "
             "or websockets, the auth token and the room's state.";
    case IssueCode::kPublishFailed:
      return "Publishing failed: check camera and microphone permissions, devices in use by other "
             "apps, and ICE connectivity (TURN over TCP/TLS for strict networks).";
    case IssueCode::kSubscribeFailed:
      return "Receiving failed: check ICE connectivity on the receiver's network (TURN over "
             "TCP/TLS) and the subscribe permissions of its role.";
    case IssueCode::kDisconnected:
      return "The connection dropped: the network changed or went away (Wi-Fi to cellular, sleep, "
             "roaming). The SDK's reconnection settings and a stable network help.";
    default:
      return "";
  }
}

const char* EventVerb(IssueCode code) {
  switch (code) {
    case IssueCode::kJoinFailed:
      return "could not join";
    case IssueCode::kConnectFailed:
      return "could not connect";
    case IssueCode::kPublishFailed:
      return "could not publish";
    case IssueCode::kSubscribeFailed:
      return "could not subscribe";
    default:
      return "was disconnected";
  }
}

// The peer's name, or its id when it has none.
std::string PeerName(const Session& session, const std::string& peer_id) {
  for (const Peer& p : session.peers) {
    if (p.peer_id == peer_id) return p.info.name.empty() ? p.peer_id : p.info.name;
  }
  return peer_id;
}

// "audio", "audio and video": the media kinds by name.
std::string KindWords(const Issue& issue) {
  std::set<std::string> kinds;
  for (MediaKind k : issue.kinds) kinds.insert(MediaKindName(k));
  std::string words;
  for (const auto& k : kinds) words += (words.empty() ? "" : " and ") + k;
  return words;
}

IssueText DescribeBreachIssue(const Session& session, const Issue& issue, const Clock& clock) {
  IssueText text;
  const std::string name = PeerName(session, issue.peer_id);
  const MetricWords words = WordsFor(issue.metric);
  const bool above = HigherIsWorse(issue.metric);
  const bool up = issue.direction == Path::kUplink;
  const bool received = issue.measured == Direction::kSubscriber;
  const std::string span = clock.Time(issue.start_ms) + " to " + clock.Time(issue.end_ms);
  const std::string kinds = KindWords(issue);
  const int64_t duration = issue.end_ms - issue.start_ms;
  if (issue.code == IssueCode::kMediaGap) {
    text.title =
        "The " + kinds + " track of " + name + " stopped reporting for " + FormatDuration(duration);
    text.detail = "No samples from " + span + " while " + name + " was still in the call" +
                  (received ? " and the sender kept sending." : ".");
  } else if (issue.code == IssueCode::kSimulcastLayerOff) {
    std::string layers;
    for (const auto& r : issue.rids) layers += (layers.empty() ? "" : ", ") + (r.empty() ? "?" : r);
    text.title = "Simulcast layer " + layers + " of " + name + "'s video stopped";
    text.detail = "Layer " + layers + " of " + name + "'s camera sent nothing from " + span +
                  " while lower layers went on.";
  } else {
    const std::string whose = name + (up ? "'s uplink" : "'s downlink");
    text.title = std::string(IssueCodeLabel(issue.code)) + " on " + whose + " (" +
                 (above ? "up to " : "down to ") + FormatValue(issue.peak, words) + ")";
    std::string subject;
    if (up && received) {
      subject = "Receivers of " + name + "'s " + kinds + " saw " + words.what;
    } else if (up) {
      subject = "The " + kinds + " " + name + " sent had " + words.what;
    } else {
      subject = "The " + kinds + " " + name + " received had " + words.what;
    }
    text.detail = subject + " of " + FormatValue(issue.mean, words) + " on average (" +
                  (above ? "peak " : "lowest ") + FormatValue(issue.peak, words) + ") from " +
                  span + " (" + FormatDuration(duration) + "), " + (above ? "above" : "below") +
                  " the " + SeverityName(issue.severity) + " threshold of " +
                  FormatValue(issue.threshold, words) + ".";
  }
  if (!issue.affected_peers.empty()) {
    const size_t n = issue.affected_peers.size();
    text.detail += " " + std::to_string(n) + (n == 1 ? " participant" : " participants") +
                   " received the damaged media.";
  }
  text.advice = BreachAdvice(issue.code, up);
  return text;
}

// The event an event issue is about (its first), or nullptr.
const Event* FirstEvent(const Session& session, const Issue& issue) {
  if (issue.events.empty() || issue.events.front() >= session.events.size()) return nullptr;
  return &session.events[issue.events.front()];
}

// " It happened again at 15:31:22." for each later event of the issue; `what` names each
// one in brackets when given.
std::string AgainAt(const Session& session, const Issue& issue, const Clock& clock,
                    std::string (*what)(const Event&) = nullptr) {
  std::string out;
  for (size_t k = 1; k < issue.events.size(); ++k) {
    if (issue.events[k] >= session.events.size()) continue;
    const Event& again = session.events[issue.events[k]];
    out += " It happened again at " + clock.Time(again.time_ms) +
           (what ? " (" + what(again) + ")" : "") + ".";
  }
  return out;
}

IssueText DescribeEventIssue(const Session& session, const Issue& issue, const Clock& clock) {
  IssueText text;
  const Event* first = FirstEvent(session, issue);
  if (first == nullptr) return text;
  const Event& e = *first;
  const std::string name = PeerName(session, issue.peer_id);
  const bool disconnected = issue.code == IssueCode::kDisconnected;
  const std::string verb = EventVerb(issue.code);
  // The error's name, code and message; the event's own words when it has
  // none (DescribeEvent ends with the message: it is said once).
  std::string why = e.error_name;
  if (!e.error_code.empty()) {
    why += why.empty() ? "code " + e.error_code : " (code " + e.error_code + ")";
  }
  if (!e.error_message.empty()) why += (why.empty() ? "" : ": ") + e.error_message;
  if (why.empty()) why = DescribeEvent(e);
  // Messages come with the SDK's own spacing ("Network connection lost ").
  while (!why.empty() && (why.back() == ' ' || why.back() == '.')) why.pop_back();
  text.title =
      name + " " + verb + (disconnected ? "" : (e.is_terminal ? " (gave up)" : " (retried)"));
  text.detail = "At " + clock.Time(e.time_ms) + " " + name + " " + verb + ": " + why +
                (disconnected    ? "."
                 : e.is_terminal ? ". The failure was terminal."
                                 : ". The client retried.");
  if (e.recovered_ms) {
    text.detail += " It was connected again at " + clock.Time(*e.recovered_ms) + ", after " +
                   FormatDuration(*e.recovered_ms - e.time_ms) + ".";
  }
  text.detail += AgainAt(session, issue, clock);
  // What the SDK's error code means, where it is one we know.
  const analysis::ErrorInfo error = analysis::ClassifyError(e.error_code, e.error_name);
  const bool known = error.kind != analysis::ErrorKind::kUnknown ||
                     error.family != analysis::ErrorFamily::kUnknown;
  if (known) {
    text.detail += std::string(" ") + ErrorMeaning(error);
    if (error.side != analysis::ErrorSide::kUnknown)
      text.detail += std::string(" Likely cause: ") + ErrorSideText(error.side) + ".";
    text.advice = ErrorAdvice(error);
  } else if (e.error_name == kDtlsFailedName) {
    text.detail +=
        " ICE had found a path; the DTLS handshake that secures the media over it failed.";
    text.advice =
        "DTLS fails when the certificate fingerprint in the remote description does not match "
        "the certificate the other side presents (SDP edited or mixed up between connections, a "
        "media server with a rotated certificate), or when its handshake packets are lost (a "
        "path that drops large UDP packets, a firewall between ICE checks and media): check the "
        "signalled a=fingerprint against the other side's, and the path's MTU.";
  } else {
    text.advice = EventAdvice(issue.code);
  }
  return text;
}

// "Ann", "Ann and Bob", "Ann, Bob and Cy", "Ann, Bob, Cy and 4 more": peer
// names.
std::string PeerList(const Session& session, const std::vector<std::string>& ids) {
  constexpr size_t kShown = 4;
  std::vector<std::string> names;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) names.push_back(PeerName(session, ids[i]));
  if (ids.size() > kShown) names.push_back(std::to_string(ids.size() - kShown) + " more");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

// "2 of 3", or "2" when the total is unknown.
std::string OutOf(size_t n, size_t total) {
  return std::to_string(n) + (total >= n && total > 0 ? " of " + std::to_string(total) : "");
}

// "from 10:03:20 to 10:05:20 (2 min)".
std::string SpanWords(const Issue& issue, const Clock& clock) {
  return "from " + clock.Time(issue.start_ms) + " to " + clock.Time(issue.end_ms) + " (" +
         FormatDuration(issue.end_ms - issue.start_ms) + ")";
}

// "on average X (lowest Y) SPAN, below the warning threshold of T".
std::string LowFigures(const Issue& issue, const MetricWords& words, const Clock& clock) {
  return FormatValue(issue.mean, words) + " on average (lowest " + FormatValue(issue.peak, words) +
         ") " + SpanWords(issue, clock) + ", below the " + SeverityName(issue.severity) +
         " threshold of " + FormatValue(issue.threshold, words);
}

IssueText DescribeLowReceivedFps(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const MetricWords words = WordsFor(BreachMetric::kFps);
  const std::string name = PeerName(session, issue.peer_id);
  const std::string peers = PeerList(session, f.peers);
  const std::string sent =
      std::isfinite(f.baseline)
          ? " while the lowest layer sent ran at " + FormatValue(f.baseline, words) + " on average."
          : ".";
  IssueText text;
  if (issue.direction == Path::kUplink) {
    text.title = "Low received frame rate of " + name + "'s video (down to " +
                 FormatValue(issue.peak, words) + ")";
    text.detail = OutOf(f.peers.size(), f.peers_total) + " receivers of " + name + "'s camera (" +
                  peers + ") got " + LowFigures(issue, words, clock) + sent;
    text.advice =
        "Most receivers got fewer frames than this sender sent: frames were lost between the "
        "sender and the media server or on the way through it. Check the sender's uplink loss and "
        "bandwidth around that time.";
  } else {
    text.title = "Low received frame rate on " + name + "'s downlink (down to " +
                 FormatValue(issue.peak, words) + ")";
    text.detail = "The camera video " + name + " received from " + peers + " (" +
                  OutOf(f.peers.size(), f.peers_total) + " senders) had " +
                  LowFigures(issue, words, clock) + sent;
    text.advice =
        "The frames were sent but did not reach this participant or were not shown in time: "
        "their downlink or their device (decoder, CPU) could not keep up. Close heavy apps and "
        "tabs, or receive lower simulcast layers.";
  }
  return text;
}

IssueText DescribeNothingReceived(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string kinds = KindWords(issue);
  const bool audio = kinds == "audio";
  const MetricWords bitrate = WordsFor(BreachMetric::kVideoBitrateTotal);
  const std::string measured = std::string(audio ? "0 kbps" : "0 kbps and 0 fps") + " in " +
                               std::to_string(f.samples) + " samples";
  const std::string sending =
      std::isfinite(f.baseline)
          ? " while the sender sent " + FormatValue(f.baseline, bitrate) + " on average."
          : " while the sender was sending.";
  IssueText text;
  if (issue.direction == Path::kUplink) {
    text.title = "Nothing arrived of " + name + "'s " + kinds;
    text.detail = OutOf(f.peers.size(), f.peers_total) + " receivers of " + name + "'s " + kinds +
                  " (" + PeerList(session, f.peers) + ") got nothing " + SpanWords(issue, clock) +
                  ": " + measured + sending;
    text.advice =
        "The sender was sending but most receivers got nothing of it: the media did not get "
        "through the media server to them. Check the sender's connection to the server and the "
        "server's logs for that track.";
  } else {
    text.title =
        "Nothing arrived on " + name + "'s " + kinds + " from " + PeerList(session, f.peers);
    text.detail = "The " + kinds + " " + name + " received from " + PeerList(session, f.peers) +
                  " carried nothing " + SpanWords(issue, clock) + ": " + measured + sending;
    text.advice =
        audio ? "Audio was sent but none reached this participant: check their network and their "
                "subscription to that track."
              : "Video was sent but none reached this participant. That is also what a pause on "
                "purpose looks like (the SDK turns video off when a downlink cannot carry it, and "
                "apps stop videos that are off screen); otherwise check their network and their "
                "subscription to that track.";
  }
  return text;
}

IssueText DescribeLowReceivedAudioMos(const Session& session, const Issue& issue,
                                      const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const MetricWords words = WordsFor(BreachMetric::kMos);
  const std::string name = PeerName(session, issue.peer_id);
  const bool buffered = std::isfinite(f.jitter_buffer_ms);
  std::string inputs =
      "; the estimate used " + FormatNumber(f.loss_pct, 1) +
      "% loss (received loss or concealed audio, the higher), a round-trip "
      "time of " +
      FormatNumber(f.rtt_ms, 0) + " ms and " +
      (buffered ? "a jitter-buffer delay of " + FormatNumber(f.jitter_buffer_ms, 0) +
                      " ms (the receiver's own measure)"
                : "jitter of " + FormatNumber(f.jitter_ms, 0) + " ms");
  if (f.default_delay) inputs += " (a default round-trip time where none was known)";
  // Most of the delay in the receiver's jitter buffer: the buffer, not the network.
  const bool held = buffered && f.jitter_buffer_ms > f.rtt_ms / 2 && f.jitter_buffer_ms >= 200;
  IssueText text;
  if (issue.direction == Path::kUplink) {
    text.title =
        "Poor audio heard from " + name + " (MOS down to " + FormatValue(issue.peak, words) + ")";
    text.detail = OutOf(f.peers.size(), f.peers_total) + " listeners of " + name + " (" +
                  PeerList(session, f.peers) + ") heard an estimated MOS of " +
                  LowFigures(issue, words, clock) + inputs + ".";
    text.advice =
        "Listeners heard this sender poorly because of its uplink: the loss, delay or jitter on "
        "the way up. Fix the sender's network first (wired or closer to the Wi-Fi access point, "
        "no competing uploads).";
  } else {
    text.title = "Poor received audio on " + name + "'s downlink (MOS down to " +
                 FormatValue(issue.peak, words) + ")";
    // A browser dump without its sender's: who sent it is not known.
    const std::string from = f.peers.empty()
                                 ? ""
                                 : " from " + PeerList(session, f.peers) + " (" +
                                       OutOf(f.peers.size(), f.peers_total) + " senders)";
    text.detail = "The audio " + name + " heard" + from + " had an estimated MOS of " +
                  LowFigures(issue, words, clock) + inputs + ".";
    text.advice =
        held ? "Most of the delay was the receiver's own jitter buffer holding the audio: see its "
               "high_jitter_buffer_delay issue (a large jitterBufferTarget, or a network so "
               "uneven the buffer grew to absorb it)."
             : "What this participant heard was damaged on the way to them: their downlink lost or "
               "delayed packets. Check their Wi-Fi signal, VPNs and other downloads.";
  }
  return text;
}

const char* FamilyWords(BreachFamily family) {
  switch (family) {
    case BreachFamily::kLoss:
      return "packet loss";
    case BreachFamily::kDelay:
      return "delay (round-trip time or jitter)";
    case BreachFamily::kVideoQuality:
      return "video quality problems";
    case BreachFamily::kAudio:
      return "audio quality problems";
    case BreachFamily::kNone:
      break;
  }
  return "problems";
}

IssueText DescribeSessionDegradation(const Session& session, const Issue& issue,
                                     const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const std::string family = FamilyWords(f.family);
  IssueText text;
  text.title = "Session-wide " + family + " (" + OutOf(f.peers.size(), f.peers_total) +
               " participants at once)";
  text.detail = OutOf(f.peers.size(), f.peers_total) + " participants present (" +
                FormatNumber(issue.mean * 100, 0) + "%) started " + family +
                " within a minute of each other, " + SpanWords(issue, clock) + ": " +
                PeerList(session, f.peers) + " (" + std::to_string(f.samples) +
                " breaches). No single sender accounts for most of them.";
  text.advice =
      "Many participants degraded together with no one sender behind it: look at the media "
      "server (its region, load or an incident at that time) or at a network the participants "
      "share (the same office, VPN or provider).";
  return text;
}

IssueText DescribeBitrateCollapse(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const MetricWords words = WordsFor(issue.metric);
  const std::string name = PeerName(session, issue.peer_id);
  IssueText text;
  text.title = "Bitrate collapse on " + name + "'s uplink (down to " +
               FormatValue(issue.peak, words) + ", usually " + FormatValue(f.baseline, words) + ")";
  text.detail = "The " + KindWords(issue) + " " + name + " sent fell to " +
                FormatValue(issue.mean, words) + " on average (lowest " +
                FormatValue(issue.peak, words) + ") " + SpanWords(issue, clock) + ", below " +
                FormatValue(issue.threshold, words) + " against its usual (median) " +
                FormatValue(f.baseline, words) + ", though still above the low-bitrate threshold.";
  text.advice =
      "The sender's bitrate fell far below its own usual level: the browser's bandwidth estimate "
      "dropped (a congested uplink or competing traffic) or the device ran short of CPU. Check the "
      "sender's network and CPU load around that time.";
  return text;
}

IssueText DescribeRepeatedRejoins(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string times = std::to_string(f.cycles) + (f.cycles == 1 ? " time" : " times");
  IssueText text;
  text.title = name + " dropped out and rejoined " + times;
  text.detail = name + (f.user_id.empty() ? "" : " (user " + f.user_id + ")") +
                " left or lost the connection and joined again " + times + " " +
                SpanWords(issue, clock) + ", as " + std::to_string(f.peers.size()) +
                (f.peers.size() == 1 ? " peer id." : " peer ids.");
  text.advice =
      "Repeated drops and rejoins point at an unstable connection (Wi-Fi roaming, a mobile "
      "network, a device going to sleep) or an app that reloads: check the disconnect reasons and "
      "the participant's network around those times.";
  return text;
}

IssueText DescribeQualityLimited(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const bool cpu = issue.code == IssueCode::kCpuLimitedVideo;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string cause = cpu ? "CPU" : "bandwidth";
  IssueText text;
  text.title = name + "'s sent " + KindWords(issue) + " was limited by " + cause + " (" +
               FormatNumber(issue.mean * 100, 0) + "% of the time)";
  text.detail = "The browser reported its " + KindWords(issue) + " encoder limited by " + cause +
                " for " + FormatNumber(issue.mean * 100, 0) + "% of the time it was sent (" +
                std::to_string(f.samples) + " samples, " + SpanWords(issue, clock) +
                "; an issue from " + FormatNumber(issue.threshold * 100, 0) +
                "%): it lowered the resolution or frame rate everyone received from " + name + ".";
  text.advice =
      cpu ? "The sender's device ran short of CPU: close other applications and tabs, lower the "
            "capture resolution or the number of simulcast layers, and check that hardware video "
            "encoding is available."
          : "The sender's uplink could not carry the video: the browser's bandwidth estimate was "
            "below what the encoder wanted. Check the sender's network (Wi-Fi signal, competing "
            "uploads, a VPN) and any bitrate cap the application sets.";
  return text;
}

IssueText DescribeLongFreeze(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const bool uplink = issue.direction == Path::kUplink;
  const std::string receiver = uplink && !f.peers.empty() ? PeerName(session, f.peers.front())
                                                          : PeerName(session, issue.peer_id);
  // Without its sender's dump, the track says which of the videos it was.
  const std::string track = issue.track_ids.empty() ? "" : " (track " + issue.track_ids[0] + ")";
  const std::string sender = uplink            ? PeerName(session, issue.peer_id)
                             : f.peers.empty() ? "its sender" + track
                                               : PeerName(session, f.peers.front());
  IssueText text;
  const std::string seconds = FormatNumber(issue.mean, 1) + " s";
  const std::string times = std::to_string(f.samples) + " times";
  text.title = "Video froze " +
               (f.samples > 1 ? times + " (" + seconds + " in all)" : "for " + seconds) + " on " +
               (uplink ? sender + "'s uplink" : receiver + "'s downlink");
  const std::string what = f.samples > 1 ? " froze " + times + ", " + seconds + " in all, "
                                         : " stood frozen for " + seconds + " ";
  text.detail = "The video " + receiver + " received from " + sender + what +
                SpanWords(issue, clock) +
                " (the browser's own freeze count and duration; an issue from 1 s in all or 3 "
                "freezes, critical from " +
                FormatNumber(issue.threshold, 0) + " s)" +
                (uplink ? ", while " + sender + "'s own sending of that video was poor." : ".");
  text.advice = uplink ? "The sender's video itself stalled (frames not sent, or lost on its "
                         "uplink): check the sender's CPU and network at that time."
                       : "The receiver got the video late or incomplete: check its downlink "
                         "(loss, jitter, bandwidth) and CPU (decoding) at that time.";
  return text;
}

const Connection* ConnectionOf(const Session& session, const Issue& issue) {
  for (const Peer& p : session.peers) {
    if (p.peer_id != issue.peer_id) continue;
    for (const Connection& c : p.connections) {
      if (c.id == issue.connection_id) return &c;
    }
  }
  return nullptr;
}

// How a connection's media travelled: "a TURN relay over TLS", "TCP".
std::string TransportWords(const Connection& c) {
  if (!c.relay_protocol.empty())
    return "a TURN relay, reached over " + UpperAscii(c.relay_protocol);
  if (c.local_candidate_type == "relay" || c.remote_candidate_type == "relay")
    return "a TURN relay";
  return UpperAscii(c.protocol.empty() ? "udp" : c.protocol);
}

// A slow_setup issue: which step was slow, by how much, and what to check.
IssueText DescribeSlowSetup(const Session& session, const Issue& issue, const Clock& clock) {
  const std::string name = PeerName(session, issue.peer_id);
  const std::string conn = "connection " + issue.connection_id;
  // ICE in whole seconds (it is slow from 3 s); the shorter steps to a tenth.
  const bool ice = issue.setup_step == SetupStep::kIce;
  const auto seconds = [ice](double ms) {
    return ice ? FormatDuration(static_cast<int64_t>(ms)) : FormatNumber(ms / 1000, 1) + " s";
  };
  const std::string took = seconds(issue.mean);
  const std::string limit = seconds(issue.threshold);
  IssueText text;
  switch (issue.setup_step) {
    case SetupStep::kIce:
      text.title = name + "'s connection took " + took + " to connect";
      text.detail = "ICE checks on " + conn + " ran from " + clock.Time(issue.start_ms) +
                    " until it connected at " + clock.Time(issue.end_ms) + " (" + took +
                    "; slow from " + limit + ").";
      text.advice =
          "Slow ICE means candidates that do not answer (blocked UDP, unreachable STUN/TURN "
          "servers, many network interfaces): check the ICE servers and the network's firewall.";
      break;
    case SetupStep::kDtls:
      text.title = name + "'s DTLS handshake took " + took;
      text.detail = "On " + conn + " ICE connected at " + clock.Time(issue.start_ms) +
                    " but the connection (DTLS) connected only at " + clock.Time(issue.end_ms) +
                    " (" + took + "; slow from " + limit + ", usually a few round trips).";
      text.advice =
          "A slow DTLS handshake means its packets were lost and resent after a timer, a far or "
          "overloaded peer or media server, or a TURN relay over TCP: check the loss and "
          "round-trip time of the path and the server's load.";
      break;
    case SetupStep::kFirstFrame: {
      const std::string track = issue.track_ids.empty() ? "" : " " + issue.track_ids.front();
      text.title = "The first video frame " + name + " received came " + took + " late";
      text.detail = "The video" + track + " on " + conn + " could show from " +
                    clock.Time(issue.start_ms) +
                    " (the connection connected, or the track arrived) but its first frame was "
                    "decoded by " +
                    clock.Time(issue.end_ms) + " (" + took + "; slow from " + limit +
                    "; the stats' sampling makes it up to a second late).";
      text.advice =
          "Until a key frame arrives the video stays black: a sender that starts its camera or "
          "encoder late, a media server that waits for a key frame, or lost key-frame requests "
          "(PLI/FIR). Check when the sender started sending and its key-frame requests.";
      break;
    }
  }
  return text;
}

IssueText DescribeConnectionIssue(const Session& session, const Issue& issue, const Clock& clock) {
  const std::string name = PeerName(session, issue.peer_id);
  const Connection* c = ConnectionOf(session, issue);
  const std::string conn = "connection " + issue.connection_id;
  IssueText text;
  switch (issue.code) {
    case IssueCode::kRelayedConnection:
      text.title = name + "'s media went through a TURN relay";
      text.detail = "The candidate pair " + name + "'s " + conn + " used was " +
                    (c ? c->local_candidate_type + " (local) to " + c->remote_candidate_type +
                             " (remote), through " + TransportWords(*c)
                       : "relayed") +
                    ": no direct path worked.";
      text.advice =
          "A relay adds a hop (delay) and depends on the TURN server's capacity; it usually means "
          "a firewall or NAT blocks direct UDP. Fine when it is rare; if most calls relay, check "
          "the network's UDP policy and where the TURN servers are.";
      break;
    case IssueCode::kTcpConnection:
      text.title = name + "'s media went over TCP";
      text.detail = "The " + conn + " carried its media over " +
                    (c ? TransportWords(*c) : std::string("TCP")) +
                    " instead of UDP: a lost packet holds up the ones behind it.";
      text.advice =
          "Over TCP, loss turns into delay and freezes. UDP is blocked on this network (a "
          "corporate firewall or proxy): allow UDP to the media or TURN servers.";
      break;
    case IssueCode::kSlowSetup:
      return DescribeSlowSetup(session, issue, clock);
    default: {  // kIceRestart
      const int asked = static_cast<int>(issue.mean), back = static_cast<int>(issue.peak);
      text.title =
          name + " restarted ICE on " + conn + (back >= asked ? "" : " and did not reconnect");
      text.detail = "ICE was restarted " + std::to_string(asked) +
                    (asked == 1 ? " time" : " times") + " from " + clock.Time(issue.start_ms) +
                    "; " + std::to_string(back) + " reconnected.";
      text.advice =
          "An ICE restart looks for a new network path, usually after the network changed "
          "(Wi-Fi to cellular, a VPN) or the connection dropped: look at what happened just "
          "before it.";
    }
  }
  return text;
}

// The receiver and the sender of a received-media detection: its peer and
// first peer, the other way round on the uplink.
std::pair<std::string, std::string> ReceiverAndSender(const Session& session, const Issue& issue) {
  const DetectionFigures& f = *issue.detection;
  const bool uplink = issue.direction == Path::kUplink;
  const std::string other = f.peers.empty() ? "" : PeerName(session, f.peers.front());
  const std::string own = PeerName(session, issue.peer_id);
  if (uplink) return {other.empty() ? "its receivers" : other, own};
  return {own, other.empty() ? "its sender" : other};
}

// Whether the dump gives the sent video's quality limitation during the
// issue (Chrome's standard and legacy stats do, Firefox's do not): a known
// CPU or bandwidth share from 2 s before its start to its end, as the
// detection looks (detections_dump.cpp).
bool ToldLimitation(const Session& session, const Issue& issue) {
  constexpr int64_t kBeforeMs = 2000;
  for (const Peer& p : session.peers) {
    if (p.peer_id != issue.peer_id) continue;
    for (const Track& t : p.tracks) {
      if (t.direction != Direction::kPublisher || issue.track_ids.empty() ||
          t.track_id != issue.track_ids.front() || t.layers.empty()) {
        continue;
      }
      const Series& s = t.layers.front().series;
      for (Metric m : {Metric::kCpuLimited, Metric::kBandwidthLimited}) {
        if (!s.has(m)) continue;
        for (size_t i = 0; i < s.size(); ++i) {
          const int64_t at = s.timestamps_ms[i];
          if (at >= issue.start_ms - kBeforeMs && at <= issue.end_ms &&
              !std::isnan(s.column(m)[i])) {
            return true;
          }
        }
      }
      return false;
    }
  }
  return false;
}

IssueText DescribeResolutionDrop(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const bool uplink = issue.direction == Path::kUplink;
  const auto [receiver, sender] = ReceiverAndSender(session, issue);
  const std::string px = FormatNumber(issue.peak, 0) + " px";
  const std::string usual = FormatNumber(f.baseline, 0) + " px";
  IssueText text;
  text.title = uplink ? sender + "'s sent video dropped to " + px + " high (usually " + usual + ")"
                      : "The video " + receiver + " received dropped to " + px + " high (usually " +
                            usual + ")";
  text.detail = std::string(uplink ? "The video " + sender + " sent"
                                   : "The video " + receiver + " received from " + sender) +
                " was " + FormatNumber(issue.mean, 0) + " px high on average (lowest " + px + ") " +
                SpanWords(issue, clock) + ", below its usual " + usual +
                " (the highest it held 5 s before; an issue when it stays below that 5 s and "
                "falls under " +
                FormatNumber(issue.threshold, 0) + " px).";
  if (uplink && issue.severity == Severity::kInfo) {
    text.detail += " " + sender +
                   "'s browser did not report the encoder limited by CPU or bandwidth then: the "
                   "application (scaleResolutionDownBy, track constraints) or the camera lowered "
                   "it.";
    text.advice =
        "Nothing failed: the resolution was lowered on purpose or by the source. If receivers "
        "need more detail, check the application's encoding parameters and capture constraints.";
  } else if (uplink) {
    text.detail += " " + sender +
                   (ToldLimitation(session, issue)
                        ? "'s browser reported the encoder limited (by CPU or bandwidth) then"
                        : "'s dump does not say whether its browser limited the encoder") +
                   ", and every receiver got the smaller picture.";
    text.advice =
        "The sender's browser lowered the resolution to fit its CPU or uplink: see the "
        "cpu_limited_video / bandwidth_limited_video figures, close heavy applications and check "
        "the sender's network.";
  } else {
    const bool sender_known = !issue.detection->peers.empty();
    text.detail += sender_known ? " What " + sender + " sent did not drop then."
                                : " Its sender is not in the dumps.";
    text.advice = sender_known
                      ? "The receiver got a smaller picture than was sent: a server forwarded a "
                        "lower simulcast layer for the receiver's downlink bandwidth, or the "
                        "receiver asked for less. Check the receiver's downlink (loss, bandwidth "
                        "estimate)."
                      : "Either the sender's browser lowered what it sent (for CPU or uplink "
                        "bandwidth) or a server forwarded a lower layer for this receiver's "
                        "downlink: the sender's dump tells which.";
  }
  return text;
}

IssueText DescribeJitterBufferDelay(const Session& session, const Issue& issue,
                                    const Clock& clock) {
  const auto [receiver, sender] = ReceiverAndSender(session, issue);
  const std::string kind = KindWords(issue);
  IssueText text;
  text.title = receiver + " held the " + kind + " it received " + FormatNumber(issue.mean, 0) +
               " ms in its jitter buffer";
  text.detail = "The " + kind + " " + receiver + " received from " + sender + " waited " +
                FormatNumber(issue.mean, 0) + " ms on average (up to " +
                FormatNumber(issue.peak, 0) + " ms) in the jitter buffer " +
                SpanWords(issue, clock) +
                ": it was played that much later than it arrived. WebRTC jitter buffers usually "
                "hold 20 to 200 ms; an issue above 500 ms for 5 s, critical from " +
                FormatNumber(issue.threshold, 0) + " ms.";
  const double own = issue.detection->baseline;
  if (issue.direction == Path::kNone) {
    text.detail += " The buffer itself needed only " + FormatNumber(own, 0) +
                   " ms on average (jitterBufferMinimumDelay): something outside the network "
                   "held it longer, the application's jitterBufferTarget or audio/video sync.";
    text.advice =
        "Check the jitter-buffer target the application sets on its receivers "
        "(RTCRtpReceiver.jitterBufferTarget, playoutDelayHint): a large one adds that delay to "
        "everything played.";
    return text;
  }
  if (!std::isnan(own)) {
    text.detail += " The buffer's own minimum was " + FormatNumber(own, 0) +
                   " ms on average (jitterBufferMinimumDelay): the network made it grow.";
  }
  text.advice =
      "The buffer grows when packets arrive unevenly (jitter, bursts of loss and retransmission "
      "on the receiver's downlink or the sender's uplink), or when the application asks for a "
      "larger one (RTCRtpReceiver.jitterBufferTarget): check the jitter and loss of that time "
      "and any target the application sets.";
  return text;
}

IssueText DescribePeriodicFlushes(const Session& session, const Issue& issue, const Clock& clock) {
  const auto [receiver, sender] = ReceiverAndSender(session, issue);
  const DetectionFigures& f = *issue.detection;
  IssueText text;
  text.title =
      receiver + "'s audio jitter buffer was flushed every " + FormatNumber(f.baseline, 1) + " s";
  text.detail = "The audio " + receiver + " received from " + sender + " had its jitter buffer " +
                "flushed " + FormatNumber(issue.mean, 0) + " times at a regular cadence " +
                SpanWords(issue, clock) + " (every " + FormatNumber(f.baseline, 1) +
                " s on average, at most " + FormatNumber(issue.peak, 1) +
                " s apart; jitterBufferFlushes): each flush drops the buffered audio, a click or "
                "gap heard every few seconds.";
  text.advice =
      "Periodic flushes are a known NetEq pattern: packets arrive in a steady rhythm too early "
      "or too late for the buffer (the sender's clock drifting from the receiver's, or a media "
      "server or gateway that bunches or re-times packets). Check the sender's audio device and "
      "any server that relays or mixes the audio.";
  return text;
}

IssueText DescribeCpuPressure(const Session& session, const Issue& issue, const Clock& clock) {
  const DetectionFigures& f = *issue.detection;
  const bool encode = issue.measured == Direction::kPublisher;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string kind = KindWords(issue);
  const std::string what =
      encode ? "encoding the " + kind + " it sent"
             : "decoding the " + kind + " it received" +
                   (f.peers.empty() ? "" : " from " + PeerName(session, f.peers.front()));
  const std::string usage = FormatNumber(issue.mean, 0) + "%";
  IssueText text;
  text.title = name + "'s browser was short of CPU " + what + " (" + usage + " of the time)";
  text.detail = name + "'s browser spent " + usage + " of the time on average (up to " +
                FormatNumber(issue.peak, 0) + "%) " + what + " " + SpanWords(issue, clock);
  if (!std::isnan(f.baseline)) {
    text.detail += ", about " + FormatNumber(f.baseline, 0) + " ms per frame";
  }
  text.detail += " (" + std::string(encode ? "totalEncodeTime" : "totalDecodeTime") +
                 " over the time, or legacy " +
                 (encode ? "googEncodeUsagePercent" : "googDecodeMs × frame rate") +
                 "; an issue above " + FormatNumber(issue.threshold, 0) +
                 "% for 10 s, the level at which WebRTC's own overuse detector lowers a sent "
                 "video" +
                 (issue.threshold > 100 ? " from a hardware encoder" : "") + ").";
  text.detail += encode ? " An encoder that needs most of each frame interval drops frames or "
                          "makes the browser lower the resolution everyone receives."
                        : " A decoder that needs most of each frame interval falls behind: "
                          "frames are dropped or shown late, seen as freezes and stutter.";
  text.advice =
      encode ? "The sending device ran short of CPU: close other applications and tabs, lower "
               "the capture resolution, frame rate or number of simulcast layers, and check that "
               "hardware encoding is available for the codec."
             : "The receiving device ran short of CPU: receive fewer or smaller videos (a lower "
               "simulcast layer, fewer tiles), close other applications and tabs, and check that "
               "hardware decoding is available for the codec.";
  return text;
}

IssueText DescribeStreamStalled(const Session& session, const Issue& issue, const Clock& clock) {
  const bool uplink = issue.direction == Path::kUplink;
  const auto [receiver, sender] = ReceiverAndSender(session, issue);
  const std::string secs = FormatNumber(issue.mean, 1) + " s";
  IssueText text;
  text.title = uplink ? sender + " stopped sending its video for " + secs
                      : "The video " + receiver + " received stalled for " + secs;
  text.detail = "The video " + receiver + " received from " + sender + " stood paused (no frame " +
                "for 5 s or more, the browser's own pause count and duration) for " + secs + " " +
                SpanWords(issue, clock);
  if (uplink) {
    text.detail += ", while " + sender +
                   "'s own sending of that video stopped: the application stopped it "
                   "(replaceTrack(null), a camera turned off), not the network.";
    text.advice =
        "Nothing to fix if the pause was meant; otherwise check why the application "
        "stopped sending the track.";
  } else {
    text.detail += " (critical from " + FormatNumber(issue.threshold, 0) +
                   " s), while its sender kept sending or is not in the dumps.";
    text.advice =
        "Packets stopped reaching the receiver: check its downlink and connection state at that "
        "time and, through a media server, whether it stopped forwarding the stream. If the "
        "sender stopped sending on purpose, add its dump to tell.";
  }
  return text;
}

// An icecandidateerror as the event's message holds it (the event's value as
// JSON text, then " (connection <id>)"): the server's URL, the error code
// and text (Chrome's own dumps write error_code / error_text, rtcstats the
// API's errorCode / errorText). The local address it also holds is left out.
struct IceServerFailure {
  std::string url;
  std::string code;  // as written; "" when not given
  std::string text;
};

std::optional<IceServerFailure> ReadIceServerFailure(const Event& e) {
  std::string_view message = e.error_message;
  const size_t end = message.rfind(" (connection ");
  if (end != std::string_view::npos) message = message.substr(0, end);
  json::JsonCursor cursor(message, 8);
  json::JsonTree tree;
  if (!tree.Read(&cursor) || !tree.root().is_object()) return std::nullopt;
  const json::JsonValue root = tree.root();
  const auto either = [&root](std::string_view a, std::string_view b) {
    const json::JsonValue v = root.Find(a);
    return v.missing() ? root.Find(b) : v;
  };
  IceServerFailure f;
  f.url = std::string(root.Find("url").text());
  const json::JsonValue code = either("errorCode", "error_code");
  if (code.is_number() || code.is_string()) f.code = std::string(code.text());
  f.text = std::string(either("errorText", "error_text").text());
  while (!f.text.empty() && (f.text.back() == ' ' || f.text.back() == '.')) f.text.pop_back();
  return f;
}

// "turn:t.example:3478: error 401, Unauthorized", or "" when the message is
// not an icecandidateerror's.
std::string IceServerError(const Event& e) {
  const std::optional<IceServerFailure> f = ReadIceServerFailure(e);
  if (!f) return "";
  std::string out = f->url;
  if (!f->code.empty()) out += std::string(out.empty() ? "" : ": ") + "error " + f->code;
  if (!f->text.empty()) out += std::string(out.empty() ? "" : ", ") + f->text;
  return out;
}

// What an icecandidateerror's code says and what to do: 701 is the browser's
// own (no answer from the server: webrtc-pc), the others are the STUN/TURN
// server's answer (RFC 8489, RFC 8656).
struct IceErrorWords {
  const char* meaning;
  const char* advice;
};

IceErrorWords IceErrorWordsOf(int code) {
  constexpr const char* kServerList =
      "Check the STUN/TURN server list the application configures and that the server runs.";
  switch (code) {
    case 701:
      return {
          "Error 701 is the browser's own: the server never answered (its name does not "
          "resolve, a firewall blocks the port or UDP, or it is down).",
          "Check the server's URL and that it resolves and answers from the user's network "
          "(a firewall may let only TCP 443 out: offer TURN over TLS, turns: on port 443)."};
    case 401:
    case 441:
      return {
          "The TURN server refused the credentials (401 Unauthorized, 441 Wrong "
          "Credentials): a wrong username or password, or time-limited credentials that "
          "expired before they were used.",
          "Check the TURN username and credential the application hands the browser: "
          "time-limited (TURN REST API) credentials must be fresh, signed with the server's "
          "shared secret, and valid for the whole call (clock skew shortens them)."};
    case 403:
      return {
          "The TURN server refused the request (403 Forbidden): its policy does not allow "
          "this client or the peer address asked for.",
          "Check the TURN server's allowed and denied address ranges (a server that denies "
          "private or loopback peers refuses them on purpose) and its user quotas."};
    case 437:
    case 438:
      return {
          "The TURN server no longer knew the browser's allocation or nonce (437 Allocation "
          "Mismatch, 438 Stale Nonce): usually after the server restarted or an allocation "
          "timed out; the browser retries.",
          kServerList};
    case 440:
    case 443:
      return {
          "The TURN server does not relay that address family (440, 443: IPv6 asked of a "
          "server without it).",
          "Give the TURN server the address families its clients use, or list it by an "
          "address family it serves."};
    case 442:
      return {
          "The TURN server does not relay that transport (442 Unsupported Transport "
          "Protocol).",
          kServerList};
    case 486:
    case 508:
      return {
          "The TURN server was out of capacity (486 Allocation Quota Reached for this user, "
          "508 Insufficient Capacity for the server).",
          "Raise the TURN server's per-user quota or add capacity: calls that need a relay "
          "fail while it is full."};
    default:
      break;
  }
  if (code >= 500 && code < 600) {
    return {"The STUN/TURN server failed to answer the request (a 5xx error).", kServerList};
  }
  if (code >= 300 && code < 500) {
    return {"The STUN/TURN server refused the request (its own answer, a 3xx or 4xx error).",
            kServerList};
  }
  return {"", kServerList};
}

IssueText DescribeIceCandidateError(const Session& session, const Issue& issue,
                                    const Clock& clock) {
  IssueText text;
  const Event* first = FirstEvent(session, issue);
  if (first == nullptr) return text;
  const Event& e = *first;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string server = IceServerError(e);
  const bool never = issue.severity == Severity::kCritical;
  text.title = name + " could not use an ICE server" + (server.empty() ? "" : " (" + server + ")");
  text.detail = "At " + clock.Time(e.time_ms) + " " + name +
                "'s browser reported an icecandidateerror" + (server.empty() ? "" : ": " + server) +
                ".";
  const std::optional<IceServerFailure> failure = ReadIceServerFailure(e);
  const int code = failure && !failure->code.empty() ? std::atoi(failure->code.c_str()) : 0;
  const IceErrorWords words = IceErrorWordsOf(code);
  if (*words.meaning != '\0') text.detail += std::string(" ") + words.meaning;
  text.detail += AgainAt(session, issue, clock, IceServerError);
  text.detail += never ? " None of its peer connections ever connected."
                       : " The call connected through other candidates, but without that "
                         "server's candidates (server-reflexive or relay) it fails on networks "
                         "that need them.";
  text.advice = words.advice;
  return text;
}

// The API call a signalling failure event names (SignalingStepOf).
std::string SignalingStep(const Event& e) {
  const char* step = SignalingStepOf(e);
  return step ? step : "a signalling step";
}

IssueText DescribeSignalingError(const Session& session, const Issue& issue, const Clock& clock) {
  IssueText text;
  const Event* first = FirstEvent(session, issue);
  if (first == nullptr) return text;
  const Event& e = *first;
  const std::string name = PeerName(session, issue.peer_id);
  const std::string step = SignalingStep(e);
  const bool candidate = step == "addIceCandidate";
  text.title = name + "'s " + step + " failed";
  text.detail = "At " + clock.Time(e.time_ms) + " " + name + "'s browser refused " +
                (candidate ? "a remote ICE candidate" : "an offer/answer step") + ": " + step +
                " failed" + (e.error_message.empty() ? "" : ": " + e.error_message) + ".";
  text.detail += AgainAt(session, issue, clock, SignalingStep);
  text.detail += issue.severity == Severity::kCritical
                     ? " None of its peer connections ever connected."
                     : " Its call still connected; a renegotiation that fails this way leaves "
                       "what it was for (a new track, an ICE restart) undone.";
  text.advice =
      candidate
          ? "The application added a candidate the browser could not use: one for an m-line or "
            "ICE generation that does not exist (a stale candidate after an ICE restart), one "
            "added before the remote description, or a malformed one. Queue candidates until "
            "setRemoteDescription resolves and drop those of an old generation."
          : "The application's signalling handed the browser a description it refused: an answer "
            "applied twice or in the wrong signalling state (two sides offering at once: use the "
            "perfect-negotiation pattern), or SDP edited by hand into something the browser cannot "
            "parse. Log the signalling messages around that time.";
  return text;
}

IssueText DescribeDetectionIssue(const Session& session, const Issue& issue, const Clock& clock) {
  switch (issue.code) {
    case IssueCode::kLowReceivedFps:
      return DescribeLowReceivedFps(session, issue, clock);
    case IssueCode::kNothingReceived:
      return DescribeNothingReceived(session, issue, clock);
    case IssueCode::kLowReceivedAudioMos:
      return DescribeLowReceivedAudioMos(session, issue, clock);
    case IssueCode::kSessionDegradation:
      return DescribeSessionDegradation(session, issue, clock);
    case IssueCode::kBitrateCollapse:
      return DescribeBitrateCollapse(session, issue, clock);
    case IssueCode::kRepeatedRejoins:
      return DescribeRepeatedRejoins(session, issue, clock);
    case IssueCode::kCpuLimitedVideo:
    case IssueCode::kBandwidthLimitedVideo:
      return DescribeQualityLimited(session, issue, clock);
    case IssueCode::kVideoFreeze:
      return DescribeLongFreeze(session, issue, clock);
    case IssueCode::kResolutionDrop:
      return DescribeResolutionDrop(session, issue, clock);
    case IssueCode::kHighJitterBufferDelay:
      return DescribeJitterBufferDelay(session, issue, clock);
    case IssueCode::kReceivedStreamStalled:
      return DescribeStreamStalled(session, issue, clock);
    case IssueCode::kPeriodicJitterBufferFlushes:
      return DescribePeriodicFlushes(session, issue, clock);
    case IssueCode::kCpuPressure:
      return DescribeCpuPressure(session, issue, clock);
    default:
      return IssueText{IssueCodeName(issue.code), "", ""};
  }
}

}  // namespace

IssueText DescribeIssue(const Session& session, const Issue& issue, const Clock& clock) {
  if (!issue.connection_id.empty()) return DescribeConnectionIssue(session, issue, clock);
  if (issue.detection) return DescribeDetectionIssue(session, issue, clock);
  if (!issue.breaches.empty()) return DescribeBreachIssue(session, issue, clock);
  if (issue.code == IssueCode::kIceCandidateError)
    return DescribeIceCandidateError(session, issue, clock);
  if (issue.code == IssueCode::kSignalingError)
    return DescribeSignalingError(session, issue, clock);
  return DescribeEventIssue(session, issue, clock);
}

}  // namespace callsight::report
