// Small shared pieces: statistics, spacing, names, readable formatting.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/internal.h"
#include "callsight/analysis.h"

namespace callsight {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    default:
      return "critical";
  }
}

const char* PathName(Path p) {
  switch (p) {
    case Path::kUplink:
      return "uplink";
    case Path::kDownlink:
      return "downlink";
    default:
      return "";
  }
}

namespace {

template <typename T>
MetricStats StatsOf(const std::vector<T>& values, bool higher_is_worse) {
  MetricStats s;
  std::vector<T> v;
  v.reserve(values.size());
  for (double x : values) {
    if (!std::isnan(x)) v.push_back(x);
  }
  s.count = v.size();
  if (v.empty()) return s;
  // Nearest-rank percentiles on the "worse" direction: p95 is the value that
  // 95 % of samples are no worse than. Selection, not sorting: one selection
  // for p95 over everything, then the median within the larger side only.
  const size_t n = v.size();
  const auto at = [&](size_t i) { return v.begin() + static_cast<std::ptrdiff_t>(i); };
  size_t rank =
      static_cast<size_t>(std::ceil((higher_is_worse ? 0.95 : 0.05) * static_cast<double>(n)));
  const size_t k = std::clamp<size_t>(rank, 1, n) - 1;
  std::nth_element(v.begin(), at(k), v.end());
  s.p95 = v[k];
  const size_t mid = n / 2;
  if (mid < k) {
    std::nth_element(v.begin(), at(mid), at(k));
  } else if (mid > k) {
    std::nth_element(at(k + 1), at(mid), v.end());
  }
  const double upper_mid = v[mid];
  // For an even count the lower middle is the largest value below `mid`.
  s.median = n % 2 ? upper_mid : (*std::max_element(v.begin(), at(mid)) + upper_mid) / 2;
  s.worst =
      higher_is_worse ? *std::max_element(at(k), v.end()) : *std::min_element(v.begin(), at(k + 1));
  return s;
}

}  // namespace

MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse) {
  return StatsOf(values, higher_is_worse);
}

MetricStats ComputeStats(const Samples& values, bool higher_is_worse) {
  return StatsOf(values, higher_is_worse);
}

int64_t SampleSpacingMs(const std::vector<int64_t>& t) {
  if (t.size() < 2) return 0;
  std::vector<int64_t> d;
  d.reserve(t.size() - 1);
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i] > t[i - 1]) d.push_back(t[i] - t[i - 1]);
  }
  if (d.empty()) return 0;
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return d[d.size() / 2];
}

namespace analysis {

bool PresenceOf(const Peer& peer, int64_t* start, int64_t* end) {
  if (!peer.presence.empty()) {
    *start = peer.presence.front().start_ms;
    *end = peer.presence.back().end_ms;
    return true;
  }
  bool any = false;
  for (const Track& tr : peer.tracks) {
    for (const Layer& l : tr.layers) {
      if (l.series.empty()) continue;
      int64_t a = l.series.timestamps_ms.front(), b = l.series.timestamps_ms.back();
      *start = any ? std::min(*start, a) : a;
      *end = any ? std::max(*end, b) : b;
      any = true;
    }
  }
  return any;
}

std::string PeerLabel(const Peer& peer) {
  return peer.info.name.empty() ? peer.peer_id : peer.info.name;
}

std::string FormatClock(int64_t ms) {
  int64_t s = ms / 1000;
  int64_t day = ((s % 86400) + 86400) % 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(day / 3600),
                static_cast<int>(day / 60 % 60), static_cast<int>(day % 60));
  return buf;
}

std::string FormatDuration(int64_t ms) {
  int64_t s = (ms + 500) / 1000;
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%d s", static_cast<int>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(s / 60),
                  static_cast<int>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%d h %d min", static_cast<int>(s / 3600),
                  static_cast<int>(s / 60 % 60));
  }
  return buf;
}

std::string FormatNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::vector<Run> FindRuns(const std::vector<int64_t>& t, const Samples& v, int64_t spacing_ms,
                          bool above, const std::function<int(double)>& level_of) {
  std::vector<Run> runs;
  const int64_t spacing = spacing_ms > 0 ? spacing_ms : 10000;
  // Breach samples further apart than this are separate runs even when no
  // clean sample lies between them (the track was not reporting).
  const int64_t max_gap = 2 * spacing + spacing / 2;
  bool open = false;
  Run cur;
  size_t last_breach = 0;
  int clean_since = 0;
  auto close = [&]() {
    if (!open) return;
    double sum = 0;
    size_t n = 0;
    for (size_t i = cur.first; i <= cur.last; ++i) {
      if (!std::isnan(v[i])) {
        sum += v[i];
        ++n;
      }
    }
    cur.samples = n;
    cur.mean = n ? sum / static_cast<double>(n) : 0;
    runs.push_back(cur);
    open = false;
  };
  for (size_t i = 0; i < v.size(); ++i) {
    int level = std::isnan(v[i]) ? -1 : level_of(v[i]);
    if (level < 0) continue;
    if (level == 0) {
      if (open && ++clean_since > 1) close();
      continue;
    }
    if (open && clean_since <= 1 && t[i] - t[last_breach] <= max_gap) {
      cur.last = i;
      cur.level = std::max(cur.level, level);
      const double x = v[i];
      cur.peak = above ? std::max(cur.peak, x) : std::min(cur.peak, x);
    } else {
      close();
      open = true;
      cur = Run{i, i, level, static_cast<double>(v[i]), 0, 0};
    }
    last_breach = i;
    clean_since = 0;
  }
  close();
  return runs;
}

}  // namespace analysis
}  // namespace callsight
