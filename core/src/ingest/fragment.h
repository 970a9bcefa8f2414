// What one input document contributes, before merging: the readers fill a
// Fragment, the Ingestor merges the Fragments of accepted files in Finish().
#ifndef CALLSIGHT_INGEST_FRAGMENT_H_
#define CALLSIGHT_INGEST_FRAGMENT_H_

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
};

struct TrackOwner {
  std::string session_id;
  std::string track_id;
  std::string peer_id;
};

struct StagedEvent {
  std::string session_id;  // empty: attached in Finish by room, peer and time
  std::string room_id;
  std::string event_id;  // for de-duplication across pages and webhooks; may be empty
  Event event;
};

struct Fragment {
  std::vector<PeerStatsDoc> peer_stats;
  std::vector<PeerFact> peers;
  std::vector<SessionFact> sessions;
  std::vector<TrackOwner> track_owners;
  std::vector<StagedEvent> events;
};

// The outcome of reading one document: its kind and any messages. A document
// with an error message contributes nothing.
struct DocumentResult {
  InputKind kind = InputKind::kUnknown;
  std::vector<InputMessage> messages;
  bool ok() const {
    for (const auto& m : messages) {
      if (m.level == InputMessage::Level::kError) return false;
    }
    return true;
  }
};

}  // namespace callsight::ingest
namespace callsight::json {
class JsonCursor;
}  // namespace callsight::json
namespace callsight::ingest {

using json::JsonCursor;

// Reads the peer-stats sections of an object the JsonCursor stands in, member
// by member. Declared here, implemented in peer_stats_reader.cpp.

// Reads a whole peer-stats `publisher` or `subscriber` object at the cursor
// into doc->entries. Returns false with the cursor failed on a JSON error, or
// false with a message in `messages` on a shape error.
bool ReadPeerStatsSection(JsonCursor* cursor, Direction direction, PeerStatsDoc* doc,
                          std::vector<InputMessage>* messages);

// Checks a finished peer-stats document (lengths, order, ranges); repairs what
// is safe with warnings, adds errors otherwise.
void ValidatePeerStats(PeerStatsDoc* doc, std::vector<InputMessage>* messages);

// Orders a valid document's entries as the model orders tracks: by direction,
// kind and track id, each track's layers h, m, l (then by rid); equal ones
// keep their order. (Done per file as it is read, on any thread, so that
// merging them is cheap.)
void OrderPeerStatsEntries(PeerStatsDoc* doc);

// The end of every message rejecting a file of another kind: what callsight
// reads instead.
extern const char kWhatCallsightReads[];

// Reads a document that is not peer-stats (session, session list, analytics
// events page, webhook event) from its exact bytes: one JSON object nested at
// most max_depth deep (else an error message). `pointer_prefix` locates the
// document in its file ("/3" inside an array, "" otherwise).
DocumentResult ReadSmallDocument(std::string_view bytes, int max_depth,
                                 const std::string& pointer_prefix, const std::string& source,
                                 Fragment* out);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_FRAGMENT_H_
