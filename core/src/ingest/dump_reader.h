// Browser stats dump files: recognized by content, read by the reader of
// their layout (webrtc_internals_reader.h, rtcstats_reader.h) and converted
// to what the file contributes to the model (dump_to_model.h).
#ifndef CALLSIGHT_INGEST_DUMP_READER_H_
#define CALLSIGHT_INGEST_DUMP_READER_H_

#include <string>
#include <string_view>

#include "callsight/ingest.h"
#include "ingest/fragment.h"
#include "ingest/stats_dump.h"

namespace callsight::ingest {

// Reads `text` (a file's plain bytes) as a browser stats dump. Returns false,
// touching nothing, when it is none (the caller reads it as a 100ms export).
// Otherwise returns true with report->kind set and either the dump read into
// `out` (report->documents = 1; infos and warnings in report->messages) or
// an error message in report->messages saying what is wrong and where.
// The same whatever options.threads is.
bool ReadStatsDumpFile(std::string_view text, const std::string& name,
                       const DumpReadOptions& options, Fragment* out, InputReport* report);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_DUMP_READER_H_
