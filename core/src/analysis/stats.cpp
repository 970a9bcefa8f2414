// Small shared pieces: statistics, spacing, names, readable formatting.
#include "analysis/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "analysis/internal.h"
#include "callsight/analysis.h"
#include "util/select.h"

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

// The ranks (0-based, ascending) whose values make the stats of n > 0 values:
// the median's two middle ranks (equal when n is odd), p95's nearest rank
// from the "worse" end and the worst value's. p95 is the value that 95 % of
// samples are no worse than; the median of an even count is the mean of the
// two middle values.
struct StatRanks {
  size_t median_lo, median_hi, p95, worst;
  StatRanks(size_t n, bool higher_is_worse)
      : median_lo(n % 2 ? n / 2 : n / 2 - 1),
        median_hi(n / 2),
        p95(std::clamp<size_t>(static_cast<size_t>(std::ceil((higher_is_worse ? 0.95 : 0.05) *
                                                             static_cast<double>(n))),
                               1, n) -
            1),
        worst(higher_is_worse ? n - 1 : 0) {}
};

// The minimum and the maximum of the numbers copied so far (+inf and -inf
// before the first).
template <typename T>
struct Bounds {
  T lo = std::numeric_limits<T>::infinity(), hi = -std::numeric_limits<T>::infinity();
};

// Median, p95 and worst of the n values v[0..n), none NaN, whose minimum and
// maximum are `bounds`; reorders them. The worst is the minimum or the
// maximum, so only the median's and p95's ranks are selected.
template <typename T>
MetricStats StatsOfNumbers(T* v, size_t n, Bounds<T> bounds, bool higher_is_worse,
                           SelectScratch<T>* scratch) {
  MetricStats s;
  s.count = n;
  if (n == 0) return s;
  const StatRanks r(n, higher_is_worse);
  size_t ranks[3] = {r.median_lo, r.median_hi, r.p95};
  std::sort(ranks, ranks + 3);
  T at[3];
  SelectRanksWithin(v, n, bounds.lo, bounds.hi, ranks, 3, at, scratch);
  const auto value_of = [&](size_t rank) {
    return static_cast<double>(at[std::find(ranks, ranks + 3, rank) - ranks]);
  };
  s.p95 = value_of(r.p95);
  s.median = r.median_lo == r.median_hi ? value_of(r.median_hi)
                                        : (value_of(r.median_lo) + value_of(r.median_hi)) / 2;
  s.worst = static_cast<double>(higher_is_worse ? bounds.hi : bounds.lo);
  return s;
}

// Appends the values of values[0..size) that are not NaN to *out, -0 as 0
// (so which of two equal zeros a rank finds does not matter), and widens
// *bounds to them (one pass instead of a second one for the bounds).
template <typename T>
void AppendNumbers(const T* values, size_t size, std::vector<T>* out, Bounds<T>* bounds) {
  size_t n = out->size();
  out->resize(n + size);
  T* const dst = out->data();
  T lo = bounds->lo, hi = bounds->hi;
  for (size_t i = 0; i < size; ++i) {  // branch-free: NaN is written, then overwritten
    const T x = values[i] + T(0);
    dst[n] = x;
    n += x == x;
    lo = x < lo ? x : lo;  // false for NaN
    hi = hi < x ? x : hi;
  }
  out->resize(n);
  *bounds = Bounds<T>{lo, hi};
}

}  // namespace

MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse) {
  std::vector<double> numbers;
  Bounds<double> bounds;
  AppendNumbers(values.data(), values.size(), &numbers, &bounds);
  SelectScratch<double> scratch;
  return StatsOfNumbers(numbers.data(), numbers.size(), bounds, higher_is_worse, &scratch);
}

MetricStats ComputeStats(const Samples& values, bool higher_is_worse, StatsScratch* scratch) {
  scratch->numbers.clear();
  Bounds<float> bounds;
  AppendNumbers(values.data(), values.size(), &scratch->numbers, &bounds);
  return StatsOfNumbers(scratch->numbers.data(), scratch->numbers.size(), bounds, higher_is_worse,
                        &scratch->select);
}

MetricStats ComputeStats(const Samples& values, bool higher_is_worse) {
  StatsScratch scratch;
  return ComputeStats(values, higher_is_worse, &scratch);
}

MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse,
                         StatsScratch* scratch) {
  size_t total = 0;
  for (const Samples* c : columns) total += c->size();
  std::vector<float>& numbers = scratch->numbers;
  numbers.clear();
  numbers.reserve(total);
  Bounds<float> bounds;
  for (const Samples* c : columns) AppendNumbers(c->data(), c->size(), &numbers, &bounds);
  return StatsOfNumbers(numbers.data(), numbers.size(), bounds, higher_is_worse, &scratch->select);
}

MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse) {
  StatsScratch scratch;
  return ComputeStats(columns, higher_is_worse, &scratch);
}

int64_t SampleSpacingMs(const std::vector<int64_t>& t, StatsScratch* scratch) {
  if (t.size() < 2) return 0;
  // The positive steps (timestamps never decrease; equal ones are skipped),
  // branch-free: every step is written, only positive ones are kept.
  std::vector<int64_t>& steps = scratch->steps;
  steps.resize(t.size() - 1);
  size_t n = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    const int64_t x = t[i] - t[i - 1];
    steps[n] = x;
    n += x > 0;
  }
  if (n == 0) return 0;
  const size_t rank = n / 2;
  int64_t median = 0;
  SelectRanks(steps.data(), n, &rank, 1, &median, &scratch->select_steps);
  return median;
}

int64_t SampleSpacingMs(const std::vector<int64_t>& t) {
  StatsScratch scratch;
  return SampleSpacingMs(t, &scratch);
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

}  // namespace analysis
}  // namespace callsight
