// The small-document readers (session, session list, analytics events,
// webhooks), on bytes the cursor has validated, as in the Ingestor.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/fragment.h"
#include "ingest/json_cursor.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ingest::JsonCursor c(text, 32);
  if (c.Peek() != ingest::JsonCursor::Kind::kObject || !c.SkipValue()) return 0;
  ingest::Fragment frag;
  ingest::ReadSmallDocument(text.substr(0, c.offset()), "", "fuzz.json", &frag);
  return 0;
}
