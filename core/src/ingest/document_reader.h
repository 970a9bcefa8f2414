// The small-document reader: session, session list, analytics events page,
// webhook-history page and webhook event, read whole into a JsonTree.
#ifndef CALLSIGHT_INGEST_DOCUMENT_READER_H_
#define CALLSIGHT_INGEST_DOCUMENT_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "callsight/ingest.h"
#include "ingest/fragment.h"

namespace callsight::ingest {

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

// The end of every message rejecting a file of another kind: what callsight
// reads instead.
extern const char kWhatCallsightReads[];

// Reads a document that is not peer-stats (session, session list, analytics
// events page, webhook-history page, webhook event) from its exact bytes: one
// JSON object nested at most max_depth deep (else an error message).
// `pointer_prefix` locates the document in its file ("/3" inside an array, ""
// otherwise); `source` (the file name) becomes each event's Event::source.
// What it reads is appended to `out`, also when a later part of the document
// fails: the caller drops the Fragment of a file with an error.
DocumentResult ReadSmallDocument(std::string_view bytes, int max_depth,
                                 const std::string& pointer_prefix, const std::string& source,
                                 Fragment* out);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_DOCUMENT_READER_H_
