// Meetings (SPEC §2, as Vonage Inspector splits sessions): peers' presence
// intervals are joined; an empty gap of at least meeting_gap_ms starts a new
// meeting.
#include <algorithm>
#include <set>

#include "analysis/internal.h"

namespace callsight::analysis {

std::vector<Meeting> FindMeetings(const Session& session, const SessionAnalysis& analysis,
                                  const Config& config) {
  struct Span {
    int64_t start, end;
    size_t peer;
  };
  std::vector<Span> spans;
  for (size_t i = 0; i < session.peers.size(); ++i) {
    const PeerAnalysis& pa = analysis.peers[i];
    if (pa.left_ms >= pa.joined_ms && pa.joined_ms > 0)
      spans.push_back({pa.joined_ms, pa.left_ms, i});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.start != b.start ? a.start < b.start : a.peer < b.peer;
  });
  std::vector<Meeting> meetings;
  std::vector<std::vector<Span>> members;
  for (const Span& s : spans) {
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
    Meeting& m = meetings[k];
    std::set<size_t> peers, publishers;
    for (const Span& s : members[k]) {
      peers.insert(s.peer);
      m.participant_minutes += static_cast<double>(s.end - s.start) / 60000.0;
      const Peer& p = session.peers[s.peer];
      for (const Track& t : p.tracks) {
        if (t.direction != Direction::kPublisher) continue;
        bool in_meeting = false;
        for (const Layer& l : t.layers) {
          for (int64_t ts : l.series.timestamps_ms) {
            if (ts >= m.start_ms && ts <= m.end_ms) {
              in_meeting = true;
              break;
            }
          }
        }
        if (in_meeting) {
          ++m.published_tracks;
          publishers.insert(s.peer);
        }
      }
      if (publishers.count(s.peer) == 0 && analysis.peers[s.peer].published_tracks > 0 &&
          p.tracks.empty()) {
        publishers.insert(s.peer);  // known to publish from events only
      }
    }
    for (size_t pi : peers) m.peer_ids.push_back(session.peers[pi].peer_id);
    if (peers.size() <= 1) {
      m.call_type = "one-to-zero";
    } else if (peers.size() == 2) {
      m.call_type = "one-to-one";
    } else if (publishers.size() == 1) {
      m.call_type = "broadcast";
    } else {
      m.call_type = "multiparty";
    }
  }
  return meetings;
}

}  // namespace callsight::analysis
