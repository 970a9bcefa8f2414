// The rtcstats dump reader: the real Jitsi dumps (every value checked against
// an independent decoding with nlohmann/json by the Jitsi server's rule, plus
// facts read off the files), the rtcstats format-3 fixture, and small
// hand-made dumps for each rule.
#include "ingest/rtcstats_reader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/stats_dump_digest.h"
#include "core/test_util.h"

using namespace callsight;
using ingest::DumpEventKind;
using ingest::StatsDump;
using ingest::StatsFormat;
namespace fs = std::filesystem;

namespace {

fs::path RealDir() {
  const char* env = std::getenv("CALLSIGHT_REAL_DATA");
  return fs::path(env && *env ? env : CALLSIGHT_REAL_DIR);
}

struct Read {
  bool ok = false;
  StatsDump dump;
  std::vector<InputMessage> messages;
};

// Read on one thread, and again on three with tasks of a few lines: the two
// reads must be the same.
Read ReadDump(const std::string& bytes, int max_depth = 32) {
  Read r;
  r.ok = ingest::ReadRtcstatsDump(bytes, {max_depth, 1}, &r.dump, &r.messages);
  Read parallel;
  parallel.ok = ingest::ReadRtcstatsDump(bytes, {max_depth, 3, /*task_bytes=*/200}, &parallel.dump,
                                         &parallel.messages);
  CHECK(parallel.ok == r.ok);
  CHECK(testing::DumpDigest(parallel.dump, parallel.messages) ==
        testing::DumpDigest(r.dump, r.messages));
  return r;
}

std::string AllText(const std::vector<InputMessage>& messages) {
  std::string out;
  for (const InputMessage& m : messages) out += m.text + "\n";
  return out;
}

const ingest::DumpConnection* ConnectionOf(const StatsDump& d, const std::string& id) {
  for (const auto& c : d.connections) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const ingest::StatObject* Object(const StatsDump& d, const std::string& connection,
                                 const std::string& id) {
  const ingest::DumpConnection* c = ConnectionOf(d, connection);
  if (c == nullptr) return nullptr;
  for (const auto& o : c->stats) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

// The property's value at the sample dated `time_ms`: a number, or NaN.
double NumberAt(const ingest::StatObject& o, const std::string& name, int64_t time_ms) {
  const ingest::StatProperty* p = o.Find(name);
  for (size_t i = 0; p != nullptr && i < o.times_ms.size(); ++i) {
    if (o.times_ms[i] == time_ms) return p->numbers[i];
  }
  return std::nan("");
}

std::string TextAt(const ingest::StatObject& o, const std::string& name, size_t sample) {
  const ingest::StatProperty* p = o.Find(name);
  if (p == nullptr || p->texts.empty()) return "";
  REQUIRE(sample < p->texts.size());
  return std::string(p->texts[sample]);
}

// Checks the invariants stats_dump.h promises.
void CheckInvariants(const StatsDump& d) {
  for (size_t i = 1; i < d.connections.size(); ++i) {
    CHECK(d.connections[i - 1].id < d.connections[i].id);
  }
  for (const auto& c : d.connections) {
    for (size_t i = 0; i < c.stats.size(); ++i) {
      const ingest::StatObject& o = c.stats[i];
      if (i > 0) CHECK(c.stats[i - 1].id < o.id);
      CHECK(std::is_sorted(o.times_ms.begin(), o.times_ms.end()));
      for (const auto& p : o.properties) {
        CHECK(p.numbers.size() == o.times_ms.size());
        CHECK((p.texts.empty() || p.texts.size() == o.times_ms.size()));
      }
    }
  }
  for (size_t i = 1; i < d.events.size(); ++i) {
    CHECK(d.events[i - 1].time_ms <= d.events[i].time_ms);
  }
}

// ---------------------------------------------------------------------------
// An independent decoding of a Jitsi dump's getstats lines with nlohmann/json,
// by the rule of the Jitsi rtcstats-server's decompress(): objects not named
// are gone; named ones merge over the last full report; timestamp 0 is the
// value's top-level timestamp, no timestamp keeps the last one.

using Json = nlohmann::ordered_json;
// (connection, object id) -> sample time -> the full report.
using Decoded = std::map<std::pair<std::string, std::string>, std::map<int64_t, Json>>;

Decoded DecodeLikeJitsi(const std::string& text) {
  Decoded out;
  std::map<std::string, Json> base;  // per connection: id -> report
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const Json a = Json::parse(line);
    if (a[0] != "getstats") continue;
    const std::string pc = a[1];
    Json delta = a[2];
    const double top = delta["timestamp"].get<double>();
    delta.erase("timestamp");
    Json& b = base[pc];
    if (b.is_null()) b = Json::object();
    std::vector<std::string> gone;
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (!delta.contains(it.key())) gone.push_back(it.key());
    }
    for (const auto& id : gone) b.erase(id);
    for (auto it = delta.begin(); it != delta.end(); ++it) {
      Json report = it.value();
      const bool known = b.contains(it.key());
      if (report.contains("timestamp") && report["timestamp"] == 0) {
        report["timestamp"] = top;
      } else if (!report.contains("timestamp") && known) {
        report["timestamp"] = b[it.key()]["timestamp"];
      }
      if (!known) b[it.key()] = Json::object();
      for (auto m = report.begin(); m != report.end(); ++m) b[it.key()][m.key()] = m.value();
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
      const int64_t t = std::llround(it.value()["timestamp"].get<double>());
      out[{pc, it.key()}][t] = it.value();
    }
  }
  return out;
}

// Every value the reader gives equals the independent decoding's; returns how
// many were compared.
size_t CompareWithJitsiDecoding(const StatsDump& d, const std::string& text) {
  const Decoded ref = DecodeLikeJitsi(text);
  size_t compared = 0;
  for (const auto& [key, samples] : ref) {
    const ingest::StatObject* o = Object(d, key.first, key.second);
    REQUIRE(o != nullptr);
    REQUIRE(o->times_ms.size() == samples.size());
    size_t i = 0;
    for (const auto& [t, report] : samples) {
      CHECK(o->times_ms[i] == t);
      for (auto m = report.begin(); m != report.end(); ++m) {
        if (m.key() == "timestamp" || m.key() == "type" || m.key() == "id") continue;
        const ingest::StatProperty* p = o->Find(m.key());
        REQUIRE(p != nullptr);
        const Json& v = m.value();
        const std::string got_text = p->texts.empty() ? "" : std::string(p->texts[i]);
        INFO(key.first << " " << key.second << " " << m.key() << " at " << t);
        if (v.is_number()) {
          CHECK(p->numbers[i] == Approx(v.get<double>()).epsilon(1e-12));
        } else if (v.is_string()) {
          CHECK(got_text == v.get<std::string>());
          CHECK(std::isnan(p->numbers[i]));
        } else if (v.is_boolean()) {
          CHECK(got_text == (v.get<bool>() ? "true" : "false"));
        } else if (v.is_null()) {
          CHECK(got_text.empty());
          CHECK(std::isnan(p->numbers[i]));
        } else {
          CHECK(Json::parse(got_text) == v);
        }
        ++compared;
      }
      ++i;
    }
  }
  return compared;
}

struct RealDump {
  const char* file;
  std::vector<std::string> connections;
  StatsFormat format;
  // getstats lines per connection: the samples of its most sampled object.
  std::map<std::string, size_t> getstats;
  const char* client_id;
};

const std::vector<RealDump>& RealDumps() {
  static const std::vector<RealDump> kDumps = {
      {"59c86272-03ea-42e9-a62d-1c8a272e8ab0",
       {"PC_0", "PC_1"},
       StatsFormat::kChromeStandard,
       {{"PC_0", 5}, {"PC_1", 5}},
       "78a1c829"},
      {"9c93a447-c9f8-489d-87ca-21263dec0642",
       {"PC_0", "PC_1"},
       StatsFormat::kChromeStandard,
       {{"PC_0", 2}, {"PC_1", 4}},
       "8c954a5e"},
      {"chrome-relay", {"PC_0"}, StatsFormat::kChromeStandard, {{"PC_0", 13}}, "59e48073"},
      {"chrome-standard-pc-failed",
       {"PC_0", "PC_1", "PC_2"},
       StatsFormat::kChromeStandard,
       {{"PC_0", 7}, {"PC_1", 6}, {"PC_2", 6}},
       "bf715c66"},
      // connectionInfo says chrome_standard; the stats are legacy (identity:
      // rtcstatsUseLegacy true).
      {"chrome96-standard-stats-p2p-add-transceiver",
       {"PC_0", "PC_1"},
       StatsFormat::kChromeLegacy,
       {{"PC_0", 3}, {"PC_1", 3}},
       "d58e53af"},
      {"firefox-relay", {"PC_0"}, StatsFormat::kFirefox, {{"PC_0", 5}}, "ee0e8399"},
      {"firefox-standard-stats-sfu",
       {"PC_0"},
       StatsFormat::kFirefox,
       {{"PC_0", 79}},
       "TdETRFgU45V3rbsihHkA6w"},
      // No connectionInfo: the legacy stats tell.
      {"google-legacy-screenshare-p2p",
       {"PC_0"},
       StatsFormat::kChromeLegacy,
       {{"PC_0", 119}},
       "a23a389e-7e0e-43c2-a16c-9953a1e1fcbeR"},
      {"google-legacy-stats-p2p",
       {"PC_0", "PC_1"},
       StatsFormat::kChromeLegacy,
       {{"PC_0", 78}, {"PC_1", 44}},
       "Z4pw0CT9udBLc9rSQ4ytH5"},
      {"google-legacy-stats-sfu",
       {"PC_0", "PC_1"},
       StatsFormat::kChromeLegacy,
       {{"PC_0", 0}, {"PC_1", 55}},
       "Z4pw0CT9udBLc9rSQ4ytH5"},
      {"google-standard-stats-sfu",
       {"PC_0"},
       StatsFormat::kChromeStandard,
       {{"PC_0", 34}},
       "Z4pw0CT9udBLc9rSQ4ytH5"},
      {"safari-standard-stats",
       {"PC_0"},
       StatsFormat::kSafari,
       {{"PC_0", 82}},
       "KkGl_2yDswWBdDXC0fFMLk"},
  };
  return kDumps;
}

std::string ReadReal(const std::string& relative) {
  return testing::ReadFile((RealDir() / relative).string());
}

}  // namespace

TEST_CASE("rtcstats: every real Jitsi dump is read, its facts as the file has them",
          "[rtcstats][real]") {
  std::set<std::string> listed;
  for (const RealDump& x : RealDumps()) {
    INFO(x.file);
    listed.insert(x.file);
    const std::string text = ReadReal(std::string("rtcstats-jitsi/") + x.file);
    REQUIRE(ingest::LooksLikeRtcstatsDump(text));
    const Read r = ReadDump(text);
    INFO(AllText(r.messages));
    REQUIRE(r.ok);
    for (const InputMessage& m : r.messages) CHECK(m.level != InputMessage::Level::kError);
    CHECK(r.dump.kind == ingest::DumpKind::kRtcstatsLines);
    CHECK(r.dump.format == x.format);
    CHECK(r.dump.client_id == x.client_id);
    std::vector<std::string> ids;
    for (const auto& c : r.dump.connections) ids.push_back(c.id);
    CHECK(ids == x.connections);
    for (const auto& [connection, lines] : x.getstats) {
      size_t most = 0;
      for (const auto& o : ConnectionOf(r.dump, connection)->stats) {
        most = std::max(most, o.times_ms.size());
      }
      CHECK(most == lines);
    }
    CheckInvariants(r.dump);
    CHECK(CompareWithJitsiDecoding(r.dump, text) > 1000);
  }
  // Every browser dump in the folder is in the table above.
  for (const std::string& f : testing::ListDir((RealDir() / "rtcstats-jitsi").string())) {
    if (f == "LICENSE" || f == "expected" || f[0] == '.') continue;
    CHECK(listed.count(f) == 1);
  }
}

TEST_CASE("rtcstats: counters the real dumps omit are carried from their last line",
          "[rtcstats][real]") {
  struct Fact {
    const char* file;
    const char* connection;
    const char* object;
    const char* property;
    int64_t time_ms;  // the top-level timestamp of the line that omits it
    double value;     // as the line before wrote it
  };
  const Fact kFacts[] = {
      // line 44 omits packetsReceived (line 43: 62)
      {"chrome-relay", "PC_0", "IT01V1680749614", "packetsReceived", 1697705752117, 62},
      // line 110 omits packetsReceived (line 109: 3229)
      {"firefox-standard-stats-sfu", "PC_0", "51775e14", "packetsReceived", 1605199426444, 3229},
  };
  for (const Fact& f : kFacts) {
    INFO(f.file);
    const Read r = ReadDump(ReadReal(std::string("rtcstats-jitsi/") + f.file));
    REQUIRE(r.ok);
    const ingest::StatObject* o = Object(r.dump, f.connection, f.object);
    REQUIRE(o != nullptr);
    CHECK(NumberAt(*o, f.property, f.time_ms) == f.value);
  }
  // Legacy stats write numbers as strings: kept as written.
  // google-legacy-stats-p2p line 109 omits googRtt of ssrc_3616859501_send (line 107: "2").
  const Read r = ReadDump(ReadReal("rtcstats-jitsi/google-legacy-stats-p2p"));
  const ingest::StatObject* o = Object(r.dump, "PC_1", "ssrc_3616859501_send");
  REQUIRE(o != nullptr);
  CHECK(o->type == "ssrc");
  const auto at = std::find(o->times_ms.begin(), o->times_ms.end(), 1605199271059);
  REQUIRE(at != o->times_ms.end());
  CHECK(TextAt(*o, "googRtt", at - o->times_ms.begin()) == "2");
}

TEST_CASE("rtcstats: a first line dated after the call does not set the start",
          "[rtcstats][real]") {
  // connectionInfo (line 1) is dated 2023; the call (getUserMedia, line 2) 2020.
  const Read r = ReadDump(ReadReal("rtcstats-jitsi/firefox-standard-stats-sfu"));
  REQUIRE(r.ok);
  CHECK(r.dump.start_ms == 1605199353071);
  CHECK(r.dump.events.back().time_ms < 1697705955011);
}

TEST_CASE("rtcstats: the real dumps' events are typed", "[rtcstats][real]") {
  const Read r = ReadDump(ReadReal("rtcstats-jitsi/chrome-standard-pc-failed"));
  REQUIRE(r.ok);
  std::map<DumpEventKind, int> kinds;
  bool failed = false;
  for (const auto& e : r.dump.events) {
    ++kinds[e.kind];
    // The last line, dated 45 s before the lines above it, is sorted in.
    if (e.kind == DumpEventKind::kConnectionState && e.connection_id == "PC_0" &&
        e.value == "failed") {
      failed = true;
      CHECK(e.time_ms == 1647265227269);
      CHECK(e.method == "onconnectionstatechange");
    }
  }
  CHECK(failed);
  CHECK(kinds[DumpEventKind::kGetUserMediaFailure] == 1);
  CHECK(kinds[DumpEventKind::kGetUserMedia] == 3);
  CHECK(kinds[DumpEventKind::kCreate] == 3);
  CHECK(kinds[DumpEventKind::kIceConnectionState] == 6);
  // close with a connection closes it; without one (4 lines) it is the trace's.
  CHECK(kinds[DumpEventKind::kClose] == 0);
  const ingest::DumpConnection* pc1 = ConnectionOf(r.dump, "PC_1");
  REQUIRE(pc1 != nullptr);
  CHECK(pc1->configuration.rfind("{\"iceTransportPolicy\":\"all\"", 0) == 0);

  const Read display = ReadDump(ReadReal("rtcstats-jitsi/google-legacy-screenshare-p2p"));
  int shares = 0;
  for (const auto& e : display.dump.events) {
    if (e.display) {
      ++shares;
      CHECK((e.kind == DumpEventKind::kGetUserMedia ||
             e.kind == DumpEventKind::kGetUserMediaSuccess));
    }
  }
  CHECK(shares == 2);
}

TEST_CASE("rtcstats: the format-3 fixture", "[rtcstats][real]") {
  const std::string text = ReadReal("rtcstats-rtcstats/rtcstats-gumonly.jsonl");
  REQUIRE(ingest::LooksLikeRtcstatsDump(text));
  const Read r = ReadDump(text);
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  CHECK(r.dump.kind == ingest::DumpKind::kRtcstatsV3);
  CHECK(r.dump.url == "https://webrtc.github.io/samples/src/content/getusermedia/gum/");
  CHECK(r.dump.user_agent.find("Chrome/140.0.0.0") != std::string::npos);
  CHECK(r.dump.connections.empty());
  REQUIRE(r.dump.events.size() == 4);
  // [39,null,...,1758602115670] then times since the line before: 2153, 1040, 2353.
  const auto& e = r.dump.events;
  CHECK(e[0].time_ms == 1758602115670);
  CHECK(e[0].method == "create");
  CHECK(e[0].kind == DumpEventKind::kOther);  // no connection: the client's description
  CHECK(e[1].time_ms == 1758602115670 + 2153);
  CHECK(e[1].method == "navigator.mediaDevices.getUserMedia");
  CHECK(e[1].kind == DumpEventKind::kGetUserMedia);
  CHECK(e[1].value == "{\"audio\":false,\"video\":true}");
  CHECK(e[2].time_ms == 1758602115670 + 2153 + 1040);
  CHECK(e[2].kind == DumpEventKind::kGetUserMediaSuccess);
  CHECK(e[3].time_ms == 1758602115670 + 2153 + 1040 + 2353);
  CHECK(e[3].method == "close");
  CHECK(r.dump.start_ms == 1758602115670);
}

// ---------------------------------------------------------------------------
// Hand-made dumps, one rule each.

TEST_CASE("rtcstats: delta decoding carries omitted properties forward", "[rtcstats]") {
  const Read r = ReadDump(
      "[\"create\",\"PC_0\",{\"iceServers\":[]},1000]\n"
      "[\"getstats\",\"PC_0\",{\"IT1\":{\"timestamp\":0,\"type\":\"inbound-rtp\",\"a\":1,"
      "\"s\":\"x\",\"on\":true},\"timestamp\":2000},2000]\n"
      "[\"getstats\",\"PC_0\",{\"IT1\":{\"timestamp\":0,\"a\":5},\"timestamp\":3000},3000]\n"
      "[\"getstats\",\"PC_0\",{\"IT1\":{\"timestamp\":0,\"s\":\"y\",\"b\":7},\"timestamp\":4000},"
      "4000]\n");
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  const ingest::StatObject* o = Object(r.dump, "PC_0", "IT1");
  REQUIRE(o != nullptr);
  CHECK(o->type == "inbound-rtp");
  CHECK(o->times_ms == std::vector<int64_t>{2000, 3000, 4000});
  CHECK(o->Find("a")->numbers == std::vector<double>{1, 5, 5});
  CHECK(o->Find("s")->texts == std::vector<std::string>{"x", "x", "y"});
  CHECK(std::isnan(o->Find("s")->numbers[0]));
  CHECK(o->Find("on")->texts == std::vector<std::string>{"true", "true", "true"});
  const ingest::StatProperty* b = o->Find("b");  // new at the third sample
  REQUIRE(b != nullptr);
  CHECK(std::isnan(b->numbers[0]));
  CHECK(std::isnan(b->numbers[1]));
  CHECK(b->numbers[2] == 7);
  CHECK(o->Find("timestamp") == nullptr);
  CHECK(o->Find("type") == nullptr);
  CHECK(ConnectionOf(r.dump, "PC_0")->configuration == "{\"iceServers\":[]}");
  CHECK(r.dump.format == StatsFormat::kChromeStandard);  // guessed from the stats
}

TEST_CASE("rtcstats: timestamp 0 is the line's, an own one is kept, none is unchanged",
          "[rtcstats]") {
  const Read r = ReadDump(
      "[\"getstats\",\"PC_0\",{\"A\":{\"timestamp\":1500,\"x\":1},\"B\":{\"timestamp\":0,\"y\":1},"
      "\"timestamp\":2000},2000]\n"
      // A has no timestamp: unchanged since 1500, its value merges into that sample.
      "[\"getstats\",\"PC_0\",{\"A\":{\"x\":2},\"B\":{\"timestamp\":0},\"timestamp\":3000},3000]\n"
      "[\"getstats\",\"PC_0\",{\"A\":{\"timestamp\":0},\"B\":{\"timestamp\":2900},"
      "\"timestamp\":4000},4000]\n");
  REQUIRE(r.ok);
  const ingest::StatObject* a = Object(r.dump, "PC_0", "A");
  const ingest::StatObject* b = Object(r.dump, "PC_0", "B");
  REQUIRE((a != nullptr && b != nullptr));
  CHECK(a->times_ms == std::vector<int64_t>{1500, 4000});
  CHECK(a->Find("x")->numbers == std::vector<double>{2, 2});
  // B's 2900 steps back before its 3000: dropped, and said.
  CHECK(b->times_ms == std::vector<int64_t>{2000, 3000});
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].level == InputMessage::Level::kWarning);
  CHECK(r.messages[0].line == 3);
  CHECK(r.messages[0].text.find("1 stats samples dated before") != std::string::npos);
}

TEST_CASE("rtcstats: an object left out is gone; when it comes back it starts afresh",
          "[rtcstats]") {
  const Read r = ReadDump(
      "[\"getstats\",\"PC_0\",{\"A\":{\"timestamp\":0,\"x\":1,\"y\":2},\"timestamp\":1000},1000]\n"
      "[\"getstats\",\"PC_0\",{\"timestamp\":2000},2000]\n"
      "[\"getstats\",\"PC_0\",{\"A\":{\"timestamp\":0,\"x\":3},\"timestamp\":3000},3000]\n");
  REQUIRE(r.ok);
  const ingest::StatObject* a = Object(r.dump, "PC_0", "A");
  REQUIRE(a != nullptr);
  CHECK(a->times_ms == std::vector<int64_t>{1000, 3000});
  CHECK(a->Find("x")->numbers == std::vector<double>{1, 3});
  CHECK(a->Find("y")->numbers[0] == 2);
  CHECK(std::isnan(a->Find("y")->numbers[1]));  // not carried across the removal
}

TEST_CASE("rtcstats: events are sorted by time, states unquoted, kinds typed", "[rtcstats]") {
  const Read r = ReadDump(
      "[\"connectionInfo\",null,{\"userAgent\":\"UA\",\"url\":\"https://x/r\","
      "\"statsFormat\":\"safari\"},99000]\n"
      "[\"oniceconnectionstatechange\",\"PC_0\",\"\\\"connected\\\"\",3000]\n"
      "[\"onconnectionstatechange\",\"PC_0\",\"failed\",2000]\n"
      "[\"setRemoteDescriptionOnFailure\",\"PC_0\",\"OperationError: bad\",2000]\n"
      "[\"navigator.mediaDevices.getDisplayMediaOnFailure\",null,\"NotAllowedError\",2500]\n"
      "[\"createOffer\",\"PC_0\",{\"iceRestart\":true},2600]\n"
      "[\"onicecandidateerror\",\"PC_0\",{\"url\":\"turn:t\",\"errorCode\":701},2700]\n"
      "[\"close\",\"PC_0\",null,4000]\n"
      // Chrome's own rtcstats dump spells the candidate failure so.
      "[\"addIceCandidateFailed\",\"PC_0\",\"Error processing ICE candidate\",5000]\n");
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  const auto& e = r.dump.events;
  REQUIRE(e.size() == 8);  // connectionInfo is metadata
  CHECK(e[7].kind == DumpEventKind::kAddIceCandidateFailure);
  CHECK(e[7].value == "Error processing ICE candidate");
  CHECK(e[0].kind == DumpEventKind::kConnectionState);
  CHECK(e[0].value == "failed");
  CHECK(e[1].kind == DumpEventKind::kSetRemoteDescriptionFailure);  // same time: dump order
  CHECK(e[1].value == "OperationError: bad");
  CHECK(e[2].kind == DumpEventKind::kGetUserMediaFailure);
  CHECK(e[2].display);
  CHECK(e[2].connection_id.empty());
  CHECK(e[3].kind == DumpEventKind::kCreateOffer);
  CHECK(e[3].value == "{\"iceRestart\":true}");
  CHECK(e[4].kind == DumpEventKind::kIceCandidateError);
  CHECK(e[5].kind == DumpEventKind::kIceConnectionState);
  CHECK(e[5].value == "connected");
  CHECK(e[5].method == "oniceconnectionstatechange");
  CHECK(e[6].kind == DumpEventKind::kClose);
  CHECK(e[6].value.empty());
  CHECK(r.dump.user_agent == "UA");
  CHECK(r.dump.url == "https://x/r");
  CHECK(r.dump.format == StatsFormat::kSafari);
  CHECK(r.dump.start_ms == 2000);  // not connectionInfo's 99000
}

TEST_CASE("rtcstats: a line without a time takes the one before, said once", "[rtcstats]") {
  const Read r = ReadDump(
      "[\"createOffer\",\"PC_0\",null,1000]\n"
      "[\"e2eRtt\",null,{\"rtt\":5}]\n"
      "[\"dominantSpeaker\",null,{}]\n");
  REQUIRE(r.ok);
  REQUIRE(r.dump.events.size() == 3);
  CHECK(r.dump.events[1].time_ms == 1000);
  CHECK(r.dump.events[1].value == "{\"rtt\":5}");
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].line == 2);
  CHECK(r.messages[0].text.find("2 lines have no time") != std::string::npos);
}

TEST_CASE("rtcstats: legacy stats guess chrome_legacy, and win over connectionInfo", "[rtcstats]") {
  const std::string stats =
      "[\"getstats\",\"PC_0\",{\"ssrc_1_send\":{\"timestamp\":0,\"type\":\"ssrc\","
      "\"packetsSent\":\"10\"},\"timestamp\":1000},1000]\n";
  const Read guessed = ReadDump(stats);
  REQUIRE(guessed.ok);
  CHECK(guessed.dump.format == StatsFormat::kChromeLegacy);
  CHECK(guessed.messages.empty());
  const Read declared =
      ReadDump("[\"connectionInfo\",null,{\"statsFormat\":\"chrome_standard\"},500]\n" + stats);
  REQUIRE(declared.ok);
  CHECK(declared.dump.format == StatsFormat::kChromeLegacy);
  REQUIRE(declared.messages.size() == 1);
  CHECK(declared.messages[0].text.find("legacy") != std::string::npos);
}

TEST_CASE("rtcstats: format 3 decoding", "[rtcstats]") {
  const Read r = ReadDump(
      "RTCStatsDump\n"
      "{\"url\":\"/call\",\"origin\":\"https://example.org\",\"userAgent\":\"Firefox/140\","
      "\"startTime\":1700000000000,\"fileFormat\":3}\n"
      "[39,\"PC_0\",{\"iceServers\":[]},1700000000100]\n"
      // getStats ('g'), a correlation element, then the time since the line before.
      "[\"g\",\"PC_0\",{\"0\":{\"type\":1,\"14\":10,\"11\":\"video\",\"96\":{\"none\":1,\"cpu\":0}}"
      ","
      "\"1\":{\"type\":6,\"152\":0.5},\"t\":1700000001000},\"connected-0\",900]\n"
      // 1 is left out: unchanged, sampled at t; 0 changes one member of 96.
      "[1,\"PC_0\",{\"0\":{\"14\":20,\"96\":{\"cpu\":2}},\"t\":1700000002000},1000]\n"
      // 1 is null: gone; 0 has its own time.
      "[\"g\",\"PC_0\",{\"0\":{\"t\":1700000002900,\"14\":30},\"1\":null,\"t\":1700000003000},"
      "1000]\n"
      "[24,\"PC_0\",\"checking\",\"x\",10]\n"
      "[65,null,\"NotFoundError\",10]\n"
      "[62,null,null,10]\n");
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  CHECK(r.dump.kind == ingest::DumpKind::kRtcstatsV3);
  CHECK(r.dump.url == "https://example.org/call");
  CHECK(r.dump.format == StatsFormat::kFirefox);  // guessed from the user agent
  const ingest::StatObject* in = Object(r.dump, "PC_0", "0");
  const ingest::StatObject* pair = Object(r.dump, "PC_0", "1");
  REQUIRE((in != nullptr && pair != nullptr));
  CHECK(in->type == "inbound-rtp");
  CHECK(in->times_ms == std::vector<int64_t>{1700000001000, 1700000002000, 1700000002900});
  CHECK(in->Find("packetsReceived")->numbers == std::vector<double>{10, 20, 30});
  CHECK(in->Find("kind")->texts == std::vector<std::string>{"video", "video", "video"});
  CHECK(TextAt(*in, "qualityLimitationDurations", 1) == "{\"none\":1,\"cpu\":2}");
  CHECK(pair->type == "candidate-pair");
  CHECK(pair->times_ms == std::vector<int64_t>{1700000001000, 1700000002000});
  CHECK(pair->Find("currentRoundTripTime")->numbers == std::vector<double>{0.5, 0.5});
  const auto& e = r.dump.events;
  REQUIRE(e.size() == 4);
  CHECK(e[0].kind == DumpEventKind::kCreate);
  CHECK(e[0].time_ms == 1700000000100);
  CHECK(e[1].kind == DumpEventKind::kIceConnectionState);
  CHECK(e[1].method == "oniceconnectionstatechange");
  CHECK(e[1].time_ms == 1700000000100 + 900 + 1000 + 1000 + 10);
  CHECK(e[2].kind == DumpEventKind::kGetUserMediaFailure);  // 65, as clients write it
  CHECK(e[3].method == "62");                               // never written: kept
  CHECK(e[3].kind == DumpEventKind::kOther);
}

TEST_CASE("rtcstats: webrtc-internals' bracketed series in Chromium's dump are not kept",
          "[rtcstats]") {
  // Chromium 156's "Download the rtcstats dump" (tests/data/dumps/*/rtcstats.gz).
  const Read r = ReadDump(
      "RTCStatsDump\n{\"fileFormat\":3}\n"
      "[\"getStats\",\"9-1\",{\"OT01V1\":{\"bytesSent\":100,\"id\":\"OT01V1\",\"kind\":\"video\","
      "\"timestamp\":1700000001000,\"type\":\"outbound-rtp\",\"[bytesSent_in_bits/s]\":800,"
      "\"[codec]\":\"VP8 (96)\"}},1700000001000]\n"
      "[\"getStats\",\"9-1\",{\"OT01V1\":{\"bytesSent\":300,\"id\":\"OT01V1\",\"kind\":\"video\","
      "\"timestamp\":1700000002000,\"type\":\"outbound-rtp\",\"[bytesSent_in_bits/s]\":1600,"
      "\"[codec]\":\"VP8 (96)\"}},1000]\n");
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  const ingest::StatObject* o = Object(r.dump, "9-1", "OT01V1");
  REQUIRE(o != nullptr);
  CHECK(o->times_ms == std::vector<int64_t>{1700000001000, 1700000002000});
  CHECK(o->Find("bytesSent")->numbers == std::vector<double>{100, 300});
  CHECK(o->Find("kind")->texts == std::vector<std::string>{"video", "video"});
  CHECK(o->Find("[bytesSent_in_bits/s]") == nullptr);
  CHECK(o->Find("[codec]") == nullptr);
  CHECK(o->properties.size() == 2);
}

TEST_CASE("rtcstats: an unsupported file format is refused on its line", "[rtcstats]") {
  const Read r = ReadDump("RTCStatsDump\n{\"fileFormat\":2}\n[\"close\",null,null,1]\n");
  CHECK_FALSE(r.ok);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].level == InputMessage::Level::kError);
  CHECK(r.messages[0].line == 2);
  CHECK(r.messages[0].pointer == "/fileFormat");
  CHECK(r.messages[0].text.find("file format 2 is not supported") != std::string::npos);
  CHECK(r.dump.events.empty());  // nothing half-read is left

  const Read none = ReadDump("RTCStatsDump\n{\"url\":\"x\"}\n");
  CHECK_FALSE(none.ok);
  CHECK(none.messages.at(0).text.find("no fileFormat") != std::string::npos);
}

TEST_CASE("rtcstats: a damaged line is named", "[rtcstats]") {
  const std::string good = "[\"createOffer\",\"PC_0\",null,1000]\n";
  struct Case {
    std::string text;
    int64_t line;
    const char* words;
  };
  const Case kCases[] = {
      {good + good + "[\"createOffer\",\"PC_0\",{\"a\":}, 5]\n" + good, 3, "not valid JSON"},
      {good + "{\"a\":1}\n" + good, 2, "not a JSON array"},
      {good + good + good + "[{},null,null,1]\n", 4, "method"},
      {good + "[\"getstats\",\"PC_0\",[1],1]\n", 2, "getstats value"},
      {good + "[\"getstats\",\"PC_0\",{\"A\":5,\"timestamp\":1},1]\n", 2, "stats object A"},
      {good + "[\"x\",7,null,1]\n", 2, "connection"},
      {"RTCStatsDump\n{\"fileFormat\":3}\n[\"close\",null,null]\n", 3, "time since the line"},
      {"RTCStatsDump\n{\"fileFormat\":3}\n[\"close\",null,null,1]\n[\"g\",\"PC_0\",{\"t\":5}]\n", 4,
       "time since the line"},
      {good + "[\"x\",null,null,1e300]\n", 2, "out of range"},
  };
  for (const Case& x : kCases) {
    INFO(x.text);
    const Read r = ReadDump(x.text);
    CHECK_FALSE(r.ok);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].level == InputMessage::Level::kError);
    CHECK(r.messages[0].line == x.line);
    CHECK(r.messages[0].text.find(x.words) != std::string::npos);
  }
}

TEST_CASE(
    "rtcstats: getstats values with escapes, UTF-8, white space or nesting read as plain ones",
    "[rtcstats]") {
  // Plain getstats values take a fast path; anything else the full JSON
  // reader: both must give the same samples.
  const auto dump = [](const std::string& first, const std::string& second) {
    return "[\"create\",\"PC_0\",{},1000]\n[\"getstats\",\"PC_0\"," + first +
           ",2000]\n[\"getstats\",\"PC_0\"," + second + ",3000]\n";
  };
  const Read plain =
      ReadDump(dump(R"({"A":{"timestamp":2000,"type":"codec","s":"xy","n":1.5,"o":{"k":[1,2]}}})",
                    R"({"A":{"timestamp":3000,"s":"e","n":-2e3,"b":false,"z":null}})"));
  const Read mixed = ReadDump(dump(
      R"( { "A" : { "timestamp" : 2000 , "type":"codec","s":"x\u0079","n":1.5,"o":{ "k":[1, 2]}}} )",
      R"({"A":{"timestamp":3000,"s":"\u0065","n":-2e3,"b":false,"z":null}})"));
  INFO(AllText(plain.messages) + AllText(mixed.messages));
  REQUIRE(plain.ok);
  REQUIRE(mixed.ok);
  const ingest::StatObject* a = Object(plain.dump, "PC_0", "A");
  const ingest::StatObject* b = Object(mixed.dump, "PC_0", "A");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->type == "codec");
  CHECK(b->type == "codec");
  CHECK(a->times_ms == std::vector<int64_t>{2000, 3000});
  CHECK(b->times_ms == a->times_ms);
  CHECK(a->Find("s")->texts == std::vector<std::string>{"xy", "e"});
  CHECK(b->Find("s")->texts == a->Find("s")->texts);
  CHECK(a->Find("n")->numbers == std::vector<double>{1.5, -2000});
  CHECK(b->Find("n")->numbers == a->Find("n")->numbers);
  CHECK(a->Find("o")->texts[0] == "{\"k\":[1,2]}");
  CHECK(b->Find("o")->texts == a->Find("o")->texts);
  CHECK(a->Find("b")->texts[1] == "false");
  CHECK(b->Find("b")->texts == a->Find("b")->texts);
}

TEST_CASE("rtcstats: a damaged getstats value is named on its line", "[rtcstats]") {
  const std::string good = "[\"create\",\"PC_0\",{},1000]\n";
  std::string deep = "{\"A\":{\"x\":";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}}";
  for (const std::string& value :
       {std::string("{\"A\":{\"s\":\"a\x01\"}}"), std::string("{\"A\":{\"n\":01}}"),
        std::string("{\"A\":{\"n\":1e999}}"), std::string("{\"A\":{\"s\":\"x\",}}"),
        std::string("{\"A\":{\"s\" \"x\"}}"), deep}) {
    INFO(value);
    const Read r = ReadDump(good + "[\"getstats\",\"PC_0\"," + value + ",2000]\n");
    CHECK_FALSE(r.ok);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].level == InputMessage::Level::kError);
    CHECK(r.messages[0].line == 2);
  }
}

TEST_CASE("rtcstats: a cut-off last line is left out with a warning", "[rtcstats]") {
  const Read r = ReadDump(
      "[\"createOffer\",\"PC_0\",null,1000]\n[\"getstats\",\"PC_0\",{\"A\":{\"timestamp\":0,");
  REQUIRE(r.ok);
  CHECK(r.dump.events.size() == 1);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].level == InputMessage::Level::kWarning);
  CHECK(r.messages[0].line == 2);
  CHECK(r.messages[0].text.find("cut off") != std::string::npos);
}

TEST_CASE("rtcstats: empty dumps are refused saying so", "[rtcstats]") {
  for (const char* text : {"", "\n  \n", "RTCStatsDump\n", "RTCStatsDump\n{\"fileFormat\":3}\n",
                           "[\"connectionInfo\",null,{},1]\n"}) {
    INFO(text);
    const Read r = ReadDump(text);
    CHECK_FALSE(r.ok);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].text.find("empty") != std::string::npos);
  }
}

TEST_CASE("rtcstats: nesting deeper than the cap is an error, not a crash", "[rtcstats]") {
  std::string deep = "[\"x\",null,";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += ",1]\n";
  const Read r = ReadDump(deep, 32);
  CHECK_FALSE(r.ok);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].line == 1);
}

TEST_CASE("rtcstats: what looks like a dump", "[rtcstats]") {
  CHECK(ingest::LooksLikeRtcstatsDump("RTCStatsDump\n{}"));
  CHECK(ingest::LooksLikeRtcstatsDump("\xEF\xBB\xBFRTCStatsDump\r\n{}"));
  CHECK(ingest::LooksLikeRtcstatsDump("[\"getstats\",\"PC_0\",{},1]"));
  CHECK(ingest::LooksLikeRtcstatsDump("[\"a\",null,1,1]\n[\"b\",null,1,2]\n"));
  CHECK(ingest::LooksLikeRtcstatsDump("[60,null,{},5]\n[61,null,{},5]\n"));
  CHECK_FALSE(ingest::LooksLikeRtcstatsDump("[{\"type\":\"x\"}]"));
  CHECK_FALSE(ingest::LooksLikeRtcstatsDump("{\"PeerConnections\":{}}"));
  CHECK_FALSE(ingest::LooksLikeRtcstatsDump("[\"a\",\"b\"]"));  // one line, no method
  CHECK_FALSE(ingest::LooksLikeRtcstatsDump(""));
}

namespace {

// A Jitsi-layout dump of `seconds` getstats lines on two connections, with
// objects that come and go, events, blank lines, a line the plain parse
// leaves to the cursor (an escape), a sample dated back, and `last` at the
// end.
std::string LongJitsiDump(int seconds, const std::string& last) {
  std::string out = "[\"create\",\"PC_0\",{\"iceServers\":[]},1000]\n";
  out += "[\"create\",\"PC_1\",{\"iceServers\":[]},1000]\n\n";
  for (int i = 0; i < seconds; ++i) {
    const std::string t = std::to_string(2000 + 1000 * i);
    for (const char* pc : {"PC_0", "PC_1"}) {
      std::string value = "{\"OT1\":{\"timestamp\":0,\"type\":\"outbound-rtp\",\"bytesSent\":" +
                          std::to_string(1000 * i) + ",\"rid\":\"q\"}";
      if (i % 7 != 3)
        value += ",\"IT2\":{\"timestamp\":0,\"codec\":\"c" + std::to_string(i % 4) + "\"}";
      if (i == 40) value += ",\"X\":{\"timestamp\":0,\"note\":\"a\\\"b\"}";
      const std::string time = i == 50 ? std::to_string(2000 + 1000 * 48) : t;
      out += "[\"getstats\",\"" + std::string(pc) + "\"," + value + ",\"timestamp\":" + time +
             "}," + t + "]\n";
    }
    if (i % 25 == 0) out += "[\"oniceconnectionstatechange\",\"PC_0\",\"connected\"," + t + "]\n";
    if (i % 30 == 0) out += "   \n";
  }
  return out + last;
}

std::string DigestOf(const std::string& bytes, int threads, size_t task_bytes) {
  StatsDump dump;
  std::vector<InputMessage> messages;
  ingest::ReadRtcstatsDump(bytes, {32, threads, task_bytes}, &dump, &messages);
  return testing::DumpDigest(dump, messages);
}

}  // namespace

TEST_CASE("rtcstats: a long dump reads the same on one thread and on several",
          "[rtcstats][parallel]") {
  const std::string dump = LongJitsiDump(120, "[\"close\",\"PC_0\",null,200000]\n[\"getst");
  const Read r = ReadDump(dump);
  INFO(AllText(r.messages));
  REQUIRE(r.ok);
  const ingest::StatObject* o = Object(r.dump, "PC_1", "OT1");
  REQUIRE(o != nullptr);
  CHECK(o->times_ms.size() == 119);  // the sample dated back is left out
  CHECK(Object(r.dump, "PC_0", "X")->Find("note")->texts.back() == "a\"b");
  CHECK(AllText(r.messages).find("cut off") != std::string::npos);
  const std::string one = DigestOf(dump, 1, size_t{256} << 10);
  for (const auto& [threads, task_bytes] :
       std::vector<std::pair<int, size_t>>{{2, 1}, {2, 150}, {3, 4096}, {4, 1 << 20}}) {
    INFO(threads << " threads, tasks of " << task_bytes << " bytes");
    CHECK(DigestOf(dump, threads, task_bytes) == one);
  }
}

TEST_CASE("rtcstats: a damaged line stops the reading on one thread and on several alike",
          "[rtcstats][parallel]") {
  std::string dump = LongJitsiDump(60, "");
  const size_t at = dump.find("[\"getstats\",\"PC_1\"", dump.size() / 2);
  dump.insert(at, "[\"getstats\",\"PC_1\",{\"A\":5},9]\n");
  const Read r = ReadDump(dump);
  CHECK_FALSE(r.ok);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].text.find("stats object A") != std::string::npos);
  const std::string one = DigestOf(dump, 1, size_t{256} << 10);
  CHECK(DigestOf(dump, 2, 1) == one);
  CHECK(DigestOf(dump, 3, 300) == one);
}
