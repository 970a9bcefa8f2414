// Scores: the ITU-T G.107 E-model (SPEC Appendix A), the video score, the
// Connection Quality Score and call-health bands. docs/SCORING.md documents
// every equation (with its G.107 (06/2015) number), weight and band.
#include "callsight/scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace callsight {
namespace {

// Numerical guard rails for E-model inputs. They are far wider than the
// ranges G.107 validates (Table 3) and only keep every intermediate finite:
// with levels in [-100, 200] dB no 10^(x/10) term exceeds ~1e234.
constexpr double kMinLevelDb = -100;
constexpr double kMaxLevelDb = 200;
constexpr double kMaxDelayMs = 1e6;

// NaN -> fallback; otherwise clamped to [lo, hi] (so +-inf become a bound).
double Sanitize(double v, double fallback, double lo, double hi) {
  if (std::isnan(v)) return fallback;
  return std::clamp(v, lo, hi);
}

bool IsOddInteger(double n) { return std::floor(n) == n && std::fmod(n, 2.0) != 0; }

// (1 + x^n)^(1/n), the smooth-maximum form used throughout G.107, n > 0.
// Evaluated without overflow (|x| is factored out when |x| > 1). For odd
// integer n and a negative x^n below -1 the real odd root is taken, which is
// the continuous extension of the expression (pow() would return NaN).
double PowRoot(double x, double n) {
  const double ax = std::fabs(x);
  const bool negative = x < 0 && IsOddInteger(n);
  const double sign = negative ? -1.0 : 1.0;
  if (ax <= 1) return std::pow(1 + sign * std::pow(ax, n), 1 / n);
  const double inv = std::pow(ax, -n);  // in (0, 1)
  if (!negative) return ax * std::pow(1 + inv, 1 / n);
  return -ax * std::pow(1 - inv, 1 / n);
}

// a/2 + sqrt(a²/4 + c) for c > 0, without cancellation when a << 0.
double HalfPlusRoot(double a, double c) {
  const double root = std::sqrt(a * a / 4 + c);
  if (a >= 0) return a / 2 + root;
  return c / (root - a / 2);
}

double Pow10(double db) { return std::pow(10.0, db / 10); }

// Shared "one point per halving below a reference" penalty, capped.
// value <= 0 costs the cap; value >= reference costs nothing.
double HalvingPenalty(double value, double reference, double per_halving, double cap) {
  if (value >= reference) return 0;
  if (value <= 0) return cap;
  return std::min(cap, per_halving * std::log2(reference / value));
}

// Linear penalty above a free allowance, capped. NaN costs nothing.
double LinearPenalty(double value, double free_up_to, double per_unit, double cap) {
  if (std::isnan(value) || value <= free_up_to) return 0;
  return std::min(cap, (value - free_up_to) * per_unit);
}

// Video score weights (docs/SCORING.md, "Video score").
constexpr double kVideoMax = 5;
constexpr double kDefaultCameraFps = 30;
constexpr double kScreenEnoughFps = 2;
constexpr double kFpsPerHalving = 1.0;
constexpr double kFpsCap = 3.0;
constexpr double kDefaultCameraBitrateBps = 150'000;
// Expected rates by role (docs/SCORING.md, "Expected frame rate and bitrate").
constexpr double kCameraFps = 30;
constexpr double kCameraLowLayerFps = 15;
constexpr double kReceivedCameraFps = 15;
constexpr double kCameraBitrateBps = 300'000;
constexpr double kCameraLowLayerBitrateBps = 150'000;
constexpr double kCameraBitratePerHalving = 0.75;
constexpr double kScreenBitratePerHalving = 0.5;
constexpr double kBitrateCap = 2.0;
constexpr double kVideoLossFreePct = 1;
constexpr double kVideoLossPerPct = 0.3;
constexpr double kVideoLossCap = 3.0;
constexpr double kVideoRttFreeMs = 150;
constexpr double kVideoRttPerMs = 0.0025;
constexpr double kVideoRttCap = 1.5;
constexpr double kFreezePerPerMin = 0.5;
constexpr double kFreezeCap = 3.0;

// Connection Quality Score weights (docs/SCORING.md, "CQS").
constexpr double kCqsMax = 5;
constexpr double kCqsLossPerPct = 1.0 / 3;
constexpr double kCqsLossCap = 5;
constexpr double kCqsRttFreeMs = 150;
constexpr double kCqsRttPerMs = 1.0 / 150;
constexpr double kCqsRttCap = 4;
constexpr double kCqsJitterFreeMs = 10;
constexpr double kCqsJitterPerMs = 1.0 / 30;
constexpr double kCqsJitterCap = 4;

}  // namespace

double MosFromR(double r) {
  if (std::isnan(r)) return r;
  if (r < 0) return 1;
  if (r > 100) return 4.5;
  // Annex B cubic. It dips to 0.989 for 0 < R < 6.52 (its derivative at R 0 is
  // negative); flooring at 1, the bottom of the MOS scale, keeps MOS
  // continuous and non-decreasing in R.
  return std::max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

EModelResult ComputeEModel(const EModelParams& p) {
  const EModelParams d;  // G.107 defaults, used for NaN inputs
  const double slr = Sanitize(p.slr, d.slr, kMinLevelDb, kMaxLevelDb);
  const double rlr = Sanitize(p.rlr, d.rlr, kMinLevelDb, kMaxLevelDb);
  const double stmr = Sanitize(p.stmr, d.stmr, kMinLevelDb, kMaxLevelDb);
  const double lstr = Sanitize(p.lstr, d.lstr, kMinLevelDb, kMaxLevelDb);
  const double ds = Sanitize(p.ds, d.ds, kMinLevelDb, kMaxLevelDb);
  const double telr = Sanitize(p.telr, d.telr, kMinLevelDb, kMaxLevelDb);
  const double wepl = Sanitize(p.wepl, d.wepl, kMinLevelDb, kMaxLevelDb);
  const double nc = Sanitize(p.nc, d.nc, kMinLevelDb, kMaxLevelDb);
  const double nfor = Sanitize(p.nfor, d.nfor, kMinLevelDb, kMaxLevelDb);
  const double ps = Sanitize(p.ps, d.ps, kMinLevelDb, kMaxLevelDb);
  const double pr = Sanitize(p.pr, d.pr, kMinLevelDb, kMaxLevelDb);
  // Dr appears in no equation: G.107 relates it to LSTR = STMR + Dr, and the
  // model takes LSTR directly (default 18 = 15 + 3).
  const double t = Sanitize(p.t, d.t, 0, kMaxDelayMs);
  const double t_r = Sanitize(p.t_r, 2 * t, 0, kMaxDelayMs);
  const double t_a = Sanitize(p.t_a, t, 0, kMaxDelayMs);
  const double qdu = Sanitize(p.qdu, d.qdu, 1, 1000);
  const double ie = Sanitize(p.ie, d.ie, 0, 95);
  const double bpl = Sanitize(p.bpl, d.bpl, 1, 1000);
  const double ppl = Sanitize(p.ppl, d.ppl, 0, 100);
  const double burst_r = Sanitize(p.burst_r, d.burst_r, 1, 1000);
  const double a = Sanitize(p.a, d.a, 0, 100);
  const double m_t = Sanitize(p.m_t, d.m_t, 1, kMaxDelayMs);
  const double s_t = Sanitize(p.s_t, d.s_t, 0.1, 100);

  // 7.2 Basic signal-to-noise ratio Ro.
  const double olr = slr + rlr;
  const double nfo = nfor + rlr;                                         // (7-7)
  const double pre = pr + 10 * std::log10(1 + Pow10(10 - lstr));         // (7-6)
  const double nor = rlr - 121 + pre + 0.008 * (pre - 35) * (pre - 35);  // (7-5)
  const double nos_q = ps - olr - ds - 14;
  const double nos = ps - slr - ds - 100 + 0.004 * nos_q * nos_q;                       // (7-4)
  const double no = 10 * std::log10(Pow10(nc) + Pow10(nos) + Pow10(nor) + Pow10(nfo));  // (7-3)
  const double ro = 15 - 1.5 * (slr + no);                                              // (7-2)

  // 7.3 Simultaneous impairment factor Is.
  const double xolr = olr + 0.2 * (64 + no - rlr);                                         // (7-10)
  const double iolr = 20 * (PowRoot(xolr / 8, 8) - xolr / 8);                              // (7-9)
  const double stmr_o = -10 * std::log10(Pow10(-stmr) + std::exp(-t / 4) * Pow10(-telr));  // (7-12)
  const double ist = 12 * PowRoot((stmr_o - 13) / 6, 8) - 28 * PowRoot((stmr_o + 1) / 19.4, 35) -
                     13 * PowRoot((stmr_o - 3) / 33, 13) + 29;                   // (7-11)
  const double q = 37 - 15 * std::log10(qdu);                                    // (7-17)
  const double g = 1.07 + 0.258 * q + 0.0602 * q * q;                            // (7-16)
  const double y = (ro - 100) / 15 + 46 / 8.4 - g / 9;                           // (7-14)
  const double z = 46.0 / 30 - g / 40;                                           // (7-15)
  const double iq = 15 * std::log10(1 + std::pow(10.0, y) + std::pow(10.0, z));  // (7-13)
  const double is = iolr + ist + iq;                                             // (7-8)

  // 7.4 Delay impairment factor Id.
  double terv =
      telr - 40 * std::log10((1 + t / 10) / (1 + t / 150)) + 6 * std::exp(-0.3 * t * t);  // (7-22)
  if (stmr < 9) terv += ist / 2;                                                          // (7-23)
  const double re = 80 + 2.5 * (terv - 14);                                               // (7-21)
  const double roe = -1.5 * (no - rlr);                                                   // (7-20)
  double idte = (HalfPlusRoot(roe - re, 100) - 1) * (1 - std::exp(-t));                   // (7-19)
  if (stmr > 20) idte = std::sqrt(idte * idte + ist * ist);                               // (7-24)
  const double rle = 10.5 * (wepl + 7) * std::pow(t_r + 1, -0.25);                        // (7-26)
  const double idle = HalfPlusRoot(ro - rle, 169);                                        // (7-25)
  double idd = 0;                                                                         // (7-27)
  if (t_a > m_t) {
    const double x = std::log2(t_a / m_t);  // (7-29)
    const double n = 6 * s_t;
    idd = 25 * (PowRoot(x, n) - 3 * PowRoot(x / 3, n) + 2);  // (7-28)
  }
  const double id = idte + idle + idd;  // (7-18)

  // 7.5 Effective equipment impairment factor Ie,eff.
  const double ie_eff = ie + (95 - ie) * ppl / (ppl / burst_r + bpl);  // (7-30)

  EModelResult result;
  result.r = ro - is - id - ie_eff + a;  // (7-1)
  result.mos = MosFromR(result.r);
  return result;
}

namespace {

// NaN counts as 0; negative values are clamped to 0; +inf stays +inf and is
// clamped by ComputeEModel (so a worse input never scores higher).
double NonNegative(double v) { return std::isnan(v) ? 0.0 : std::max(v, 0.0); }

// T = RTT/2 + 2·jitter + 20 ms, the one delay of the audio model (the
// measured jitter-buffer delay instead of 2·jitter where given).
double AudioDelay(double rtt_ms, double jitter_ms, double jitter_buffer_ms) {
  const double buffer =
      std::isnan(jitter_buffer_ms) ? 2 * NonNegative(jitter_ms) : NonNegative(jitter_buffer_ms);
  return NonNegative(rtt_ms) / 2 + buffer + 20;
}

// R at delay t without loss and with Ie 0: the costly part of AudioMos.
double AudioR0(double t) {
  EModelParams params;
  params.t = t;
  params.t_a = t;
  params.t_r = 2 * t;
  params.burst_r = 1;
  params.ie = 0;
  params.ppl = 0;
  return ComputeEModel(params).r;
}

// Ie,eff enters R additively (7-1), so R = R(no loss, Ie 0) - Ie,eff.
EModelResult AudioMosFromR0(double r0, double loss_pct, const AudioProfile& profile) {
  const AudioProfile opus;
  const double ie = std::clamp(std::isnan(profile.ie) ? opus.ie : profile.ie, 0.0, 95.0);
  const double bpl = std::clamp(std::isnan(profile.bpl) ? opus.bpl : profile.bpl, 1.0, 1000.0);
  const double ppl = std::min(NonNegative(loss_pct), 100.0);
  EModelResult result;
  result.r = r0 - (ie + (95 - ie) * ppl / (ppl + bpl));  // (7-30), BurstR 1
  result.mos = MosFromR(result.r);
  return result;
}

}  // namespace

EModelResult AudioMosCache::AudioMos(double rtt_ms, double jitter_ms, double loss_pct,
                                     const AudioProfile& profile, double jitter_buffer_ms) {
  const double t = AudioDelay(rtt_ms, jitter_ms, jitter_buffer_ms);
  uint64_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  Entry& slot = entries_[(bits * 0x9E3779B97F4A7C15ULL) >> 52];  // top 12 bits: 4096 slots
  if (t != slot.t) {
    slot.r0 = AudioR0(t);
    slot.t = t;
  }
  return AudioMosFromR0(slot.r0, loss_pct, profile);
}

EModelResult AudioMos(double rtt_ms, double jitter_ms, double loss_pct, const AudioProfile& profile,
                      double jitter_buffer_ms) {
  return AudioMosFromR0(AudioR0(AudioDelay(rtt_ms, jitter_ms, jitter_buffer_ms)), loss_pct,
                        profile);
}

Samples AudioMosSamples(const Samples& rtt_ms, const Samples& jitter_ms, const Samples& loss_pct,
                        size_t size, const AudioProfile& profile, AudioMosCache* cache) {
  if (rtt_ms.empty() && jitter_ms.empty() && loss_pct.empty()) return {};
  AudioMosCache own;
  AudioMosCache& mos = cache ? *cache : own;
  constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
  auto at = [](const Samples& c, size_t i) { return c.empty() ? kMissing : c[i]; };
  Samples out(size, kMissing);
  for (size_t i = 0; i < size; ++i) {
    const float rtt = at(rtt_ms, i), jitter = at(jitter_ms, i), loss = at(loss_pct, i);
    if (std::isnan(rtt) && std::isnan(jitter) && std::isnan(loss)) continue;
    out[i] = static_cast<float>(mos.AudioMos(rtt, jitter, loss, profile).mos);
  }
  return out;
}

double VideoScore(const VideoScoreInput& in) {
  double penalty = 0;

  // Frame rate, one point per halving below the reference, at most 3.
  if (!std::isnan(in.fps)) {
    const bool has_expected = !std::isnan(in.expected_fps) && in.expected_fps > 0;
    double reference = has_expected ? in.expected_fps : kDefaultCameraFps;
    if (in.screen) {
      reference = has_expected ? std::min(in.expected_fps, kScreenEnoughFps) : kScreenEnoughFps;
    }
    penalty += HalvingPenalty(in.fps, reference, kFpsPerHalving, kFpsCap);
  }

  // Bitrate against the layer's expected bitrate (camera falls back to the
  // 150 kbps SPEC threshold; screen share only with a known expectation).
  if (!std::isnan(in.bitrate_bps)) {
    const bool has_expected = !std::isnan(in.expected_bitrate_bps) && in.expected_bitrate_bps > 0;
    if (in.screen) {
      if (has_expected) {
        penalty += HalvingPenalty(in.bitrate_bps, in.expected_bitrate_bps, kScreenBitratePerHalving,
                                  kBitrateCap);
      }
    } else {
      const double reference = has_expected ? in.expected_bitrate_bps : kDefaultCameraBitrateBps;
      penalty += HalvingPenalty(in.bitrate_bps, reference, kCameraBitratePerHalving, kBitrateCap);
    }
  }

  penalty += LinearPenalty(in.loss_pct, kVideoLossFreePct, kVideoLossPerPct, kVideoLossCap);
  penalty += LinearPenalty(in.rtt_ms, kVideoRttFreeMs, kVideoRttPerMs, kVideoRttCap);
  penalty += LinearPenalty(in.freezes_per_min, 0, kFreezePerPerMin, kFreezeCap);
  return std::clamp(kVideoMax - penalty, 0.0, kVideoMax);
}

VideoExpectation ExpectedVideo(VideoRole role) {
  VideoExpectation e;
  switch (role) {
    case VideoRole::kCamera:
      e.fps = kCameraFps;
      e.bitrate_bps = kCameraBitrateBps;
      break;
    case VideoRole::kCameraLowLayer:
      e.fps = kCameraLowLayerFps;
      e.bitrate_bps = kCameraLowLayerBitrateBps;
      break;
    case VideoRole::kReceivedCamera:
      e.fps = kReceivedCameraFps;
      break;
    case VideoRole::kScreen:
      e.fps = kScreenEnoughFps;
      break;
  }
  return e;
}

VideoRole VideoRoleOf(MediaKind kind, Direction direction, const std::string& top_rid) {
  if (kind == MediaKind::kScreen) return VideoRole::kScreen;
  if (direction == Direction::kSubscriber) return VideoRole::kReceivedCamera;
  return top_rid == "l" ? VideoRole::kCameraLowLayer : VideoRole::kCamera;
}

double ConnectionScore(const ConnectionInput& in) {
  bool measured = false;
  double score = kCqsMax;

  // Network score: 5 minus loss, RTT and jitter penalties.
  const bool has_network =
      !std::isnan(in.loss_pct) || !std::isnan(in.rtt_ms) || !std::isnan(in.jitter_ms);
  if (has_network) {
    measured = true;
    const double network =
        kCqsMax - LinearPenalty(in.loss_pct, 0, kCqsLossPerPct, kCqsLossCap) -
        LinearPenalty(in.rtt_ms, kCqsRttFreeMs, kCqsRttPerMs, kCqsRttCap) -
        LinearPenalty(in.jitter_ms, kCqsJitterFreeMs, kCqsJitterPerMs, kCqsJitterCap);
    score = std::min(score, network);
  }
  // Audio MOS 1..4.5 mapped linearly onto 0..5.
  if (!std::isnan(in.audio_mos)) {
    measured = true;
    score = std::min(score, (in.audio_mos - 1) * kCqsMax / 3.5);
  }
  if (!std::isnan(in.video_score)) {
    measured = true;
    score = std::min(score, in.video_score);
  }
  if (!measured) return kUnset;
  return std::clamp(score, 0.0, kCqsMax);
}

CqsBand BandOf(double cqs) {
  if (cqs >= 4) return CqsBand::kExcellent;
  if (cqs >= 3) return CqsBand::kGood;
  if (cqs >= 2) return CqsBand::kFair;
  if (cqs >= 1) return CqsBand::kPoor;
  return CqsBand::kFailed;  // also NaN: callers band measured windows only
}

const char* CqsBandName(CqsBand band) {
  switch (band) {
    case CqsBand::kExcellent:
      return "excellent";
    case CqsBand::kGood:
      return "good";
    case CqsBand::kFair:
      return "fair";
    case CqsBand::kPoor:
      return "poor";
    case CqsBand::kFailed:
      return "failed";
  }
  return "failed";
}

const char* HealthName(Health h) {
  switch (h) {
    case Health::kNone:
      return "none";
    case Health::kGood:
      return "good";
    case Health::kModerate:
      return "moderate";
    case Health::kPoor:
      return "poor";
  }
  return "none";
}

Health HealthFromBandTime(const double time_in_band[5]) {
  if (time_in_band == nullptr) return Health::kNone;
  double t[5];
  double total = 0;
  for (int i = 0; i < 5; ++i) {
    const double v = time_in_band[i];
    t[i] = (std::isfinite(v) && v > 0) ? v : 0;  // invalid time counts as none
    total += t[i];
  }
  if (total <= 0) return Health::kNone;
  const double good_share = (t[0] + t[1]) / total;  // excellent + good
  const double fair_or_worse = (t[2] + t[3] + t[4]) / total;
  const double bad_share = (t[3] + t[4]) / total;  // poor + failed
  if (bad_share >= 0.10 || fair_or_worse >= 0.30) return Health::kPoor;
  if (good_share >= 0.90 && bad_share < 0.02) return Health::kGood;
  return Health::kModerate;
}

Health HealthFromFigure(double figure) {
  if (std::isnan(figure)) return Health::kNone;
  if (figure >= 4) return Health::kGood;
  if (figure >= 2) return Health::kModerate;
  return Health::kPoor;
}

Health WorseHealth(Health a, Health b) {
  if (a == Health::kNone) return b;
  if (b == Health::kNone) return a;
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;  // kGood < kModerate < kPoor
}

double BreachLevelCap(int level) {
  if (level >= 2) return kCriticalWindowCap;
  if (level == 1) return kWarningWindowCap;
  return kUnset;
}

double CapByBreachLevel(double score, int level) {
  const double cap = BreachLevelCap(level);
  if (std::isnan(cap)) return score;
  return std::isnan(score) ? cap : std::min(score, cap);
}

double TimeWeightedMean(const std::vector<WindowScore>& windows) {
  double sum = 0, weight = 0;
  for (const WindowScore& w : windows) {
    if (std::isnan(w.score) || !(w.weight_ms > 0)) continue;
    sum += w.score * w.weight_ms;
    weight += w.weight_ms;
  }
  return weight > 0 ? sum / weight : kUnset;
}

double SustainedLow(std::vector<WindowScore> windows) {
  windows.erase(std::remove_if(
                    windows.begin(), windows.end(),
                    [](const WindowScore& w) { return std::isnan(w.score) || !(w.weight_ms > 0); }),
                windows.end());
  if (windows.empty()) return kUnset;
  double total = 0;
  for (const WindowScore& w : windows) total += w.weight_ms;
  const double need = std::min(kSustainedMs, total);
  std::sort(windows.begin(), windows.end(),
            [](const WindowScore& a, const WindowScore& b) { return a.score < b.score; });
  double held = 0;
  for (const WindowScore& w : windows) {
    held += w.weight_ms;
    if (held >= need) return w.score;
  }
  return windows.back().score;  // rounding: all of them
}

double HeadlineScore(const std::vector<WindowScore>& windows) {
  const double mean = TimeWeightedMean(windows);
  if (std::isnan(mean)) return mean;
  return std::min(mean, SustainedLow(windows));
}

}  // namespace callsight
