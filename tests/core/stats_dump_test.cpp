// stats_dump.h: the name tables, and TextColumn, which stores a run of equal
// texts once but reads back exactly what was written, sample by sample.
#include "ingest/stats_dump.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using namespace callsight::ingest;

TEST_CASE("stats dump names", "[stats_dump]") {
  CHECK(std::string(DumpKindName(DumpKind::kRtcstatsV3)) == "rtcstats-v3");
  CHECK(std::string(StatsFormatName(StatsFormat::kChromeLegacy)) == "chrome_legacy");
  CHECK(std::string(DumpEventKindName(DumpEventKind::kTrack)) == "track");
  CHECK(std::string(DumpEventKindName(DumpEventKind::kOther)) == "other");
}

TEST_CASE("TextColumn reads back what each sample was given", "[stats_dump]") {
  TextColumn c;
  CHECK(c.empty());
  c.push_back("a");
  c.push_back("a");
  c.push_back("");
  c.push_back("bb");
  c.push_back("a");
  CHECK(c == std::vector<std::string>{"a", "a", "", "bb", "a"});
  CHECK(c.back() == "a");
  CHECK(c.Contains("bb"));
  CHECK(c.Contains(""));
  CHECK_FALSE(c.Contains("b"));
  c.Set(1, "c");  // between two "a"
  c.Set(3, "a");
  CHECK(c == std::vector<std::string>{"a", "c", "", "a", "a"});
  CHECK_FALSE(c.Contains("bb"));  // no sample holds it any more
  c.CopySample(1, 4);
  c.resize(6);
  CHECK(c == std::vector<std::string>{"a", "c", "", "a", "c", ""});
  c.Set(5, c[4]);  // a view of the column's own text
  CHECK(c[5] == "c");
  c.assign(3, "z");
  CHECK(c == TextColumn{"z", "z", "z"});
  CHECK_FALSE(c == TextColumn{"z", "z"});
  c.clear();
  CHECK(c.size() == 0);
}

TEST_CASE("TextColumn agrees with a vector of strings under random edits", "[stats_dump]") {
  std::mt19937 rng(7);
  const std::vector<std::string> words = {"", "x", "connected", "RTCCodec_1_Outbound_111", "a\"b"};
  for (int round = 0; round < 200; ++round) {
    TextColumn c;
    std::vector<std::string> want;
    for (int step = 0; step < 60; ++step) {
      const std::string& w = words[rng() % words.size()];
      switch (want.empty() ? 0 : rng() % 4) {
        case 0:
          c.push_back(w);
          want.push_back(w);
          break;
        case 1: {
          const size_t i = rng() % want.size();
          c.Set(i, w);
          want[i] = w;
          break;
        }
        case 2: {
          const size_t from = rng() % want.size(), to = rng() % want.size();
          c.CopySample(from, to);
          want[to] = want[from];
          break;
        }
        default:
          c.resize(want.size() + 2);
          want.resize(want.size() + 2);
      }
      REQUIRE(c == want);
    }
  }
}
