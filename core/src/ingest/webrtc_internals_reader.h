// The chrome://webrtc-internals dump reader ("Download the webrtc-internals
// dump"): the plain (already decompressed) JSON text into a StatsDump. The
// layout and its gotchas are described in docs/INPUTS.md, "chrome://
// webrtc-internals dumps".
#ifndef CALLSIGHT_INGEST_WEBRTC_INTERNALS_READER_H_
#define CALLSIGHT_INGEST_WEBRTC_INTERNALS_READER_H_

#include <string_view>
#include <vector>

#include "callsight/ingest.h"
#include "ingest/stats_dump.h"

namespace callsight::ingest {

// Whether `bytes` is a webrtc-internals dump: a JSON object whose top level
// has "PeerConnections" with "getUserMedia" or "UserAgent" beside it. Cheap:
// reads top-level keys only and stops as soon as it knows (Chrome writes
// "getUserMedia" first, so the big "PeerConnections" value is not read), and
// before the first object or array of another key ("UserAgentData" aside).
bool LooksLikeWebrtcInternalsDump(std::string_view bytes, int max_depth);

// Reads a dump into *out (kind kWebrtcInternals). Returns false with an error
// in *messages (line, JSON pointer, one sentence) when the text is no JSON, is
// not a dump or has a part of the wrong shape; then *out is unusable. Repairs
// (a `values` string that is not a JSON array, timestamps that step backwards,
// a series longer than its timestamps, ...) are warnings; what is kept as it is
// but worth knowing (updateLog times written as local times) is info. Never
// throws on any input; nesting is capped at options.max_depth; the stats
// series are parsed on up to options.threads threads.
bool ReadWebrtcInternalsDump(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
                             std::vector<InputMessage>* messages);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_WEBRTC_INTERNALS_READER_H_
