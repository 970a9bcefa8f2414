// rtcstats file format 3's codes given back as names (compression.js tables).
#include "ingest/rtcstats_codes.h"

#include <catch2/catch.hpp>
#include <string>

using namespace callsight::ingest;

TEST_CASE("Method and stats type codes give their names, others nothing", "[rtcstats_codes]") {
  CHECK(std::string(RtcstatsMethodName(1)) == "getStats");
  CHECK(std::string(RtcstatsMethodName(24)) == "oniceconnectionstatechange");
  CHECK(std::string(RtcstatsMethodName(39)) == "create");
  CHECK(RtcstatsMethodName(0) == nullptr);
  CHECK(RtcstatsMethodName(1.5) == nullptr);  // not a whole number
  CHECK(RtcstatsMethodName(-1) == nullptr);
  CHECK(RtcstatsMethodName(1e9) == nullptr);
  CHECK(std::string(RtcstatsStatsTypeName(2)) == "outbound-rtp");
  CHECK(std::string(RtcstatsStatsTypeName(14)) == "codec");
  CHECK(RtcstatsStatsTypeName(15) == nullptr);
}

TEST_CASE("Property keys: codes and t decompressed, the rest kept", "[rtcstats_codes]") {
  CHECK(DecompressPropertyKey("t") == "timestamp");
  CHECK(DecompressPropertyKey("4") == "payloadType");
  CHECK(DecompressPropertyKey("176") == "ccfbMessagesReceived");
  CHECK(DecompressPropertyKey("999") == "999");    // no such code
  CHECK(DecompressPropertyKey("1000") == "1000");  // longer than a code
  CHECK(DecompressPropertyKey("4a") == "4a");
  CHECK(DecompressPropertyKey("bytesSent") == "bytesSent");
  CHECK(DecompressPropertyKey("") == "");
}
