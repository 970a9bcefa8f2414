// The JSON report (core/src/report/json_report.cpp, SPEC §3) on a small
// session model and analysis built by hand (report_fixture.h).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "callsight/report.h"
#include "core/report_fixture.h"
#include "core/report_parts.h"

namespace callsight {
namespace {

using json = nlohmann::json;
using Fixture = testing::ReportFixture;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const json& PeerById(const json& session, const std::string& id) {
  for (const json& p : session.at("peers")) {
    if (p.at("peer_id") == id) return p;
  }
  FAIL("no peer " << id);
  static const json kNone;
  return kNone;
}

TEST_CASE("report: top level, generator, config and inputs", "[report]") {
  const json r = Fixture().Json();
  CHECK(r.at("schema_version") == 2);
  CHECK(r.at("generator").at("name") == "callsight");
  CHECK(r.at("generator").at("version").is_string());
  CHECK(r.at("config").at("low_mos") == Approx(3.1));
  REQUIRE(r.at("inputs").size() == 2);
  const json& ok = r.at("inputs")[0];
  CHECK(ok.at("kind") == "peer-stats");
  CHECK(ok.at("status") == "ok");
  CHECK(ok.at("bytes") == 1234);
  CHECK(ok.at("documents") == 2);
  const json& bad = r.at("inputs")[1];
  CHECK(bad.at("status") == "rejected");
  REQUIRE(bad.at("messages").size() == 2);
  CHECK(bad.at("messages")[0].at("level") == "error");
  CHECK(bad.at("messages")[0].at("line") == 3);
  CHECK(bad.at("messages")[0].at("pointer") == "/peers/0");
  CHECK(bad.at("messages")[0].at("message") ==
        "broken.json: line 3, at /peers/0: expected an object");
  CHECK(bad.at("messages")[1].at("level") == "warning");
  CHECK_FALSE(bad.at("messages")[1].contains("line"));
}

TEST_CASE("report: one labels table, the engine's, before the inputs", "[report]") {
  const std::string text = WriteJsonReport(Fixture().Context());
  const json r = json::parse(text);
  const json& labels = r.at("labels");
  CHECK(labels.at("issue_codes").size() == static_cast<size_t>(kIssueCodeCount));
  CHECK(labels.at("issue_codes").at("high_rtt") == "High round-trip time");
  CHECK(labels.at("metrics").at("rtt_ms") == "Round-trip time");
  // Every issue of the report has its code's label in the table.
  for (const json& session : r.at("sessions")) {
    for (const json& issue : session.at("issues")) {
      CHECK(labels.at("issue_codes").contains(issue.at("code").get<std::string>()));
    }
  }
  CHECK(text.find("\"labels\"") < text.find("\"inputs\""));
  CHECK(text.find("\"labels\"", text.find("\"labels\"") + 1) == std::string::npos);  // once
}

TEST_CASE("report: the zone of its times, and issue sentences in it", "[report][zone]") {
  Fixture f;
  const nlohmann::json utc = f.Json();
  CHECK(utc["time_zone"] == "UTC");
  f.config.utc_offset_minutes = 120;
  const nlohmann::json east = f.Json();
  CHECK(east["time_zone"] == "UTC+02:00");
  CHECK(east["config"]["utc_offset_minutes"] == 120);
  // The same issues, their times of day two hours later in every sentence;
  // the numbers (epoch ms) unchanged.
  const auto& a = utc["sessions"][0]["issues"];
  const auto& b = east["sessions"][0]["issues"];
  REQUIRE(a.size() == b.size());
  bool some_time = false;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i]["start_ms"] == b[i]["start_ms"]);
    const std::string da = a[i]["detail"], db = b[i]["detail"];
    if (da.find("00:0") != std::string::npos) {
      some_time = true;
      CHECK(db.find("02:0") != std::string::npos);
      CHECK(db != da);
    }
  }
  CHECK(some_time);
}

TEST_CASE("report: non-finite numbers are null, scores rounded", "[report]") {
  const std::string text = WriteJsonReport(Fixture().Context());
  CHECK(text.find("NaN") == std::string::npos);
  CHECK(text.find("Infinity") == std::string::npos);
  CHECK(text.find(":inf") == std::string::npos);
  const json r = json::parse(text);
  const json& alice = PeerById(r.at("sessions")[0], "p-alice");
  CHECK(alice.at("cqs") == Approx(2.35).margin(1e-12));
  CHECK(alice.at("cqs_band") == "fair");
  CHECK(alice.at("cqs_uplink").is_null());
  CHECK(alice.at("cqs_downlink").is_null());
  CHECK(alice.at("cqs_windows")[0].at("downlink").is_null());
  CHECK(alice.at("cqs_windows")[0].at("overall") == Approx(1.5));
  const json& rtt = alice.at("tracks")[0].at("stats").at("rtt_ms");
  CHECK(rtt.at("median").is_null());
  CHECK(rtt.at("worst").is_null());
  CHECK(rtt.at("count") == 0);
  CHECK(alice.at("tracks")[0].at("mos") == Approx(3.14).margin(1e-12));
  CHECK(r.at("sessions")[0].at("breaches")[0].at("mean").is_null());
  // An unknown CQS has no band (BandOf(NaN) alone would say "failed").
  Fixture f;
  f.analysis.sessions[0].peers[2].cqs = kNaN;
  const json r2 = f.Json();
  const json& carol = PeerById(r2.at("sessions")[0], "p-carol");
  CHECK(carol.at("cqs").is_null());
  CHECK(carol.at("cqs_band").is_null());
}

TEST_CASE("report: optional peer fields are omitted when unknown", "[report]") {
  const json s = Fixture().Json().at("sessions")[0];
  const json& alice = PeerById(s, "p-alice");
  CHECK(alice.at("name") == "Alice");
  CHECK_FALSE(alice.contains("user_id"));
  CHECK_FALSE(alice.contains("role"));
  CHECK_FALSE(alice.contains("end_reason"));
  CHECK_FALSE(alice.contains("platform"));
  CHECK_FALSE(alice.contains("sdk"));  // a version without an sdk name
  CHECK(alice.at("browser") == "Chrome 125.0.0.0");
  CHECK(alice.at("os") == "macOS");
  const json& bob = PeerById(s, "p-bob");
  CHECK(bob.at("user_id") == "u-bob");
  CHECK(bob.at("role") == "host");
  CHECK(bob.at("duration") == "01:01:01");
  CHECK(bob.at("duration_ms") == 3661000);
  const json& carol = PeerById(s, "p-carol");
  CHECK_FALSE(carol.contains("name"));
  CHECK_FALSE(carol.contains("browser"));
  CHECK(carol.at("cqs_band") == "excellent");
  CHECK(carol.at("call_health").at("audio") == "none");
  CHECK(alice.at("call_health").at("audio") == "poor");
}

TEST_CASE("report: tracks carry model and analysis fields", "[report]") {
  const json s = Fixture().Json().at("sessions")[0];
  const json& at = PeerById(s, "p-alice").at("tracks")[0];
  CHECK(at.at("key") == "publisher/t-alice-audio/");
  CHECK(at.at("track_id") == "t-alice-audio");
  CHECK(at.at("direction") == "publisher");
  CHECK(at.at("kind") == "audio");
  CHECK_FALSE(at.contains("rid"));
  CHECK_FALSE(at.contains("remote_peer_id"));
  CHECK_FALSE(at.contains("score"));
  CHECK(at.at("samples") == 4);
  CHECK(at.at("start_ms") == 1000);
  CHECK(at.at("end_ms") == 31000);
  CHECK(at.at("spacing_ms") == 10000);
  CHECK(at.at("stats").at("packet_loss_percent").at("median") == 4);
  CHECK(at.at("stats").at("packet_loss_percent").at("p95") == 9);
  CHECK(at.at("stats").at("packet_loss_percent").at("count") == 3);
  const json& bt = PeerById(s, "p-bob").at("tracks")[0];
  CHECK(bt.at("direction") == "subscriber");
  CHECK(bt.at("remote_peer_id") == "p-alice");
  CHECK(bt.at("remote_peer_name") == "Alice");
}

TEST_CASE("report: the chart rules, tracks' charts, and who receives whom", "[report]") {
  Fixture f;
  ChartRule loss;
  loss.direction = Direction::kSubscriber;
  loss.kind = MediaKind::kVideo;
  loss.metric = ChartMetric::kPacketLoss;
  loss.thresholds = {{3, Severity::kWarning, ThresholdSeries::kTrack},
                     {75000.004, Severity::kCritical, ThresholdSeries::kAllLayers}};
  loss.breach_metrics = {BreachMetric::kPacketLoss, BreachMetric::kLayerOff};
  ChartRule mos;
  mos.metric = ChartMetric::kMos;
  f.analysis.charts = {loss, mos};
  SessionAnalysis& sa = f.analysis.sessions[0];
  sa.peers[1].tracks[0].charts = {ChartMetric::kPacketLoss, ChartMetric::kMos};
  sa.peers[0].receives_from = {PeerLink{"p-alice", {0}}, PeerLink{"", {2, 1}}};
  sa.peers[1].received_by = {PeerLink{"p-bob", {0}}};
  const json report = f.Json();

  // After the config: how each chart is drawn.
  const json& rules = report.at("charts");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].at("direction") == "subscriber");
  CHECK(rules[0].at("kind") == "video");
  CHECK(rules[0].at("metric") == "packet_loss_percent");
  const json& lines = rules[0].at("thresholds");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("value") == 3);
  CHECK(lines[0].at("severity") == "warning");
  CHECK_FALSE(lines[0].contains("note"));  // the plotted series itself
  CHECK(lines[1].at("value") == 75000);    // 2 decimals
  CHECK(lines[1].at("severity") == "critical");
  CHECK(lines[1].at("note") == "all layers together");
  CHECK(rules[0].at("breach_metrics") == json::array({"packet_loss_percent", "layer_off"}));
  CHECK(rules[1].at("direction") == "publisher");
  CHECK(rules[1].at("metric") == "mos");
  CHECK(rules[1].at("thresholds").empty());
  CHECK(rules[1].at("breach_metrics").empty());

  const json& s = report.at("sessions")[0];
  CHECK(PeerById(s, "p-alice").at("tracks")[0].at("charts") ==
        json::array({"packet_loss_percent", "mos"}));
  CHECK(PeerById(s, "p-bob").at("tracks")[0].at("charts").empty());  // still a list
  const json& bob = PeerById(s, "p-bob");
  CHECK(bob.at("receives_from") ==
        json::parse(R"([{"peer_id":"p-alice","tracks":[0]},{"peer_id":"","tracks":[2,1]}])"));
  CHECK(bob.at("received_by").empty());
  CHECK(PeerById(s, "p-alice").at("received_by") ==
        json::parse(R"([{"peer_id":"p-bob","tracks":[0]}])"));
  CHECK(PeerById(s, "p-carol").at("receives_from").empty());
}

TEST_CASE("report: breaches and issues", "[report]") {
  const json s = Fixture().Json().at("sessions")[0];
  REQUIRE(s.at("breaches").size() == 2);
  const json& b0 = s.at("breaches")[0];
  CHECK(b0.at("peer_id") == "p-alice");
  CHECK(b0.at("direction") == "publisher");
  CHECK(b0.at("kind") == "audio");
  CHECK(b0.at("metric") == "packet_loss_percent");
  CHECK(b0.at("severity") == "critical");
  CHECK(b0.at("threshold") == 5);
  CHECK(b0.at("start_ms") == 21000);
  CHECK(b0.at("end_ms") == 31000);
  CHECK(b0.at("peak") == 9);
  CHECK(b0.at("samples") == 2);
  CHECK(b0.at("issue") == 0);
  CHECK_FALSE(b0.contains("rid"));
  CHECK(s.at("breaches")[1].at("rid") == "h");
  CHECK(s.at("breaches")[1].at("issue").is_null());

  REQUIRE(s.at("issues").size() == 3);
  const json& i0 = s.at("issues")[0];
  CHECK(i0.at("index") == 0);
  CHECK(i0.at("code") == "high_packet_loss");
  CHECK(i0.at("severity") == "critical");
  CHECK(i0.at("peer_id") == "p-alice");
  CHECK(i0.at("peer_name") == "Alice");
  CHECK(i0.at("track_ids") == json::array({"t-alice-audio"}));
  CHECK(i0.at("direction") == "uplink");
  CHECK(i0.at("start_ms") == 21000);
  CHECK(i0.at("end_ms") == 191000);
  // Words from report/issue_text.cpp, figures from the issue.
  CHECK(i0.at("title") == "High packet loss on Alice's uplink (up to 9.0%)");
  CHECK(i0.at("detail") ==
        "The audio Alice sent had packet loss of 6.5% on average (peak 9.0%) from 00:00:21 to "
        "00:03:11 (2 min 50 s), above the critical threshold of 5.0%. 1 participant received "
        "the damaged media.");
  CHECK(i0.at("advice").get<std::string>().rfind("Loss on the way up", 0) == 0);
  CHECK(i0.at("breaches") == json::array({0}));
  CHECK(i0.at("affected_peers") == json::array({"p-bob"}));
  CHECK(i0.at("explains") == json::array({json{{"breach", 1},
                                               {"peer_id", "p-alice"},
                                               {"track_id", "t-alice-audio"},
                                               {"metric", "packet_loss_percent"}}}));
  CHECK(s.at("issues")[1].at("explains").empty());
  CHECK(s.at("issues")[2].at("index") == 2);
  CHECK(s.at("issues")[2].at("direction").is_null());
}

TEST_CASE("report: summary, meetings, events and errors", "[report]") {
  const json s = Fixture().Json().at("sessions")[0];
  CHECK(s.at("session_id") == "sess-1");
  CHECK(s.at("room_id") == "room-1");
  CHECK(s.at("duration_ms") == 60000);
  const json& sum = s.at("summary");
  CHECK(sum.at("participants") == 3);
  CHECK(sum.at("meetings") == 1);
  CHECK(sum.at("published_tracks") == 1);
  CHECK(sum.at("issues_by_code") == json({{"high_packet_loss", 2}, {"high_rtt", 1}}));
  CHECK(sum.at("issues_by_severity") == json({{"info", 0}, {"warning", 2}, {"critical", 1}}));
  // The analysis's ranking as it is: Alice (critical), Bob (warning), then
  // Carol, who has no issue but a terminal connect failure.
  REQUIRE(sum.at("worst_peers").size() == 3);
  CHECK(sum.at("worst_peers")[0].at("peer_id") == "p-alice");
  CHECK(sum.at("worst_peers")[0].at("reason") == "own_issues");
  CHECK(sum.at("worst_peers")[0].at("severity") == "critical");
  CHECK(sum.at("worst_peers")[0].at("issues") == 2);
  CHECK(sum.at("worst_peers")[0].at("issue_duration_ms") == 170000);
  CHECK(sum.at("worst_peers")[1].at("peer_id") == "p-bob");
  CHECK(sum.at("worst_peers")[2].at("peer_id") == "p-carol");
  CHECK(sum.at("worst_peers")[2].at("reason") == "failure");
  CHECK(sum.at("worst_peers")[2].at("severity").is_null());
  CHECK(sum.at("worst_peers")[2].at("failures") == 1);
  CHECK(sum.at("top_issues") == json({0, 1, 2}));  // critical, then the longer warning
  const json& verdict = sum.at("verdict");
  CHECK(verdict.at("level") == "critical");
  CHECK(verdict.at("issues") == json({{"info", 0}, {"warning", 2}, {"critical", 1}}));
  CHECK(verdict.at("failures") == 1);
  CHECK(verdict.at("terminal_failures") == 1);
  CHECK(verdict.at("affected_peers") == 3);
  CHECK(verdict.at("low_cqs_peers") == 0);
  CHECK(verdict.at("never_joined") == 1);
  REQUIRE(s.at("users").size() == 1);  // only Bob has a user id
  CHECK(s.at("users")[0] == json({{"user_id", "u-bob"}, {"name", "Bob"}, {"peer_ids", {"p-bob"}}}));
  // The pooled stats analysis computed, as they are.
  REQUIRE(sum.at("metrics").size() == 2);
  const json& loss = sum.at("metrics").at("publisher.audio.packet_loss_percent");
  CHECK(loss == json({{"median", 4}, {"p95", 9}, {"worst", 9}, {"count", 3}}));
  CHECK(sum.at("metrics").at("subscriber.audio.packet_loss_percent").at("worst") == 2);

  REQUIRE(s.at("meetings").size() == 1);
  const json& m = s.at("meetings")[0];
  CHECK(m.at("call_type") == "one-to-one");
  CHECK(m.at("peer_ids").size() == 2);
  CHECK(m.at("participants") == 2);
  CHECK(m.at("publishers") == 1);
  CHECK(m.at("viewers") == 1);
  // Issue 0 runs past the meeting's end and still overlaps it; Carol's failure
  // at 5 s falls inside it, so she is among its worst peers.
  CHECK(m.at("issues_by_severity") == json({{"info", 0}, {"warning", 2}, {"critical", 1}}));
  CHECK(m.at("top_issues") == json({0, 1, 2}));
  CHECK(m.at("worst_peers") == json({"p-alice", "p-bob", "p-carol"}));

  REQUIRE(s.at("events").size() == 2);
  CHECK_FALSE(s.at("events")[0].contains("peer_id"));
  CHECK(s.at("events")[1].at("peer_id") == "p-carol");
  CHECK(s.at("events")[1].at("error") == true);
  CHECK(s.at("events")[0].at("detail") == "");
  CHECK(s.at("events")[1].at("detail") == "connect failed: ICEFailure (4005) ice failed");

  const json& errors = s.at("errors");
  REQUIRE(errors.at("events").size() == 1);
  CHECK(errors.at("events")[0].at("error_code") == "4005");
  CHECK(errors.at("events")[0].at("is_terminal") == true);
  CHECK(errors.at("failure_rates").at("connect").at("rate") == Approx(0.5));
  CHECK(errors.at("failure_rates").at("connect").at("attempts") == 2);
  CHECK(errors.at("failure_rates").at("join").at("attempts") == 0);
}

TEST_CASE("report: output is deterministic and indent works", "[report]") {
  const Fixture f;
  CHECK(WriteJsonReport(f.Context()) == WriteJsonReport(f.Context()));
  const std::string pretty = WriteJsonReport(f.Context(), 2);
  CHECK(pretty.find("\n  \"generator\"") != std::string::npos);
  CHECK(WriteJsonReport(f.Context()).find('\n') == std::string::npos);
  CHECK(json::parse(pretty) == f.Json());
}

TEST_CASE("report: streamed in pieces, it is the same text", "[report]") {
  const Fixture f;
  for (int indent : {-1, 2}) {
    std::string joined;
    size_t pieces = 0;
    JsonReportOptions options;
    options.indent = indent;
    const Status s = WriteJsonReport(f.Context(), options, [&](std::string_view piece) {
      joined += piece;
      ++pieces;
    });
    REQUIRE(s.ok());
    CHECK(pieces >= 1);
    CHECK(joined == WriteJsonReport(f.Context(), indent));
  }
}

TEST_CASE("report: in parts, put together, it is the same report", "[report]") {
  Fixture f;
  // A second session, and lists long enough to come in several slices.
  SessionAnalysis& sa = f.analysis.sessions[0];
  const std::vector<LogEvent> events = sa.events;
  while (sa.events.size() < 700) {
    sa.events.push_back(events[sa.events.size() % events.size()]);
    sa.events.back().time_ms += static_cast<int64_t>(sa.events.size());  // each its own
  }
  while (sa.breaches.size() < 300) sa.breaches.push_back(sa.breaches[sa.breaches.size() % 2]);
  Session second = f.model.sessions[0];
  second.session_id = "sess-2";
  f.model.sessions.push_back(second);
  SessionAnalysis second_sa = sa;
  second_sa.events.resize(3);
  second_sa.issues.clear();
  f.analysis.sessions.push_back(second_sa);
  const nlohmann::ordered_json expected =
      nlohmann::ordered_json::parse(WriteJsonReport(f.Context()));
  for (int threads : {1, 2, 3}) {
    INFO(threads << " threads");
    JsonReportOptions options;
    options.threads = threads;
    options.indent = 2;  // ignored: parts are compact
    std::vector<std::string> texts;
    const testing::AssembledReport got =
        testing::AssembleReportParts([&](const ReportPartSink& sink) {
          return WriteJsonReportParts(f.Context(), options, [&](const ReportPart& part) {
            texts.emplace_back(part.json);
            sink(part);
          });
        });
    CHECK(got.report == expected);  // ordered: keys in the same order too
    CHECK(got.report.dump() == expected.dump());
    for (const std::string& t : texts) CHECK(t.find('\n') == std::string::npos);
    // The head, then per session its lists in order: a part per peer, and the
    // 700 events in slices of 256.
    std::vector<std::string> order;
    std::vector<size_t> sizes;
    for (const auto& part : got.parts) {
      order.push_back(std::to_string(part.session) + part.list);
      sizes.push_back(part.elements);
    }
    CHECK(order == std::vector<std::string>{"-1", "0peers", "0peers", "0peers", "0breaches",
                                            "0breaches", "0issues", "0events", "0events", "0events",
                                            "1peers", "1peers", "1peers", "1breaches", "1breaches",
                                            "1events"});
    CHECK(sizes == std::vector<size_t>{0, 1, 1, 1, 256, 44, 3, 256, 256, 188, 1, 1, 1, 256, 44, 3});
    // The head alone: every list there, empty.
    const nlohmann::ordered_json head = nlohmann::ordered_json::parse(texts.at(0));
    for (const char* list : {"peers", "breaches", "issues", "events"}) {
      CHECK(head["sessions"][0][list] == nlohmann::ordered_json::array());
    }
    CHECK(head["sessions"][0]["errors"] == expected["sessions"][0]["errors"]);
  }
}

TEST_CASE("report: in ASCII mode, the same JSON with no byte beyond ASCII", "[report]") {
  Fixture f;
  f.model.sessions[0].peers[1].info.name = "Z\xc3\xab \xf0\x9f\x8e\xa5 \xe2\x82\xac\xff";
  const std::string utf8 = WriteJsonReport(f.Context());
  CHECK(utf8.find("Z\xc3\xab") != std::string::npos);
  for (int threads : {1, 3}) {  // peers written in parallel escape alike
    JsonReportOptions options;
    options.ascii = true;
    options.threads = threads;
    std::string ascii;
    REQUIRE(WriteJsonReport(f.Context(), options, [&](std::string_view piece) {
              ascii += piece;
            }).ok());
    CHECK(std::none_of(ascii.begin(), ascii.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
    CHECK(ascii.find("Z\\u00eb \\ud83c\\udfa5 \\u20ac\\ufffd") != std::string::npos);
    CHECK(json::parse(ascii) == json::parse(utf8));
  }
}

TEST_CASE("report: invalid UTF-8 in input strings still gives valid JSON", "[report]") {
  Fixture f;
  f.model.sessions[0].peers[1].info.name = std::string("Al\xff\xfe") + "ice\xc3";
  f.inputs[0].name = "bad\x80name.json";
  std::string text;
  REQUIRE_NOTHROW(text = WriteJsonReport(f.Context()));
  json r;
  REQUIRE_NOTHROW(r = json::parse(text));
  const std::string name = PeerById(r.at("sessions")[0], "p-alice").at("name");
  CHECK(name.find("Al") == 0);
  CHECK(name.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD replacement
  CHECK(r.at("sessions")[0].at("issues")[0].at("peer_name") == name);
  REQUIRE_NOTHROW(WriteTextReport(f.Context()));
}

TEST_CASE("report: analysis with fewer sessions than the model stays whole", "[report]") {
  Fixture f;
  f.analysis.sessions.clear();
  const json r = f.Json();
  REQUIRE(r.at("sessions").size() == 1);
  CHECK(r.at("sessions")[0].at("peers").size() == 3);
  CHECK(r.at("sessions")[0].at("issues").empty());
}

TEST_CASE("report: window summaries, means and not-sending intervals", "[report]") {
  Fixture f;
  PeerAnalysis& alice = f.analysis.sessions[0].peers[1];
  REQUIRE(alice.peer_id == "p-alice");
  alice.cqs_summary.mean = 4.567;
  alice.cqs_summary.worst = 1.5;
  alice.cqs_summary.worst_start_ms = 1000;
  alice.cqs_summary.below_fair_ms = 30000;
  alice.cqs_summary.below_poor_ms = 0;
  alice.cqs_uplink_summary.mean = 4.0;
  alice.tracks[0].not_sending = {Interval{11000, 21000}};
  const json s = f.Json().at("sessions")[0];
  const json& a = PeerById(s, "p-alice");
  CHECK(a.at("cqs_mean") == Approx(4.57).margin(1e-12));
  CHECK(a.at("cqs_uplink_mean") == Approx(4.0));
  CHECK(a.at("cqs_downlink_mean").is_null());
  const json& overall = a.at("cqs_summary").at("overall");
  CHECK(overall.at("worst") == Approx(1.5));
  CHECK(overall.at("worst_start_ms") == 1000);
  CHECK(overall.at("below_fair_ms") == 30000);
  CHECK(overall.at("below_poor_ms") == 0);
  // No windows: no worst and no time for it.
  CHECK(a.at("cqs_summary").at("downlink").at("worst").is_null());
  CHECK(a.at("cqs_summary").at("downlink").at("worst_start_ms").is_null());
  const json& ns = a.at("tracks")[0].at("not_sending");
  REQUIRE(ns.size() == 1);
  CHECK(ns[0].at("start_ms") == 11000);
  CHECK(ns[0].at("end_ms") == 21000);
  CHECK(PeerById(s, "p-bob").at("tracks")[0].at("not_sending").empty());
  // The text report names the worst window and the time below fair.
  // (Lines are wrapped: compare with each line break and its indent as one space.)
  std::string t;
  for (const char c : WriteTextReport(f.Context())) {
    if (c == '\n' && (t.empty() || t.back() != ' ')) t += ' ';
    if (c == ' ' && !t.empty() && t.back() == ' ') continue;
    if (c != '\n') t += c;
  }
  CHECK(t.find("mean 4.57, worst window 1.50 at 00:00:01, 30 s below fair") != std::string::npos);
}

TEST_CASE("report: a dump's stream and connection facts, only those given", "[report]") {
  Fixture f;
  Peer& alice = f.model.sessions[0].peers[1];
  REQUIRE(alice.peer_id == "p-alice");
  StreamFacts facts;
  facts.frame_count = 1453;
  facts.jitter_buffer_ms = 40.714;
  facts.common_size = FrameSize{1280, 720};
  facts.power_efficient = false;
  alice.tracks[0].facts = facts;
  Connection c;
  c.id = "PC_0";
  c.tls_version = "FEFD";
  c.remote_ice_lite = true;
  c.ice_servers = IceServers{};
  c.ice_servers->turns = true;
  c.gathered_candidates = CandidateTypes{};
  c.gathered_candidates->mdns = true;
  c.gathered_candidates->relay = true;
  c.stun_rtt_ms = 48.66;
  c.outbound_bps = 252664.4;
  alice.connections = {c};
  const json report = f.Json();
  const json& peer = PeerById(report.at("sessions")[0], "p-alice");
  const json& stream = peer.at("tracks")[0].at("stream");
  CHECK(stream.at("frame_count") == 1453);
  CHECK(stream.at("jitter_buffer_ms") == 40.71);
  CHECK(stream.at("common_size_px") == json({{"width", 1280}, {"height", 720}}));
  CHECK(stream.at("power_efficient") == false);
  for (const char* absent : {"min_size_px", "freeze_count", "null_decoder", "concealed_percent"}) {
    CHECK_FALSE(stream.contains(absent));
  }
  const json& conn = peer.at("connections")[0];
  CHECK(conn.at("tls_version") == "FEFD");
  CHECK(conn.at("remote_ice_lite") == true);
  CHECK(conn.at("ice_servers") == json({{"stun", false},
                                        {"turn_udp", false},
                                        {"turn_tcp", false},
                                        {"turns", true},
                                        {"relay_only", false}}));  // no count: not known
  CHECK(conn.at("gathered_candidates") == json({"mdns", "relay"}));
  CHECK(conn.at("stun_rtt_ms") == 48.7);
  CHECK(conn.at("outbound_bps") == 252664);
  for (const char* absent : {"dtls_role", "srtp_cipher", "added_candidates", "inbound_bps"}) {
    CHECK_FALSE(conn.contains(absent));
  }
}

}  // namespace
}  // namespace callsight
