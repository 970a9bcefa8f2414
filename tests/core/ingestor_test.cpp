// The Ingestor (core/src/ingest/ingestor.cpp): files split into documents,
// each read by its kind, validation rules with file, place and reason, and
// merging in any file order.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "callsight/ingest.h"
#include "core/test_util.h"
#include "report/event_text.h"

using namespace callsight;
using testing::Ingest;
using testing::Messages;
using testing::Run;

namespace {

// A minimal peer-stats document: one audio publisher track with n samples from t0.
std::string PeerStats(const std::string& peer, const std::string& session = "s1", int n = 3,
                      long long t0 = 1700000000000LL, const std::string& extra = "") {
  std::ostringstream ts, loss;
  for (int i = 0; i < n; ++i) {
    ts << (i ? "," : "") << t0 + i * 10000;
    loss << (i ? "," : "") << "0.5";
  }
  return R"({"peer_id":")" + peer + R"(","session_id":")" + session +
         R"(","room_id":"r1","publisher":{"video":[],"audio":[{"track_id":"a-)" + peer +
         R"(","time_series":{"timestamps":[)" + ts.str() + R"(],"bitrate":[)" + loss.str() +
         R"(],"packet_loss_percent":[)" + loss.str() + R"(],"rtt_ms":[)" + loss.str() +
         R"(],"jitter_ms":[)" + loss.str() + "]}}]}," + extra +
         R"("subscriber":{"video":[],"audio":[]}})";
}

const InputReport& Only(const Run& r) {
  REQUIRE(r.reports.size() == 1);
  return r.reports[0];
}

// A stable text rendering of the model, to compare merges.
std::string Dump(const SessionSet& set) {
  std::ostringstream o;
  for (const Session& s : set.sessions) {
    o << "S " << s.session_id << " " << s.room_id << " " << s.start_ms.value_or(-1) << " "
      << s.end_ms.value_or(-1) << "\n";
    for (const Peer& p : s.peers) {
      o << " P " << p.peer_id << " " << p.info.name << " " << p.info.role << " " << p.info.browser
        << " " << p.info.end_reason << " " << p.info.joined_ms.value_or(-1) << " "
        << p.info.left_ms.value_or(-1) << "\n";
      for (const Track& t : p.tracks) {
        o << "  T " << DirectionName(t.direction) << " " << MediaKindName(t.kind) << " "
          << t.track_id << " <- " << t.remote_peer_id << "\n";
        for (const Layer& l : t.layers) o << "   L " << l.rid << " n=" << l.series.size() << "\n";
      }
    }
    for (const Event& e : s.events)
      o << " E " << e.time_ms << " " << e.type << " " << report::DescribeEvent(e) << "\n";
  }
  return o.str();
}

const std::string kSession = R"({"id":"s1","room_id":"r1","created_at":"2023-11-14T22:13:20Z",
  "peers":{"p1":{"id":"p1","session_id":"s1","name":"Ann","role":"host","user_id":"u1",
  "joined_at":"2023-11-14T22:13:20.5Z","left_at":"2023-11-14T22:20:00.123456789Z"},
  "p2":{"id":"p2","session_id":"s1","name":"Bob","role":"guest","user_id":"u2",
  "joined_at":"2023-11-14T22:14:00Z","left_at":"0001-01-01T00:00:00Z"}}})";

const std::string kEventsPage1 = R"({"limit":2,"total":3,"next":"c1","events":[
  {"version":"2.0","id":"e1","timestamp":"2023-11-14T22:13:21Z","type":"track.add.success",
   "data":{"session_id":"s1","room_id":"r1","peer_id":"p1","track_id":"a-p1","type":"audio","source":"regular",
           "agent":{"sdk":"web","sdk_version":"0.12.3","device_model":"Chrome_125.0.0.0","os":"macOS","os_version":"14.4","framework":"react"}}},
  {"version":"2.0","id":"e2","timestamp":"2023-11-14T22:15:00.25Z","type":"client.publish.failed",
   "data":{"session_id":"s1","peer_id":"p2","error_code":3001,"error_name":"CantAccessCaptureDevice",
           "error_message":"camera busy","is_terminal":true,"action":"publish",
           "agent":{"sdk":"web","device_model":"Firefox_126.0","os":"Windows"}}}]})";
const std::string kEventsPage2 = R"({"limit":2,"total":3,"next":"","events":[
  {"version":"2.0","id":"e3","timestamp":"2023-11-14T22:16:00Z","type":"client.connect.failed",
   "data":{"session_id":"s1","peer_id":"p2","error_code":"4005","error_name":"ICEFailure","is_terminal":false}}]})";
const std::string kWebhooks =
    R"({"version":"2.0","id":"w1","timestamp":"2023-11-14T22:13:20Z","type":"session.open.success","data":{"session_id":"s1","room_id":"r1","session_started_at":"2023-11-14T22:13:20Z"}})"
    "\n"
    R"({"version":"2.0","id":"w2","timestamp":"2023-11-14T22:20:00Z","type":"peer.leave.success","data":{"session_id":"s1","room_id":"r1","peer_id":"p2","user_name":"Bob","joined_at":"2023-11-14T22:14:00Z","left_at":"2023-11-14T22:19:30Z","reason":"websocket closed"}})"
    "\n";

}  // namespace

TEST_CASE("peer-stats as an object, an array and NDJSON", "[ingest][peer-stats]") {
  Run one = Ingest({{"a.json", PeerStats("p1")}});
  CHECK(Only(one).status == InputStatus::kOk);
  CHECK(Only(one).kind == InputKind::kPeerStats);
  REQUIRE(one.model.sessions.size() == 1);
  REQUIRE(one.model.sessions[0].peers.size() == 1);
  const Track& t = one.model.sessions[0].peers[0].tracks.at(0);
  CHECK(t.kind == MediaKind::kAudio);
  CHECK(t.layers.at(0).series.size() == 3);
  CHECK(t.layers[0].series.has(Metric::kJitter));
  CHECK_FALSE(t.layers[0].series.has(Metric::kFps));

  Run arr = Ingest({{"all.json", "[" + PeerStats("p1") + "," + PeerStats("p2") + "]"}});
  CHECK(Only(arr).status == InputStatus::kOk);
  CHECK(Only(arr).documents == 2);
  CHECK(arr.model.sessions.at(0).peers.size() == 2);

  Run nd = Ingest({{"all.ndjson", PeerStats("p1") + "\n" + PeerStats("p2") + "\n"}});
  CHECK(Only(nd).status == InputStatus::kOk);
  CHECK(Only(nd).documents == 2);
  CHECK(Dump(nd.model) == Dump(arr.model));
}

TEST_CASE("simulcast layers of one track stay together, h first", "[ingest][peer-stats]") {
  auto layer = [](const char* rid, int bitrate) {
    return std::string(R"({"track_id":"v1","type":"regular","rid":")") + rid +
           R"(","time_series":{"timestamps":[1700000001000,1700000002000],"bitrate":[)" +
           std::to_string(bitrate) + "," + std::to_string(bitrate) + R"(],"fps":[30,30]}})";
  };
  std::string doc =
      R"({"peer_id":"p","session_id":"s","publisher":{"video":[)" + layer("l", 100) + "," +
      layer("h", 900) + "," + layer("m", 300) +
      R"(,{"track_id":"sc","type":"screen","rid":null,"time_series":{"timestamps":[1700000001000],"fps":[5]}}]}})";
  Run r = Ingest({{"p.json", doc}});
  REQUIRE(Only(r).status == InputStatus::kOk);
  const Peer& p = r.model.sessions.at(0).peers.at(0);
  REQUIRE(p.tracks.size() == 2);
  const Track& v = p.tracks[0];
  CHECK(v.kind == MediaKind::kVideo);
  REQUIRE(v.layers.size() == 3);
  CHECK(v.layers[0].rid == "h");
  CHECK(v.layers[1].rid == "m");
  CHECK(v.layers[2].rid == "l");
  CHECK(v.layers[0].series.column(Metric::kBitrate)[0] == 900);
  CHECK(p.tracks[1].kind == MediaKind::kScreen);
}

TEST_CASE("null samples stay missing, never zero", "[ingest][peer-stats]") {
  std::string doc =
      R"({"peer_id":"p","session_id":"s","subscriber":{"video":[{"track_id":"v","type":"regular",
    "time_series":{"timestamps":[1700000000001,1700000000002,1700000000003],"bitrate":[null,500,null],"fps":[30,30,30],"freeze_count":[0,0,0]}}]}})";
  Run r = Ingest({{"p.json", doc}});
  REQUIRE(Only(r).status == InputStatus::kOk);
  const auto& b = r.model.sessions[0].peers[0].tracks[0].layers[0].series.column(Metric::kBitrate);
  CHECK(std::isnan(b[0]));
  CHECK(b[1] == 500);
  CHECK(std::isnan(b[2]));
}

TEST_CASE("session, events pages and webhooks fill peer details", "[ingest][session][events]") {
  Run r = Ingest({{"session.json", kSession},
                  {"events-1.json", kEventsPage1},
                  {"events-2.json", kEventsPage2},
                  {"hooks.ndjson", kWebhooks},
                  {"p1.json", PeerStats("p1", "s1", 3, 1700000001000LL)}});
  for (const auto& rep : r.reports) INFO(Messages(rep));
  CHECK(r.reports[0].kind == InputKind::kSession);
  CHECK(r.reports[1].kind == InputKind::kAnalyticsEvents);
  CHECK(r.reports[3].kind == InputKind::kWebhookEvents);
  CHECK(r.reports[3].documents == 2);
  for (const auto& rep : r.reports) CHECK(rep.status == InputStatus::kOk);
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  CHECK(s.room_id == "r1");
  CHECK(s.start_ms == 1700000000000LL);
  REQUIRE(s.peers.size() == 2);
  const Peer& ann = s.peers[0];
  CHECK(ann.peer_id == "p1");
  CHECK(ann.info.name == "Ann");
  CHECK(ann.info.role == "host");
  CHECK(ann.info.user_id == "u1");
  CHECK(ann.info.browser == "Chrome");
  CHECK(ann.info.browser_version == "125.0.0.0");
  CHECK(ann.info.os == "macOS");
  CHECK(ann.info.framework == "react");
  CHECK(ann.info.sdk_version == "0.12.3");
  CHECK(ann.info.joined_ms == 1700000000500LL);
  CHECK(ann.info.left_ms == 1700000400123LL);
  const Peer& bob = s.peers[1];
  CHECK(bob.info.browser == "Firefox");
  CHECK(bob.info.end_reason == "websocket closed");
  CHECK(bob.info.end_reason_kind == LeaveReason::kWebsocketClosed);
  CHECK(bob.info.left_ms == 1700000370000LL);  // from the webhook; the session said "not set"
  REQUIRE(bob.presence.size() == 1);
  CHECK(bob.presence[0].start_ms == 1700000040000LL);
  // Events: chronological, errors carry their fields.
  REQUIRE(s.events.size() == 5);
  CHECK(std::is_sorted(s.events.begin(), s.events.end(),
                       [](const Event& a, const Event& b) { return a.time_ms < b.time_ms; }));
  const Event* publish = nullptr;
  const Event* connect = nullptr;
  for (const Event& e : s.events) {
    if (e.type == "client.publish.failed") publish = &e;
    if (e.type == "client.connect.failed") connect = &e;
  }
  REQUIRE(publish);
  CHECK(publish->is_error);
  CHECK(publish->is_terminal);
  CHECK(publish->error_code == "3001");
  CHECK(publish->action == "publish");  // as written
  CHECK(publish->failed == FailedOperation::kPublish);
  REQUIRE(connect);
  CHECK(connect->action.empty());  // not written: what failed comes from the type
  CHECK(connect->failed == FailedOperation::kConnect);
  CHECK_FALSE(connect->is_terminal);
}

TEST_CASE("session peers as an array and the session list", "[ingest][session]") {
  std::string arr =
      R"({"id":"s9","room_id":"r","peers":[{"id":"x","name":"X","joined_at":"2024-01-01T00:00:00Z"}]})";
  Run a = Ingest({{"s.json", arr}});
  CHECK(Only(a).kind == InputKind::kSession);
  REQUIRE(a.model.sessions.at(0).peers.size() == 1);
  CHECK(a.model.sessions[0].peers[0].info.name == "X");

  std::string list =
      R"({"limit":10,"last":"s8","data":[)" + arr + R"(,{"id":"s8","room_id":"r","peers":{}}]})";
  Run l = Ingest({{"list.json", list}});
  CHECK(Only(l).kind == InputKind::kSessionList);
  CHECK(Only(l).status == InputStatus::kOk);
  CHECK(l.model.sessions.size() == 2);
}

TEST_CASE("small documents: numeric ids, repeated members, peers by name", "[ingest][session]") {
  // Integer ids are their digits, all 64 bits of them; a fraction is an error.
  std::string s = R"({"id":18446744073709551615,"room_id":-7,"peers":{)"
                  R"("zed":{"name":"Z","joined_at":"2024-01-01T00:00:00Z"},)"
                  R"("amy":{"name":"first","joined_at":"2024-01-01T00:00:00Z"},)"
                  R"("amy":{"name":"A","joined_at":"2024-01-01T00:00:00Z"}}})";
  Run r = Ingest({{"s.json", s}});
  INFO(Messages(Only(r)));
  REQUIRE(Only(r).status == InputStatus::kOk);
  const Session& session = r.model.sessions.at(0);
  CHECK(session.session_id == "18446744073709551615");
  CHECK(session.room_id == "-7");
  // A repeated peer name counts once, with its last value.
  REQUIRE(session.peers.size() == 2);
  CHECK(session.peers[0].peer_id == "amy");
  CHECK(session.peers[0].info.name == "A");
  CHECK(session.peers[1].peer_id == "zed");

  Run bad = Ingest({{"s.json", R"({"id":"s1","peers":{"p":{"name":"P","user_id":1.5}}})"}});
  CHECK(Only(bad).status == InputStatus::kRejected);
  CHECK(Only(bad).messages.at(0).pointer == "/peers/p/user_id");
  CHECK(Only(bad).messages.at(0).text == "user_id must be a string, not a number");

  // An unknown shape lists its member names, each once, in order.
  Run unknown = Ingest({{"x.json", R"({"zz":1,"b":2,"b":3,"a":{}})"}});
  CHECK(Only(unknown).status == InputStatus::kRejected);
  CHECK(Only(unknown).messages.at(0).text.find("(an object with keys: a, b, zz)") !=
        std::string::npos);
}

TEST_CASE("kind comes from the shape, never the file name", "[ingest]") {
  Run r = Ingest({{"session.json", PeerStats("p1")}, {"peer-stats.json", kSession}});
  CHECK(r.reports[0].kind == InputKind::kPeerStats);
  CHECK(r.reports[1].kind == InputKind::kSession);
}

TEST_CASE("merging gives the same model in any file order", "[ingest][merge]") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"session.json", kSession},  {"events-1.json", kEventsPage1}, {"events-2.json", kEventsPage2},
      {"hooks.ndjson", kWebhooks}, {"p1.json", PeerStats("p1")},    {"p2.json", PeerStats("p2")}};
  std::string expected = Dump(Ingest(files).model);
  std::sort(files.begin(), files.end());
  int permutations = 0;
  do {
    REQUIRE(Dump(Ingest(files).model) == expected);
  } while (std::next_permutation(files.begin(), files.end()) && ++permutations < 200);
  // Overlapping pages and repeated webhooks are de-duplicated.
  files.push_back({"events-1-again.json", kEventsPage1});
  CHECK(Dump(Ingest(files).model) == expected);
}

TEST_CASE("subscriber tracks learn their sender", "[ingest][merge]") {
  std::string sub = R"({"peer_id":"p2","session_id":"s1","subscriber":{"audio":[{"track_id":"a-p1",
    "time_series":{"timestamps":[1700000000000],"concealed_samples":[0],"packet_loss_percent":[0]}}]}})";
  Run r = Ingest({{"p2.json", sub}, {"p1.json", PeerStats("p1")}});
  const Peer* p2 = nullptr;
  for (const Peer& p : r.model.sessions[0].peers) {
    if (p.peer_id == "p2") p2 = &p;
  }
  REQUIRE(p2);
  CHECK(p2->tracks.at(0).remote_peer_id == "p1");
}

TEST_CASE("validation: each rule rejects with file, place and reason", "[ingest][validation]") {
  struct Case {
    const char* what;
    std::string text;
    const char* pointer;
    const char* phrase;
  };
  std::string base = PeerStats("p1");
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    size_t at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  std::vector<Case> cases = {
      {"unequal lengths", replace(R"("jitter_ms":[0.5,0.5,0.5])", R"("jitter_ms":[0.5,0.5])"),
       "/publisher/audio/0/time_series/jitter_ms", "has 2 samples but timestamps has 3"},
      {"non-numeric sample", replace(R"("rtt_ms":[0.5,0.5,0.5])", R"("rtt_ms":[0.5,"fast",0.5])"),
       "/publisher/audio/0/time_series/rtt_ms/1", "expected a number but found a string"},
      {"object where a number belongs",
       replace(R"("rtt_ms":[0.5,0.5,0.5])", R"("rtt_ms":[0.5,{},0.5])"),
       "/publisher/audio/0/time_series/rtt_ms/1", "an object"},
      {"timestamps backwards", replace("1700000010000", "1699999990000"),
       "/publisher/audio/0/time_series/timestamps/1", "go backwards"},
      {"unknown kind", R"({"hello":"world"})", "", "not a 100ms export"},
      {"not JSON", "this is not json", "", "not JSON"},
      {"truncated", base.substr(0, base.size() / 2), "", "unexpected end of file"},
      {"empty", "  \n", "", "empty"},
      {"deep nesting", std::string(200, '[') + std::string(200, ']'), "", "deeper than"},
      {"missing peer_id", R"({"session_id":"s","publisher":{}})", "", "without a peer_id"},
      {"number out of range", replace(R"("rtt_ms":[0.5,0.5,0.5])", R"("rtt_ms":[0.5,1e999,0.5])"),
       "/publisher/audio/0/time_series/rtt_ms/1", "out of range"},
      {"scalar file", "42", "", "single JSON value"},
      {"trailing garbage", base + " }", "", "unexpected text after"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    Run r = Ingest({{"bad.json", c.text}, {"good.json", PeerStats("p9")}});
    const InputReport& bad = r.reports[0];
    INFO(Messages(bad));
    CHECK(bad.status == InputStatus::kRejected);
    REQUIRE_FALSE(bad.messages.empty());
    const InputMessage& m = bad.messages[0];
    if (*c.pointer) CHECK(m.pointer == c.pointer);
    CHECK(m.text.find(c.phrase) != std::string::npos);
    CHECK(FormatMessage(bad.name, m).rfind("bad.json: ", 0) == 0);
    // The good file beside it is still analyzed, and the bad one left nothing.
    CHECK(r.reports[1].status == InputStatus::kOk);
    REQUIRE(r.model.sessions.size() == 1);
    REQUIRE(r.model.sessions[0].peers.size() == 1);
    CHECK(r.model.sessions[0].peers[0].peer_id == "p9");
  }
}

TEST_CASE("validation: the same peer twice rejects the second file", "[ingest][validation]") {
  Run r = Ingest({{"a.json", PeerStats("p1")}, {"b.json", PeerStats("p1")}});
  CHECK(r.reports[0].status == InputStatus::kOk);
  CHECK(r.reports[1].status == InputStatus::kRejected);
  CHECK(r.reports[1].messages.at(0).text.find("already read from a.json") != std::string::npos);
  Run same = Ingest({{"a.json", "[" + PeerStats("p1") + "," + PeerStats("p1") + "]"}});
  CHECK(Only(same).status == InputStatus::kRejected);
  // The same peer id in another session is a different peer.
  Run other = Ingest({{"a.json", PeerStats("p1", "s1")}, {"b.json", PeerStats("p1", "s2")}});
  CHECK(other.reports[1].status == InputStatus::kOk);
  CHECK(other.model.sessions.size() == 2);
}

TEST_CASE("validation: a bad NDJSON line names its line", "[ingest][validation]") {
  Run r = Ingest({{"x.ndjson", PeerStats("p1") + "\n" + PeerStats("p2") + "\n{\"oops\": }\n"}});
  const InputReport& rep = Only(r);
  CHECK(rep.status == InputStatus::kRejected);
  CHECK(rep.messages.at(0).line == 3);
  CHECK(r.model.sessions.empty());  // all or nothing
}

TEST_CASE("repairs: repeated timestamps and impossible values, with warnings",
          "[ingest][validation]") {
  std::string doc = R"({"peer_id":"p","session_id":"s","publisher":{"audio":[{"track_id":"a",
    "time_series":{"timestamps":[1700000001000,1700000001000,1700000002000],"packet_loss_percent":[1,1,-5],"rtt_ms":[10,10,20]}}]}})";
  Run r = Ingest({{"p.json", doc}});
  const InputReport& rep = Only(r);
  INFO(Messages(rep));
  CHECK(rep.status == InputStatus::kRepaired);
  REQUIRE(rep.messages.size() == 2);
  CHECK(rep.messages[0].level == InputMessage::Level::kWarning);
  const Series& s = r.model.sessions[0].peers[0].tracks[0].layers[0].series;
  CHECK(s.size() == 2);
  CHECK(std::isnan(s.column(Metric::kPacketLoss)[1]));
}

TEST_CASE("a file larger than the limit is rejected as too large", "[ingest][validation]") {
  IngestOptions opts;
  opts.max_file_bytes = 100;
  Ingestor in(opts);
  std::string big = PeerStats("p1");
  const InputReport& rep = in.Add({"big.json", big});
  CHECK(rep.status == InputStatus::kRejected);
  CHECK(rep.messages.at(0).text.find("larger than the limit") != std::string::npos);
}

TEST_CASE("validation: implausible timestamps, long spans, ids of the wrong type",
          "[ingest][validation]") {
  auto doc = [](const std::string& stamps, const std::string& peer = "\"p\"") {
    return R"({"peer_id":)" + peer + R"(,"session_id":"s","publisher":{"audio":[{"track_id":"a",
      "time_series":{"timestamps":[)" +
           stamps + R"(],"rtt_ms":[1,2]}}]}})";
  };
  struct Case {
    std::string text;
    const char* pointer;
    const char* phrase;
  };
  const std::vector<Case> cases = {
      {doc("0,1700000000000"), "/publisher/audio/0/time_series/timestamps/0",
       "between the years 2000 and 2100"},
      {doc("1700000000,1700000010"), "/publisher/audio/0/time_series/timestamps/0",
       "not a Unix time in milliseconds"},
      {doc("978307200000,1700000000000"), "/publisher/audio/0/time_series/timestamps",
       "more than a session can last"},
      {doc("1700000000000,1700000010000", "[1]"), "/peer_id",
       "peer_id must be a string, not an array"},
      {doc("1700000000000,1700000010000", "true"), "/peer_id", "not a boolean"},
  };
  for (const Case& c : cases) {
    Run r = Ingest({{"bad.json", c.text}});
    const InputReport& rep = Only(r);
    INFO(Messages(rep));
    CHECK(rep.status == InputStatus::kRejected);
    REQUIRE_FALSE(rep.messages.empty());
    CHECK(rep.messages[0].pointer == c.pointer);
    CHECK(rep.messages[0].text.find(c.phrase) != std::string::npos);
  }
  // An integer id is taken as its text, as in the other documents.
  Run ok = Ingest({{"p.json", doc("1700000000000,1700000010000", "42")}});
  CHECK(Only(ok).status == InputStatus::kOk);
  CHECK(ok.model.sessions.at(0).peers.at(0).peer_id == "42");
}

TEST_CASE("a file that could not be read is listed as rejected", "[ingest][validation]") {
  IngestOptions opts;
  opts.max_file_bytes = 100;
  Ingestor in(opts);
  CHECK(in.AddUnread("gone.json", 0, "No such file or directory").messages.at(0).text ==
        "cannot read: No such file or directory");
  const InputReport& big = in.AddUnread("big.json", 5000, "");
  CHECK(big.status == InputStatus::kRejected);
  CHECK(big.messages.at(0).text.find("larger than the limit") != std::string::npos);
  CHECK(in.inputs().size() == 2);
}

namespace {

// The reports' text and the model, as AddAll in batches of `batch` files on
// `threads` threads gives them (or, `background`, StartAddAll with the next
// batch's bytes loaded before Wait()). Each file's bytes are overwritten as
// soon as it is released: reading them after that would change the result.
std::string IngestAll(const std::vector<std::pair<std::string, std::string>>& files, size_t batch,
                      int threads, bool background = false) {
  Ingestor in;
  const std::thread::id caller = std::this_thread::get_id();
  for (size_t i = 0; i < files.size(); i += batch) {
    std::vector<std::string> bytes;
    for (size_t j = i; j < std::min(files.size(), i + batch); ++j) bytes.push_back(files[j].second);
    std::vector<InputFile> part;
    for (size_t k = 0; k < bytes.size(); ++k) part.push_back({files[i + k].first, bytes[k]});
    std::vector<size_t> released, merged;
    const auto release = [&](size_t k) {
      CHECK(std::this_thread::get_id() == caller);  // on the calling thread
      released.push_back(k);
      merged.push_back(in.inputs().size() - i);
      std::fill(bytes[k].begin(), bytes[k].end(), '#');
    };
    if (background) {
      std::unique_ptr<Ingestor::PendingAdd> pending = in.StartAddAll(part, threads, release);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the caller's other work
      CHECK(released.empty());                                    // nothing is merged before Wait()
      pending->Wait();
    } else {
      in.AddAll(part, threads, release);
    }
    std::vector<size_t> in_order(part.size()), counts(part.size());
    std::iota(in_order.begin(), in_order.end(), size_t{0});
    std::iota(counts.begin(), counts.end(), size_t{1});
    CHECK(released == in_order);  // each once, in file order
    CHECK(merged == counts);      // and each once it is merged
  }
  std::string out;
  for (const InputReport& r : in.inputs()) {
    out += r.name + " " + InputStatusName(r.status) + " " + InputKindName(r.kind) + " " +
           std::to_string(r.documents) + "\n" + Messages(r);
  }
  return out + Dump(in.Finish());
}

}  // namespace

TEST_CASE("AddAll on several threads gives what Add gives, file by file", "[ingest][threads]") {
  // Good files, broken ones, and the same peer's stats in two files (and in a
  // third), so that a batch may hold both: the later one is still rejected,
  // naming the first, exactly as one by one.
  const std::vector<std::pair<std::string, std::string>> files = {
      {"session.json", kSession},
      {"p1.json", PeerStats("p1")},
      {"events-1.json", kEventsPage1},
      {"p1-again.json", PeerStats("p1")},
      {"broken.json", "{\"peer_id\": "},
      {"p2.json", PeerStats("p2")},
      {"events-2.json", kEventsPage2},
      {"p2-again.json", "[" + PeerStats("p3") + "," + PeerStats("p2") + "]"},
      {"hooks.ndjson", kWebhooks},
      {"p1-third.json", PeerStats("p1")},
  };
  const std::string expected = IngestAll(files, 1, 1);
  REQUIRE(expected.find("p1-again.json rejected") != std::string::npos);
  REQUIRE(expected.find("p2-again.json rejected") != std::string::npos);
  REQUIRE(expected.find("already read from p1.json") != std::string::npos);
  for (size_t batch : {2, 3, 4, 10}) {
    for (int threads : {1, 2, 4}) {
      INFO("batch " << batch << ", threads " << threads);
      CHECK(IngestAll(files, batch, threads) == expected);
      CHECK(IngestAll(files, batch, threads, /*background=*/true) == expected);
    }
  }
  // And Add() one by one is the same as batches of one.
  Ingestor one;
  for (const auto& [name, text] : files) one.Add({name, text});
  CHECK(one.inputs().size() == files.size());
  CHECK(Dump(one.Finish()) == expected.substr(expected.find("S ")));
}

TEST_CASE("StartAddAll dropped before Wait() merges nothing and leaves the Ingestor usable",
          "[ingest][threads]") {
  std::vector<std::string> bytes;
  for (int k = 0; k < 40; ++k) bytes.push_back(PeerStats("p" + std::to_string(k)));
  std::vector<InputFile> files;
  for (size_t k = 0; k < bytes.size(); ++k) files.push_back({"p" + std::to_string(k), bytes[k]});
  for (int threads : {1, 2, 3}) {
    INFO(threads << " threads");
    Ingestor in;
    int released = 0;
    {
      auto dropped = in.StartAddAll(files, threads, [&](size_t) { ++released; });
    }
    CHECK(released == 0);
    CHECK(in.inputs().empty());
    in.Add({"p-late.json", PeerStats("late")});
    const SessionSet model = in.Finish();
    REQUIRE(model.sessions.size() == 1);
    CHECK(model.sessions[0].peers.size() == 1);
  }
}

TEST_CASE("one peer's tracks further apart than a session can last are rejected", "[ingest]") {
  // Found by fuzz_ingest: one sample in 2080 beside samples in 2025 made the
  // analysis cover 55 years of windows.
  const std::string doc =
      R"({"peer_id":"p1","session_id":"s1","room_id":"r1","publisher":{"video":[)"
      R"({"track_id":"v1","rid":"h","time_series":{"timestamps":[1738843560000,1738843570000],"fps":[30,30]}}],)"
      R"("audio":[{"track_id":"a1","time_series":{"timestamps":[3500000000000],"bitrate":[32000]}}]}})";
  Ingestor ing;
  const InputReport& r = ing.Add({"p1.json", doc});
  REQUIRE(r.status == InputStatus::kRejected);
  REQUIRE_FALSE(r.messages.empty());
  const InputMessage& m = r.messages.front();
  CHECK(m.pointer == "/publisher/audio/0/time_series/timestamps");
  CHECK(m.text.find("more than a session can last") != std::string::npos);
  CHECK(m.text.find("/publisher/video/0") != std::string::npos);
  // Within 12 hours the same tracks are fine.
  std::string near = doc;
  near.replace(near.find("3500000000000"), 13, "1738850000000");
  Ingestor ok;
  CHECK(ok.Add({"p1.json", near}).status == InputStatus::kOk);
}
