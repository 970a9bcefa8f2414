// Who receives whom (PeerAnalysis::receives_from, received_by), as the report
// and the page show it: a received track's senders are the peer its remote
// peer id names and every peer that published a track of its id. (The
// detections pair a received view with one sender's view by remote peer and
// track id: SenderView in detections_media.cpp.)
#include <algorithm>
#include <map>
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

}  // namespace callsight::analysis
