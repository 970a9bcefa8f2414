// Small shared pieces: statistics, spacing, names, readable formatting.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Exact order statistics without sorting. A histogram of equal-width buckets
// between the minimum and the maximum tells which bucket holds each wanted
// rank; one more pass keeps only those buckets' values, which are searched the
// same way (or, once few, by nth_element). The bucket of x is
// floor((x - lo) * scale), monotone in x, so the answer is exact whatever the
// rounding. Three cheap passes for all ranks at once, where nth_element costs
// several mispredicted branches per value and per rank.
template <typename T>
class RankSelector {
 public:
  static constexpr int kMaxRanks = 3;

  // Sets out[j] to the value of rank ranks[j] (0-based, ascending) among the
  // n values v[0..n), for j < k <= kMaxRanks. No value is NaN; lo and hi are
  // their minimum and maximum; ranks are ascending and below n.
  void Select(const T* v, size_t n, T lo, T hi, const size_t* ranks, int k, T* out) {
    Level(v, n, lo, hi, ranks, k, out, 0);
    // Scratch is kept for the next (usually small) call, but not the memory
    // of a big pool: it would add to the peak while the report is written.
    if (n > kKeepScratch) {
      for (auto& b : buffers_) std::vector<T>().swap(b);
      std::vector<uint16_t>().swap(bucket_of_value_);
    }
  }

 private:
  static constexpr size_t kSmall = 32;
  static constexpr size_t kKeepScratch = 1 << 16;
  static constexpr int kMaxDepth = 4;
  static constexpr size_t kMaxBuckets = 4096;  // bucket indices fit uint16_t
  // Bucket arithmetic: float for float samples (cheaper, and exact enough:
  // any monotone mapping is), double for the rest.
  using Math = std::conditional_t<std::is_same_v<T, float>, float, double>;
  // Infinite or overflowing ranges are left to nth_element.
  static constexpr Math kHuge = std::is_same_v<T, float> ? Math(1e30) : Math(1e300);

  void Level(const T* v, size_t n, T lo, T hi, const size_t* ranks, int k, T* out, int depth) {
    if (!(lo < hi)) {
      std::fill(out, out + k, lo);
      return;
    }
    // About 4 values per bucket, within 16..4096 buckets.
    // Integers spanning fewer than 4096 values (sample spacings) get one
    // bucket per value: the histogram alone then answers, with no gathering.
    const bool exact = std::is_integral_v<T> &&
                       static_cast<double>(hi) - static_cast<double>(lo) < double{kMaxBuckets};
    const size_t buckets =
        exact ? static_cast<size_t>(hi - lo) + 1 : std::clamp<size_t>(n / 4, 16, kMaxBuckets);
    const Math base = static_cast<Math>(lo);
    const Math scale =
        exact ? Math(1) : static_cast<Math>(buckets) / (static_cast<Math>(hi) - base);
    if (n <= kSmall || depth == kMaxDepth || !(scale > 0 && scale < kHuge)) {
      std::vector<T>& w = Buffer(depth, 0);
      w.assign(v, v + n);
      for (int j = 0; j < k; ++j) {
        std::nth_element(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(ranks[j]), w.end());
        out[j] = w[ranks[j]];
      }
      return;
    }
    // A signed 32-bit conversion is one instruction (unsigned is several);
    // the product lies in [0, buckets], so it fits.
    const auto top = static_cast<int32_t>(buckets - 1);
    const auto bucket_of = [&](T x) {
      const auto b = static_cast<int32_t>((static_cast<Math>(x) - base) * scale);
      return static_cast<uint16_t>(b < top ? b : top);
    };
    // Histogram; each value's bucket is kept for the gathering pass.
    counts_.assign(buckets, 0);
    bucket_of_value_.resize(n);
    uint16_t* const bv = bucket_of_value_.data();
    uint32_t* const counts = counts_.data();
    size_t i = 0;
#if defined(__wasm_simd128__)
    if constexpr (std::is_same_v<T, float>) {  // four buckets at once
      const v128_t vbase = wasm_f32x4_splat(base), vscale = wasm_f32x4_splat(scale);
      const v128_t vtop = wasm_i32x4_splat(top);
      for (; i + 4 <= n; i += 4) {
        const v128_t x = wasm_v128_load(v + i);
        const v128_t b = wasm_i32x4_min(
            wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(wasm_f32x4_sub(x, vbase), vscale)), vtop);
        wasm_v128_store64_lane(bv + i, wasm_u16x8_narrow_i32x4(b, b), 0);
        ++counts[wasm_i32x4_extract_lane(b, 0)];
        ++counts[wasm_i32x4_extract_lane(b, 1)];
        ++counts[wasm_i32x4_extract_lane(b, 2)];
        ++counts[wasm_i32x4_extract_lane(b, 3)];
      }
    }
#endif
    for (; i < n; ++i) {
      const uint16_t bx = bucket_of(v[i]);
      bv[i] = bx;
      ++counts[bx];
    }
    // Ranks in the same bucket form one group (ranks ascending: groups are runs).
    struct Group {
      size_t bucket, below;
      int first, count;
      T lo, hi;
      size_t size;
    };
    Group groups[kMaxRanks];
    int ng = 0;
    size_t b = 0, below = 0;
    for (int j = 0; j < k; ++j) {
      while (below + counts_[b] <= ranks[j]) below += counts_[b++];
      if (ng > 0 && groups[ng - 1].bucket == b) {
        ++groups[ng - 1].count;
      } else {
        groups[ng++] = Group{b, below, j, 1, hi, lo, 0};
      }
    }
    if (exact) {
      for (int g = 0; g < ng; ++g) {
        std::fill(out + groups[g].first, out + groups[g].first + groups[g].count,
                  static_cast<T>(lo + static_cast<T>(groups[g].bucket)));
      }
      return;
    }
    // One pass gathers every group, branch-free (one spare slot per buffer).
    // Slots past ng write to a sink and want bucket 0xFFFF, which no value has
    // (buckets <= 4096).
    T sink[1];
    T* dst[kMaxRanks];
    uint16_t want[kMaxRanks];
    size_t m[kMaxRanks] = {};
    for (int g = 0; g < ng; ++g) Buffer(depth, g).resize(counts_[groups[g].bucket] + 1);
    for (int g = 0; g < kMaxRanks; ++g) {
      dst[g] = g < ng ? Buffer(depth, g).data() : sink;
      want[g] = g < ng ? static_cast<uint16_t>(groups[g].bucket) : 0xFFFF;
    }
    for (i = 0; i < n; ++i) {
      const T x = v[i];
      const uint16_t bx = bv[i];
      dst[0][m[0]] = x;
      m[0] += bx == want[0];
      dst[1][m[1]] = x;
      m[1] += bx == want[1];
      dst[2][m[2]] = x;
      m[2] += bx == want[2];
    }
    for (int g = 0; g < ng; ++g) {
      Group& gr = groups[g];
      gr.size = m[g];
      const auto [min_it, max_it] = std::minmax_element(dst[g], dst[g] + m[g]);
      gr.lo = *min_it;
      gr.hi = *max_it;
    }
    for (int g = 0; g < ng; ++g) {
      const Group& gr = groups[g];
      size_t sub[kMaxRanks];
      for (int j = 0; j < gr.count; ++j) sub[j] = ranks[gr.first + j] - gr.below;
      Level(Buffer(depth, g).data(), gr.size, gr.lo, gr.hi, sub, gr.count, out + gr.first,
            depth + 1);
    }
  }

  // Scratch per depth and group: a level reads its parent's buffers while it
  // fills its own.
  std::vector<T>& Buffer(int depth, int group) {
    return buffers_[static_cast<size_t>(depth * kMaxRanks + group)];
  }

  std::vector<T> buffers_[(kMaxDepth + 1) * kMaxRanks];
  std::vector<uint32_t> counts_;
  std::vector<uint16_t> bucket_of_value_;  // buckets <= 4096
};

// The ranks (0-based, ascending) whose values make the stats of n > 0 values:
// the median's two middle ranks (equal when n is odd) and p95's nearest rank
// from the "worse" end. p95 is the value that 95 % of samples are no worse
// than; the median of an even count is the mean of the two middle values.
struct StatRanks {
  size_t median_lo, median_hi, p95;
  StatRanks(size_t n, bool higher_is_worse)
      : median_lo(n % 2 ? n / 2 : n / 2 - 1),
        median_hi(n / 2),
        p95(std::clamp<size_t>(static_cast<size_t>(std::ceil((higher_is_worse ? 0.95 : 0.05) *
                                                             static_cast<double>(n))),
                               1, n) -
            1) {}
  // value_of(rank) gives the value of a rank above.
  template <typename ValueOf>
  void Fill(const ValueOf& value_of, MetricStats* s) const {
    s->p95 = value_of(p95);
    s->median = median_lo == median_hi ? value_of(median_hi)
                                       : (value_of(median_lo) + value_of(median_hi)) / 2;
  }
};

// Median, p95 and worst of the n values v[0..n), none NaN, whose minimum and
// maximum are lo and hi.
template <typename T>
MetricStats StatsFrom(const T* v, size_t n, T lo, T hi, bool higher_is_worse) {
  MetricStats s;
  s.count = n;
  if (n == 0) return s;
  const StatRanks r(n, higher_is_worse);
  size_t ranks[3] = {r.median_lo, r.median_hi, r.p95};
  std::sort(ranks, ranks + 3);
  T at[3];
  thread_local RankSelector<T> select;
  select.Select(v, n, lo, hi, ranks, 3, at);
  r.Fill(
      [&](size_t rank) {
        return static_cast<double>(at[std::find(ranks, ranks + 3, rank) - ranks]);
      },
      &s);
  s.worst = higher_is_worse ? hi : lo;
  return s;
}

// The minimum and maximum of the values that are not NaN, and how many are.
template <typename T>
struct Range {
  T lo = std::numeric_limits<T>::infinity(), hi = -std::numeric_limits<T>::infinity();
  size_t missing = 0;
};

#if defined(__wasm_simd128__) || defined(__SSE2__)
#define CALLSIGHT_RANGE_LANES 1
// The range of the first size / 4 * 4 floats in four lanes: lane k takes
// values k, k + 4, ... as the scalar loop of RangeOf would (NaN keeps the
// minimum and maximum). Returns how many it read. (Only where -0 and 0 tie
// may the kept one differ from the scalar loop's; they compare and print
// alike.)
size_t RangeLanes(const float* values, size_t size, float lo[4], float hi[4], int32_t missing[4]) {
  size_t i = 0;
#if defined(__wasm_simd128__)
  v128_t l = wasm_f32x4_splat(lo[0]), h = wasm_f32x4_splat(hi[0]), m = wasm_i32x4_splat(0);
  for (; i + 4 <= size; i += 4) {
    const v128_t x = wasm_v128_load(values + i);
    l = wasm_f32x4_pmin(l, x);                   // x < l ? x : l
    h = wasm_f32x4_pmax(h, x);                   // h < x ? x : h
    m = wasm_i32x4_sub(m, wasm_f32x4_ne(x, x));  // NaN lanes are -1
  }
  wasm_v128_store(lo, l);
  wasm_v128_store(hi, h);
  wasm_v128_store(missing, m);
#else
  __m128 l = _mm_set1_ps(lo[0]), h = _mm_set1_ps(hi[0]);
  __m128i m = _mm_setzero_si128();
  for (; i + 4 <= size; i += 4) {
    const __m128 x = _mm_loadu_ps(values + i);
    l = _mm_min_ps(x, l);                                           // x < l ? x : l
    h = _mm_max_ps(x, h);                                           // x > h ? x : h
    m = _mm_sub_epi32(m, _mm_castps_si128(_mm_cmpunord_ps(x, x)));  // NaN lanes are -1
  }
  _mm_storeu_ps(lo, l);
  _mm_storeu_ps(hi, h);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(missing), m);
#endif
  return i;
}
#endif

template <typename T>
Range<T> RangeOf(const T* values, size_t size) {
  Range<T> r;
  size_t i = 0;
#ifdef CALLSIGHT_RANGE_LANES
  if constexpr (std::is_same_v<T, float>) {
    float lo[4] = {r.lo}, hi[4] = {r.hi};
    int32_t missing[4];
    i = RangeLanes(values, size, lo, hi, missing);
    for (int k = 0; k < 4; ++k) {
      r.lo = lo[k] < r.lo ? lo[k] : r.lo;
      r.hi = hi[k] > r.hi ? hi[k] : r.hi;
      r.missing += static_cast<size_t>(missing[k]);
    }
  }
#endif
  for (; i < size; ++i) {
    const T x = values[i];
    r.missing += x != x;
    r.lo = x < r.lo ? x : r.lo;
    r.hi = x > r.hi ? x : r.hi;
  }
  return r;
}

template <typename T>
MetricStats StatsOf(const T* values, size_t size, bool higher_is_worse) {
  // Usually nothing is missing: the column is read in place.
  const Range<T> range = RangeOf(values, size);
  if (range.missing == 0) return StatsFrom(values, size, range.lo, range.hi, higher_is_worse);
  // Else a copy of the values that are not, whose range RangeOf took.
  thread_local std::vector<T> v;
  v.resize(size);
  size_t n = 0;
  T* const out = v.data();
  for (size_t i = 0; i < size; ++i) {  // branch-free: NaN is written, then overwritten
    const T x = values[i];
    out[n] = x;
    n += x == x;
  }
  return StatsFrom(out, n, range.lo, range.hi, higher_is_worse);
}

}  // namespace

MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse) {
  return StatsOf(values.data(), values.size(), higher_is_worse);
}

MetricStats ComputeStats(const Samples& values, bool higher_is_worse) {
  return StatsOf(values.data(), values.size(), higher_is_worse);
}

MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse) {
  // Millions of samples: two passes in place, no copy, no branches. A
  // float's bits with the sign bit flipped (positives) or all bits flipped
  // (negatives) order as the floats do. Pass one counts samples by the top 16
  // bits of that key; pass two counts the low 16 bits of only the samples in
  // the buckets that hold a wanted rank, which pins each rank's exact key.
  constexpr uint32_t kBuckets = 1u << 16;
  constexpr uint32_t kMissing = 0xFFFFFFFFu;  // NaN: a bucket no number has
  const auto key_of = [](float x) {
    uint32_t b;
    const float y = x + 0.0f;  // -0 counts as 0
    std::memcpy(&b, &y, sizeof b);
    const uint32_t k = b ^ (static_cast<uint32_t>(static_cast<int32_t>(b) >> 31) | 0x80000000u);
    return x == x ? k : kMissing;
  };
  const auto value_of_key = [](uint32_t k) {
    const uint32_t b = (k & 0x80000000u) ? k ^ 0x80000000u : ~k;
    float x;
    std::memcpy(&x, &b, sizeof x);
    return x;
  };
  std::vector<uint32_t> top(kBuckets, 0);
  size_t total = 0;
  for (const Samples* c : columns) {
    total += c->size();
    for (float x : *c) ++top[key_of(x) >> 16];
  }
  MetricStats s;
  s.count = total - top[kMissing >> 16];
  const size_t n = s.count;
  if (n == 0) return s;

  // The wanted ranks, ascending; ranks in the same top bucket share a group.
  const StatRanks r(n, higher_is_worse);
  size_t ranks[4] = {0, r.median_lo, r.median_hi, r.p95};
  if (higher_is_worse) ranks[0] = n - 1;
  std::sort(ranks, ranks + 4);
  uint32_t bucket_of_rank[4];
  size_t below_of_rank[4];
  std::vector<uint8_t> group_of_bucket(kBuckets, 0);  // 1 + group index, 0 = not wanted
  int groups = 0;
  {
    uint32_t b = 0;
    size_t below = 0;
    for (int j = 0; j < 4; ++j) {
      while (below + top[b] <= ranks[j]) below += top[b++];
      bucket_of_rank[j] = b;
      below_of_rank[j] = below;
      if (group_of_bucket[b] == 0) {
        group_of_bucket[b] = static_cast<uint8_t>(++groups);
      }
    }
  }
  // Branch-free: samples of unwanted buckets count into one sink counter
  // past the groups' (a branch here mispredicts on every sample near a
  // wanted value).
  const size_t sink = static_cast<size_t>(groups) * kBuckets;
  std::vector<uint32_t> low(sink + 1, 0);
  for (const Samples* c : columns) {
    for (float x : *c) {
      const uint32_t k = key_of(x);
      const size_t g = group_of_bucket[k >> 16];
      ++low[g ? (g - 1) * kBuckets + (k & 0xFFFFu) : sink];
    }
  }
  const auto value_of = [&](size_t rank) {
    const int j = static_cast<int>(std::find(ranks, ranks + 4, rank) - ranks);
    const uint32_t b = bucket_of_rank[j];
    const uint32_t* h = &low[(group_of_bucket[b] - 1u) * kBuckets];
    size_t below = below_of_rank[j];
    uint32_t l = 0;
    while (below + h[l] <= rank) below += h[l++];
    return static_cast<double>(value_of_key((b << 16) | l));
  };
  r.Fill(value_of, &s);
  s.worst = value_of(higher_is_worse ? n - 1 : 0);
  return s;
}

int64_t SampleSpacingMs(const std::vector<int64_t>& t) {
  if (t.size() < 2) return 0;
  // The positive steps (timestamps never decrease; equal ones are skipped),
  // branch-free: every step is written, only positive ones are kept.
  thread_local std::vector<int64_t> d;
  d.resize(t.size() - 1);
  int64_t* const out = d.data();
  size_t n = 0;
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    const int64_t x = t[i] - t[i - 1];
    out[n] = x;
    n += x > 0;
    lo = x > 0 && x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  if (n == 0) return 0;
  thread_local RankSelector<int64_t> select;
  const size_t rank = n / 2;
  int64_t median = 0;
  select.Select(out, n, lo, hi, &rank, 1, &median);
  return median;
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
