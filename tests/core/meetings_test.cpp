// Presence and meetings (core/src/analysis/meetings.cpp) on hand-built
// sessions: peers that never joined, peers that came back, call types.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/internal.h"
#include "callsight/analysis.h"
#include "callsight/report.h"
#include "core/test_util.h"

using namespace callsight;
using testing::FailedEvent;

namespace {

constexpr int64_t kT0 = 1700000000000LL;
constexpr int64_t kMin = 60000;

// A clean audio track with a sample every 10 s over [from, to].
Track Audio(const std::string& id, Direction dir, int64_t from, int64_t to,
            const std::string& remote = "") {
  Series s;
  for (int64_t t = from; t <= to; t += 10000) s.timestamps_ms.push_back(t);
  s.column(Metric::kPacketLoss).assign(s.size(), 0.0f);
  s.column(Metric::kRtt).assign(s.size(), 50.0f);
  s.column(Metric::kJitter).assign(s.size(), 5.0f);
  return Track{id, dir, MediaKind::kAudio, remote, {{"", std::move(s)}}};
}

Peer Present(const std::string& id, std::vector<Interval> presence) {
  Peer p;
  p.peer_id = id;
  p.presence = std::move(presence);
  return p;
}

const SessionAnalysis& AnalyzeOne(const Session& s, Analysis* holder) {
  SessionSet set;
  set.sessions.push_back(s);
  *holder = Analyze(set, Config{});
  return holder->sessions.at(0);
}

Event JoinFailed(const std::string& peer, int64_t t) {
  Event e = FailedEvent(peer, t, "client.join.failed", FailedOperation::kJoin);
  e.action = "JOIN";
  e.is_terminal = true;
  e.error_code = "2003";
  return e;
}

// Ann publishes for 10 minutes; Ben's only trace is a failed join.
Session WithGhost() {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + 10 * kMin;
  Peer ann = Present("p-ann", {{kT0, kT0 + 10 * kMin}});
  ann.info.name = "Ann";
  ann.tracks.push_back(Audio("a-ann", Direction::kPublisher, kT0, kT0 + 10 * kMin));
  Peer ben;
  ben.peer_id = "p-ben";
  ben.info.name = "Ben";
  s.peers = {ann, ben};
  s.events = {JoinFailed("p-ben", kT0 + 2 * kMin)};
  return s;
}

// The JSON and text reports of session s, analysed as `analysis`.
struct Reports {
  nlohmann::json json;
  std::string text;
};

Reports WriteReports(const Session& s, const Analysis& analysis) {
  const std::vector<InputReport> inputs;
  SessionSet model;
  model.sessions.push_back(s);
  const Config config;
  const ReportContext ctx{inputs, model, analysis, config};
  return {nlohmann::json::parse(WriteJsonReport(ctx)), WriteTextReport(ctx)};
}

}  // namespace

TEST_CASE("meetings: a peer that never joined has no times and is in no meeting", "[meetings]") {
  const Session s = WithGhost();
  Analysis holder;
  const SessionAnalysis& sa = AnalyzeOne(s, &holder);
  const PeerAnalysis& ben = sa.peers.at(1);
  CHECK(ben.presence.empty());
  CHECK_FALSE(ben.joined_ms.has_value());
  CHECK_FALSE(ben.left_ms.has_value());
  CHECK(ben.present_ms == 0);
  CHECK(sa.peers.at(0).joined_ms == kT0);
  REQUIRE(sa.meetings.size() == 1);
  CHECK(sa.meetings[0].peer_ids == std::vector<std::string>{"p-ann"});
  CHECK(sa.meetings[0].call_type == CallType::kOneToZero);
  CHECK(sa.participant_minutes == Approx(10));
  CHECK(sa.verdict.never_joined == 1);

  const Reports reports = WriteReports(s, holder);
  const nlohmann::json& report = reports.json;
  const nlohmann::json& peer = report["sessions"][0]["peers"][1];
  REQUIRE(peer["peer_id"] == "p-ben");
  CHECK(peer["joined"] == false);
  CHECK(peer["joined_ms"].is_null());
  CHECK(peer["left_ms"].is_null());
  CHECK(peer["duration_ms"].is_null());
  CHECK(peer["duration"].is_null());
  CHECK(peer["presence"].empty());
  CHECK(report["sessions"][0]["peers"][0]["joined"] == true);

  const std::string& text = reports.text;
  CHECK(text.find("Ben (p-ben)\n    Never joined\n") != std::string::npos);
  CHECK(text.find("1970") == std::string::npos);
}

TEST_CASE("meetings: a peer known only from a failed publish joined, at an unknown time",
          "[meetings]") {
  Session s = WithGhost();
  s.events.front().type = "client.publish.failed";
  s.events.front().failed = FailedOperation::kPublish;  // publishing means it had joined
  Analysis holder;
  const SessionAnalysis& sa = AnalyzeOne(s, &holder);
  const PeerAnalysis& ben = sa.peers.at(1);
  CHECK(ben.attendance == Attendance::kUnknown);
  CHECK(ben.presence.empty());
  CHECK(sa.verdict.never_joined == 0);
  CHECK(sa.peers.at(0).attendance == Attendance::kPresent);

  const Reports reports = WriteReports(s, holder);
  const nlohmann::json& report = reports.json;
  const nlohmann::json& peer = report["sessions"][0]["peers"][1];
  CHECK(peer["attendance"] == "unknown");
  CHECK(peer["joined"].is_null());
  CHECK(peer["joined_ms"].is_null());
  const std::string& text = reports.text;
  CHECK(text.find("Never joined") == std::string::npos);
  CHECK(text.find("never joined") == std::string::npos);
  CHECK(text.find("the inputs give no join or leave time") != std::string::npos);
}

TEST_CASE("meetings: a rejoin under one peer id across a 15-minute gap gives two meetings",
          "[meetings]") {
  Session s;
  s.session_id = "s";
  Peer ann = Present("p-ann", {{kT0, kT0 + 5 * kMin}, {kT0 + 20 * kMin, kT0 + 25 * kMin}});
  ann.tracks.push_back(Audio("a-ann", Direction::kPublisher, kT0, kT0 + 5 * kMin));
  Peer ben = Present("p-ben", {{kT0 + kMin, kT0 + 4 * kMin}});
  s.peers = {ann, ben};
  Analysis holder;
  const SessionAnalysis& sa = AnalyzeOne(s, &holder);
  const PeerAnalysis& pa = sa.peers.at(0);
  REQUIRE(pa.presence.size() == 2);
  CHECK(pa.presence[1].start_ms == kT0 + 20 * kMin);
  CHECK(pa.present_ms == 10 * kMin);
  CHECK(pa.joined_ms == kT0);
  CHECK(pa.left_ms == kT0 + 25 * kMin);
  CHECK(sa.participant_minutes == Approx(13));  // 5 + 5 + 3, not 25 + 3

  REQUIRE(sa.meetings.size() == 2);
  CHECK(sa.meetings[0].start_ms == kT0);
  CHECK(sa.meetings[0].end_ms == kT0 + 5 * kMin);
  CHECK(sa.meetings[0].peer_ids == std::vector<std::string>{"p-ann", "p-ben"});
  CHECK(sa.meetings[0].participant_minutes == Approx(8));
  CHECK(sa.meetings[1].start_ms == kT0 + 20 * kMin);
  CHECK(sa.meetings[1].peer_ids == std::vector<std::string>{"p-ann"});
  CHECK(sa.meetings[1].participant_minutes == Approx(5));
  CHECK(sa.meetings[1].published_tracks == 0);  // Ann sent nothing the second time

  // The text shows both intervals and both meetings, each with its summary.
  const std::string text = WriteReports(s, holder).text;
  CHECK(text.find("#2 ") != std::string::npos);
  CHECK(text.find("one-to-zero, 1 peer, 0 published tracks; no issues") != std::string::npos);

  // Someone present during the gap joins it into one meeting.
  s.peers.push_back(Present("p-cy", {{kT0 + 4 * kMin, kT0 + 21 * kMin}}));
  Analysis again;
  CHECK(AnalyzeOne(s, &again).meetings.size() == 1);
}

TEST_CASE("meetings: presence intervals are sorted and merged; samples stand in", "[meetings]") {
  Peer p = Present("p", {{kT0 + 50, kT0 + 90}, {kT0, kT0 + 60}, {kT0 + 200, kT0 + 100}});
  const std::vector<Interval> iv = analysis::PresenceIntervals(p);
  REQUIRE(iv.size() == 2);
  CHECK(iv[0].start_ms == kT0);
  CHECK(iv[0].end_ms == kT0 + 90);
  CHECK(iv[1].start_ms == kT0 + 100);
  CHECK(iv[1].end_ms == kT0 + 200);

  Peer sampled;
  sampled.tracks.push_back(Audio("a", Direction::kPublisher, kT0, kT0 + kMin));
  const std::vector<Interval> from_samples = analysis::PresenceIntervals(sampled);
  REQUIRE(from_samples.size() == 1);
  CHECK(from_samples[0].end_ms == kT0 + kMin);
  CHECK(analysis::PresenceIntervals(Peer{}).empty());
}

TEST_CASE("meetings: call types by people and publishers", "[meetings]") {
  using analysis::ClassifyCall;
  CHECK(ClassifyCall(1, 1) == CallType::kOneToZero);
  CHECK(ClassifyCall(2, 1) == CallType::kOneToOne);
  CHECK(ClassifyCall(3, 1) == CallType::kBroadcast);
  CHECK(ClassifyCall(400, 1) == CallType::kBroadcast);
  CHECK(ClassifyCall(400, 4) == CallType::kWebinar);  // 4 on stage, 396 watching
  CHECK(ClassifyCall(44, 4) == CallType::kWebinar);
  CHECK(ClassifyCall(20, 5) == CallType::kWebinar);     // 15 viewers = 3 x 5
  CHECK(ClassifyCall(19, 5) == CallType::kMultiparty);  // 14 viewers < 15
  CHECK(ClassifyCall(44, 6) == CallType::kMultiparty);  // too many on stage
  CHECK(ClassifyCall(9, 2) == CallType::kMultiparty);   // too small
  CHECK(ClassifyCall(12, 4) == CallType::kMultiparty);
  CHECK(ClassifyCall(5, 0) == CallType::kMultiparty);
}

TEST_CASE("meetings: 4 publishers and 40 viewers make a webinar", "[meetings]") {
  Session s;
  s.session_id = "s";
  const int64_t end = kT0 + 5 * kMin;
  for (int i = 0; i < 4; ++i) {
    Peer p = Present("stage-" + std::to_string(i), {{kT0, end}});
    p.tracks.push_back(Audio("a" + std::to_string(i), Direction::kPublisher, kT0, end));
    s.peers.push_back(p);
  }
  for (int i = 0; i < 40; ++i) {
    Peer p = Present("viewer-" + std::to_string(i), {{kT0, end}});
    for (int k = 0; k < 4; ++k) {
      p.tracks.push_back(Audio("a" + std::to_string(k), Direction::kSubscriber, kT0, end,
                               "stage-" + std::to_string(k)));
    }
    s.peers.push_back(p);
  }
  Analysis holder;
  const SessionAnalysis& sa = AnalyzeOne(s, &holder);
  REQUIRE(sa.meetings.size() == 1);
  const Meeting& m = sa.meetings[0];
  CHECK(m.participants == 44);
  CHECK(m.publishers == 4);
  CHECK(m.viewers == 40);
  CHECK(m.published_tracks == 4);
  CHECK(m.call_type == CallType::kWebinar);
  CHECK(std::string(CallTypeName(m.call_type)) == "webinar");

  // With 8 viewers it is a meeting of 12 where a third publish: multiparty.
  s.peers.resize(12);
  Analysis fewer;
  CHECK(AnalyzeOne(s, &fewer).meetings.at(0).call_type == CallType::kMultiparty);
}

TEST_CASE("meetings: a peer that receives others' tracks is not alone", "[meetings]") {
  Session s;
  s.session_id = "s";
  const int64_t end = kT0 + 5 * kMin;
  Peer ann = Present("p-ann", {{kT0, end}});
  // The senders left no presence of their own (no peer-stats, no events).
  ann.tracks.push_back(Audio("a-x", Direction::kSubscriber, kT0, end, "p-x"));
  ann.tracks.push_back(Audio("a-y", Direction::kSubscriber, kT0, end, "p-y"));
  s.peers = {ann};
  Analysis holder;
  const Meeting& m = AnalyzeOne(s, &holder).meetings.at(0);
  CHECK(m.peer_ids == std::vector<std::string>{"p-ann"});
  CHECK(m.participants == 3);
  CHECK(m.publishers == 2);
  CHECK(m.call_type == CallType::kMultiparty);

  // A received track whose sender is not known still means someone is there.
  s.peers[0].tracks.resize(1);
  s.peers[0].tracks[0].remote_peer_id.clear();
  Analysis unknown;
  CHECK(AnalyzeOne(s, &unknown).meetings.at(0).call_type == CallType::kOneToOne);

  // Only its own published media: alone.
  s.peers[0].tracks[0].direction = Direction::kPublisher;
  Analysis alone;
  CHECK(AnalyzeOne(s, &alone).meetings.at(0).call_type == CallType::kOneToZero);
}

TEST_CASE("meetings: a track silent between a leave and a rejoin has no media gap", "[meetings]") {
  Session s;
  s.session_id = "s";
  Peer ann = Present("p-ann", {{kT0, kT0 + 5 * kMin}, {kT0 + 20 * kMin, kT0 + 25 * kMin}});
  Track first = Audio("a-ann", Direction::kPublisher, kT0, kT0 + 5 * kMin);
  const Track second = Audio("a-ann", Direction::kPublisher, kT0 + 20 * kMin, kT0 + 25 * kMin);
  Series& series = first.layers[0].series;
  const Series& more = second.layers[0].series;
  series.timestamps_ms.insert(series.timestamps_ms.end(), more.timestamps_ms.begin(),
                              more.timestamps_ms.end());
  for (Metric m : {Metric::kPacketLoss, Metric::kRtt, Metric::kJitter}) {
    series.column(m).insert(series.column(m).end(), more.column(m).begin(), more.column(m).end());
  }
  ann.tracks.push_back(first);
  s.peers = {ann};
  auto gaps = [](const SessionAnalysis& sa) {
    return std::count_if(sa.breaches.begin(), sa.breaches.end(),
                         [](const Breach& b) { return b.metric == BreachMetric::kMediaGap; });
  };
  Analysis holder;
  CHECK(gaps(AnalyzeOne(s, &holder)) == 0);
  // Present all along, the same 15 silent minutes are a media gap.
  s.peers[0].presence = {{kT0, kT0 + 25 * kMin}};
  Analysis present;
  CHECK(gaps(AnalyzeOne(s, &present)) == 1);
}
