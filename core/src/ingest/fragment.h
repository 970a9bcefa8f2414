// What one input document contributes, before merging: the readers fill a
// Fragment, the Ingestor merges the Fragments of accepted files in Finish().
#ifndef CALLSIGHT_INGEST_FRAGMENT_H_
#define CALLSIGHT_INGEST_FRAGMENT_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/ingest.h"
#include "callsight/model.h"

namespace callsight::ingest {

// One entry of publisher.video / publisher.audio / subscriber.video / subscriber.audio.
struct TrackEntry {
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  std::string track_id;
  std::string rid;
  Series series;
  std::optional<int> encoding_index;  // browser dumps' sent layers (Layer::encoding_index)
  // Browser dumps only: the RTP stream's SSRC as decimal text (how dumps of
  // one call find each other's media); empty for 100ms exports.
  std::string ssrc;
  std::string connection;            // browser dumps only: the peer connection's id
  std::optional<StreamFacts> facts;  // browser dumps only
  // Where the entry is, for messages: element `index` of the document's
  // entry_arrays[array] (PeerStatsDoc::Pointer). Kept as numbers: a pointer
  // string per entry would cost an allocation each, for the rare message.
  uint32_t array = 0;
  uint32_t index = 0;
};

struct PeerStatsDoc {
  std::string peer_id;
  std::string session_id;
  std::string room_id;
  std::vector<TrackEntry> entries;
  // JSON pointers of the arrays the entries come from ("/publisher/video").
  std::vector<std::string> entry_arrays;
  std::string source;  // file name

  // The JSON pointer of one of entries.
  std::string Pointer(const TrackEntry& e) const {
    return entry_arrays[e.array] + "/" + std::to_string(e.index);
  }
};

// Where a fact came from; higher wins when two inputs disagree.
enum class FactSource : uint8_t { kEvent = 0, kWebhook = 1, kSession = 2 };

struct PeerFact {
  std::string session_id;  // empty: from an event without session_id (see room_id)
  std::string room_id;     // only kept for facts without session_id
  std::string peer_id;
  FactSource source = FactSource::kEvent;
  // Only the fields this input knows are set. Its joined_ms / left_ms are one
  // join/leave pair of Peer::presence.
  PeerInfo info;
};

struct SessionFact {
  std::string session_id;
  std::string room_id;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
  std::string room_name;  // events' and webhooks' data.room_name (the fleet tables)
};

struct TrackOwner {
  std::string session_id;
  std::string track_id;
  std::string peer_id;
};

// A browser dump's peer connection, for its peer.
struct ConnectionFact {
  std::string session_id;
  std::string peer_id;
  Connection connection;
};

struct StagedEvent {
  std::string session_id;  // empty: attached in Finish by room, peer and time
  std::string room_id;
  std::string event_id;  // for de-duplication across pages and webhooks; may be empty
  Event event;
};

// How far (either side of a session's span of times) an event without
// session_id may be and still join that session (Finish(); the session index
// of `analyze --tables` uses the same reach).
inline constexpr int64_t kAttachSlackMs = 10 * 60 * 1000;

// Whether `options` keeps documents of `session_id` (IngestOptions::
// only_sessions): always for an empty id.
inline bool KeepsSession(const IngestOptions& options, const std::string& session_id) {
  const std::vector<std::string>& only = options.only_sessions;
  return only.empty() || session_id.empty() ||
         std::binary_search(only.begin(), only.end(), session_id);
}

struct Fragment {
  std::vector<PeerStatsDoc> peer_stats;
  std::vector<PeerFact> peers;
  std::vector<SessionFact> sessions;
  std::vector<TrackOwner> track_owners;
  std::vector<StagedEvent> events;
  std::vector<ConnectionFact> connections;
};

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_FRAGMENT_H_
