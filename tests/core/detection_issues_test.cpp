// The detections as issues, through the whole Analyze and the reports: each
// code on the right peer, path and severity, with its figures in the words.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/report.h"
#include "core/test_util.h"
#include "report/format.h"
#include "report/issue_text.h"

using namespace callsight;
using testing::Call;
using testing::Cols;
using testing::Const;
using testing::EmptySession;
using testing::kStep;
using testing::kT0;
using testing::MakeTrack;
using testing::UserPeer;
using testing::With;
using json = nlohmann::json;

namespace {

constexpr int64_t kMin = 60000;

Cols VideoPub() { return {{Metric::kFps, Const(30)}, {Metric::kBitrate, Const(1.2e6)}}; }
Cols VideoRx(std::vector<double> fps, std::vector<double> bitrate = Const(9e5)) {
  return {{Metric::kFps, std::move(fps)}, {Metric::kBitrate, std::move(bitrate)}};
}
Cols AudioPub(std::vector<double> loss = Const(0)) {
  const size_t n = loss.size();
  return {{Metric::kPacketLoss, std::move(loss)},
          {Metric::kRtt, Const(120, n)},
          {Metric::kJitter, Const(10, n)},
          {Metric::kBitrate, Const(32000, n)}};
}

// The analysis of one session, kept with its model for the reports.
struct Analyzed {
  SessionSet set;
  Analysis analysis;
  Config config;
  const Session& session() const { return set.sessions.at(0); }
  const SessionAnalysis& sa() const { return analysis.sessions.at(0); }
  std::vector<const Issue*> Issues(IssueCode code) const {
    std::vector<const Issue*> out;
    for (const Issue& is : sa().issues) {
      if (is.code == code) out.push_back(&is);
    }
    return out;
  }
  report::IssueText Text(const Issue& is) const {
    return report::DescribeIssue(session(), is, report::Clock());
  }
  std::string TextReport() const {
    const std::vector<InputReport> inputs;
    return WriteTextReport(ReportContext{inputs, set, analysis, config});
  }
  json JsonReport() const {
    const std::vector<InputReport> inputs;
    return json::parse(WriteJsonReport(ReportContext{inputs, set, analysis, config}));
  }
};

Analyzed Run(Session s) {
  Analyzed a;
  a.set.sessions.push_back(std::move(s));
  a.analysis = Analyze(a.set, a.config);
  return a;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Own issues of a peer other than `code`, on the given path.
int OtherIssues(const Analyzed& a, const std::string& peer, IssueCode code, Path path) {
  int n = 0;
  for (const Issue& is : a.sa().issues) {
    n += is.peer_id == peer && is.code != code && is.direction == path;
  }
  return n;
}

}  // namespace

TEST_CASE("detection issues: low received fps from every sender on the receiver's downlink",
          "[detection_issues]") {
  const Analyzed a = Run(Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int r, int) { return VideoRx(r == 0 ? With(Const(30), 3, 7, 5) : Const(30)); }));
  const auto found = a.Issues(IssueCode::kLowReceivedFps);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id == "p0");
  CHECK(is.direction == Path::kDownlink);
  CHECK(is.severity == Severity::kCritical);
  CHECK(is.metric == BreachMetric::kFps);
  CHECK(is.mean == Approx(5));
  CHECK(is.threshold == Approx(7));
  REQUIRE(is.detection);
  CHECK(is.detection->peers == std::vector<std::string>{"p1", "p2", "p3"});
  CHECK(is.detection->baseline == Approx(30));
  CHECK(is.affected_peers.empty());  // the senders did not suffer
  CHECK(OtherIssues(a, "p0", is.code, Path::kDownlink) == 0);
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Name0's downlink"));
  CHECK(Contains(text.title, "5.0 fps"));
  CHECK(Contains(text.detail, "3 of 3 senders"));
  CHECK(Contains(text.detail, "7.0 fps"));
  CHECK(Contains(text.detail, "30.0 fps"));
  CHECK_FALSE(text.advice.empty());
  CHECK(a.sa().worst_peers.at(0).peer == 0);
}

TEST_CASE("detection issues: low received fps from one sender at all receivers is its uplink",
          "[detection_issues]") {
  const Analyzed a = Run(Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int, int sender) {
        return VideoRx(sender == 2 ? With(Const(30), 3, 7, 10) : Const(30));
      }));
  const auto found = a.Issues(IssueCode::kLowReceivedFps);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id == "p2");
  CHECK(is.direction == Path::kUplink);
  CHECK(is.severity == Severity::kWarning);
  CHECK(is.affected_peers == std::vector<std::string>{"p0", "p1", "p3"});
  for (const char* receiver : {"p0", "p1", "p3"}) {
    CHECK(OtherIssues(a, receiver, IssueCode::kHighPacketLoss, Path::kDownlink) == 0);
  }
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Name2's video"));
  CHECK(Contains(text.title, "10.0 fps"));
  CHECK(Contains(text.detail, "3 of 3 receivers"));
  CHECK(Contains(text.detail, "15.0 fps"));
}

TEST_CASE("detection issues: a received track carrying nothing", "[detection_issues]") {
  const Analyzed a = Run(Call(
      3, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int r, int sender) {
        if (r == 0 && sender == 1) {
          return VideoRx(With(Const(30), 3, 7, 0), With(Const(9e5), 3, 7, 0));
        }
        return VideoRx(Const(30));
      }));
  const auto found = a.Issues(IssueCode::kNothingReceived);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id == "p0");
  CHECK(is.direction == Path::kDownlink);
  CHECK(is.severity == Severity::kCritical);
  CHECK(is.track_ids == std::vector<std::string>{"v1"});
  REQUIRE(is.detection);
  CHECK(is.detection->peers == std::vector<std::string>{"p1"});
  CHECK(is.detection->samples == 4);
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Nothing arrived on Name0's video from Name1"));
  CHECK(Contains(text.detail, "4 samples"));
  CHECK(Contains(text.detail, "1200 kbps"));  // what the sender sent
  CHECK(Contains(text.detail, report::FormatClock(kT0 + 3 * kStep)));
}

TEST_CASE("detection issues: nothing arriving at every receiver of one sender is its uplink",
          "[detection_issues]") {
  const Analyzed a = Run(Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int, int sender) {
        if (sender == 1) return VideoRx(With(Const(30), 3, 7, 0), With(Const(9e5), 3, 7, 0));
        return VideoRx(Const(30));
      }));
  const auto found = a.Issues(IssueCode::kNothingReceived);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id == "p1");
  CHECK(is.direction == Path::kUplink);
  CHECK(is.affected_peers == std::vector<std::string>{"p0", "p2", "p3"});
  for (const char* receiver : {"p0", "p2", "p3"}) {
    CHECK(a.sa().peers.at(static_cast<size_t>(receiver[1] - '0')).issue_count == 0);
  }
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Nothing arrived of Name1's video"));
  CHECK(Contains(text.detail, "3 of 3 receivers"));
  CHECK(Contains(text.detail, "12 samples"));
}

TEST_CASE("detection issues: poor audio the sender's uplink loss explains joins its loss issue",
          "[detection_issues]") {
  const auto burst = With(Const(0), 2, 6, 20);
  const Analyzed a = Run(Call(
      3, MediaKind::kAudio, [&](int i) { return AudioPub(i == 1 ? burst : Const(0)); },
      [&](int, int sender) {
        return Cols{{Metric::kPacketLoss, sender == 1 ? burst : Const(0)}};
      }));
  // One issue on the sender's uplink, not a second one for the MOS it causes.
  CHECK(a.Issues(IssueCode::kLowReceivedAudioMos).empty());
  const auto loss = a.Issues(IssueCode::kHighPacketLoss);
  REQUIRE(loss.size() == 1);
  CHECK(loss[0]->peer_id == "p1");
  CHECK(loss[0]->direction == Path::kUplink);
  CHECK(loss[0]->affected_peers == std::vector<std::string>{"p0", "p2"});
  // The listeners' own records stay clean: the sender's loss explains theirs.
  CHECK(a.sa().peers.at(0).issue_count == 0);
  CHECK(a.sa().peers.at(2).issue_count == 0);
}

namespace {

// Peer 0 hears peer 1 with 20 % loss for 4 samples; the senders are clean.
Session HearsLoss() {
  return Call(
      3, MediaKind::kAudio, [](int) { return AudioPub(); },
      [](int r, int sender) {
        return Cols{
            {Metric::kPacketLoss, r == 0 && sender == 1 ? With(Const(0), 2, 5, 20) : Const(0)}};
      });
}

}  // namespace

TEST_CASE("detection issues: poor MOS of what a peer hears joins its own loss issue",
          "[detection_issues]") {
  const Analyzed a = Run(HearsLoss());
  CHECK(a.Issues(IssueCode::kLowReceivedAudioMos).empty());
  const auto loss = a.Issues(IssueCode::kHighPacketLoss);
  REQUIRE(loss.size() == 1);
  CHECK(loss[0]->peer_id == "p0");
  CHECK(loss[0]->direction == Path::kDownlink);
}

TEST_CASE("detection issues: poor MOS of what a peer hears, where no loss issue says it",
          "[detection_issues]") {
  // Loss thresholds raised above the 20 %: no loss issue, so the MOS is the finding.
  Analyzed a;
  a.config.thresholds.packet_loss_pct = {30, 40};
  a.set.sessions.push_back(HearsLoss());
  a.analysis = Analyze(a.set, a.config);
  CHECK(a.Issues(IssueCode::kHighPacketLoss).empty());
  const auto found = a.Issues(IssueCode::kLowReceivedAudioMos);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  const double mos = AudioMos(120, 10, 20).mos;
  CHECK(is.peer_id == "p0");
  CHECK(is.direction == Path::kDownlink);
  CHECK(is.severity == (mos < 2.6 ? Severity::kCritical : Severity::kWarning));
  CHECK(is.mean == Approx(mos));
  REQUIRE(is.detection);
  CHECK(is.detection->loss_pct == Approx(20));
  CHECK(is.detection->rtt_ms == Approx(120));
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Name0's downlink"));
  CHECK(Contains(text.title, report::FormatNumber(mos, 2)));
  CHECK(Contains(text.detail, "20.0% loss"));
  CHECK(Contains(text.detail, "120 ms"));
  CHECK(Contains(text.detail, "Name1"));
  CHECK_FALSE(Contains(text.detail, "default"));
}

namespace {

// Five audio peers; peers 0..3 start `loss` % uplink loss one sample apart
// (within a minute), peer 4 stays clean: no one sender to blame.
Session SharedLoss(double loss = 9) {
  return Call(
      5, MediaKind::kAudio,
      [loss](int i) {
        return AudioPub(i < 4 ? With(Const(0, 24), 2 + i, 5 + i, loss) : Const(0, 24));
      },
      [](int, int) {
        return Cols{{Metric::kPacketLoss, Const(0, 24)}};
      });
}

}  // namespace

TEST_CASE("detection issues: session-wide degradation has no peer and counts in the verdict",
          "[detection_issues]") {
  const Analyzed a = Run(SharedLoss());
  const auto found = a.Issues(IssueCode::kSessionDegradation);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id.empty());
  CHECK(is.direction == Path::kNone);
  CHECK(is.severity == Severity::kCritical);
  CHECK(is.affected_peers == std::vector<std::string>{"p0", "p1", "p2", "p3"});
  REQUIRE(is.detection);
  CHECK(is.detection->family == BreachFamily::kLoss);
  // The verdict counts it; no peer counts it as its own.
  const SessionAnalysis& sa = a.sa();
  int critical = 0, own = 0;
  for (const Issue& i : sa.issues) critical += i.severity == Severity::kCritical;
  for (const PeerAnalysis& pa : sa.peers) own += pa.issue_count;
  CHECK(sa.verdict.issues.of(Severity::kCritical) == critical);
  CHECK(sa.verdict.level == VerdictLevel::kCritical);
  CHECK(own == static_cast<int>(sa.issues.size()) - 1);
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Session-wide packet loss"));
  CHECK(Contains(text.title, "4 of 5 participants"));
  CHECK(Contains(text.detail, "80%"));
  CHECK(Contains(text.detail, "Name0, Name1, Name2 and Name3"));
}

TEST_CASE("detection issues: one degradation with breaches of two families is one issue",
          "[detection_issues]") {
  // 16 % loss also takes each sender's audio MOS below 3.1: the same peers
  // start loss and audio (MOS) breaches at once.
  REQUIRE(AudioMos(120, 10, 16).mos < 3.1);
  const Analyzed a = Run(SharedLoss(16));
  CHECK(a.Issues(IssueCode::kLowAudioMos).size() == 4);
  const auto found = a.Issues(IssueCode::kSessionDegradation);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->detection->family == BreachFamily::kLoss);  // the cause, not the effect
}

TEST_CASE("detection issues: the reports show the session-wide issue", "[detection_issues]") {
  const Analyzed a = Run(SharedLoss());
  const std::string text = a.TextReport();
  const size_t section = text.find("\nSession-wide\n");
  REQUIRE(section != std::string::npos);
  const size_t title = text.find("Session-wide packet loss", section);
  CHECK(title != std::string::npos);
  const size_t peers = text.find("Worst peers first");
  REQUIRE(peers != std::string::npos);
  CHECK(section < peers);
  CHECK(title < peers);
  // Peers it hit list it among other peers' issues, as session-wide.
  CHECK(Contains(text.substr(peers), "session-wide  Session-wide packet loss"));

  const json report = a.JsonReport();
  const json& issues = report["sessions"][0]["issues"];
  int session_wide = 0;
  for (const json& is : issues) {
    if (is["code"] != "session_degradation") continue;
    ++session_wide;
    CHECK(is["peer_id"] == "");
    CHECK(is["direction"].is_null());
    CHECK(is["detection"]["family"] == "loss");
    CHECK(is["detection"]["peers"].size() == 4);
    CHECK(is["detection"]["peers_total"] == 5);
    CHECK(is["detection"]["value"].get<double>() == Approx(0.8));
  }
  CHECK(session_wide == 1);
}

TEST_CASE("detection issues: bitrate collapse on the sender's uplink", "[detection_issues]") {
  Session s = EmptySession(4);
  Peer p;
  p.peer_id = "p0";
  p.info.name = "Ann";
  p.tracks.push_back(MakeTrack(
      "v", Direction::kPublisher, MediaKind::kVideo, "",
      {{Metric::kBitrate, With(Const(1.5e6, 24), 10, 16, 4e5)}, {Metric::kFps, Const(30, 24)}}));
  s.peers.push_back(std::move(p));
  const Analyzed a = Run(std::move(s));
  const auto found = a.Issues(IssueCode::kBitrateCollapse);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  CHECK(is.peer_id == "p0");
  CHECK(is.direction == Path::kUplink);
  CHECK(is.severity == Severity::kWarning);
  CHECK(is.metric == BreachMetric::kVideoBitrateTotal);
  CHECK(is.start_ms == kT0 + 10 * kStep);
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Ann's uplink"));
  CHECK(Contains(text.title, "400 kbps"));
  CHECK(Contains(text.title, "1500 kbps"));
  CHECK(Contains(text.detail, "500 kbps"));  // the collapse threshold, a third
  CHECK(OtherIssues(a, "p0", is.code, Path::kUplink) == 0);
  CHECK(a.sa().verdict.level == VerdictLevel::kWarning);
}

namespace {

// A user back three times under new peer ids u0..u3 (presence starting at
// `minutes` + 800 ms), each return also a peer.join.success webhook in whole
// seconds, before its presence; and someone who stays.
Session RejoinsWithJoinEvents() {
  Session s = EmptySession(30);
  const std::vector<std::pair<int, int>> minutes = {{0, 2}, {3, 5}, {6, 7}, {8, 20}};
  for (size_t i = 0; i < minutes.size(); ++i) {
    const int64_t start = kT0 + minutes[i].first * kMin;
    Peer p =
        UserPeer("u" + std::to_string(i), "user-1", {start + 800, kT0 + minutes[i].second * kMin});
    p.info.name = "Ann";
    s.events.push_back(Event{start, p.peer_id, "peer.join.success"});
    s.peers.push_back(std::move(p));
  }
  s.peers.push_back(UserPeer("x", "user-2", {kT0, kT0 + 30 * kMin}));
  return s;
}

}  // namespace

TEST_CASE("detection issues: repeated rejoins land on the user's returning peer id",
          "[detection_issues]") {
  const Analyzed a = Run(RejoinsWithJoinEvents());
  const auto found = a.Issues(IssueCode::kRepeatedRejoins);
  REQUIRE(found.size() == 1);
  const Issue& is = *found[0];
  // The run ends at u3's join event, 800 ms before u3's presence starts.
  CHECK(is.peer_id == "u3");
  CHECK(is.direction == Path::kNone);
  CHECK(is.severity == Severity::kWarning);
  CHECK(is.end_ms == kT0 + 8 * kMin);
  REQUIRE(is.detection);
  CHECK(is.detection->cycles == 3);
  CHECK(is.detection->user_id == "user-1");
  CHECK(is.detection->peers == std::vector<std::string>{"u0", "u1", "u2", "u3"});
  CHECK(is.affected_peers.empty());
  const report::IssueText text = a.Text(is);
  CHECK(Contains(text.title, "Ann dropped out and rejoined 3 times"));
  CHECK(Contains(text.detail, "user-1"));
  CHECK(Contains(text.detail, "4 peer ids"));
  CHECK(Contains(text.detail, report::FormatClock(kT0 + 2 * kMin)));
}

TEST_CASE("detection issues: a clean call raises none", "[detection_issues]") {
  const Analyzed video = Run(Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int, int) { return VideoRx(Const(30)); }));
  CHECK(video.sa().issues.empty());
  const Analyzed audio = Run(Call(
      4, MediaKind::kAudio, [](int) { return AudioPub(); },
      [](int, int) {
        return Cols{{Metric::kPacketLoss, Const(0)}};
      }));
  CHECK(audio.sa().issues.empty());
  CHECK(audio.sa().verdict.level == VerdictLevel::kOk);
}
