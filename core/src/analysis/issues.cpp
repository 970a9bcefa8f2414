// Issues: breaches interpreted and attributed, plus issues from failure and
// disconnect events and from the detections (detections.h). Issues carry typed facts; the report
// puts them in words.
//
// Attribution (SPEC §2, docs/REPORT.md "Attribution"): a receiver's breach on
// media from sender S is S's uplink problem when S has an uplink breach at
// that time on the same media that can cause it (CanCause), or when most of
// S's receivers of that media see the same problem at once; the receiver's
// breach then joins S's issue. Otherwise it is the receiver's downlink.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "analysis/detections.h"
#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

bool Overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1, int64_t slack) {
  return a0 <= b1 + slack && b0 <= a1 + slack;
}

}  // namespace

bool CanCause(BreachMetric sent, BreachMetric received) {
  using M = BreachMetric;
  switch (sent) {
    case M::kPacketLoss:
      // Packets lost on the way up never reach anyone: receivers see the loss,
      // conceal the missing audio, freeze or show fewer frames.
      return received == M::kPacketLoss || received == M::kConcealment ||
             received == M::kFreezeCount || received == M::kFps;
    case M::kJitter:
      // Packets sent unevenly arrive late: the receiver's jitter buffer
      // conceals what came too late to play.
      return received == M::kConcealment;
    case M::kAudioBitrate:
    case M::kVideoBitrateTotal:
    case M::kFps:
    case M::kLayerOff:
      // Less sent (bits, frames, layers) is less received.
      return received == M::kFps || received == M::kAudioBitrate ||
             received == M::kVideoBitrateTotal;
    case M::kRtt:
      // A long round trip alone leaves no trace in what the receiver reports.
    case M::kMos:
      // An estimate from the sender's loss, delay and jitter: those breaches
      // carry the cause themselves.
    case M::kMediaGap:
      // A sender that stops reporting: receivers' gaps count only while the
      // sender still sends, so nothing of theirs follows from it.
    case M::kConcealment:
    case M::kFreezeCount:
      // Receivers' metrics: never on a sender's uplink.
      return false;
  }
  return false;
}

bool SameMedia(MediaKind kind_a, std::string_view track_a, MediaKind kind_b,
               std::string_view track_b) {
  if (kind_a == MediaKind::kAudio || kind_b == MediaKind::kAudio) return kind_a == kind_b;
  return track_a == track_b;
}
bool SameMedia(const Breach& a, const Breach& b) {
  return SameMedia(a.kind, a.track_id, b.kind, b.track_id);
}

namespace {

// Qualifies for an issue: a span of issue_min_ms, or at least
// issue_min_samples samples that hold issue_min_ms between them (samples x
// the track's spacing, which may run 20 % short as sample windows jitter:
// two 10 s samples do, two of a browser dump's 1 s samples do not); a single
// sample never does.
bool Qualifies(const Breach& b, int64_t spacing_ms, const Config& config) {
  if (b.metric == BreachMetric::kMediaGap) return true;  // >= a minute of silence
  if (b.samples < 2) return false;
  const int64_t held = static_cast<int64_t>(b.samples) * spacing_ms;
  return b.end_ms - b.start_ms >= config.issue_min_ms ||
         (b.samples >= static_cast<size_t>(config.issue_min_samples) &&
          held * 5 >= config.issue_min_ms * 4);
}

struct GroupKey {
  std::string peer;
  IssueCode code;
  Path path;
  bool operator<(const GroupKey& o) const {
    return std::tie(peer, code, path) < std::tie(o.peer, o.code, o.path);
  }
};
using Groups = std::map<GroupKey, std::vector<size_t>>;

// A peer receiving a sender's track, and over what time. Ids are views of the
// model's strings, which outlive the analysis and do not move.
struct Receiver {
  std::string_view peer;
  std::string_view track;
  int64_t start, end;
  MediaKind kind;
};

// What BuildIssues needs to know about the breaches and who sends what.
struct Context {
  std::vector<std::string_view> sender;  // per breach: sender of a subscriber track, or ""
  std::vector<int64_t> spacing;          // per breach: its track's sample spacing
  // Receivers per sender.
  std::map<std::string_view, std::vector<Receiver>> receivers_of;
  // Receivers' breaches per (sender, metric).
  std::map<std::pair<std::string_view, BreachMetric>, std::vector<size_t>> received_from;
  // Qualifying uplink breaches per sender, in breach order.
  std::map<std::string_view, std::vector<size_t>> sent_by;
};

Context BuildContext(const std::vector<TrackView>& views, const std::vector<Breach>& breaches,
                     const Config& config) {
  Context ctx;
  for (const TrackView& v : views) {
    if (v.tr->direction == Direction::kSubscriber && !v.tr->remote_peer_id.empty()) {
      ctx.receivers_of[v.tr->remote_peer_id].push_back(
          {v.p->peer_id, v.tr->track_id, v.t().front(), v.t().back(), v.tr->kind});
    }
  }
  // The view of each breach, by (peer, track, direction). A sorted vector,
  // not a map: one allocation, not one per view. Of views with the same key,
  // the last counts.
  using ViewKey = std::tuple<std::string_view, std::string_view, Direction>;
  std::vector<std::pair<ViewKey, const TrackView*>> view_of;
  view_of.reserve(views.size());
  for (const TrackView& v : views) {
    view_of.push_back({{v.p->peer_id, v.tr->track_id, v.tr->direction}, &v});
  }
  std::stable_sort(view_of.begin(), view_of.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  ctx.sender.resize(breaches.size());
  ctx.spacing.assign(breaches.size(), 10000);
  for (size_t i = 0; i < breaches.size(); ++i) {
    const Breach& b = breaches[i];
    const ViewKey key{b.peer_id, b.track_id, b.direction};
    auto it = std::upper_bound(view_of.begin(), view_of.end(), key,
                               [](const ViewKey& k, const auto& e) { return k < e.first; });
    const TrackView* view = it == view_of.begin() || (--it)->first != key ? nullptr : it->second;
    if (view) ctx.spacing[i] = view->spacing_ms > 0 ? view->spacing_ms : 10000;
    if (b.direction == Direction::kPublisher && Qualifies(b, ctx.spacing[i], config)) {
      ctx.sent_by[b.peer_id].push_back(i);
    }
    if (!view) continue;
    if (b.direction == Direction::kSubscriber) {
      ctx.sender[i] = view->tr->remote_peer_id;
      if (!ctx.sender[i].empty()) ctx.received_from[{ctx.sender[i], b.metric}].push_back(i);
    }
  }
  return ctx;
}

// The sender's qualifying uplink breach that explains receiver breach i (the
// first in breach order that can cause it, on the same media, overlapping in
// time), or kNone.
size_t FindCause(const Context& ctx, const std::vector<Breach>& breaches, size_t i) {
  const Breach& b = breaches[i];
  auto it = ctx.sent_by.find(ctx.sender[i]);
  if (it == ctx.sent_by.end()) return kNone;
  for (size_t j : it->second) {
    const Breach& s = breaches[j];
    if (CanCause(s.metric, b.metric) && SameMedia(s, b) &&
        Overlaps(b.start_ms, b.end_ms, s.start_ms, s.end_ms, ctx.spacing[i])) {
      return j;
    }
  }
  return kNone;
}

// Whether most (>= 60 %, and at least two) of the peers receiving the same
// media from receiver breach i's sender show a breach of the same metric on
// that media at the same time.
bool MostReceiversSuffer(const Context& ctx, const std::vector<Breach>& breaches, size_t i) {
  const Breach& b = breaches[i];
  const std::string_view sender = ctx.sender[i];
  std::vector<std::string_view> present, suffering;
  auto rit = ctx.receivers_of.find(sender);
  if (rit == ctx.receivers_of.end()) return false;
  for (const Receiver& r : rit->second) {
    if (SameMedia(r.kind, r.track, b.kind, b.track_id) &&
        Overlaps(r.start, r.end, b.start_ms, b.end_ms, 0)) {
      present.push_back(r.peer);
    }
  }
  const auto sort_unique = [](std::vector<std::string_view>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  sort_unique(&present);
  auto oit = ctx.received_from.find({sender, b.metric});
  if (oit == ctx.received_from.end()) return false;
  for (size_t oi : oit->second) {
    const Breach& o = breaches[oi];
    if (SameMedia(o, b) &&
        std::binary_search(present.begin(), present.end(), std::string_view(o.peer_id)) &&
        Overlaps(o.start_ms, o.end_ms, b.start_ms, b.end_ms, ctx.spacing[i])) {
      suffering.push_back(o.peer_id);
    }
  }
  sort_unique(&suffering);
  return suffering.size() >= 2 && suffering.size() * 10 >= present.size() * 6;
}

// Receivers' breaches: explained by a sender's uplink breach (returned as
// (receiver breach, sender breach) links), grouped under the sender when most
// of its receivers suffer, else grouped as the receiver's downlink.
std::vector<std::pair<size_t, size_t>> AttributeReceivedBreaches(
    const Context& ctx, const std::vector<Breach>& breaches, const Config& config, Groups* groups) {
  std::vector<std::pair<size_t, size_t>> links;
  for (size_t i = 0; i < breaches.size(); ++i) {
    const Breach& b = breaches[i];
    if (b.direction != Direction::kSubscriber) continue;
    const IssueCode code = IssueCodeOf(b.metric);
    if (!ctx.sender[i].empty()) {
      const size_t cause = FindCause(ctx, breaches, i);
      if (cause != kNone) {
        links.push_back({i, cause});
        continue;
      }
    }
    if (!Qualifies(b, ctx.spacing[i], config)) continue;
    if (!ctx.sender[i].empty() && MostReceiversSuffer(ctx, breaches, i)) {
      (*groups)[{std::string(ctx.sender[i]), code, Path::kUplink}].push_back(i);
      continue;
    }
    (*groups)[{b.peer_id, code, Path::kDownlink}].push_back(i);
  }
  return links;
}

// Each group's breaches merged into issues, split where quiet for longer than
// merge_gap_ms. Sets issue_of[breach] for every grouped breach.
std::vector<Issue> MergeGroups(Groups* groups, const std::vector<Breach>& breaches,
                               int64_t merge_gap_ms, std::vector<size_t>* issue_of) {
  std::vector<Issue> issues;
  for (auto& [key, idx] : *groups) {
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return std::tie(breaches[a].start_ms, a) < std::tie(breaches[b].start_ms, b);
    });
    Issue* cur = nullptr;
    for (size_t i : idx) {
      const Breach& b = breaches[i];
      if (!cur || b.start_ms > cur->end_ms + merge_gap_ms) {
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
      (*issue_of)[i] = issues.size() - 1;
      if (std::find(cur->track_ids.begin(), cur->track_ids.end(), b.track_id) ==
          cur->track_ids.end()) {
        cur->track_ids.push_back(b.track_id);
      }
    }
  }
  return issues;
}

// Two failure events of one kind on one peer this close are one occurrence
// reported by two sources (the platform's webhook and the client's event).
constexpr int64_t kSameOccurrenceMs = 5000;

// Whether none of the peer's connections (browser dumps) ever connected.
bool NeverConnected(const Session& session, const std::string& peer_id) {
  for (const Peer& p : session.peers) {
    if (p.peer_id != peer_id || p.connections.empty()) continue;
    return std::none_of(p.connections.begin(), p.connections.end(),
                        [](const Connection& c) { return c.connected_ms.has_value(); });
  }
  return false;
}

// Issues from events: failures and disconnects count at once.
void AddEventIssues(const Session& session, std::vector<Issue>* issues) {
  for (size_t ei = 0; ei < session.events.size(); ++ei) {
    const Event& e = session.events[ei];
    std::optional<IssueCode> code;
    Path path = Path::kNone;
    Severity sev = e.is_terminal ? Severity::kCritical : Severity::kWarning;
    if (e.failed == FailedOperation::kOther && EventTypeIs(e, "webrtc.ice_candidate_error")) {
      // A STUN or TURN server the browser could not use (docs/DETECTIONS.md,
      // "ice_candidate_error"): critical when the peer never connected.
      code = IssueCode::kIceCandidateError;
      sev = NeverConnected(session, e.peer_id) ? Severity::kCritical : Severity::kWarning;
    } else if (e.failed == FailedOperation::kOther && SignalingStepOf(e) != nullptr) {
      // An offer, answer or candidate the browser refused (docs/DETECTIONS.md,
      // "signaling_error"): critical when the peer never connected.
      code = IssueCode::kSignalingError;
      sev = NeverConnected(session, e.peer_id) ? Severity::kCritical : Severity::kWarning;
    } else if (e.failed == FailedOperation::kConnection) {
      code = IssueCode::kDisconnected;
    } else if (IsDisconnect(e.leave_reason)) {
      code = IssueCode::kDisconnected;
      sev = Severity::kWarning;
    } else if (e.is_error) {
      if (e.failed == FailedOperation::kJoin)
        code = IssueCode::kJoinFailed;
      else if (e.failed == FailedOperation::kConnect)
        code = IssueCode::kConnectFailed;
      else if (e.failed == FailedOperation::kPublish)
        code = IssueCode::kPublishFailed, path = Path::kUplink;
      else if (e.failed == FailedOperation::kSubscribe)
        code = IssueCode::kSubscribeFailed, path = Path::kDownlink;
    }
    if (!code || e.peer_id.empty()) continue;
    Issue* same = nullptr;
    for (Issue& is : *issues) {
      if (is.code == *code && is.peer_id == e.peer_id && is.breaches.empty() &&
          e.time_ms - is.end_ms <= 60000 && e.time_ms >= is.start_ms) {
        same = &is;
      }
    }
    if (same) {
      same->severity = std::max(same->severity, sev);
      // Within seconds it is the same occurrence told twice (a leave webhook
      // and the client's disconnect event): not a repeat. A browser's failed
      // signalling steps are each their own (one dump tells each once).
      if (e.time_ms - same->end_ms <= kSameOccurrenceMs && *code != IssueCode::kSignalingError) {
        // The client's event names the error; the webhook only the reason.
        const Event& told = session.events[same->events.back()];
        if (told.error_code.empty() && !e.error_code.empty()) same->events.back() = ei;
        continue;
      }
      same->end_ms = e.time_ms;
      same->events.push_back(ei);
      continue;
    }
    Issue is;
    is.code = *code;
    is.severity = sev;
    is.peer_id = e.peer_id;
    is.direction = path;
    is.start_ms = is.end_ms = e.time_ms;
    if (!e.track_id.empty()) is.track_ids.push_back(e.track_id);
    is.events.push_back(ei);
    issues->push_back(std::move(is));
  }
}

// The figures of a breach-based issue from its own breaches (those of its
// code; receivers' breaches it explains count only as explained), and the
// receivers' breaches and peers it explains.
void Summarize(const std::vector<Breach>& breaches, Issue* issue) {
  std::sort(issue->breaches.begin(), issue->breaches.end());
  std::vector<size_t> own;
  for (size_t bi : issue->breaches) {
    if (IssueCodeOf(breaches[bi].metric) == issue->code) own.push_back(bi);
    if (issue->direction == Path::kUplink && breaches[bi].direction == Direction::kSubscriber) {
      issue->explains.push_back(bi);
      issue->affected_peers.push_back(breaches[bi].peer_id);
    }
  }
  std::sort(issue->affected_peers.begin(), issue->affected_peers.end());
  issue->affected_peers.erase(
      std::unique(issue->affected_peers.begin(), issue->affected_peers.end()),
      issue->affected_peers.end());
  if (own.empty()) own = issue->breaches;
  const Breach& first = breaches[own.front()];
  const bool above = HigherIsWorse(first.metric);
  issue->metric = first.metric;
  issue->measured = first.direction;
  double peak = first.peak, sum = 0, threshold = first.threshold;
  size_t n = 0;
  for (size_t bi : own) {
    const Breach& b = breaches[bi];
    peak = above ? std::max(peak, b.peak) : std::min(peak, b.peak);
    sum += b.mean * static_cast<double>(b.samples);
    n += b.samples;
    if (b.severity == issue->severity) threshold = b.threshold;
    issue->kinds.push_back(b.kind);
    issue->rids.push_back(b.rid);
  }
  issue->peak = peak;
  issue->mean = n ? sum / static_cast<double>(n) : first.mean;
  issue->threshold = threshold;
  std::sort(issue->kinds.begin(), issue->kinds.end());
  issue->kinds.erase(std::unique(issue->kinds.begin(), issue->kinds.end()), issue->kinds.end());
  std::sort(issue->rids.begin(), issue->rids.end());
  issue->rids.erase(std::unique(issue->rids.begin(), issue->rids.end()), issue->rids.end());
}

// A poor-MOS detection on a path that already has an audio issue of that
// peer at that time (loss, delay, jitter, concealment or the sent MOS) says
// nothing new: that issue is the cause to act on. The detection's listeners
// then join that issue's affected peers instead of a second issue.
bool FoldIntoAudioIssue(const Detection& d, const std::vector<Breach>& breaches, int64_t slack,
                        std::vector<Issue>* issues) {
  if (d.kind != DetectionKind::kLowReceivedAudioMos) return false;
  for (Issue& is : *issues) {
    if (is.peer_id != d.peer_id || is.direction != d.direction) continue;
    const bool audio = std::any_of(is.breaches.begin(), is.breaches.end(), [&](size_t bi) {
      return breaches[bi].kind == MediaKind::kAudio &&
             Overlaps(breaches[bi].start_ms, breaches[bi].end_ms, d.start_ms, d.end_ms, slack);
    });
    if (!audio) continue;
    if (d.direction == Path::kUplink) {
      for (const std::string& p : d.peers) {
        if (p != d.peer_id) is.affected_peers.push_back(p);
      }
    }
    return true;
  }
  return false;
}

}  // namespace

std::vector<Issue> BuildIssues(const Session& session, const std::vector<TrackView>& views,
                               std::vector<Breach>* breaches_ptr, const Config& config,
                               int threads) {
  std::vector<Breach>& breaches = *breaches_ptr;
  const Context ctx = BuildContext(views, breaches, config);
  Groups groups;
  // 1. Uplink breaches of publishers.
  for (const auto& [sender, idx] : ctx.sent_by) {
    for (size_t i : idx) {
      groups[{std::string(sender), IssueCodeOf(breaches[i].metric), Path::kUplink}].push_back(i);
    }
  }
  // 2. Receivers' breaches: explained by the sender, the sender's side, or downlink.
  const auto links = AttributeReceivedBreaches(ctx, breaches, config, &groups);
  // 3. Issues from the groups; explained receivers' breaches join their cause's issue.
  std::vector<size_t> issue_of(breaches.size(), kNone);
  std::vector<Issue> issues = MergeGroups(&groups, breaches, config.window_ms, &issue_of);
  for (const auto& [received, cause] : links) issues[issue_of[cause]].breaches.push_back(received);
  // 4. Issues from events, and from browser dumps' peer connections.
  AddEventIssues(session, &issues);
  AddConnectionIssues(session, &issues);
  // 5. Issues from the detections (docs/DETECTIONS.md), which read the breaches;
  // a poor-MOS one that an audio issue already explains joins that issue.
  for (const Detection& d : FindDetections(session, views, breaches, config, threads)) {
    if (FoldIntoAudioIssue(d, breaches, config.window_ms, &issues)) continue;
    issues.push_back(IssueOf(d));
  }
  // Order by time, then sum up breach-based issues and link breaches back.
  std::stable_sort(issues.begin(), issues.end(), [](const Issue& a, const Issue& b) {
    const std::string_view ca = IssueCodeName(a.code), cb = IssueCodeName(b.code);
    return std::tie(a.start_ms, a.peer_id, ca) < std::tie(b.start_ms, b.peer_id, cb);
  });
  for (size_t k = 0; k < issues.size(); ++k) {
    Issue& is = issues[k];
    if (!is.breaches.empty()) Summarize(breaches, &is);
    for (size_t bi : is.breaches) breaches[bi].issue = static_cast<int>(k);
  }
  return issues;
}

}  // namespace callsight::analysis
