#include "callsight/config.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace callsight {
namespace {

using json = nlohmann::json;

struct ThresholdField {
  const char* name;
  Threshold Thresholds::*member;
  double max;
};

const ThresholdField kThresholdFields[] = {
    {"packet_loss_percent", &Thresholds::packet_loss_pct, 100},
    {"rtt_ms", &Thresholds::rtt_ms, 60000},
    {"jitter_ms", &Thresholds::jitter_ms, 60000},
    {"video_bitrate_kbps", &Thresholds::video_bitrate_kbps, 1e6},
    {"audio_bitrate_kbps", &Thresholds::audio_bitrate_kbps, 1e5},
    {"fps", &Thresholds::fps, 240},
    {"screen_fps", &Thresholds::screen_fps, 240},
    {"concealment_percent", &Thresholds::concealment_pct, 100},
};

Status ReadNumber(const json& v, const std::string& path, double min, double max, double* out) {
  if (v.is_null()) {
    *out = kUnset;
    return Status::Ok();
  }
  if (!v.is_number()) return Status::InvalidArgument(path + " must be a number or null");
  double d = v.get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    return Status::InvalidArgument(path + " must be between " + json(min).dump() + " and " +
                                   json(max).dump());
  }
  *out = d;
  return Status::Ok();
}

// The "detections" object: each field in the unit its name says.
Status ReadDetections(const json& v, DetectionConfig* d) {
  if (!v.is_object()) return Status::InvalidArgument("detections must be an object");
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string path = "detections." + it.key();
    const std::string& k = it.key();
    double x = kUnset;
    Status s;
    if (k == "min_samples") {
      if ((s = ReadNumber(*it, path, 1, 1000, &x)).ok() && !std::isnan(x))
        d->min_samples = static_cast<int>(x);
    } else if (k == "most_share") {
      if ((s = ReadNumber(*it, path, 0, 1, &x)).ok() && !std::isnan(x)) d->most_share = x;
    } else if (k == "default_rtt_ms") {
      if ((s = ReadNumber(*it, path, 0, 60000, &x)).ok() && !std::isnan(x)) d->default_rtt_ms = x;
    } else if (k == "degradation_share") {
      if ((s = ReadNumber(*it, path, 0, 1, &x)).ok() && !std::isnan(x)) d->degradation_share = x;
    } else if (k == "degradation_min_peers") {
      if ((s = ReadNumber(*it, path, 2, 1e6, &x)).ok() && !std::isnan(x))
        d->degradation_min_peers = static_cast<int>(x);
    } else if (k == "degradation_span_seconds") {
      if ((s = ReadNumber(*it, path, 1, 86400, &x)).ok() && !std::isnan(x))
        d->degradation_span_ms = static_cast<int64_t>(x * 1000);
    } else if (k == "collapse_ratio") {
      if ((s = ReadNumber(*it, path, 0, 1, &x)).ok() && !std::isnan(x)) d->collapse_ratio = x;
    } else if (k == "collapse_min_seconds") {
      if ((s = ReadNumber(*it, path, 1, 86400, &x)).ok() && !std::isnan(x))
        d->collapse_min_ms = static_cast<int64_t>(x * 1000);
    } else if (k == "rejoin_cycles") {
      if ((s = ReadNumber(*it, path, 1, 1e6, &x)).ok() && !std::isnan(x))
        d->rejoin_cycles = static_cast<int>(x);
    } else if (k == "rejoin_window_minutes") {
      if ((s = ReadNumber(*it, path, 0, 24 * 60, &x)).ok() && !std::isnan(x))
        d->rejoin_window_ms = static_cast<int64_t>(x * 60000);
    } else {
      return Status::InvalidArgument("unknown key " + path);
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

json DetectionsToJson(const DetectionConfig& d) {
  return {{"min_samples", d.min_samples},
          {"most_share", d.most_share},
          {"default_rtt_ms", d.default_rtt_ms},
          {"degradation_share", d.degradation_share},
          {"degradation_min_peers", d.degradation_min_peers},
          {"degradation_span_seconds", d.degradation_span_ms / 1000.0},
          {"collapse_ratio", d.collapse_ratio},
          {"collapse_min_seconds", d.collapse_min_ms / 1000.0},
          {"rejoin_cycles", d.rejoin_cycles},
          {"rejoin_window_minutes", d.rejoin_window_ms / 60000.0}};
}

json NumberOrNull(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

Result<Config> ParseConfig(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("config is not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("config must be a JSON object");
  Config c;
  Thresholds& t = c.thresholds;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    double d = 0;
    Status s;
    if (key == "thresholds") {
      if (!v.is_object()) return Status::InvalidArgument("thresholds must be an object");
      for (auto jt = v.begin(); jt != v.end(); ++jt) {
        const std::string& name = jt.key();
        const std::string path = "thresholds." + name;
        const ThresholdField* field = nullptr;
        for (const auto& tf : kThresholdFields) {
          if (name == tf.name) field = &tf;
        }
        if (field) {
          if (!jt->is_object()) return Status::InvalidArgument(path + " must be an object");
          for (auto lt = jt->begin(); lt != jt->end(); ++lt) {
            double* level = lt.key() == "warning"    ? &(t.*(field->member)).warning
                            : lt.key() == "critical" ? &(t.*(field->member)).critical
                                                     : nullptr;
            if (!level) {
              return Status::InvalidArgument("unknown key " + path + "." + lt.key() +
                                             " (expected warning or critical)");
            }
            s = ReadNumber(*lt, path + "." + lt.key(), 0, field->max, level);
            if (!s.ok()) return s;
          }
        } else if (name == "audio_muted_kbps") {
          if (!(s = ReadNumber(*jt, path, 0, 1e5, &t.audio_muted_kbps)).ok()) return s;
        } else if (name == "freeze_warning_count") {
          if (!(s = ReadNumber(*jt, path, 0, 1e6, &t.freeze_warning_count)).ok()) return s;
        } else if (name == "freeze_critical_per_10s") {
          if (!(s = ReadNumber(*jt, path, 0, 1e6, &t.freeze_critical_per_10s)).ok()) return s;
        } else if (name == "freeze_critical_seconds") {
          if (!(s = ReadNumber(*jt, path, 0, 86400, &d)).ok()) return s;
          t.freeze_critical_ms = std::isnan(d) ? 60000 : static_cast<int64_t>(d * 1000);
        } else {
          return Status::InvalidArgument("unknown key " + path);
        }
      }
    } else if (key == "meeting_gap_minutes") {
      if (!(s = ReadNumber(v, key, 0, 24 * 60, &d)).ok()) return s;
      if (!std::isnan(d)) c.meeting_gap_ms = static_cast<int64_t>(d * 60000);
    } else if (key == "window_seconds") {
      if (!(s = ReadNumber(v, key, 1, 3600, &d)).ok()) return s;
      if (!std::isnan(d)) c.window_ms = static_cast<int64_t>(d * 1000);
    } else if (key == "low_mos") {
      if (!(s = ReadNumber(v, key, 1, 4.5, &c.low_mos)).ok()) return s;
    } else if (key == "issue_min_seconds") {
      if (!(s = ReadNumber(v, key, 0, 86400, &d)).ok()) return s;
      if (!std::isnan(d)) c.issue_min_ms = static_cast<int64_t>(d * 1000);
    } else if (key == "issue_min_samples") {
      if (!(s = ReadNumber(v, key, 1, 1000, &d)).ok()) return s;
      if (!std::isnan(d)) c.issue_min_samples = static_cast<int>(d);
    } else if (key == "audio_profile") {
      if (!v.is_object()) return Status::InvalidArgument("audio_profile must be an object");
      for (auto jt = v.begin(); jt != v.end(); ++jt) {
        double* target = jt.key() == "ie"    ? &c.audio_profile.ie
                         : jt.key() == "bpl" ? &c.audio_profile.bpl
                                             : nullptr;
        if (!target) return Status::InvalidArgument("unknown key audio_profile." + jt.key());
        if (!(s = ReadNumber(*jt, "audio_profile." + jt.key(), 0, 100, target)).ok()) return s;
        if (std::isnan(*target))
          return Status::InvalidArgument("audio_profile." + jt.key() + " must be a number");
      }
    } else if (key == "detections") {
      if (!(s = ReadDetections(v, &c.detections)).ok()) return s;
    } else if (key == "$schema" || key == "comment") {
      continue;
    } else {
      return Status::InvalidArgument("unknown config key " + key);
    }
  }
  if (std::isnan(c.low_mos)) c.low_mos = 3.1;
  return c;
}

std::string ConfigToJson(const Config& c) {
  const Thresholds& t = c.thresholds;
  json th = json::object();
  for (const auto& tf : kThresholdFields) {
    const Threshold& v = t.*(tf.member);
    th[tf.name] = {{"warning", NumberOrNull(v.warning)}, {"critical", NumberOrNull(v.critical)}};
  }
  th["audio_muted_kbps"] = t.audio_muted_kbps;
  th["freeze_warning_count"] = t.freeze_warning_count;
  th["freeze_critical_per_10s"] = t.freeze_critical_per_10s;
  th["freeze_critical_seconds"] = t.freeze_critical_ms / 1000.0;
  json doc = {{"thresholds", th},
              {"meeting_gap_minutes", c.meeting_gap_ms / 60000.0},
              {"window_seconds", c.window_ms / 1000.0},
              {"low_mos", c.low_mos},
              {"issue_min_seconds", c.issue_min_ms / 1000.0},
              {"issue_min_samples", c.issue_min_samples},
              {"audio_profile", {{"ie", c.audio_profile.ie}, {"bpl", c.audio_profile.bpl}}},
              {"detections", DetectionsToJson(c.detections)}};
  return doc.dump();
}

}  // namespace callsight
