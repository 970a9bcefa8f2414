// Presence and meetings (SPEC §2, as Vonage Inspector splits sessions): every
// presence interval of every peer is laid on one time line; an empty gap of at
// least meeting_gap_ms starts a new meeting. A peer that left and came back
// across such a gap is in both meetings.
#include <algorithm>
#include <set>

#include "analysis/internal.h"

namespace callsight {

const char* CallTypeName(CallType t) {
  switch (t) {
    case CallType::kOneToZero:
      return "one-to-zero";
    case CallType::kOneToOne:
      return "one-to-one";
    case CallType::kMultiparty:
      return "multiparty";
    case CallType::kBroadcast:
      return "broadcast";
    case CallType::kWebinar:
      return "webinar";
  }
  return "multiparty";
}

namespace analysis {
namespace {

struct Span {
  int64_t start, end;
  size_t peer;
};

// Every presence interval of every peer, by start time.
std::vector<Span> PresenceSpans(const SessionAnalysis& analysis) {
  std::vector<Span> spans;
  for (size_t i = 0; i < analysis.peers.size(); ++i) {
    for (const Interval& iv : analysis.peers[i].presence) {
      spans.push_back({iv.start_ms, iv.end_ms, i});
    }
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.peer < b.peer;
  });
  return spans;
}

bool SamplesWithin(const Track& t, int64_t start_ms, int64_t end_ms) {
  for (const Layer& l : t.layers) {
    const std::vector<int64_t>& ts = l.series.timestamps_ms;
    auto it = std::lower_bound(ts.begin(), ts.end(), start_ms);
    if (it != ts.end() && *it <= end_ms) return true;
  }
  return false;
}

// Who was in meeting m and who sent media there; sets the counts and the call type.
void DescribeMeeting(const Session& session, const SessionAnalysis& analysis,
                     const std::vector<Span>& members, Meeting* m) {
  std::set<size_t> peers;
  std::set<std::string> people, publishers;
  bool unknown_sender = false;  // a received track whose sender is not known
  for (const Span& s : members) {
    m->participant_minutes += static_cast<double>(s.end - s.start) / 60000.0;
    peers.insert(s.peer);
  }
  for (size_t pi : peers) {
    const Peer& p = session.peers[pi];
    people.insert(p.peer_id);
    for (const Track& t : p.tracks) {
      if (!SamplesWithin(t, m->start_ms, m->end_ms)) continue;
      if (t.direction == Direction::kPublisher) {
        ++m->published_tracks;
        publishers.insert(p.peer_id);
      } else if (t.remote_peer_id.empty()) {
        unknown_sender = true;
      } else if (t.remote_peer_id != p.peer_id) {
        people.insert(t.remote_peer_id);  // receiving their media: they were there
        publishers.insert(t.remote_peer_id);
      }
    }
    // A peer known only from events still published what its track events say.
    if (p.tracks.empty() && analysis.peers[pi].published_tracks > 0) publishers.insert(p.peer_id);
  }
  // A sender nobody can name is someone else when no other person is known.
  if (unknown_sender && people.size() == 1) {
    people.insert(std::string());
    publishers.insert(std::string());
  }
  for (size_t pi : peers) m->peer_ids.push_back(session.peers[pi].peer_id);
  m->participants = static_cast<int>(people.size());
  m->publishers = static_cast<int>(publishers.size());
  m->viewers = m->participants - m->publishers;
  m->call_type = ClassifyCall(m->participants, m->publishers);
}

}  // namespace

CallType ClassifyCall(int participants, int publishers) {
  if (participants <= 1) return CallType::kOneToZero;
  if (participants == 2) return CallType::kOneToOne;
  if (publishers == 1) return CallType::kBroadcast;
  const int viewers = participants - publishers;
  if (publishers >= 1 && publishers <= kWebinarMaxPublishers &&
      viewers >= kWebinarViewersPerPublisher * publishers && participants >= kWebinarMinPeople) {
    return CallType::kWebinar;
  }
  return CallType::kMultiparty;
}

std::vector<Interval> PresenceIntervals(const Peer& peer) {
  std::vector<Interval> out;
  if (peer.presence.empty()) {
    int64_t a = 0, b = 0;
    if (PresenceOf(peer, &a, &b)) out.push_back({a, b});
    return out;
  }
  out = peer.presence;
  for (Interval& iv : out) {
    if (iv.end_ms < iv.start_ms) std::swap(iv.start_ms, iv.end_ms);
  }
  std::sort(out.begin(), out.end(),
            [](const Interval& x, const Interval& y) { return x.start_ms < y.start_ms; });
  size_t n = 0;  // merged in place: the model promises disjoint, this keeps it so
  for (const Interval& iv : out) {
    if (n > 0 && iv.start_ms <= out[n - 1].end_ms) {
      out[n - 1].end_ms = std::max(out[n - 1].end_ms, iv.end_ms);
    } else {
      out[n++] = iv;
    }
  }
  out.resize(n);
  return out;
}

std::vector<Meeting> FindMeetings(const Session& session, const SessionAnalysis& analysis,
                                  const Config& config) {
  std::vector<Meeting> meetings;
  std::vector<std::vector<Span>> members;
  for (const Span& s : PresenceSpans(analysis)) {
    if (meetings.empty() || s.start - meetings.back().end_ms >= config.meeting_gap_ms) {
      Meeting m;
      m.index = static_cast<int>(meetings.size());
      m.start_ms = s.start;
      m.end_ms = s.end;
      meetings.push_back(m);
      members.emplace_back();
    }
    meetings.back().end_ms = std::max(meetings.back().end_ms, s.end);
    members.back().push_back(s);
  }
  for (size_t k = 0; k < meetings.size(); ++k) {
    DescribeMeeting(session, analysis, members[k], &meetings[k]);
  }
  return meetings;
}

}  // namespace analysis
}  // namespace callsight
