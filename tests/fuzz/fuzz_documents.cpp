// The small-document readers (session, session list, analytics events,
// webhook-history pages, webhooks, and the messages naming foreign
// documents), on any bytes: they read them with JsonCursor themselves.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/document_reader.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ingest::Fragment frag;
  ingest::ReadSmallDocument(text, 32, "", "fuzz.json", &frag);
  return 0;
}
