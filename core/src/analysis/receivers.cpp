// Who receives whom (PeerAnalysis::receives_from, received_by), as the report
// and the page show it: a received track's senders are the peer its remote
// peer id names and every peer that published a track of its id. (The
// detections pair a received view with one sender's view by remote peer and
// track id: SenderView in detections_media.cpp.)
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

const Track* TrackOf(const Peer& peer, const TrackAnalysis& ta) {
  return ta.track_index < peer.tracks.size() ? &peer.tracks[ta.track_index] : nullptr;
}

// Per sender id, in the order of its first received track, this peer's
// received entries; each sender's audio first, then video, then screen.
std::vector<PeerLink> ReceivesFrom(const Peer& peer, const PeerAnalysis& pa) {
  std::vector<PeerLink> links;
  for (size_t i = 0; i < pa.tracks.size(); ++i) {
    const Track* t = TrackOf(peer, pa.tracks[i]);
    if (!t || t->direction != Direction::kSubscriber) continue;
    auto it = std::find_if(links.begin(), links.end(),
                           [&](const PeerLink& l) { return l.peer_id == t->remote_peer_id; });
    if (it == links.end()) it = links.insert(links.end(), PeerLink{t->remote_peer_id, {}});
    it->tracks.push_back(i);
  }
  for (PeerLink& l : links) {
    std::stable_sort(l.tracks.begin(), l.tracks.end(), [&](size_t a, size_t b) {
      return TrackOf(peer, pa.tracks[a])->kind < TrackOf(peer, pa.tracks[b])->kind;
    });
  }
  return links;
}

// The senders of a received track: the peer its remote peer id names, and
// every peer that published a track of its id.
class Senders {
 public:
  explicit Senders(const Session& session) {
    for (size_t pi = 0; pi < session.peers.size(); ++pi) {
      const Peer& p = session.peers[pi];
      by_id_.emplace(p.peer_id, pi);
      for (const Track& t : p.tracks) {
        if (t.direction != Direction::kPublisher) continue;
        std::vector<size_t>& pubs = by_track_[t.track_id];
        if (pubs.empty() || pubs.back() != pi) pubs.push_back(pi);
      }
    }
  }

  // Sorted, unique.
  std::vector<size_t> Of(const Track& received) const {
    std::vector<size_t> out;
    if (auto it = by_track_.find(received.track_id); it != by_track_.end()) out = it->second;
    if (auto it = by_id_.find(received.remote_peer_id); it != by_id_.end()) {
      out.push_back(it->second);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  std::map<std::string, size_t> by_id_;  // the first peer of an id
  std::map<std::string, std::vector<size_t>> by_track_;
};

}  // namespace

void LinkReceivers(const Session& session, SessionAnalysis* out) {
  const size_t n = std::min(session.peers.size(), out->peers.size());
  for (size_t ri = 0; ri < n; ++ri) {
    out->peers[ri].receives_from = ReceivesFrom(session.peers[ri], out->peers[ri]);
  }
  const Senders senders(session);
  // Receivers in peer order, each one's entries in order: every sender's
  // received_by list is in peer order, one link per receiver.
  for (size_t ri = 0; ri < n; ++ri) {
    const Peer& receiver = session.peers[ri];
    const PeerAnalysis& pa = out->peers[ri];
    for (size_t i = 0; i < pa.tracks.size(); ++i) {
      const Track* t = TrackOf(receiver, pa.tracks[i]);
      if (!t || t->direction != Direction::kSubscriber) continue;
      for (size_t si : senders.Of(*t)) {
        if (si >= n || session.peers[si].peer_id == receiver.peer_id) continue;
        std::vector<PeerLink>& links = out->peers[si].received_by;
        if (links.empty() || links.back().peer_id != receiver.peer_id) {
          links.push_back(PeerLink{receiver.peer_id, {}});
        }
        links.back().tracks.push_back(i);
      }
    }
  }
}

namespace {

// The receiver an uplink issue pairs with, and how many others it affected.
std::optional<IssuePair> UplinkPair(const Issue& issue, const std::vector<Breach>& breaches) {
  std::vector<std::string> receivers;
  auto add = [&](const std::string& id) {
    if (!id.empty() && id != issue.peer_id &&
        std::find(receivers.begin(), receivers.end(), id) == receivers.end()) {
      receivers.push_back(id);
    }
  };
  for (const std::string& id : issue.affected_peers) add(id);
  for (size_t bi : issue.explains) {
    if (bi < breaches.size()) add(breaches[bi].peer_id);
  }
  if (receivers.empty()) return std::nullopt;
  // The worst explained breach's receiver (severity, then receivers order).
  size_t best = 0;
  int best_severity = -1;
  for (size_t bi : issue.explains) {
    if (bi >= breaches.size()) continue;
    const auto it = std::find(receivers.begin(), receivers.end(), breaches[bi].peer_id);
    if (it == receivers.end()) continue;
    const size_t k = static_cast<size_t>(it - receivers.begin());
    const int sev = static_cast<int>(breaches[bi].severity);
    if (sev > best_severity || (sev == best_severity && k < best)) {
      best = k;
      best_severity = sev;
    }
  }
  return IssuePair{issue.peer_id, receivers[best], static_cast<int>(receivers.size()) - 1};
}

// The sender a downlink issue pairs with, and how many other senders it involves.
std::optional<IssuePair> DownlinkPair(const Issue& issue, const Peer& receiver,
                                      const PeerAnalysis& pa) {
  std::vector<std::string> senders;
  for (const PeerLink& link : pa.receives_from) {
    if (link.peer_id.empty() || link.peer_id == issue.peer_id) continue;
    for (size_t i : link.tracks) {
      const Track* t = i < pa.tracks.size() ? TrackOf(receiver, pa.tracks[i]) : nullptr;
      if (t && std::find(issue.track_ids.begin(), issue.track_ids.end(), t->track_id) !=
                   issue.track_ids.end()) {
        senders.push_back(link.peer_id);
        break;
      }
    }
  }
  if (senders.empty()) return std::nullopt;
  return IssuePair{senders.front(), issue.peer_id, static_cast<int>(senders.size()) - 1};
}

}  // namespace

void PairIssues(const Session& session, SessionAnalysis* out) {
  std::map<std::string, size_t> position;
  const size_t n = std::min(session.peers.size(), out->peers.size());
  for (size_t i = 0; i < n; ++i) position.emplace(session.peers[i].peer_id, i);
  for (Issue& issue : out->issues) {
    issue.pair.reset();
    if (issue.peer_id.empty()) continue;
    if (issue.direction == Path::kUplink) {
      issue.pair = UplinkPair(issue, out->breaches);
    } else if (issue.direction == Path::kDownlink) {
      const auto it = position.find(issue.peer_id);
      if (it != position.end()) {
        issue.pair = DownlinkPair(issue, session.peers[it->second], out->peers[it->second]);
      }
    }
  }
}

}  // namespace callsight::analysis
