// The peer-stats fast path: cursor + section reader + validation, as the
// Ingestor drives them for a document's "publisher"/"subscriber" members.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/peer_stats_reader.h"
#include "json/json_cursor.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json::JsonCursor c(std::string_view(reinterpret_cast<const char*>(data), size), 32);
  ingest::PeerStatsDoc doc;
  std::vector<InputMessage> messages;
  std::string key;
  if (c.Peek() != json::JsonCursor::Kind::kObject) return 0;
  c.BeginObject();
  while (c.NextMember(&key)) {
    bool ok = key == "publisher"
                  ? ingest::ReadPeerStatsSection(&c, Direction::kPublisher, &doc, &messages)
              : key == "subscriber"
                  ? ingest::ReadPeerStatsSection(&c, Direction::kSubscriber, &doc, &messages)
                  : c.SkipValue();
    if (!ok) return 0;
  }
  if (!c.failed()) ingest::ValidatePeerStats(&doc, &messages);
  return 0;
}
