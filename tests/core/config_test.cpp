// Config parsing (core/src/analysis/config.cpp).
#include "callsight/config.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace callsight;

TEST_CASE("config defaults are SPEC's", "[config]") {
  Config c;
  CHECK(c.thresholds.packet_loss_pct.warning == 3);
  CHECK(c.thresholds.packet_loss_pct.critical == 5);
  CHECK(c.thresholds.rtt_ms.critical == 500);
  CHECK(c.thresholds.video_bitrate_kbps.warning == 150);
  CHECK(std::isnan(c.thresholds.audio_bitrate_kbps.critical));
  CHECK(c.meeting_gap_ms == 600000);
  CHECK(c.audio_profile.bpl == 25.1);
}

TEST_CASE("config overrides only what it names", "[config]") {
  auto r = ParseConfig(R"({"thresholds":{"rtt_ms":{"warning":200},"fps":{"critical":null}},
                           "meeting_gap_minutes":15,"audio_profile":{"ie":11,"bpl":19}})");
  REQUIRE(r.ok());
  const Config& c = r.value();
  CHECK(c.thresholds.rtt_ms.warning == 200);
  CHECK(c.thresholds.rtt_ms.critical == 500);
  CHECK(std::isnan(c.thresholds.fps.critical));
  CHECK(c.thresholds.fps.warning == 15);
  CHECK(c.meeting_gap_ms == 15 * 60000);
  CHECK(c.audio_profile.ie == 11);
}

TEST_CASE("config errors name the field", "[config]") {
  auto unknown = ParseConfig(R"({"thresholds":{"rtt":{"warning":1}}})");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().find("thresholds.rtt") != std::string::npos);
  auto type = ParseConfig(R"({"meeting_gap_minutes":"ten"})");
  REQUIRE_FALSE(type.ok());
  CHECK(type.status().message().find("meeting_gap_minutes") != std::string::npos);
  auto range = ParseConfig(R"({"thresholds":{"packet_loss_percent":{"warning":150}}})");
  REQUIRE_FALSE(range.ok());
  CHECK(range.status().message().find("between") != std::string::npos);
  CHECK_FALSE(ParseConfig("not json").ok());
  CHECK_FALSE(ParseConfig("[]").ok());
}

TEST_CASE("config round-trips through its JSON", "[config]") {
  Config c;
  c.thresholds.jitter_ms = {20, 80};
  c.meeting_gap_ms = 5 * 60000;
  auto back = ParseConfig(ConfigToJson(c));
  REQUIRE(back.ok());
  CHECK(back.value().thresholds.jitter_ms.warning == 20);
  CHECK(back.value().thresholds.jitter_ms.critical == 80);
  CHECK(back.value().meeting_gap_ms == 5 * 60000);
  CHECK(std::isnan(back.value().thresholds.audio_bitrate_kbps.critical));
}
