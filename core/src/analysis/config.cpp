#include "callsight/config.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "json/json_cursor.h"
#include "json/json_tree.h"
#include "json/json_writer.h"

namespace callsight {
namespace {

using json::JsonCursor;
using json::JsonTree;
using json::JsonValue;
using json::JsonWriter;

// As deep as the inputs' documents may nest (docs/INPUTS.md); the config's
// own keys go three levels deep.
constexpr int kMaxConfigDepth = 32;

// Which way a metric gets worse: a level is "beyond" another above it for a
// loss or a delay, below it for a bitrate or a frame rate (config.h).
enum class Worse { kHigher, kLower };

struct ThresholdField {
  const char* name;
  Threshold Thresholds::*member;
  double max;
  Worse worse;
};

const ThresholdField kThresholdFields[] = {
    {"packet_loss_percent", &Thresholds::packet_loss_pct, 100, Worse::kHigher},
    {"rtt_ms", &Thresholds::rtt_ms, 60000, Worse::kHigher},
    {"jitter_ms", &Thresholds::jitter_ms, 60000, Worse::kHigher},
    {"video_bitrate_kbps", &Thresholds::video_bitrate_kbps, 1e6, Worse::kLower},
    {"audio_bitrate_kbps", &Thresholds::audio_bitrate_kbps, 1e5, Worse::kLower},
    {"fps", &Thresholds::fps, 240, Worse::kLower},
    {"screen_fps", &Thresholds::screen_fps, 240, Worse::kLower},
    {"concealment_percent", &Thresholds::concealment_pct, 100, Worse::kHigher},
};

// A double as the config's JSON writes it ("60.0", "4.5").
std::string DoubleText(double v) {
  JsonWriter w;
  w.Double(v);
  return w.Take();
}

// A level as a person writes it: "50", "2.5" (no ".0" after a whole number).
std::string LevelText(double v) {
  std::string text = DoubleText(v);
  const size_t n = text.size();
  if (n > 2 && text.compare(n - 2, 2, ".0") == 0) text.resize(n - 2);
  return text;
}

// Reads the config's JSON whole. A UTF-8 byte order mark before it is
// skipped. Malformed JSON is reported as the inputs' is: line, JSON pointer
// (when inside the object), what is wrong.
Status ReadConfigTree(std::string_view text, JsonTree* tree) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  JsonCursor cursor(text, kMaxConfigDepth);
  if (tree->Read(&cursor, JsonTree::NumberRange::kFinite) && !cursor.AtEnd()) {
    cursor.Fail("unexpected text after the end of the JSON value");
  }
  if (!cursor.failed()) return Status::Ok();
  std::string where = "line " + std::to_string(json::LineOf(text, cursor.error_offset()));
  if (!cursor.error_pointer().empty()) where += ", at " + cursor.error_pointer();
  return Status::InvalidArgument("config is not valid JSON: " + where + ": " + cursor.error());
}

// A number in [min, max], or null (kUnset). An integer is read as one: "-0"
// is zero, not negative zero.
Status ReadNumber(const JsonValue& v, const std::string& path, double min, double max,
                  double* out) {
  if (v.is_null()) {
    *out = kUnset;
    return Status::Ok();
  }
  if (!v.is_number()) return Status::InvalidArgument(path + " must be a number or null");
  double d = v.number();
  if (v.text().find_first_of(".eE") == std::string_view::npos) d += 0.0;
  if (!std::isfinite(d) || d < min || d > max) {
    return Status::InvalidArgument(path + " must be between " + DoubleText(min) + " and " +
                                   DoubleText(max));
  }
  *out = d;
  return Status::Ok();
}

// A number field that may be null (the default stays): *out = convert(value).
template <typename T, typename Convert>
Status ReadOptional(const JsonValue& v, const std::string& path, double min, double max, T* out,
                    Convert convert) {
  double x = kUnset;
  Status s = ReadNumber(v, path, min, max, &x);
  if (s.ok() && !std::isnan(x)) *out = convert(x);
  return s;
}

double AsIs(double x) { return x; }
int AsInt(double x) { return static_cast<int>(x); }
int64_t Scaled(double x, double unit_ms) { return static_cast<int64_t>(x * unit_ms); }
int64_t SecondsToMs(double x) { return Scaled(x, 1000); }
int64_t MinutesToMs(double x) { return Scaled(x, 60000); }

// The "detections" object: each field in the unit its name says.
Status ReadDetections(const JsonValue& v, DetectionConfig* d) {
  if (!v.is_object()) return Status::InvalidArgument("detections must be an object");
  for (const auto& [name, value] : v.Members()) {
    const std::string k(name);
    const std::string path = "detections." + k;
    Status s;
    if (k == "min_samples") {
      s = ReadOptional(value, path, 1, 1000, &d->min_samples, AsInt);
    } else if (k == "most_share") {
      s = ReadOptional(value, path, 0, 1, &d->most_share, AsIs);
    } else if (k == "default_rtt_ms") {
      s = ReadOptional(value, path, 0, 60000, &d->default_rtt_ms, AsIs);
    } else if (k == "degradation_share") {
      s = ReadOptional(value, path, 0, 1, &d->degradation_share, AsIs);
    } else if (k == "degradation_min_peers") {
      s = ReadOptional(value, path, 2, 1e6, &d->degradation_min_peers, AsInt);
    } else if (k == "degradation_span_seconds") {
      s = ReadOptional(value, path, 1, 86400, &d->degradation_span_ms, SecondsToMs);
    } else if (k == "collapse_ratio") {
      s = ReadOptional(value, path, 0, 1, &d->collapse_ratio, AsIs);
    } else if (k == "collapse_min_seconds") {
      s = ReadOptional(value, path, 1, 86400, &d->collapse_min_ms, SecondsToMs);
    } else if (k == "rejoin_cycles") {
      s = ReadOptional(value, path, 1, 1e6, &d->rejoin_cycles, AsInt);
    } else if (k == "rejoin_window_minutes") {
      s = ReadOptional(value, path, 0, 24 * 60, &d->rejoin_window_ms, MinutesToMs);
    } else {
      return Status::InvalidArgument("unknown key " + path);
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// thresholds.<metric>: {"warning": ..., "critical": ...}.
Status ReadThresholdLevels(const JsonValue& v, const ThresholdField& field, const std::string& path,
                           Thresholds* t) {
  if (!v.is_object()) return Status::InvalidArgument(path + " must be an object");
  for (const auto& [name, value] : v.Members()) {
    const std::string level_name(name);
    double* level = level_name == "warning"    ? &(t->*(field.member)).warning
                    : level_name == "critical" ? &(t->*(field.member)).critical
                                               : nullptr;
    if (!level) {
      return Status::InvalidArgument("unknown key " + path + "." + level_name +
                                     " (expected warning or critical)");
    }
    Status s = ReadNumber(value, path + "." + level_name, 0, field.max, level);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// thresholds.<name> for the thresholds that are one number.
Status ReadThresholdNumber(const std::string& name, const JsonValue& v, const std::string& path,
                           Thresholds* t) {
  if (name == "audio_muted_kbps") return ReadNumber(v, path, 0, 1e5, &t->audio_muted_kbps);
  if (name == "freeze_warning_count") return ReadNumber(v, path, 0, 1e6, &t->freeze_warning_count);
  if (name == "freeze_critical_per_10s") {
    return ReadNumber(v, path, 0, 1e6, &t->freeze_critical_per_10s);
  }
  if (name == "freeze_critical_seconds") {
    double d = 0;
    Status s = ReadNumber(v, path, 0, 86400, &d);
    if (s.ok()) t->freeze_critical_ms = std::isnan(d) ? 60000 : SecondsToMs(d);
    return s;
  }
  return Status::InvalidArgument("unknown key " + path);
}

// The "thresholds" object.
Status ReadThresholds(const JsonValue& v, Thresholds* t) {
  if (!v.is_object()) return Status::InvalidArgument("thresholds must be an object");
  for (const auto& [key, value] : v.Members()) {
    const std::string name(key);
    const std::string path = "thresholds." + name;
    const ThresholdField* field = nullptr;
    for (const auto& tf : kThresholdFields) {
      if (name == tf.name) field = &tf;
    }
    Status s = field ? ReadThresholdLevels(value, *field, path, t)
                     : ReadThresholdNumber(name, value, path, t);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// A warning level beyond its critical one (above it where higher is worse,
// below it where lower is worse) would warn only after the critical level;
// it is refused, naming the threshold and both levels. A null level is not
// compared; equal levels are allowed.
Status CheckThresholdOrder(const Thresholds& t) {
  for (const auto& tf : kThresholdFields) {
    const Threshold& v = t.*(tf.member);
    if (std::isnan(v.warning) || std::isnan(v.critical)) continue;
    const bool higher = tf.worse == Worse::kHigher;
    if (higher ? v.warning <= v.critical : v.warning >= v.critical) continue;
    return Status::InvalidArgument(
        std::string("thresholds.") + tf.name + ": the warning level (" + LevelText(v.warning) +
        ") is beyond the critical level (" + LevelText(v.critical) + "): for this metric " +
        (higher ? "higher is worse, so warning must not be above critical"
                : "lower is worse, so warning must not be below critical"));
  }
  return Status::Ok();
}

// The "audio_profile" object: both numbers, neither null.
Status ReadAudioProfile(const JsonValue& v, AudioProfile* profile) {
  if (!v.is_object()) return Status::InvalidArgument("audio_profile must be an object");
  for (const auto& [key, value] : v.Members()) {
    const std::string name(key);
    double* target = name == "ie" ? &profile->ie : name == "bpl" ? &profile->bpl : nullptr;
    if (!target) return Status::InvalidArgument("unknown key audio_profile." + name);
    Status s = ReadNumber(value, "audio_profile." + name, 0, 100, target);
    if (!s.ok()) return s;
    if (std::isnan(*target)) {
      return Status::InvalidArgument("audio_profile." + name + " must be a number");
    }
  }
  return Status::Ok();
}

// A whole number of minutes from UTC-14:00 to UTC+14:00 (null: UTC).
Status ReadUtcOffset(const JsonValue& v, int* out) {
  double x = kUnset;
  if (Status s = ReadNumber(v, "utc_offset_minutes", -840, 840, &x); !s.ok()) return s;
  if (std::isnan(x)) return Status::Ok();
  if (x != std::floor(x)) {
    return Status::InvalidArgument("utc_offset_minutes must be a whole number of minutes, got " +
                                   DoubleText(x));
  }
  *out = static_cast<int>(x);
  return Status::Ok();
}

// One member of the config object.
Status ReadConfigMember(const std::string& key, const JsonValue& v, Config* c) {
  if (key == "thresholds") return ReadThresholds(v, &c->thresholds);
  if (key == "meeting_gap_minutes") {
    return ReadOptional(v, key, 0, 24 * 60, &c->meeting_gap_ms, MinutesToMs);
  }
  if (key == "window_seconds") return ReadOptional(v, key, 1, 3600, &c->window_ms, SecondsToMs);
  if (key == "low_mos") return ReadNumber(v, key, 1, 4.5, &c->low_mos);
  if (key == "issue_min_seconds") {
    return ReadOptional(v, key, 0, 86400, &c->issue_min_ms, SecondsToMs);
  }
  if (key == "issue_min_samples") {
    return ReadOptional(v, key, 1, 1000, &c->issue_min_samples, AsInt);
  }
  if (key == "audio_profile") return ReadAudioProfile(v, &c->audio_profile);
  if (key == "detections") return ReadDetections(v, &c->detections);
  if (key == "show_addresses") {
    if (!v.is_bool()) return Status::InvalidArgument("show_addresses must be true or false");
    c->show_addresses = v.is_true();
    return Status::Ok();
  }
  if (key == "utc_offset_minutes") return ReadUtcOffset(v, &c->utc_offset_minutes);
  if (key == "$schema" || key == "comment") return Status::Ok();
  return Status::InvalidArgument("unknown config key " + key);
}

// The config's JSON writes each object's members ordered by name, as it always has.
using Members = std::map<std::string, std::string>;  // name -> JSON text

std::string ObjectText(const Members& members) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [name, text] : members) w.Key(name).Raw(text);
  w.EndObject();
  return w.Take();
}

std::string IntText(int64_t v) { return std::to_string(v); }

std::string DetectionsText(const DetectionConfig& d) {
  return ObjectText({{"min_samples", IntText(d.min_samples)},
                     {"most_share", DoubleText(d.most_share)},
                     {"default_rtt_ms", DoubleText(d.default_rtt_ms)},
                     {"degradation_share", DoubleText(d.degradation_share)},
                     {"degradation_min_peers", IntText(d.degradation_min_peers)},
                     {"degradation_span_seconds", DoubleText(d.degradation_span_ms / 1000.0)},
                     {"collapse_ratio", DoubleText(d.collapse_ratio)},
                     {"collapse_min_seconds", DoubleText(d.collapse_min_ms / 1000.0)},
                     {"rejoin_cycles", IntText(d.rejoin_cycles)},
                     {"rejoin_window_minutes", DoubleText(d.rejoin_window_ms / 60000.0)}});
}

std::string ThresholdsText(const Thresholds& t) {
  Members th;
  for (const auto& tf : kThresholdFields) {
    const Threshold& v = t.*(tf.member);
    th[tf.name] = ObjectText({{"warning", DoubleText(v.warning)},  // NaN: null
                              {"critical", DoubleText(v.critical)}});
  }
  th["audio_muted_kbps"] = DoubleText(t.audio_muted_kbps);
  th["freeze_warning_count"] = DoubleText(t.freeze_warning_count);
  th["freeze_critical_per_10s"] = DoubleText(t.freeze_critical_per_10s);
  th["freeze_critical_seconds"] = DoubleText(t.freeze_critical_ms / 1000.0);
  return ObjectText(th);
}

}  // namespace

Result<Config> ParseConfig(std::string_view text) {
  JsonTree tree;
  if (Status s = ReadConfigTree(text, &tree); !s.ok()) return s;
  const JsonValue doc = tree.root();
  if (!doc.is_object()) return Status::InvalidArgument("config must be a JSON object");
  Config c;
  for (const auto& [key, value] : doc.Members()) {
    if (Status s = ReadConfigMember(std::string(key), value, &c); !s.ok()) return s;
  }
  if (Status s = CheckThresholdOrder(c.thresholds); !s.ok()) return s;
  if (std::isnan(c.low_mos)) c.low_mos = 3.1;
  return c;
}

std::string ConfigToJson(const Config& c) {
  Members members{{"thresholds", ThresholdsText(c.thresholds)},
                  {"meeting_gap_minutes", DoubleText(c.meeting_gap_ms / 60000.0)},
                  {"window_seconds", DoubleText(c.window_ms / 1000.0)},
                  {"low_mos", DoubleText(c.low_mos)},
                  {"issue_min_seconds", DoubleText(c.issue_min_ms / 1000.0)},
                  {"issue_min_samples", IntText(c.issue_min_samples)},
                  {"audio_profile", ObjectText({{"ie", DoubleText(c.audio_profile.ie)},
                                                {"bpl", DoubleText(c.audio_profile.bpl)}})},
                  {"detections", DetectionsText(c.detections)}};
  // Written only when set: reports that mask addresses keep the config they had.
  if (c.show_addresses) members.emplace("show_addresses", "true");
  // The same for the zone: reports in UTC keep the config they had.
  if (c.utc_offset_minutes != 0)
    members.emplace("utc_offset_minutes", IntText(c.utc_offset_minutes));
  return ObjectText(members);
}

}  // namespace callsight
