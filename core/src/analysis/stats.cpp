// Small shared pieces: statistics, spacing, names, readable formatting.
#include "analysis/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// Median, p95 and worst of the n values v[0..n), none NaN; reorders them.
template <typename T>
MetricStats StatsOfNumbers(T* v, size_t n, bool higher_is_worse, SelectScratch<T>* scratch) {
  MetricStats s;
  s.count = n;
  if (n == 0) return s;
  const StatRanks r(n, higher_is_worse);
  size_t ranks[4] = {r.median_lo, r.median_hi, r.p95, r.worst};
  std::sort(ranks, ranks + 4);
  T at[4];
  SelectRanks(v, n, ranks, 4, at, scratch);
  const auto value_of = [&](size_t rank) {
    return static_cast<double>(at[std::find(ranks, ranks + 4, rank) - ranks]);
  };
  s.p95 = value_of(r.p95);
  s.median = r.median_lo == r.median_hi ? value_of(r.median_hi)
                                        : (value_of(r.median_lo) + value_of(r.median_hi)) / 2;
  s.worst = value_of(r.worst);
  return s;
}

// Appends the values of values[0..size) that are not NaN to *out, -0 as 0
// (so which of two equal zeros a rank finds does not matter).
template <typename T>
void AppendNumbers(const T* values, size_t size, std::vector<T>* out) {
  size_t n = out->size();
  out->resize(n + size);
  T* const dst = out->data();
  for (size_t i = 0; i < size; ++i) {  // branch-free: NaN is written, then overwritten
    const T x = values[i] + T(0);
    dst[n] = x;
    n += x == x;
  }
  out->resize(n);
}

}  // namespace

MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse) {
  std::vector<double> numbers;
  AppendNumbers(values.data(), values.size(), &numbers);
  SelectScratch<double> scratch;
  return StatsOfNumbers(numbers.data(), numbers.size(), higher_is_worse, &scratch);
}

MetricStats ComputeStats(const Samples& values, bool higher_is_worse, StatsScratch* scratch) {
  scratch->numbers.clear();
  AppendNumbers(values.data(), values.size(), &scratch->numbers);
  return StatsOfNumbers(scratch->numbers.data(), scratch->numbers.size(), higher_is_worse,
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
  for (const Samples* c : columns) AppendNumbers(c->data(), c->size(), &numbers);
  return StatsOfNumbers(numbers.data(), numbers.size(), higher_is_worse, &scratch->select);
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
