// Engine entry point and chart downsampling (core/src/engine/engine.cpp).
#include "callsight/engine.h"

#include <algorithm>
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

// A peer-stats file of peer `peer` in session s1: one audio track, `samples`
// samples 1 s apart.
std::string PeerFile(const std::string& peer, int samples = 3) {
  std::string t, loss;
  for (int i = 0; i < samples; ++i) {
    t += (i ? "," : "") + std::to_string(1700000001000 + int64_t{1000} * i);
    loss += (i ? "," : "") + std::to_string(i % 7);
  }
  return R"({"peer_id":")" + peer +
         R"(","session_id":"s1","publisher":{"audio":[{"track_id":"a1","time_series":{"timestamps":[)" +
         t + R"(],"packet_loss_percent":[)" + loss + "]}}]}}";
}

// The report of `files` added one by one with AddFile, on one thread.
std::string OneByOne(const std::vector<InputFile>& files) {
  Engine e;
  for (const InputFile& f : files) e.AddFile(f);
  REQUIRE(e.Run(Config()).ok());
  return e.ReportJson();
}

// Files given to QueueFile, each with a release that counts its calls.
struct Released {
  std::vector<int> calls;
  explicit Released(size_t n) : calls(n, 0) {}
  Engine::Release For(size_t i) {
    return [this, i] { ++calls[i]; };
  }
  bool AllOnce() const {
    return std::all_of(calls.begin(), calls.end(), [](int c) { return c == 1; });
  }
};

}  // namespace

TEST_CASE("engine: small files and a big one read in the background give the one-by-one report",
          "[engine][threads]") {
  std::vector<std::string> bytes;
  for (int k = 0; k < 40; ++k) bytes.push_back(PeerFile("p" + std::to_string(k)));
  bytes.insert(bytes.begin() + 17, PeerFile("big", 300000));  // more than a batch alone
  REQUIRE(bytes[17].size() > Engine::kBatchBytes);
  bytes.insert(bytes.begin() + 30, "{\"peer_id\": ");  // rejected
  bytes.insert(bytes.begin() + 31, PeerFile("p3"));    // a duplicate of p3's stats
  std::vector<InputFile> files;
  for (size_t k = 0; k < bytes.size(); ++k) files.push_back({"f" + std::to_string(k), bytes[k]});
  const std::string expected = OneByOne(files);
  for (int threads : {1, 2, 3, 5}) {
    INFO(threads << " threads");
    Engine e(IngestOptions{}, threads);
    Released released(files.size());
    for (size_t k = 0; k < files.size(); ++k) CHECK(e.QueueFile(files[k], released.For(k)).ok());
    REQUIRE(e.Run(Config()).ok());
    CHECK(released.AllOnce());
    CHECK(e.ReportJson() == expected);
    CHECK(e.inputs().size() == files.size());
  }
}

TEST_CASE("engine: files read in the background are released once merged, not at the end",
          "[engine][threads]") {
  const std::string big = PeerFile("big", 300000);
  const std::string big2 = PeerFile("big2", 300000);
  const std::string small = PeerFile("small");
  {
    INFO("one thread: each file is read, and released, as it comes");
    Engine e(IngestOptions{}, 1);
    Released released(3);
    CHECK(e.QueueFile({"big", big}, released.For(0)).ok());
    CHECK(released.calls == std::vector<int>{1, 0, 0});
    CHECK(e.QueueFile({"small", small}, released.For(1)).ok());
    CHECK(released.calls == std::vector<int>{1, 1, 0});
    CHECK(e.QueueFile({"big2", big2}, released.For(2)).ok());
    CHECK(released.AllOnce());
    REQUIRE(e.Run(Config()).ok());
    CHECK(released.AllOnce());
  }
  {
    INFO("three threads: a batch is merged when the next one is handed over");
    Engine e(IngestOptions{}, 3);
    Released released(3);
    CHECK(e.QueueFile({"big", big}, released.For(0)).ok());  // a batch: read in the background
    CHECK(released.calls == std::vector<int>{0, 0, 0});
    CHECK(e.QueueFile({"big2", big2}, released.For(1)).ok());  // the next batch
    CHECK(released.calls == std::vector<int>{1, 0, 0});
    CHECK(e.QueueFile({"small", small}, released.For(2)).ok());  // waits for more
    CHECK(released.calls == std::vector<int>{1, 0, 0});
    REQUIRE(e.Run(Config()).ok());
    CHECK(released.AllOnce());
  }
}

TEST_CASE("engine: a rejected file does not lose its neighbours read in the background",
          "[engine][threads]") {
  const std::string a = PeerFile("a"), b = PeerFile("b");
  for (int threads : {1, 2}) {
    Engine e(IngestOptions{}, threads);
    Released released(3);
    CHECK(e.QueueFile({"a.json", a}, released.For(0)).ok());
    CHECK(e.QueueFile({"bad.json", "[{"}, released.For(1)).ok());
    CHECK(e.QueueFile({"b.json", b}, released.For(2)).ok());
    REQUIRE(e.Run(Config()).ok());
    CHECK(released.AllOnce());
    REQUIRE(e.inputs().size() == 3);
    CHECK(e.inputs()[0].status == InputStatus::kOk);
    CHECK(e.inputs()[1].status == InputStatus::kRejected);
    CHECK(e.inputs()[2].status == InputStatus::kOk);
    REQUIRE(e.model().sessions.size() == 1);
    CHECK(e.model().sessions[0].peers.size() == 2);
  }
}

TEST_CASE("engine: an unread file keeps its place among the queued ones", "[engine][threads]") {
  const std::string a = PeerFile("a"), b = PeerFile("b");
  for (int threads : {1, 3}) {
    Engine e(IngestOptions{}, threads);
    CHECK(e.QueueFile({"a.json", a}).ok());
    CHECK(e.AddUnread("gone.json", 0, "No such file or directory").ok());
    CHECK(e.QueueFile({"b.json", b}).ok());
    REQUIRE(e.Run(Config()).ok());
    REQUIRE(e.inputs().size() == 3);
    CHECK(e.inputs()[0].name == "a.json");
    CHECK(e.inputs()[1].name == "gone.json");
    CHECK(e.inputs()[1].status == InputStatus::kRejected);
    CHECK(e.inputs()[2].name == "b.json");
  }
}

TEST_CASE("engine: dropped with files queued or read in the background, it releases each once",
          "[engine][threads]") {
  const std::string big = PeerFile("big", 300000);
  const std::string small = PeerFile("small");
  for (int threads : {1, 2, 3}) {
    INFO(threads << " threads");
    Released released(3);
    {
      Engine e(IngestOptions{}, threads);
      CHECK(e.QueueFile({"big", big}, released.For(0)).ok());  // being read
      CHECK(e.QueueFile({"small", small}, released.For(1)).ok());
      CHECK(e.QueueFile({"small2", small}, released.For(2)).ok());
    }
    CHECK(released.AllOnce());
  }
}

TEST_CASE("engine: after a run the next file starts afresh, the run's files once", "[engine]") {
  const std::string a = PeerFile("a"), b = PeerFile("b");
  Engine e(IngestOptions{}, 2);
  CHECK(e.QueueFile({"a.json", a}).ok());
  REQUIRE(e.Run(Config()).ok());
  CHECK(e.inputs().size() == 1);
  CHECK(e.QueueFile({"b.json", b}).ok());
  CHECK(e.inputs().empty());  // the last run's results went with the new batch
  REQUIRE(e.Run(Config()).ok());
  REQUIRE(e.inputs().size() == 1);
  CHECK(e.inputs()[0].name == "b.json");
  REQUIRE(e.Run(Config()).ok());  // nothing given: an empty report
  CHECK(e.inputs().empty());
}

TEST_CASE("engine: analyze, report, series, errors as values", "[engine]") {
  Engine e;
  e.AddFile({"p1.json", kDoc});
  e.AddFile({"bad.json", "{"});
  REQUIRE(e.Run(Config()).ok());
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
  // Derived series only where the track has them.
  CHECK_FALSE(e.Series("s1", "p1", "publisher/a1/", "video_bitrate_total", 100).ok());
  CHECK_FALSE(e.Series("s1", "p1", "publisher/a1/", "concealment_percent", 100).ok());
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
