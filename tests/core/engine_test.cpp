// Engine entry point and chart downsampling (core/src/engine/engine.cpp).
#include "callsight/engine.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "callsight/scoring.h"

using namespace callsight;

TEST_CASE("downsampling keeps each bucket's min and max", "[engine]") {
  std::vector<int64_t> t;
  std::vector<double> v;
  for (int i = 0; i < 10000; ++i) {
    t.push_back(i * 1000);
    v.push_back(i == 4321 ? 999 : (i == 7777 ? -5 : 1));
  }
  ChartSeries c = Downsample(t, v, 200);
  CHECK(c.t_ms.size() <= 200);
  CHECK(c.t_ms.size() == c.values.size());
  bool spike = false, dip = false;
  for (size_t i = 0; i < c.values.size(); ++i) {
    spike |= c.values[i] == 999 && c.t_ms[i] == 4321000;
    dip |= c.values[i] == -5;
    if (i) CHECK(c.t_ms[i] >= c.t_ms[i - 1]);
  }
  CHECK(spike);
  CHECK(dip);
}

TEST_CASE("downsampling leaves short series alone and keeps gaps", "[engine]") {
  ChartSeries s = Downsample({1, 2, 3}, std::vector<double>{1, NAN, 3}, 100);
  REQUIRE(s.values.size() == 3);
  CHECK(std::isnan(s.values[1]));
  std::vector<int64_t> t;
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) {
    t.push_back(i);
    v.push_back(i >= 400 && i < 600 ? NAN : 2);
  }
  ChartSeries g = Downsample(t, v, 20);
  bool gap = false;
  for (double x : g.values) gap |= std::isnan(x);
  CHECK(gap);
}

namespace {
const char* kDoc = R"({"peer_id":"p1","session_id":"s1","publisher":{"audio":[{"track_id":"a1",
  "time_series":{"timestamps":[1700000001000,1700000011000,1700000021000],"packet_loss_percent":[0,1,2],"rtt_ms":[50,60,70],
  "jitter_ms":[5,5,5]}}]}})";
}

TEST_CASE("engine: files read in the background give the same report", "[engine][threads]") {
  std::vector<std::string> bytes;
  for (int k = 0; k < 12; ++k) {
    std::string doc = kDoc;
    const size_t at = doc.find("\"p1\"");
    REQUIRE(at != std::string::npos);
    doc.replace(at, 4, "\"p" + std::to_string(k) + "\"");
    bytes.push_back(doc);
  }
  std::vector<InputFile> files;
  for (size_t k = 0; k < bytes.size(); ++k) files.push_back({"p" + std::to_string(k), bytes[k]});
  Engine sync;
  sync.AddFiles(files);
  sync.Run(Config());
  for (int threads : {1, 2, 3}) {
    INFO(threads << " threads");
    Engine e(IngestOptions{}, threads);
    std::vector<size_t> released;
    e.StartAddFiles({files.begin(), files.begin() + 5}, [&](size_t i) { released.push_back(i); });
    e.FinishAddFiles();
    CHECK(released == std::vector<size_t>{0, 1, 2, 3, 4});
    e.StartAddFiles({files.begin() + 5, files.begin() + 9});
    e.AddFile(files[9]);  // finishes the files before it first
    e.StartAddFiles({files.begin() + 10, files.end()});
    e.Run(Config());  // and so does Run
    CHECK(e.ReportJson() == sync.ReportJson());
    // Dropped with files still being read: they stop, nothing is released.
    released.clear();
    {
      Engine dropped(IngestOptions{}, threads);
      dropped.StartAddFiles(files, [&](size_t i) { released.push_back(i); });
    }
    CHECK(released.empty());
  }
}

TEST_CASE("engine: analyze, report, series, errors as values", "[engine]") {
  Engine e;
  e.AddFile({"p1.json", kDoc});
  e.AddFile({"bad.json", "{"});
  e.Run(Config());
  CHECK(e.any_rejected());
  CHECK(e.inputs().size() == 2);
  REQUIRE(e.model().sessions.size() == 1);
  std::string json = e.ReportJson();
  CHECK(json.find("\"schema_version\":2") != std::string::npos);
  CHECK(json.find("bad.json") != std::string::npos);
  auto loss = e.Series("s1", "p1", "publisher/a1/", "packet_loss_percent", 100);
  REQUIRE(loss.ok());
  CHECK(loss.value().values == std::vector<double>{0, 1, 2});
  auto mos = e.Series("s1", "p1", "publisher/a1/", "mos", 100);
  REQUIRE(mos.ok());
  CHECK(mos.value().values[0] > 4.0);
  CHECK(mos.value().values[2] < mos.value().values[0]);
  // The chart draws the MOS the analysis scored.
  const Series& audio = e.model().sessions[0].peers[0].tracks[0].layers[0].series;
  const Samples scored =
      AudioMosSamples(audio.column(Metric::kRtt), audio.column(Metric::kJitter),
                      audio.column(Metric::kPacketLoss), audio.size(), Config().audio_profile);
  REQUIRE(mos.value().values.size() == scored.size());
  for (size_t i = 0; i < scored.size(); ++i) CHECK(mos.value().values[i] == scored[i]);
  auto missing = e.Series("s1", "p1", "publisher/a1/", "fps", 100);
  CHECK_FALSE(missing.ok());
  CHECK(missing.status().message().find("fps") != std::string::npos);
  CHECK_FALSE(e.Series("s1", "nobody", "x", "fps", 100).ok());
  CHECK_FALSE(e.Series("nope", "p1", "x", "fps", 100).ok());
  // The next run starts afresh.
  e.AddFile({"p1.json", kDoc});
  e.Run(Config());
  CHECK_FALSE(e.any_rejected());
  CHECK(e.inputs().size() == 1);
}

TEST_CASE("engine: a failure event alone makes the verdict, and --fail-on, a warning",
          "[engine][verdict]") {
  // Shaped like 100ms's analytics error events: the action as exported, upper case.
  const std::string events = R"({"limit": 1, "total": 1, "events": [{
    "version": "2.0", "id": "e1", "timestamp": "2024-07-17T11:05:59.736Z",
    "type": "client.join.failed",
    "data": {"user_id": "u1", "user_name": "User 1", "peer_id": "p1", "room_id": "r1",
             "session_id": "s1", "role": "host", "is_terminal": false, "action": "JOIN",
             "error_code": 2003, "error_name": "EndpointUnreachable",
             "error_message": "Endpoint is not reachable"}}]})";
  Engine e;
  e.AddFile({"events.json", events});
  e.Run(Config());
  REQUIRE(e.analysis().sessions.size() == 1);
  const SessionAnalysis& sa = e.analysis().sessions[0];
  CHECK(sa.verdict.level == VerdictLevel::kWarning);
  CHECK(sa.verdict.failures == 1);
  CHECK(sa.verdict.never_joined == 1);
  REQUIRE(e.worst_severity().has_value());
  CHECK(*e.worst_severity() == Severity::kWarning);
  CHECK(e.ReportText().find("No problems found") == std::string::npos);
}
