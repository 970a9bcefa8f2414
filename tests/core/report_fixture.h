// A small session model and analysis built by hand, with its inputs, for the
// report writers' tests (json_report_test.cpp, text_report_test.cpp).
#ifndef CALLSIGHT_TESTS_CORE_REPORT_FIXTURE_H_
#define CALLSIGHT_TESTS_CORE_REPORT_FIXTURE_H_

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/ranking.h"
#include "callsight/report.h"

namespace callsight::testing {

inline constexpr double kFixtureNaN = std::numeric_limits<double>::quiet_NaN();

inline Track AudioTrack(const std::string& id, Direction dir, std::vector<int64_t> t,
                        std::vector<double> loss, const std::string& remote = "") {
  Track tr;
  tr.track_id = id;
  tr.direction = dir;
  tr.kind = MediaKind::kAudio;
  tr.remote_peer_id = remote;
  Layer layer;
  layer.series.timestamps_ms = std::move(t);
  layer.series.column(Metric::kPacketLoss).assign(loss.begin(), loss.end());
  tr.layers.push_back(std::move(layer));
  return tr;
}

inline Issue MakeIssue(IssueCode code, Severity sev, const std::string& peer, Path path,
                       int64_t start, int64_t end) {
  Issue i;
  i.code = code;
  i.severity = sev;
  i.peer_id = peer;
  i.direction = path;
  i.start_ms = start;
  i.end_ms = end;
  return i;
}

// Model order: Bob (one warning), Alice (one critical, one warning), Carol
// (never joined: a terminal connect failure).
struct ReportFixture {
  std::vector<InputReport> inputs;
  SessionSet model;
  Analysis analysis;
  Config config;

  ReportFixture() {
    InputReport ok;
    ok.name = "stats.json";
    ok.kind = InputKind::kPeerStats;
    ok.bytes = 1234;
    ok.documents = 2;
    InputReport bad;
    bad.name = "broken.json";
    bad.status = InputStatus::kRejected;
    bad.messages.push_back({InputMessage::Level::kError, 3, "/peers/0", "expected an object"});
    bad.messages.push_back({InputMessage::Level::kWarning, 0, "", "something odd"});
    inputs = {ok, bad};

    Session s;
    s.session_id = "sess-1";
    s.room_id = "room-1";
    Peer bob;
    bob.peer_id = "p-bob";
    bob.info.name = "Bob";
    bob.info.user_id = "u-bob";
    bob.info.role = "host";
    bob.tracks.push_back(
        AudioTrack("t-alice-audio", Direction::kSubscriber, {1000, 11000}, {0, 2}, "p-alice"));
    Peer alice;
    alice.peer_id = "p-alice";
    alice.info.name = "Alice";
    alice.info.browser = "Chrome";
    alice.info.browser_version = "125.0.0.0";
    alice.info.os = "macOS";           // no version
    alice.info.sdk_version = "0.9.1";  // no sdk name: omitted
    alice.tracks.push_back(AudioTrack("t-alice-audio", Direction::kPublisher,
                                      {1000, 11000, 21000, 31000}, {1, kFixtureNaN, 9, 4}));
    Peer carol;
    carol.peer_id = "p-carol";
    s.peers = {bob, alice, carol};
    Event err;
    err.time_ms = 5000;
    err.peer_id = "p-carol";
    err.type = "client.connect.failed";
    err.is_error = true;
    err.error_code = "4005";
    err.error_name = "ICEFailure";
    err.error_message = "ice failed";
    err.action = "connect";
    err.failed = FailedOperation::kConnect;
    err.is_terminal = true;
    err.source = "events.json";
    s.events = {err};
    model.sessions.push_back(s);

    SessionAnalysis sa;
    sa.start_ms = 1000;
    sa.end_ms = 61000;
    sa.participant_minutes = 2.5;
    PeerAnalysis pb;
    pb.peer_id = "p-bob";
    pb.presence = {{1000, 3661000 + 1000}};  // 1 h 1 min 1 s
    pb.joined_ms = 1000;
    pb.left_ms = 3661000 + 1000;
    pb.present_ms = 3661000;
    pb.cqs = 3.5;
    pb.cqs_uplink = 4.0;
    pb.cqs_downlink = 3.0;
    pb.issue_count = 1;
    TrackAnalysis bt;
    bt.key = "subscriber/t-alice-audio/";
    bt.stats = {{"packet_loss_percent", MetricStats{1, 2, 2, 2}}};
    pb.tracks.push_back(bt);
    PeerAnalysis pa;
    pa.peer_id = "p-alice";
    pa.presence = {{1000, 31000}};
    pa.joined_ms = 1000;
    pa.left_ms = 31000;
    pa.present_ms = 30000;
    pa.published_tracks = 1;
    pa.cqs = 2.3456;
    pa.cqs_uplink = kFixtureNaN;
    pa.cqs_downlink = std::numeric_limits<double>::infinity();
    pa.health_audio = Health::kPoor;
    pa.issue_count = 2;
    pa.cqs_windows.push_back(CqsWindow{1000, 1.5, kFixtureNaN, 1.5});
    TrackAnalysis at;
    at.key = "publisher/t-alice-audio/";
    at.spacing_ms = 10000;  // analysis measures it; the report passes it on
    at.stats = {{"packet_loss_percent", MetricStats{4, 9, 9, 3}},
                {"rtt_ms", MetricStats{}}};  // all NaN
    at.mos = 3.14159;
    pa.tracks.push_back(at);
    PeerAnalysis pc;
    pc.peer_id = "p-carol";
    pc.attendance = Attendance::kNeverJoined;
    pc.cqs = 4.8;
    sa.peers = {pb, pa, pc};

    Breach b0;
    b0.peer_id = "p-alice";
    b0.track_id = "t-alice-audio";
    b0.metric = BreachMetric::kPacketLoss;
    b0.severity = Severity::kCritical;
    b0.threshold = 5;
    b0.start_ms = 21000;
    b0.end_ms = 31000;
    b0.peak = 9;
    b0.mean = kFixtureNaN;
    b0.samples = 2;
    b0.issue = 0;
    Breach b1 = b0;
    b1.rid = "h";
    b1.issue = -1;
    sa.breaches = {b0, b1};

    Issue i0 = MakeIssue(IssueCode::kHighPacketLoss, Severity::kCritical, "p-alice", Path::kUplink,
                         21000, 191000);
    i0.track_ids = {"t-alice-audio"};
    i0.breaches = {0};
    i0.metric = BreachMetric::kPacketLoss;
    i0.peak = 9;
    i0.mean = 6.5;
    i0.threshold = 5;
    i0.kinds = {MediaKind::kAudio};
    i0.affected_peers = {"p-bob"};
    i0.explains = {1};  // the writer lists what it is given
    Issue i1 = MakeIssue(IssueCode::kHighPacketLoss, Severity::kWarning, "p-alice", Path::kUplink,
                         40000, 50000);
    Issue i2 =
        MakeIssue(IssueCode::kHighRtt, Severity::kWarning, "p-bob", Path::kNone, 45000, 45000);
    sa.issues = {i0, i1, i2};
    Meeting m;
    m.start_ms = 1000;
    m.end_ms = 61000;
    m.peer_ids = {"p-bob", "p-alice"};  // Carol never joined
    m.participant_minutes = 2.5;
    m.published_tracks = 1;
    m.participants = 2;
    m.publishers = 1;
    m.viewers = 1;
    m.call_type = CallType::kOneToOne;
    sa.meetings.push_back(m);
    LogEvent opened;  // an event the model does not hold: no words
    opened.time_ms = 1000;
    opened.type = "session.open.success";
    sa.events.push_back(opened);
    LogEvent failed;  // Carol's connect failure, model event 0
    failed.time_ms = 5000;
    failed.peer_id = "p-carol";
    failed.type = "client.connect.failed";
    failed.is_error = true;
    failed.event = 0;
    sa.events.push_back(failed);
    sa.error_events = {0, 7};  // 7 is out of range: skipped
    sa.failure_rates["connect"] = FailureRate{2, 1, 1, 0, 0.5};
    sa.metrics["publisher.audio.packet_loss_percent"] = MetricStats{4, 9, 9, 3};
    sa.metrics["subscriber.audio.packet_loss_percent"] = MetricStats{1, 2, 2, 2};
    analysis.sessions.push_back(sa);
    Rank();
  }

  // What Analyze derives from the issues, peers and error events: the
  // ranking, top issues, meeting summaries, verdict and users.
  void Rank() {
    for (size_t i = 0; i < model.sessions.size(); ++i) {
      const Session& s = model.sessions[i];
      SessionAnalysis& sa = analysis.sessions[i];
      sa.worst_peers = analysis::RankPeers(s, sa);
      std::vector<size_t> all(sa.issues.size());
      for (size_t k = 0; k < all.size(); ++k) all[k] = k;
      sa.top_issues = analysis::RankIssues(sa.issues, all, 5);
      analysis::SummarizeMeetings(s, &sa);
      sa.verdict = analysis::JudgeSession(s, sa);
      sa.users = analysis::GroupUsers(s);
    }
  }

  ReportContext Context() const { return ReportContext{inputs, model, analysis, config}; }
  nlohmann::json Json() const { return nlohmann::json::parse(WriteJsonReport(Context())); }
};

}  // namespace callsight::testing

#endif  // CALLSIGHT_TESTS_CORE_REPORT_FIXTURE_H_
