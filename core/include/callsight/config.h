// Analysis configuration: thresholds (SPEC §2 defaults) and tunables.
// Every field can be overridden by a JSON config file (docs/CONFIG.md).
#ifndef CALLSIGHT_CONFIG_H_
#define CALLSIGHT_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "callsight/scoring.h"
#include "callsight/status.h"

namespace callsight {

// A two-level threshold. NaN disables a level. Whether "beyond" means above or
// below depends on the metric (loss above, bitrate below, ...).
struct Threshold {
  double warning = kUnset;
  double critical = kUnset;
};

struct Thresholds {
  Threshold packet_loss_pct{3, 5};           // above; publisher audio/video, subscriber audio
  Threshold rtt_ms{300, 500};                // above; publisher audio/video
  Threshold jitter_ms{30, 100};              // above; publisher audio
  Threshold video_bitrate_kbps{150, 75};     // below; a regular video track, all layers summed
  Threshold audio_bitrate_kbps{25, kUnset};  // below; publisher audio
  double audio_muted_kbps = 2;               // audio below this is muted / DTX, not "low"
  Threshold fps{15, 7};                      // below; regular video, highest sending layer
  Threshold screen_fps{kUnset, 2};           // below; screen share
  Threshold concealment_pct{3, 7};           // above; subscriber audio, % of 48 kHz samples
  // Freezes: warning at >= freeze_warning_count in one window; critical when the
  // rate reaches freeze_critical_per_10s for at least freeze_critical_ms.
  double freeze_warning_count = 1;
  double freeze_critical_per_10s = 1;
  int64_t freeze_critical_ms = 60000;
};

// Detections (docs/DETECTIONS.md): the numbers of their definitions.
struct DetectionConfig {
  int min_samples = 2;                  // low received fps, nothing received, low received MOS
  double most_share = 0.6;              // "most" senders of a receiver / receivers of a sender
  double default_rtt_ms = 100;          // received MOS where the sender's RTT is unknown
  double degradation_share = 0.5;       // session degradation: this share of present peers...
  int degradation_min_peers = 3;        // ...and at least this many...
  int64_t degradation_span_ms = 60000;  // ...start a breach of one family within this span
  double collapse_ratio = 1.0 / 3;      // bitrate collapse: below this share of the median...
  int64_t collapse_min_ms = 60000;      // ...for this long
  int rejoin_cycles = 3;                // repeated rejoins: this many cycles...
  int64_t rejoin_window_ms = 600000;    // ...within this span
};

struct Config {
  Thresholds thresholds;
  int64_t meeting_gap_ms = 10 * 60 * 1000;  // empty gap that starts a new meeting
  int64_t window_ms = 30000;                // CQS and MOS windows
  double low_mos = 3.1;                     // low_audio_mos below this
  int64_t issue_min_ms = 20000;             // a breach raises an issue from this long...
  int issue_min_samples = 2;                // ...or this many samples
  AudioProfile audio_profile;               // Opus: Ie 0, Bpl 25.1
  DetectionConfig detections;
  // Browser dumps hold IP addresses (ICE candidates): reports mask them (the
  // last IPv4 octet, all but the first three IPv6 groups) unless this is set.
  bool show_addresses = false;
  // The zone the reports' times are written in, as minutes from UTC (-840 to
  // 840; 0: UTC): the text report and every sentence of the JSON report (issue
  // details) give times of day in it, and the JSON report names it in
  // "time_zone". Times as numbers (*_ms) stay milliseconds since the epoch.
  int utc_offset_minutes = 0;
};

// Parses a JSON config. Fields not given keep their defaults. Fails on invalid
// JSON (naming the line and JSON pointer), unknown keys, wrong types or
// out-of-range values (naming the field); docs/CONFIG.md.
Result<Config> ParseConfig(std::string_view json_text);

// The configuration as JSON text (the same shape ParseConfig reads).
std::string ConfigToJson(const Config& config);

}  // namespace callsight

#endif  // CALLSIGHT_CONFIG_H_
