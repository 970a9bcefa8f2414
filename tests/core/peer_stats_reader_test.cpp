// The peer-stats reader (core/src/ingest/peer_stats_reader.cpp): sections read
// into entries, shape errors at their place, validation with its repairs, and
// the order of entries.
#include "ingest/peer_stats_reader.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "json/json_cursor.h"

using namespace callsight;
using ingest::JsonCursor;
using ingest::PeerStatsDoc;
using ingest::TrackEntry;

namespace {

// What reading a document's sections gave.
struct Read {
  bool ok = true;  // every section read without an error
  PeerStatsDoc doc;
  std::vector<InputMessage> messages;
};

// Reads the "publisher" and "subscriber" members of one JSON object, as the
// Ingestor drives the reader.
Read ReadSections(const std::string& json) {
  Read r;
  JsonCursor c(json, 32);
  std::string key;
  c.BeginObject();
  while (r.ok && c.NextMember(&key)) {
    if (key == "publisher" || key == "subscriber") {
      r.ok = ingest::ReadPeerStatsSection(
          &c, key == "publisher" ? Direction::kPublisher : Direction::kSubscriber, &r.doc,
          &r.messages);
    } else {
      r.ok = c.SkipValue();
    }
  }
  return r;
}

constexpr int64_t kT0 = 1700000000000LL;

// A time_series object with these timestamps (ms after kT0) and one loss column.
std::string TimeSeries(const std::string& offsets, const std::string& loss) {
  std::string stamps;
  size_t start = 0;
  while (start < offsets.size()) {
    size_t end = offsets.find(',', start);
    if (end == std::string::npos) end = offsets.size();
    if (!stamps.empty()) stamps += ",";
    stamps += std::to_string(kT0 + std::stoll(offsets.substr(start, end - start)));
    start = end + 1;
  }
  return R"({"timestamps":[)" + stamps + R"(],"packet_loss_percent":[)" + loss + "]}";
}

// A document whose publisher holds these audio entries (JSON objects).
Read Audio(const std::string& entries) {
  return ReadSections(R"({"publisher":{"audio":[)" + entries + "]}}");
}

std::vector<InputMessage> Validate(PeerStatsDoc* doc) {
  std::vector<InputMessage> messages;
  ingest::ValidatePeerStats(doc, &messages);
  return messages;
}

}  // namespace

TEST_CASE("sections: entries with their kind, rid, samples and place", "[peer-stats-reader]") {
  Read r = ReadSections(R"({"publisher":{"video":[
      {"track_id":"v1","rid":"H","type":"SCREEN","time_series":{"timestamps":[1700000000000],"fps":[5]}},
      {"track_id":"v2","rid":"m","time_series":{"timestamps":[1700000000000],"fps":[null],"bogus":[1]}}],
    "audio":[{"track_id":"a1","rid":"h","time_series":{"timestamps":[1700000000000],"bitrate":null}}]},
    "subscriber":null})");
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  REQUIRE(r.doc.entries.size() == 3);
  const TrackEntry& screen = r.doc.entries[0];
  CHECK(screen.kind == MediaKind::kScreen);  // the vocabulary in any case
  CHECK(screen.rid == "h");
  CHECK(screen.direction == Direction::kPublisher);
  CHECK(screen.series.column(Metric::kFps) == Samples{5});
  const TrackEntry& camera = r.doc.entries[1];
  CHECK(camera.kind == MediaKind::kVideo);
  REQUIRE(camera.series.column(Metric::kFps).size() == 1);
  CHECK(std::isnan(camera.series.column(Metric::kFps)[0]));  // null is missing, never 0
  const TrackEntry& audio = r.doc.entries[2];
  CHECK(audio.kind == MediaKind::kAudio);
  CHECK(audio.rid.empty());                         // audio has no layers
  CHECK_FALSE(audio.series.has(Metric::kBitrate));  // a null series is not reported
  CHECK(r.doc.Pointer(camera) == "/publisher/video/1");
  CHECK(r.doc.Pointer(audio) == "/publisher/audio/0");
  CHECK(audio.series.timestamps_ms == std::vector<int64_t>{kT0});
}

TEST_CASE("sections: repeated timestamps arrays read the same as the first",
          "[peer-stats-reader]") {
  // Tracks sampled together repeat one timestamps array; a repeat is not parsed
  // again, so each track must still get exactly its own timestamps.
  const std::string a = TimeSeries("0,1000,2000", "1,2,3");
  const std::string longer = TimeSeries("0,1000,2000,3000", "1,2,3,4");
  const std::string shorter = TimeSeries("0,1000", "1,2");
  Read r = Audio(R"({"track_id":"a1","time_series":)" + a + R"(},
      {"track_id":"a2","time_series":)" +
                 longer + R"(},
      {"track_id":"a3","time_series":)" +
                 a + R"(},
      {"track_id":"a4","time_series":)" +
                 shorter + R"(},
      {"track_id":"a5","time_series":)" +
                 longer + "}");
  REQUIRE(r.ok);
  REQUIRE(r.doc.entries.size() == 5);
  const std::vector<int64_t> three{kT0, kT0 + 1000, kT0 + 2000};
  const std::vector<int64_t> four{kT0, kT0 + 1000, kT0 + 2000, kT0 + 3000};
  CHECK(r.doc.entries[0].series.timestamps_ms == three);
  CHECK(r.doc.entries[1].series.timestamps_ms == four);
  CHECK(r.doc.entries[2].series.timestamps_ms == three);
  CHECK(r.doc.entries[3].series.timestamps_ms == std::vector<int64_t>{kT0, kT0 + 1000});
  CHECK(r.doc.entries[4].series.timestamps_ms == four);
  CHECK(r.doc.entries[4].series.column(Metric::kPacketLoss) == Samples{1, 2, 3, 4});
}

TEST_CASE("sections: more different timestamps arrays than are kept", "[peer-stats-reader]") {
  // 40 tracks with 40 different arrays, then the first ones again: each gets its own.
  std::string entries;
  for (int pass = 0; pass < 2; ++pass) {
    for (int k = 0; k < 40; ++k) {
      if (!entries.empty()) entries += ",";
      entries += R"({"track_id":"t)" + std::to_string(pass * 40 + k) + R"(","time_series":)" +
                 TimeSeries(std::to_string(k) + "," + std::to_string(k + 1000), "0,0") + "}";
    }
  }
  Read r = Audio(entries);
  REQUIRE(r.ok);
  REQUIRE(r.doc.entries.size() == 80);
  for (size_t i = 0; i < 80; ++i) {
    const int64_t k = static_cast<int64_t>(i % 40);
    CHECK(r.doc.entries[i].series.timestamps_ms == std::vector<int64_t>{kT0 + k, kT0 + k + 1000});
  }
}

TEST_CASE("sections: shape errors name the place and what was found", "[peer-stats-reader]") {
  const auto first_error = [](const Read& r) {
    REQUIRE_FALSE(r.ok);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].level == InputMessage::Level::kError);
    return r.messages[0];
  };
  InputMessage m = first_error(ReadSections(R"({"publisher":[]})"));
  CHECK(m.pointer == "/publisher");
  CHECK(m.text == "publisher must be an object, not an array");

  m = first_error(ReadSections(R"({"subscriber":{"video":{}}})"));
  CHECK(m.pointer == "/subscriber/video");
  CHECK(m.text == "video must be an array of tracks, not an object");

  m = first_error(Audio(R"({"time_series":{}})"));
  CHECK(m.pointer == "/publisher/audio/0");
  CHECK(m.text == "track entry has no track_id");

  m = first_error(Audio(R"({"track_id":7})"));
  CHECK(m.pointer == "/publisher/audio/0/track_id");
  CHECK(m.text == "track_id must be a string, not a number");

  m = first_error(Audio(R"({"track_id":"a","time_series":{"rtt_ms":[1],"rtt_ms":[2]}})"));
  CHECK(m.text == "time_series has the key \"rtt_ms\" twice");

  m = first_error(Audio(R"({"track_id":"a","time_series":{"rtt_ms":[1]}})"));
  CHECK(m.pointer == "/publisher/audio/0/time_series");
  CHECK(m.text == "time_series has samples but no timestamps");

  m = first_error(Audio(R"({"track_id":"a","time_series":{"timestamps":[1700000000]}})"));
  CHECK(m.pointer == "/publisher/audio/0/time_series/timestamps/0");
  CHECK(m.text.find("not a Unix time in milliseconds") != std::string::npos);
}

TEST_CASE("validation: errors stop at the first one found", "[peer-stats-reader]") {
  const auto error_of = [](const std::string& entries) {
    Read r = Audio(entries);
    REQUIRE(r.ok);
    std::vector<InputMessage> m = Validate(&r.doc);
    REQUIRE(m.size() == 1);
    CHECK(m[0].level == InputMessage::Level::kError);
    return m[0];
  };
  InputMessage m = error_of(R"({"track_id":"a","time_series":)" + TimeSeries("0,10000", "1,1") +
                            R"(},{"track_id":"a","time_series":)" + TimeSeries("0", "1") + "}");
  CHECK(m.pointer == "/publisher/audio/1");
  CHECK(m.text == "track a appears twice in publisher");

  m = error_of(R"({"track_id":"a","time_series":)" + TimeSeries("0,10000", "1") + "}");
  CHECK(m.pointer == "/publisher/audio/0/time_series/packet_loss_percent");
  CHECK(m.text == "packet_loss_percent has 1 samples but timestamps has 2");

  m = error_of(R"({"track_id":"a","time_series":)" + TimeSeries("10000,0", "1,1") + "}");
  CHECK(m.pointer == "/publisher/audio/0/time_series/timestamps/1");
  CHECK(m.text.rfind("timestamps go backwards", 0) == 0);

  m = error_of(R"({"track_id":"a","time_series":)" + TimeSeries("0,50400000", "1,1") + "}");
  CHECK(m.pointer == "/publisher/audio/0/time_series/timestamps");
  CHECK(m.text.find("span 14 hours") != std::string::npos);

  // Each track within a session's length, but not together.
  m = error_of(R"({"track_id":"a","time_series":)" + TimeSeries("0", "1") +
               R"(},{"track_id":"b","time_series":)" + TimeSeries("50400000", "1") + "}");
  CHECK(m.pointer == "/publisher/audio/1/time_series/timestamps");
  CHECK(m.text.find("/publisher/audio/0") != std::string::npos);
}

TEST_CASE("validation: the same track id in two directions or layers is no repeat",
          "[peer-stats-reader]") {
  Read r = ReadSections(R"({"publisher":{"video":[
      {"track_id":"v","rid":"h","time_series":{"timestamps":[1700000000000]}},
      {"track_id":"v","rid":"l","time_series":{"timestamps":[1700000000000]}}]},
    "subscriber":{"video":[{"track_id":"v","time_series":{"timestamps":[1700000000000]}}]}})");
  REQUIRE(r.ok);
  CHECK(Validate(&r.doc).empty());
}

TEST_CASE("validation: repeated timestamps and impossible values are repaired with warnings",
          "[peer-stats-reader]") {
  Read r = Audio(R"({"track_id":"a","time_series":{"timestamps":[)" + std::to_string(kT0) + "," +
                 std::to_string(kT0) + "," + std::to_string(kT0 + 10000) +
                 R"(],"packet_loss_percent":[1,2,101],"rtt_ms":[-1,5,6]}})");
  REQUIRE(r.ok);
  std::vector<InputMessage> m = Validate(&r.doc);
  REQUIRE(m.size() == 3);
  for (const auto& w : m) CHECK(w.level == InputMessage::Level::kWarning);
  CHECK(m[0].pointer == "/publisher/audio/0/time_series/timestamps");
  CHECK(m[0].text == "1 repeated timestamps; the repeated samples were dropped");
  const Series& s = r.doc.entries[0].series;
  // The first of the repeated samples stays.
  CHECK(s.timestamps_ms == std::vector<int64_t>{kT0, kT0 + 10000});
  REQUIRE(s.column(Metric::kPacketLoss).size() == 2);
  CHECK(s.column(Metric::kPacketLoss)[0] == 1);
  CHECK(std::isnan(s.column(Metric::kPacketLoss)[1]));  // loss above 100 %
  CHECK(m[1].pointer == "/publisher/audio/0/time_series/packet_loss_percent");
  CHECK(m[1].text.rfind("1 impossible values", 0) == 0);
  CHECK(std::isnan(s.column(Metric::kRtt)[0]));  // negative
  CHECK(s.column(Metric::kRtt)[1] == 6);
  CHECK(m[2].pointer == "/publisher/audio/0/time_series/rtt_ms");
}

TEST_CASE("validation: which values are impossible, and how many", "[peer-stats-reader]") {
  // Loss above 100 %, any negative, and a value too large for a sample
  // (infinite once stored) go missing and are counted; missing ones (null),
  // 100 % loss, zeros and large finite values stay as they are.
  Read r = Audio(R"({"track_id":"a","time_series":{
    "timestamps":[1700000001000,1700000002000,1700000003000,1700000004000],
    "packet_loss_percent":[100,100.5,null,0],"rtt_ms":[1e39,-0.5,3e38,0],
    "jitter_ms":[1,2,3,4]}})");
  REQUIRE(r.ok);
  std::vector<InputMessage> m = Validate(&r.doc);
  REQUIRE(m.size() == 2);
  CHECK(m[0].pointer == "/publisher/audio/0/time_series/packet_loss_percent");
  CHECK(m[0].text.rfind("1 impossible value", 0) == 0);
  CHECK(m[1].pointer == "/publisher/audio/0/time_series/rtt_ms");
  CHECK(m[1].text.rfind("2 impossible values", 0) == 0);
  const Series& s = r.doc.entries[0].series;
  const Samples& loss = s.column(Metric::kPacketLoss);
  const Samples& rtt = s.column(Metric::kRtt);
  CHECK(loss[0] == 100);
  CHECK(std::isnan(loss[1]));
  CHECK(std::isnan(loss[2]));
  CHECK(loss[3] == 0);
  CHECK(std::isnan(rtt[0]));
  CHECK(std::isnan(rtt[1]));
  CHECK(rtt[2] == 3e38f);
  CHECK(rtt[3] == 0);
  CHECK(s.column(Metric::kJitter)[3] == 4);
}

TEST_CASE("validation: a clean document is left as it is", "[peer-stats-reader]") {
  Read r =
      Audio(R"({"track_id":"a","time_series":)" + TimeSeries("0,10000,20000", "0,100,null") + "}");
  REQUIRE(r.ok);
  const Series before = r.doc.entries[0].series;
  CHECK(Validate(&r.doc).empty());
  const Series& after = r.doc.entries[0].series;
  CHECK(after.timestamps_ms == before.timestamps_ms);
  CHECK(after.column(Metric::kPacketLoss)[1] == 100);  // 100 % is possible
  CHECK(std::isnan(after.column(Metric::kPacketLoss)[2]));
}

TEST_CASE("entries are ordered by direction, kind, track and layer h, m, l",
          "[peer-stats-reader]") {
  Read r = ReadSections(R"({"subscriber":{"audio":[{"track_id":"a","time_series":{}}]},
    "publisher":{"video":[
      {"track_id":"v","rid":"l","time_series":{}},
      {"track_id":"v","rid":"x","time_series":{}},
      {"track_id":"v","time_series":{}},
      {"track_id":"v","rid":"h","time_series":{}},
      {"track_id":"u","rid":"m","time_series":{}}],
    "audio":[{"track_id":"b","time_series":{}}]}})");
  REQUIRE(r.ok);
  ingest::OrderPeerStatsEntries(&r.doc);
  std::vector<std::string> order;
  for (const auto& e : r.doc.entries) {
    order.push_back(std::string(DirectionName(e.direction)) + "/" + e.track_id + "/" + e.rid);
  }
  CHECK(order == std::vector<std::string>{"publisher/b/", "publisher/u/m", "publisher/v/h",
                                          "publisher/v/l", "publisher/v/", "publisher/v/x",
                                          "subscriber/a/"});
}
