// The rtcstats dump reader: the Jitsi / rtcstats line format (one JSON array
// per line, [method, connection, value, timestampMs(, seq)]) and rtcstats
// file format 3 (a first line "RTCStatsDump", a JSON metadata line, then
// arrays whose last element is the time since the line before, with numeric
// method names and shortened stats property names), read into a StatsDump
// (stats_dump.h). getstats values are delta-compressed in both: the reader
// undoes it, so every stats object has every property at every sample.
// docs/INPUTS.md ("rtcstats dumps") describes both layouts and their gotchas.
#ifndef CALLSIGHT_INGEST_RTCSTATS_READER_H_
#define CALLSIGHT_INGEST_RTCSTATS_READER_H_

#include <string_view>
#include <vector>

#include "callsight/ingest.h"
#include "ingest/stats_dump.h"

namespace callsight::ingest {

// Whether `bytes` is an rtcstats dump: a first line "RTCStatsDump" (format
// 3), or a first line that is a JSON array starting with a method name (a
// string, or a number in format 3) followed by a second such line or naming
// connectionInfo, create or getstats. Looks at the first two lines only.
bool LooksLikeRtcstatsDump(std::string_view bytes);

// Reads an rtcstats dump into *out (kind kRtcstatsLines or kRtcstatsV3).
// Returns false with an error in `messages` naming the line (1-based) and what
// is wrong when the dump is empty, damaged or of an unsupported file format;
// repairs (samples stepping back in time, a cut-off last line, a line without
// a time) are warnings. Never throws; JSON nesting is capped at
// options.max_depth; lines are parsed on up to options.threads threads.
bool ReadRtcstatsDump(std::string_view bytes, const DumpReadOptions& options, StatsDump* out,
                      std::vector<InputMessage>* messages);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_RTCSTATS_READER_H_
