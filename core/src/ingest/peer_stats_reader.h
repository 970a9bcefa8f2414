// The peer-stats reader, the ingest's hot path: a document's `publisher` and
// `subscriber` sections read with JsonCursor straight into columnar series,
// then validated (safe repairs as warnings) and ordered as the model orders
// tracks.
#ifndef CALLSIGHT_INGEST_PEER_STATS_READER_H_
#define CALLSIGHT_INGEST_PEER_STATS_READER_H_

#include <vector>

#include "callsight/ingest.h"
#include "callsight/model.h"
#include "ingest/fragment.h"

namespace callsight::json {
class JsonCursor;
}  // namespace callsight::json

namespace callsight::ingest {

using json::JsonCursor;

// Reads a whole peer-stats `publisher` or `subscriber` object (or null) at
// the cursor into doc->entries, recording the JSON pointer of each entry array
// in doc->entry_arrays. Returns false with the cursor failed on a JSON error,
// or false with an error in `messages` on a shape error.
bool ReadPeerStatsSection(JsonCursor* cursor, Direction direction, PeerStatsDoc* doc,
                          std::vector<InputMessage>* messages);

// Checks a finished peer-stats document: an entry repeating a track and layer,
// columns whose length differs from the timestamps', timestamps going
// backwards and samples spanning more than a session can last are errors (at
// the first one found, checking stops); repeated timestamps are dropped and
// impossible values (negative, loss above 100 %, infinite) made missing, each
// with a warning.
void ValidatePeerStats(PeerStatsDoc* doc, std::vector<InputMessage>* messages);

// Orders a valid document's entries as the model orders tracks: by direction,
// kind and track id, each track's layers h, m, l (then by rid); equal ones
// keep their order. (Done per file as it is read, on any thread, so that
// merging them is cheap.)
void OrderPeerStatsEntries(PeerStatsDoc* doc);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_PEER_STATS_READER_H_
