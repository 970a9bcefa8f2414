// Issues: breaches interpreted, attributed and explained, plus issues from
// failure and disconnect events.
//
// Attribution (SPEC §2): a receiver's bad media from sender S is S's uplink
// problem when S shows an uplink issue at that time, or when most of S's
// receivers see the same problem at once; the receiver's breach then links to
// S's issue. Otherwise it is the receiver's downlink.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

struct CodeInfo {
  const char* code;
  const char* what;  // human words for the metric
  const char* unit;
  double scale;  // metric value * scale = value in unit
  int decimals;
};

CodeInfo InfoFor(const std::string& metric, Direction dir) {
  if (metric == "packet_loss_percent") return {"high_packet_loss", "packet loss", "%", 1, 1};
  if (metric == "rtt_ms") return {"high_rtt", "round-trip time", " ms", 1, 0};
  if (metric == "jitter_ms") return {"high_jitter", "jitter", " ms", 1, 0};
  if (metric == "bitrate") return {"low_audio_bitrate", "audio bitrate", " kbps", 0.001, 0};
  if (metric == "video_bitrate_total")
    return {"low_video_bitrate", "video bitrate", " kbps", 0.001, 0};
  if (metric == "fps") return {"low_fps", "frame rate", " fps", 1, 1};
  if (metric == "layer_off") return {"simulcast_layer_off", "stopped layer", "", 1, 0};
  if (metric == "mos") return {"low_audio_mos", "audio MOS", "", 1, 2};
  if (metric == "concealment_percent") return {"audio_concealment", "concealed audio", "%", 1, 1};
  if (metric == "freeze_count")
    return {"video_freeze", "video freezes", " per sample window", 1, 0};
  if (metric == "media_gap") return {"media_gap", "gap", " s", 0.001, 0};
  (void)dir;
  return {"unknown", metric.c_str(), "", 1, 1};
}

const char* Advice(const std::string& code, Path path) {
  const bool up = path == Path::kUplink;
  if (code == "high_packet_loss") {
    return up ? "Loss on the way up means the sender's network is congested or unstable: move "
                "closer to the Wi-Fi access point or use a wired connection, pause uploads and "
                "other heavy traffic, or publish a lower resolution."
              : "Loss on what this participant received, from every sender, points at their own "
                "network: check Wi-Fi signal, VPNs and other downloads; receiving lower simulcast "
                "layers helps.";
  }
  if (code == "high_rtt") {
    return "A long round trip means a long or congested route to the media server: check which "
           "region the peer was routed to, VPNs or proxies, and cellular or satellite links.";
  }
  if (code == "high_jitter") {
    return "Uneven packet arrival makes audio choppy: usually Wi-Fi interference or a congested "
           "uplink; prefer a wired connection and stop competing traffic.";
  }
  if (code == "low_video_bitrate") {
    return "The browser cut the video bitrate for lack of bandwidth or CPU: check the uplink "
           "speed and CPU load, or publish a lower resolution.";
  }
  if (code == "low_audio_bitrate") {
    return "Audio got less bitrate than speech needs: check the uplink bandwidth and the audio "
           "codec settings.";
  }
  if (code == "low_fps") {
    return "A low frame rate from the sender usually means an overloaded CPU (the encoder) or a "
           "camera in low light: close heavy apps and tabs, or publish a lower resolution.";
  }
  if (code == "video_freeze") {
    return up ? "Every receiver saw this sender's video freeze, so the cause is on the sender's "
                "side: its uplink or its encoder."
              : "Video froze on this participant's side across senders: their downlink or their "
                "device (decoder, CPU) could not keep up; lower received layers or close heavy "
                "apps.";
  }
  if (code == "audio_concealment") {
    return up ? "Receivers had to conceal this sender's audio: packets arrived late or not at all "
                "from the sender's side."
              : "This participant's device had to invent missing audio because packets came late "
                "or not at all: their downlink is congested or unstable.";
  }
  if (code == "simulcast_layer_off") {
    return "Higher simulcast layers stopped while lower ones went on: the sender ran out of "
           "uplink bandwidth or CPU. Receivers got a lower resolution meanwhile.";
  }
  if (code == "low_audio_mos") {
    return "Estimated call audio quality dropped to a level callers notice; the loss, delay and "
           "jitter figures of the same period show which to fix first.";
  }
  if (code == "media_gap") {
    return "The track stopped reporting while the peer stayed in the call: a device, permission "
           "or network interruption on that peer's side.";
  }
  if (code == "join_failed" || code == "connect_failed") {
    return "The client could not connect or join: check firewalls and proxies that block WebRTC "
           "or websockets, the auth token and the room's state.";
  }
  if (code == "publish_failed") {
    return "Publishing failed: check camera and microphone permissions, devices in use by other "
           "apps, and ICE connectivity (TURN over TCP/TLS for strict networks).";
  }
  if (code == "subscribe_failed") {
    return "Receiving failed: check ICE connectivity on the receiver's network (TURN over "
           "TCP/TLS) and the subscribe permissions of its role.";
  }
  if (code == "disconnected") {
    return "The connection dropped: the network changed or went away (Wi-Fi to cellular, sleep, "
           "roaming). The SDK's reconnection settings and a stable network help.";
  }
  return "";
}

bool Overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1, int64_t slack) {
  return a0 <= b1 + slack && b0 <= a1 + slack;
}

struct GroupKey {
  std::string peer;
  std::string code;
  Path path;
  bool operator<(const GroupKey& o) const {
    return std::tie(peer, code, path) < std::tie(o.peer, o.code, o.path);
  }
};

// GroupKey order, which can also find a peer's groups by the peer alone.
struct GroupKeyLess {
  using is_transparent = void;
  bool operator()(const GroupKey& a, const GroupKey& b) const { return a < b; }
  bool operator()(const GroupKey& a, std::string_view peer) const { return a.peer < peer; }
  bool operator()(std::string_view peer, const GroupKey& b) const { return peer < b.peer; }
};

std::string FormatValue(double v, const CodeInfo& info) {
  return FormatNumber(v * info.scale, info.decimals) + info.unit;
}

// Title, detail and advice from the issue's breaches.
void Explain(const Session& session, const std::vector<Breach>& breaches, Issue* issue) {
  const Peer* peer = nullptr;
  for (const Peer& p : session.peers) {
    if (p.peer_id == issue->peer_id) peer = &p;
  }
  std::string name = peer ? PeerLabel(*peer) : issue->peer_id;
  // Figures come from the breaches that define the issue (its own code);
  // receivers' breaches linked to it only count as affected peers.
  std::vector<size_t> own;
  for (size_t bi : issue->breaches) {
    if (InfoFor(breaches[bi].metric, breaches[bi].direction).code == issue->code) own.push_back(bi);
  }
  if (own.empty()) own = issue->breaches;
  const Breach& first = breaches[own.front()];
  CodeInfo info = InfoFor(first.metric, first.direction);
  // Figures: the worst peak, sample-weighted mean, and the threshold crossed.
  bool above = first.metric != "bitrate" && first.metric != "video_bitrate_total" &&
               first.metric != "fps" && first.metric != "mos";
  double peak = first.peak, sum = 0, threshold = first.threshold;
  size_t n = 0;
  std::set<std::string> kinds, senders;
  for (size_t bi : own) {
    const Breach& b = breaches[bi];
    peak = above ? std::max(peak, b.peak) : std::min(peak, b.peak);
    sum += b.mean * static_cast<double>(b.samples);
    n += b.samples;
    if (b.severity == issue->severity) threshold = b.threshold;
    kinds.insert(MediaKindName(b.kind));
  }
  double mean = n ? sum / static_cast<double>(n) : first.mean;
  std::string span = FormatClock(issue->start_ms) + " to " + FormatClock(issue->end_ms);
  std::string kind_words;
  for (const auto& k : kinds) kind_words += (kind_words.empty() ? "" : " and ") + k;
  const bool up = issue->direction == Path::kUplink;
  std::string whose = name + (up ? "'s uplink" : "'s downlink");
  const std::string& code = issue->code;
  if (code == "media_gap") {
    issue->title = "The " + kind_words + " track of " + name + " stopped reporting for " +
                   FormatDuration(issue->end_ms - issue->start_ms);
    issue->detail =
        "No samples from " + span + " while " + name + " was still in the call" +
        (first.direction == Direction::kSubscriber ? " and the sender kept sending." : ".");
  } else if (code == "simulcast_layer_off") {
    std::set<std::string> rids;
    for (size_t bi : issue->breaches) rids.insert(breaches[bi].rid);
    std::string layers;
    for (const auto& r : rids) layers += (layers.empty() ? "" : ", ") + (r.empty() ? "?" : r);
    issue->title = "Simulcast layer " + layers + " of " + name + "'s video stopped";
    issue->detail = "Layer " + layers + " of " + name + "'s camera sent nothing from " + span +
                    " while lower layers went on.";
  } else {
    static const std::map<std::string, std::string> kTitles = {
        {"high_packet_loss", "High packet loss"},
        {"high_rtt", "High round-trip time"},
        {"high_jitter", "High jitter"},
        {"low_audio_bitrate", "Low audio bitrate"},
        {"low_video_bitrate", "Low video bitrate"},
        {"low_fps", "Low frame rate"},
        {"low_audio_mos", "Poor audio quality (MOS)"},
        {"audio_concealment", "Audio concealment"},
        {"video_freeze", "Video freezes"}};
    auto t = kTitles.find(code);
    issue->title = (t != kTitles.end() ? t->second : code) + " on " + whose + " (" +
                   (above ? "up to " : "down to ") + FormatValue(peak, info) + ")";
    std::string subject;
    if (up && first.direction == Direction::kSubscriber) {
      subject = "Receivers of " + name + "'s " + kind_words + " saw " + info.what;
    } else if (up) {
      subject = "The " + kind_words + " " + name + " sent had " + info.what;
    } else {
      subject = "The " + kind_words + " " + name + " received had " + info.what;
    }
    issue->detail = subject + " of " + FormatValue(mean, info) + " on average (" +
                    (above ? "peak " : "lowest ") + FormatValue(peak, info) + ") from " + span +
                    " (" + FormatDuration(issue->end_ms - issue->start_ms) + "), " +
                    (above ? "above" : "below") + " the " + SeverityName(issue->severity) +
                    " threshold of " + FormatValue(threshold, info) + ".";
  }
  if (!issue->affected_peers.empty()) {
    issue->detail += " " + std::to_string(issue->affected_peers.size()) +
                     (issue->affected_peers.size() == 1 ? " participant" : " participants") +
                     " received the damaged media.";
  }
  issue->advice = Advice(code, issue->direction);
}

// Qualifies for an issue: at least issue_min_samples samples, or a span of
// issue_min_ms; a single sample never does.
bool Qualifies(const Breach& b, const Config& config) {
  if (b.metric == "media_gap") return true;  // at least a minute of silence by construction
  if (b.samples < 2) return false;
  return b.samples >= static_cast<size_t>(config.issue_min_samples) ||
         b.end_ms - b.start_ms >= config.issue_min_ms;
}

}  // namespace

std::vector<Issue> BuildIssues(const Session& session, const std::vector<TrackView>& views,
                               std::vector<Breach>* breaches_ptr, const Config& config) {
  std::vector<Breach>& breaches = *breaches_ptr;
  std::map<GroupKey, std::vector<size_t>, GroupKeyLess> groups;
  const int64_t merge_gap = config.window_ms;

  // Ids below are views of the model's and the breaches' strings, which
  // outlive this function and do not move: no copy per view or breach.
  // Which receivers take media from each sender, and over what time.
  struct Receiver {
    std::string_view peer;
    int64_t start, end;
    MediaKind kind;
  };
  std::map<std::string_view, std::vector<Receiver>> receivers_of;
  for (const TrackView& v : views) {
    if (v.tr->direction == Direction::kSubscriber && !v.tr->remote_peer_id.empty()) {
      receivers_of[v.tr->remote_peer_id].push_back(
          {v.p->peer_id, v.t().front(), v.t().back(), v.tr->kind});
    }
  }
  // Per breach: the sender of a subscriber track (may be empty) and the
  // track's sample spacing, looked up once.
  // (A sorted vector, not a map: one allocation, not one per view. Of views
  // with the same key, the last counts.)
  using ViewKey = std::tuple<std::string_view, std::string_view, Direction>;
  std::vector<std::pair<ViewKey, const TrackView*>> view_of;
  view_of.reserve(views.size());
  for (const TrackView& v : views) {
    view_of.push_back({{v.p->peer_id, v.tr->track_id, v.tr->direction}, &v});
  }
  std::stable_sort(view_of.begin(), view_of.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string_view> remote(breaches.size());
  std::vector<int64_t> spacing(breaches.size(), 10000);
  std::map<std::pair<std::string_view, std::string_view>, std::vector<size_t>> by_sender_metric;
  for (size_t i = 0; i < breaches.size(); ++i) {
    const Breach& b = breaches[i];
    const ViewKey key{b.peer_id, b.track_id, b.direction};
    auto it = std::upper_bound(view_of.begin(), view_of.end(), key,
                               [](const ViewKey& k, const auto& e) { return k < e.first; });
    if (it == view_of.begin() || (--it)->first != key) continue;
    const TrackView* view = it->second;
    spacing[i] = view->spacing_ms > 0 ? view->spacing_ms : 10000;
    if (b.direction == Direction::kSubscriber) {
      remote[i] = view->tr->remote_peer_id;
      if (!remote[i].empty())
        by_sender_metric[{remote[i], std::string_view(b.metric)}].push_back(i);
    }
  }

  // 1. Uplink breaches of publishers.
  for (size_t i = 0; i < breaches.size(); ++i) {
    const Breach& b = breaches[i];
    if (b.direction != Direction::kPublisher || !Qualifies(b, config)) continue;
    groups[{b.peer_id, InfoFor(b.metric, b.direction).code, Path::kUplink}].push_back(i);
  }
  // Uplink spans per sender, to explain receivers' breaches.
  auto sender_has_uplink = [&](std::string_view sender, int64_t a, int64_t z, int64_t slack) {
    // The sender's groups, in map order.
    for (auto it = groups.lower_bound(sender); it != groups.end() && it->first.peer == sender;
         ++it) {
      const auto& [key, idx] = *it;
      if (key.path != Path::kUplink) continue;
      for (size_t i : idx) {
        if (Overlaps(a, z, breaches[i].start_ms, breaches[i].end_ms, slack)) return key;
      }
    }
    return GroupKey{std::string(), std::string(), Path::kNone};
  };

  // 2. Receivers' breaches: explained by the sender, the sender's side, or downlink.
  std::vector<std::pair<size_t, GroupKey>> links;  // breach -> uplink group it joins
  // Peers receiving from the sender, and those of them suffering too: sorted,
  // unique views of ids the model and the breaches hold (reused per breach).
  std::vector<std::string_view> present, suffering;
  const auto sort_unique = [](std::vector<std::string_view>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  for (size_t i = 0; i < breaches.size(); ++i) {
    const Breach& b = breaches[i];
    if (b.direction != Direction::kSubscriber) continue;
    const int64_t slack = spacing[i];
    const char* const code = InfoFor(b.metric, b.direction).code;
    const std::string_view sender = remote[i];
    if (!sender.empty()) {
      GroupKey up = sender_has_uplink(sender, b.start_ms, b.end_ms, slack);
      if (!up.peer.empty()) {
        links.push_back({i, up});
        continue;
      }
    }
    if (!Qualifies(b, config)) continue;
    if (!sender.empty()) {
      // Do most of the sender's receivers see the same problem at the same time?
      present.clear();
      suffering.clear();
      for (const Receiver& r : receivers_of[sender]) {
        if (r.kind == b.kind && Overlaps(r.start, r.end, b.start_ms, b.end_ms, 0))
          present.push_back(r.peer);
      }
      sort_unique(&present);
      for (size_t oi : by_sender_metric[{sender, std::string_view(b.metric)}]) {
        const Breach& o = breaches[oi];
        if (std::binary_search(present.begin(), present.end(), std::string_view(o.peer_id)) &&
            Overlaps(o.start_ms, o.end_ms, b.start_ms, b.end_ms, slack)) {
          suffering.push_back(o.peer_id);
        }
      }
      sort_unique(&suffering);
      if (suffering.size() >= 2 && suffering.size() * 10 >= present.size() * 6) {
        GroupKey key{std::string(sender), code, Path::kUplink};
        groups[key].push_back(i);
        continue;
      }
    }
    groups[{b.peer_id, code, Path::kDownlink}].push_back(i);
  }

  // 3. Merge each group's breaches into issues, split where quiet for long.
  std::vector<Issue> issues;
  for (auto& [key, idx] : groups) {
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return std::tie(breaches[a].start_ms, a) < std::tie(breaches[b].start_ms, b);
    });
    Issue* cur = nullptr;
    for (size_t i : idx) {
      const Breach& b = breaches[i];
      if (!cur || b.start_ms > cur->end_ms + merge_gap) {
        issues.push_back(Issue{});
        cur = &issues.back();
        cur->code = key.code;
        cur->peer_id = key.peer;
        cur->direction = key.path;
        cur->start_ms = b.start_ms;
        cur->end_ms = b.end_ms;
        cur->severity = b.severity;
      }
      cur->end_ms = std::max(cur->end_ms, b.end_ms);
      cur->severity = std::max(cur->severity, b.severity);
      cur->breaches.push_back(i);
      if (std::find(cur->track_ids.begin(), cur->track_ids.end(), b.track_id) ==
          cur->track_ids.end()) {
        cur->track_ids.push_back(b.track_id);
      }
      if (key.path == Path::kUplink && b.direction == Direction::kSubscriber) {
        cur->affected_peers.push_back(b.peer_id);
      }
    }
  }
  // Receivers' breaches explained by a sender's uplink issue join it.
  for (const auto& [bi, key] : links) {
    const Breach& b = breaches[bi];
    for (Issue& is : issues) {
      if (is.peer_id == key.peer && is.code == key.code && is.direction == Path::kUplink &&
          Overlaps(is.start_ms, is.end_ms, b.start_ms, b.end_ms, merge_gap)) {
        is.breaches.push_back(bi);
        is.affected_peers.push_back(b.peer_id);
        break;
      }
    }
  }

  // 4. Issues from events: failures and disconnects count at once.
  for (const Event& e : session.events) {
    std::string code;
    Path path = Path::kNone;
    Severity sev = e.is_terminal ? Severity::kCritical : Severity::kWarning;
    if (e.failed == FailedOperation::kConnection) {
      code = "disconnected";
    } else if (IsDisconnect(e.leave_reason)) {
      code = "disconnected";
      sev = Severity::kWarning;
    } else if (e.is_error) {
      if (e.failed == FailedOperation::kJoin)
        code = "join_failed";
      else if (e.failed == FailedOperation::kConnect)
        code = "connect_failed";
      else if (e.failed == FailedOperation::kPublish)
        code = "publish_failed", path = Path::kUplink;
      else if (e.failed == FailedOperation::kSubscribe)
        code = "subscribe_failed", path = Path::kDownlink;
    }
    if (code.empty() || e.peer_id.empty()) continue;
    Issue* same = nullptr;
    for (Issue& is : issues) {
      if (is.code == code && is.peer_id == e.peer_id && is.breaches.empty() &&
          e.time_ms - is.end_ms <= 60000 && e.time_ms >= is.start_ms) {
        same = &is;
      }
    }
    const Peer* peer = nullptr;
    for (const Peer& p : session.peers) {
      if (p.peer_id == e.peer_id) peer = &p;
    }
    std::string name = peer ? PeerLabel(*peer) : e.peer_id;
    std::string why = e.error_name.empty() ? e.detail : e.error_name;
    if (!e.error_code.empty()) why += " (code " + e.error_code + ")";
    if (!e.error_message.empty()) why += ": " + e.error_message;
    if (same) {
      same->end_ms = e.time_ms;
      same->severity = std::max(same->severity, sev);
      same->detail += " Again at " + FormatClock(e.time_ms) + ".";
      continue;
    }
    Issue is;
    is.code = code;
    is.severity = sev;
    is.peer_id = e.peer_id;
    is.direction = path;
    is.start_ms = is.end_ms = e.time_ms;
    if (!e.track_id.empty()) is.track_ids.push_back(e.track_id);
    static const std::map<std::string, std::string> kVerb = {
        {"join_failed", "could not join"},
        {"connect_failed", "could not connect"},
        {"publish_failed", "could not publish"},
        {"subscribe_failed", "could not subscribe"},
        {"disconnected", "was disconnected"}};
    is.title = name + " " + kVerb.at(code) +
               (code == "disconnected" ? "" : (e.is_terminal ? " (gave up)" : " (retried)"));
    is.detail = "At " + FormatClock(e.time_ms) + " " + name + " " + kVerb.at(code) + ": " + why +
                (code == "disconnected" ? "."
                 : e.is_terminal        ? ". The failure was terminal."
                                        : ". The client retried.");
    is.advice = Advice(code, path);
    issues.push_back(std::move(is));
  }

  // Order by time, then explain breach-based issues and link breaches back.
  std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) {
    return std::tie(a.start_ms, a.peer_id, a.code) < std::tie(b.start_ms, b.peer_id, b.code);
  });
  for (size_t k = 0; k < issues.size(); ++k) {
    Issue& is = issues[k];
    std::sort(is.affected_peers.begin(), is.affected_peers.end());
    is.affected_peers.erase(std::unique(is.affected_peers.begin(), is.affected_peers.end()),
                            is.affected_peers.end());
    if (!is.breaches.empty()) {
      std::sort(is.breaches.begin(), is.breaches.end());
      Explain(session, breaches, &is);
    }
    for (size_t bi : is.breaches) breaches[bi].issue = static_cast<int>(k);
  }
  return issues;
}

}  // namespace callsight::analysis
