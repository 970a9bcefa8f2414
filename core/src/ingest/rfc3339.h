// RFC 3339 timestamps, as 100ms's session documents and events write them.
#ifndef CALLSIGHT_INGEST_RFC3339_H_
#define CALLSIGHT_INGEST_RFC3339_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace callsight {

// Parses an RFC 3339 timestamp with 0 to 9 fraction digits and a Z or +hh:mm
// offset into epoch ms. "0001-01-01T00:00:00Z" (Go's zero time) -> nullopt, as
// does anything that is not a valid timestamp.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace callsight

#endif  // CALLSIGHT_INGEST_RFC3339_H_
