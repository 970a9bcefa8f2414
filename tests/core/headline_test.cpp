// The headline agrees with the findings under it, on data nobody here wrote:
// every real browser dump (../shared/testdata/real/rtcstats-jitsi), every
// real 100ms example and every recorded dump (tests/data/dumps), and on
// every generated scenario. The rules
// that make it so are windows.cpp's (docs/SCORING.md §5); these are the
// contradictions users met:
// - "0.00 failed" beside no issue (Jitsi's suspended bridge connection);
// - "good" beside a critical issue (a failure at the very end of a call);
// - "fair, audio poor" beside no issue (a 1-s concealment spike capping a window);
// - "video poor" beside no issue (three brief freezes the score counted).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>

#include "callsight/engine.h"
#include "core/test_util.h"
#include "gunzip.h"

using namespace callsight;
namespace fs = std::filesystem;

namespace {

fs::path RealDir() {
  const char* env = std::getenv("CALLSIGHT_REAL_DATA");
  return fs::path(env && *env ? env : CALLSIGHT_REAL_DIR);
}

// Whether an issue marks the headline's windows: warning or critical, and not
// a retried failure (an instant that marks nothing, docs/SCORING.md §5).
bool Marks(const Issue& is) {
  if (is.severity == Severity::kInfo) return false;
  const bool terminal = !is.events.empty() && is.severity == Severity::kCritical;
  return terminal || is.end_ms > is.start_ms;
}

bool Concerns(const Issue& is, const std::string& peer) {
  return is.peer_id == peer || std::find(is.affected_peers.begin(), is.affected_peers.end(),
                                         peer) != is.affected_peers.end();
}

// Checks every peer with a headline of every session; returns how many.
size_t CheckHeadlines(const Analysis& analysis, const std::string& name) {
  size_t peers = 0;
  for (const SessionAnalysis& sa : analysis.sessions) {
    for (const PeerAnalysis& pa : sa.peers) {
      if (std::isnan(pa.cqs)) continue;
      ++peers;
      INFO(name << ": peer " << pa.peer_id << ", CQS " << pa.cqs);
      // A critical issue of its own: at most fair; a warning: never excellent.
      for (const Issue& is : sa.issues) {
        if (is.peer_id != pa.peer_id || !Marks(is)) continue;
        INFO(IssueCodeName(is.code) << " " << SeverityName(is.severity));
        if (is.severity == Severity::kCritical) CHECK(pa.cqs < 3);
        CHECK(BandOf(pa.cqs) != CqsBand::kExcellent);
      }
      // Below fair, or a media kind in poor health: a problem says why.
      auto explained = [&](std::optional<MediaKind> kind) {
        return std::any_of(sa.issues.begin(), sa.issues.end(), [&](const Issue& is) {
          if (is.severity == Severity::kInfo || !Concerns(is, pa.peer_id)) return false;
          return !kind || is.kinds.empty() ||
                 std::find(is.kinds.begin(), is.kinds.end(), *kind) != is.kinds.end();
        });
      };
      if (pa.cqs < 2) CHECK(explained(std::nullopt));
      const std::pair<MediaKind, Health> health[] = {{MediaKind::kAudio, pa.health_audio},
                                                     {MediaKind::kVideo, pa.health_video},
                                                     {MediaKind::kScreen, pa.health_screen}};
      for (const auto& [kind, h] : health) {
        INFO(MediaKindName(kind) << " health " << HealthName(h));
        if (h == Health::kPoor) CHECK(explained(kind));
      }
    }
  }
  return peers;
}

size_t CheckFiles(const std::vector<std::pair<std::string, std::string>>& files,
                  const std::string& name) {
  Engine engine;
  for (const auto& [file, bytes] : files) engine.AddFile({file, bytes});
  engine.Run(Config{});
  return CheckHeadlines(engine.analysis(), name);
}

}  // namespace

TEST_CASE("headline: agrees with the issues on every real browser dump", "[real][headline]") {
  size_t peers = 0;
  for (const auto& entry : fs::directory_iterator(RealDir() / "rtcstats-jitsi")) {
    if (!entry.is_regular_file() || entry.path().filename() == "LICENSE") continue;
    const std::string name = entry.path().filename().string();
    peers += CheckFiles({{name, testing::ReadFile(entry.path().string())}}, name);
  }
  CHECK(peers >= 10);
}

TEST_CASE("headline: agrees with the issues on every real 100ms example", "[real][headline]") {
  size_t peers = 0;
  for (const auto& entry : fs::directory_iterator(RealDir() / "100ms-docs")) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    peers += CheckFiles({{name, testing::ReadFile(entry.path().string())}}, name);
  }
  CHECK(peers >= 1);  // the peer-stats example; the others have no media
}

TEST_CASE("headline: agrees with the issues on every recorded dump", "[headline]") {
  const fs::path dir = fs::path(CALLSIGHT_SOURCE_DIR) / "tests" / "data" / "dumps";
  size_t peers = 0, recordings = 0;
  for (const auto& scenario : fs::directory_iterator(dir)) {
    if (!scenario.is_directory()) continue;
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& f : fs::recursive_directory_iterator(scenario.path())) {
      const std::string name = f.path().filename().string();
      // One of a browser's two dumps is enough (the second is refused): its
      // rtcstats dump; both browsers' of the two-browser call.
      if (name != "rtcstats.gz") continue;
      auto plain = cli::Gunzip(testing::ReadFile(f.path().string()), size_t{1} << 30);
      REQUIRE(plain.ok());
      files.push_back({f.path().lexically_relative(dir).string(), plain.value()});
    }
    if (files.empty()) continue;
    ++recordings;
    peers += CheckFiles(files, scenario.path().filename().string());
  }
  CHECK(recordings >= 10);
  CHECK(peers >= 10);
}

TEST_CASE("headline: agrees with the issues on every generated scenario", "[gen][headline]") {
  size_t peers = 0;
  for (const std::string& name : testing::ListDir(CALLSIGHT_GEN_DIR)) {
    peers += CheckHeadlines(testing::LoadScenario(name)->analysis(), name);
  }
  CHECK(peers >= 90);
}
