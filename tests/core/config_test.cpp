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

TEST_CASE("malformed config JSON names the line and the JSON pointer", "[config]") {
  const auto message = [](std::string_view text) {
    auto r = ParseConfig(text);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK(message("{\n  \"low_mos\": 3,\n  \"window_seconds\": 30 30\n}") ==
        "config is not valid JSON: line 3, at /window_seconds: "
        "expected ',' or '}' after an object member");
  CHECK(message("{\"low_mos\": 1e999}") ==
        "config is not valid JSON: line 1, at /low_mos: number 1e999 is out of range");
  CHECK(message("oops") ==
        "config is not valid JSON: line 1: unexpected character, expected a JSON value");
  CHECK(message("{} {}") ==
        "config is not valid JSON: line 1: unexpected text after the end of the JSON value");
  CHECK(message("") ==
        "config is not valid JSON: line 1: unexpected end of file, expected a value");
  // Valid JSON of the wrong shape keeps its own message.
  CHECK(message("[]") == "config must be a JSON object");
}

TEST_CASE("config reads as a DOM keyed by name would", "[config]") {
  // A repeated key: the last one counts.
  auto repeated = ParseConfig(R"({"low_mos": 2, "low_mos": 4})");
  REQUIRE(repeated.ok());
  CHECK(repeated.value().low_mos == 4);
  // Several errors: the first by name is reported, not the first written.
  auto two = ParseConfig(R"({"window_seconds": 0, "low_mos": 0})");
  REQUIRE_FALSE(two.ok());
  CHECK(two.status().message() == "low_mos must be between 1.0 and 4.5");
  // A UTF-8 byte order mark before the object is skipped.
  auto bom = ParseConfig("\xEF\xBB\xBF{\"low_mos\": 2}");
  REQUIRE(bom.ok());
  CHECK(bom.value().low_mos == 2);
  // "comment" and "$schema" hold anything.
  CHECK(ParseConfig(R"({"comment": [1, {"x": null}], "$schema": "s"})").ok());
  // The integer -0 is zero; the decimal -0.0 keeps its sign, as written back.
  auto zero = ParseConfig(R"({"audio_profile": {"ie": -0, "bpl": -0.0}})");
  REQUIRE(zero.ok());
  const std::string echoed = ConfigToJson(zero.value());
  CHECK(echoed.find(R"("audio_profile":{"bpl":-0.0,"ie":0.0})") != std::string::npos);
}

TEST_CASE("config JSON lists members by name, numbers written exactly", "[config]") {
  Config c;
  c.low_mos = 3.25;
  c.detections.min_samples = 4;
  c.thresholds.fps.warning = kUnset;
  const std::string text = ConfigToJson(c);
  CHECK(text.rfind(R"({"audio_profile":{"bpl":25.1,"ie":0.0},"detections":{)", 0) == 0);
  CHECK(text.find(R"("min_samples":4,)") != std::string::npos);
  CHECK(text.find(R"("fps":{"critical":7.0,"warning":null})") != std::string::npos);
  CHECK(text.find(R"("low_mos":3.25,"meeting_gap_minutes":10.0,)") != std::string::npos);
  CHECK(text.find(R"(},"window_seconds":30.0})") != std::string::npos);
}

TEST_CASE("config: show_addresses is a boolean, echoed only when set", "[config]") {
  CHECK_FALSE(Config{}.show_addresses);
  CHECK(ConfigToJson(Config{}).find("show_addresses") == std::string::npos);
  auto shown = ParseConfig(R"({"show_addresses": true})");
  REQUIRE(shown.ok());
  CHECK(shown.value().show_addresses);
  CHECK(ConfigToJson(shown.value()).find("\"show_addresses\":true") != std::string::npos);
  auto wrong = ParseConfig(R"({"show_addresses": "yes"})");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().ToString().find("show_addresses") != std::string::npos);
}

TEST_CASE("config: utc_offset_minutes, whole minutes within +-14 h, echoed only when set",
          "[config][zone]") {
  CHECK(Config{}.utc_offset_minutes == 0);
  CHECK(ConfigToJson(Config{}).find("utc_offset_minutes") == std::string::npos);
  auto east = ParseConfig(R"({"utc_offset_minutes": 330})");
  REQUIRE(east.ok());
  CHECK(east.value().utc_offset_minutes == 330);
  CHECK(ConfigToJson(east.value()).find("\"utc_offset_minutes\":330") != std::string::npos);
  CHECK(ParseConfig(ConfigToJson(east.value())).value().utc_offset_minutes == 330);
  REQUIRE(ParseConfig(R"({"utc_offset_minutes": -840})").ok());
  for (const char* bad : {R"({"utc_offset_minutes": 841})", R"({"utc_offset_minutes": 1.5})",
                          R"({"utc_offset_minutes": "+02:00"})"}) {
    auto r = ParseConfig(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ToString().find("utc_offset_minutes") != std::string::npos);
  }
}

namespace {
std::string RefusalOf(std::string_view text) {
  auto r = ParseConfig(text);
  return r.ok() ? std::string() : r.status().message();
}
}  // namespace

TEST_CASE("config refuses a warning above critical where higher is worse", "[config]") {
  const std::string m = RefusalOf(R"({"thresholds":{"packet_loss_percent":{"warning":50}}})");
  CHECK(m ==
        "thresholds.packet_loss_percent: the warning level (50) is beyond the critical level (5): "
        "for this metric higher is worse, so warning must not be above critical");
  CHECK(RefusalOf(R"({"thresholds":{"rtt_ms":{"warning":600,"critical":550.5}}})")
            .find("thresholds.rtt_ms: the warning level (600) is beyond the critical level "
                  "(550.5)") == 0);
  CHECK(RefusalOf(R"({"thresholds":{"concealment_percent":{"critical":2}}})")
            .find("thresholds.concealment_percent") == 0);
}

TEST_CASE("config refuses a warning below critical where lower is worse", "[config]") {
  const std::string m = RefusalOf(R"({"thresholds":{"video_bitrate_kbps":{"warning":50}}})");
  CHECK(m ==
        "thresholds.video_bitrate_kbps: the warning level (50) is beyond the critical level "
        "(75): for this metric lower is worse, so warning must not be below critical");
  CHECK(RefusalOf(R"({"thresholds":{"fps":{"critical":20}}})").find("thresholds.fps:") == 0);
  // Above critical is the right side for a bitrate or a frame rate.
  CHECK(ParseConfig(R"({"thresholds":{"fps":{"warning":30,"critical":7}}})").ok());
}

TEST_CASE("config allows equal levels and does not compare a null level", "[config]") {
  CHECK(ParseConfig(R"({"thresholds":{"rtt_ms":{"warning":400,"critical":400}}})").ok());
  CHECK(ParseConfig(R"({"thresholds":{"fps":{"warning":10,"critical":10}}})").ok());
  CHECK(ParseConfig(R"({"thresholds":{"rtt_ms":{"warning":900,"critical":null}}})").ok());
  CHECK(ParseConfig(R"({"thresholds":{"fps":{"warning":null,"critical":100}}})").ok());
  // audio_bitrate_kbps has no critical level by default: any warning passes.
  CHECK(ParseConfig(R"({"thresholds":{"audio_bitrate_kbps":{"warning":1}}})").ok());
}

TEST_CASE("the default config passes its own validation", "[config]") {
  CHECK(ParseConfig("{}").ok());
  CHECK(ParseConfig(ConfigToJson(Config{})).ok());
}
