// rtcstats file format 3 shortens method names, stats types and property
// names to numbers (rtcstats-shared compression.js); these give the names
// back. Used by the rtcstats reader (rtcstats_reader.h).
#ifndef CALLSIGHT_INGEST_RTCSTATS_CODES_H_
#define CALLSIGHT_INGEST_RTCSTATS_CODES_H_

#include <string_view>

namespace callsight::ingest {

// The method a format-3 line's numeric first element stands for ("getStats"
// for 1), or nullptr when the code is none of the table's.
const char* RtcstatsMethodName(double code);

// The stats type a numeric "type" stands for ("outbound-rtp" for 2), or
// nullptr.
const char* RtcstatsStatsTypeName(double code);

// A format-3 property key as its full name: a number written as a string
// ("75") by the table, "t" as "timestamp", anything else as it is. The view
// returned is `key` itself or a name of static storage.
std::string_view DecompressPropertyKey(std::string_view key);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_RTCSTATS_CODES_H_
