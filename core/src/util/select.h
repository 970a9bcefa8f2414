// SelectRanks: the values at some ranks of a sequence, as sorting it would
// place them, without sorting it. The one selection routine of the core (the
// statistics' medians and percentiles, the sample spacing).
#ifndef CALLSIGHT_UTIL_SELECT_H_
#define CALLSIGHT_UTIL_SELECT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace callsight {
namespace select_internal {

// The specification: each rank by std::nth_element among the values not yet
// placed. Once rank r sits at v[r], every value above it is in v[r + 1..n),
// so the next rank needs only that part, and a rank right after a placed one
// (the upper of two middle ranks) is just the minimum of what is left.
template <typename T>
void SortSelect(T* v, size_t n, const size_t* ranks, size_t k, T* out) {
  // v[placed..n) holds the values of ranks placed..n-1; v[placed - 1] is the
  // value of rank placed - 1 (the last rank found).
  size_t placed = 0;
  for (size_t j = 0; j < k; ++j) {
    const size_t r = ranks[j];
    if (r >= placed) {
      if (r == placed) {
        std::iter_swap(v + r, std::min_element(v + r, v + n));
      } else {
        std::nth_element(v + placed, v + r, v + n);
      }
      placed = r + 1;
    }
    out[j] = v[r];
  }
}

// Equal-width buckets between lo < hi: the bucket of x is
// floor((x - lo) * scale), clamped to the last. Monotone in x whatever the
// rounding, so every value of a bucket is below every value of the next.
template <typename T>
class Buckets {
 public:
  Buckets(T lo, T hi, size_t count)
      : lo_(static_cast<Math>(lo)),
        scale_(static_cast<Math>(count) / (static_cast<Math>(hi) - lo_)),
        top_(static_cast<int32_t>(count - 1)) {}
  // False when the range is infinite or too wide for the arithmetic.
  bool usable() const { return scale_ > 0 && scale_ < kHuge; }
  size_t count() const { return static_cast<size_t>(top_) + 1; }
  size_t Of(T x) const {
    // (x - lo) * scale lies in [0, count]; a signed conversion is one instruction.
    const auto b = static_cast<int32_t>((static_cast<Math>(x) - lo_) * scale_);
    return static_cast<size_t>(b < top_ ? b : top_);
  }

 private:
  // float arithmetic for float values (cheaper; any monotone map is exact).
  using Math = std::conditional_t<std::is_same_v<T, float>, float, double>;
  static constexpr Math kHuge = std::is_same_v<T, float> ? Math(1e30) : Math(1e300);
  Math lo_, scale_;
  int32_t top_;
};

// Ranks in one bucket: ranks[first..first + count), `below` values in the
// buckets before it, `size` in it. Ranks are ascending, so a bucket's ranks
// are a run.
struct Group {
  size_t bucket, below, size, first, count;
};

// The minimum and maximum of v[0..n), n >= 4, in four independent running
// pairs (one pair waits on each min/max in turn). Pays: the bench session in
// 199 ms instead of 215 ms with std::minmax_element (as SelectRanks measures).
template <typename T>
std::pair<T, T> MinMax(const T* v, size_t n) {
  T lo[4] = {v[0], v[1], v[2], v[3]}, hi[4] = {v[0], v[1], v[2], v[3]};
  size_t i = 4;
  for (; i + 4 <= n; i += 4) {
    for (int j = 0; j < 4; ++j) {
      lo[j] = std::min(lo[j], v[i + j]);
      hi[j] = std::max(hi[j], v[i + j]);
    }
  }
  for (; i < n; ++i) {
    lo[0] = std::min(lo[0], v[i]);
    hi[0] = std::max(hi[0], v[i]);
  }
  return {std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])),
          std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]))};
}

#if defined(__wasm_simd128__)
// The same for floats four at a time in WebAssembly (pmin/pmax are the
// scalar std::min/std::max lane by lane). Pays in a wasm micro-benchmark
// (-O3 -msimd128, Node; per-track statistics of 20,000 columns of 360
// samples, five times): 541 -> 470 ms; pooled: 480 -> 440 ms. Not yet
// measured with scripts/bench.
template <>
inline std::pair<float, float> MinMax(const float* v, size_t n) {
  v128_t lo = wasm_v128_load(v), hi = lo;
  size_t i = 4;
  for (; i + 4 <= n; i += 4) {
    const v128_t x = wasm_v128_load(v + i);
    lo = wasm_f32x4_pmin(lo, x);  // x < lo ? x : lo
    hi = wasm_f32x4_pmax(hi, x);  // hi < x ? x : hi
  }
  float l[4], h[4];
  wasm_v128_store(l, lo);
  wasm_v128_store(h, hi);
  for (; i < n; ++i) {
    l[0] = std::min(l[0], v[i]);
    h[0] = std::max(h[0], v[i]);
  }
  return {std::min(std::min(l[0], l[1]), std::min(l[2], l[3])),
          std::max(std::max(h[0], h[1]), std::max(h[2], h[3]))};
}
#endif

constexpr size_t kSortBelow = 32;  // fewer values: SortSelect
constexpr int kMaxDepth = 4;

// The buffers of one level of buckets.
template <typename T>
struct Level {
  std::vector<uint32_t> counts;
  std::vector<uint16_t> bucket_of;  // of each value (there are at most 4096 buckets)
  std::vector<Group> groups;
  std::vector<T> gathered;
  std::vector<size_t> sub;
};

}  // namespace select_internal

// The buffers of SelectRanks, one set per level of buckets, reused from call
// to call by whoever owns it (a worker, a loop). What they hold between calls
// means nothing. Pays: the statistics select tens of thousands of times per
// analysis, and in the threaded WebAssembly build every allocation takes the
// one allocator lock (the bench session's analysis on two threads in Node:
// 236-248 ms allocating per call, 193-200 ms with these; docs/PERFORMANCE.md,
// 2026-12-07).
template <typename T>
struct SelectScratch {
  select_internal::Level<T> levels[select_internal::kMaxDepth];
};

namespace select_internal {

// One level of bucket selection (why it is kept: see SelectRanks) among
// values whose minimum is lo and maximum hi.
template <typename T>
void BucketSelect(T* v, size_t n, T lo, T hi, const size_t* ranks, size_t k, T* out, int depth,
                  SelectScratch<T>* scratch);

template <typename T>
void Select(T* v, size_t n, const size_t* ranks, size_t k, T* out, int depth,
            SelectScratch<T>* scratch) {
  if constexpr (std::is_arithmetic_v<T>) {
    if (n >= kSortBelow && depth < kMaxDepth) {
      const auto [lo, hi] = MinMax(v, n);
      return BucketSelect(v, n, lo, hi, ranks, k, out, depth, scratch);
    }
  }
  SortSelect(v, n, ranks, k, out);
}

inline void GroupRanks(const std::vector<uint32_t>& counts, const size_t* ranks, size_t k,
                       std::vector<Group>* groups) {
  groups->clear();
  size_t b = 0, below = 0;
  for (size_t j = 0; j < k; ++j) {
    while (below + counts[b] <= ranks[j]) below += counts[b++];
    if (!groups->empty() && groups->back().bucket == b) {
      ++groups->back().count;
    } else {
      groups->push_back(Group{b, below, counts[b], j, 1});
    }
  }
}

// Counts the values per bucket; copies the values of the buckets that hold a
// wanted rank out, each bucket's together, and selects among them only.
template <typename T>
void BucketSelect(T* v, size_t n, T lo, T hi, const size_t* ranks, size_t k, T* out, int depth,
                  SelectScratch<T>* scratch) {
  if (!(lo < hi)) {
    std::fill(out, out + k, lo);
    return;
  }
  const Buckets<T> buckets(lo, hi, std::clamp<size_t>(n / 4, 16, 4096));
  if (!buckets.usable()) return SortSelect(v, n, ranks, k, out);
  Level<T>& level = scratch->levels[depth];
  std::vector<uint32_t>& counts = level.counts;
  counts.assign(buckets.count(), 0);
  // Each value's bucket is kept for the copy below rather than computed again.
  // Pays: the bench session (native CLI, one thread, callgrind) in 1,524 M
  // instructions instead of 1,564 M.
  std::vector<uint16_t>& bucket_of = level.bucket_of;
  bucket_of.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t b = buckets.Of(v[i]);
    bucket_of[i] = static_cast<uint16_t>(b);
    ++counts[b];
  }
  GroupRanks(counts, ranks, k, &level.groups);
  const std::vector<Group>& groups = level.groups;
  // The wanted buckets' values are copied out, each bucket's together, in one
  // branch-free pass: counts[b] becomes where bucket b's next value goes, or
  // for a bucket not wanted a spare slot at the end, which stays put (a
  // wanted bucket's position reaches the end only after its last value).
  size_t gathered_size = 0;
  for (const Group& g : groups) gathered_size += g.size;
  const auto spare = static_cast<uint32_t>(gathered_size);
  std::fill(counts.begin(), counts.end(), spare);
  for (size_t g = 0, start = 0; g < groups.size(); start += groups[g++].size) {
    counts[groups[g].bucket] = static_cast<uint32_t>(start);
  }
  std::vector<T>& gathered = level.gathered;
  gathered.resize(gathered_size + 1);
  for (size_t i = 0; i < n; ++i) {
    uint32_t& next = counts[bucket_of[i]];
    gathered[next] = v[i];
    next += next != spare;
  }
  std::vector<size_t>& sub = level.sub;
  sub.assign(ranks, ranks + k);
  T* part = gathered.data();
  for (const Group& g : groups) {
    for (size_t j = g.first; j < g.first + g.count; ++j) sub[j] -= g.below;
    Select(part, g.size, sub.data() + g.first, g.count, out + g.first, depth + 1, scratch);
    part += g.size;
  }
}

}  // namespace select_internal

// Sets out[j] to v_sorted[ranks[j]] for every j < k, where v_sorted is
// v[0..n) after std::sort(v, v + n): the value of 0-based rank ranks[j] in
// ascending order. ranks must be ascending (repeats allowed) and below n, and
// no value may be NaN (operator< must order them). Reorders v[0..n). `scratch`
// holds the buffers, reused across calls (one per thread at a time).
//
// Numbers are first counted into equal-width buckets between the minimum and
// the maximum; only the buckets that hold a wanted rank are copied out and
// searched further (the same way, or by SortSelect once few). Kept because it
// pays: the bench session (40 peers x 60 min, native `callsight analyze
// --threads 1`, CPU user time, median of 5) takes 257 ms with SortSelect
// alone and 195 ms with the buckets (196 ms with the three engines they
// replace).
template <typename T>
void SelectRanks(T* v, size_t n, const size_t* ranks, size_t k, T* out, SelectScratch<T>* scratch) {
  select_internal::Select(v, n, ranks, k, out, 0, scratch);
}

// The same when the caller already knows the minimum lo and the maximum hi of
// v[0..n) (found while copying the values; numbers only): the first level
// does not look for them again. Pays a little: the bench session (native
// CLI, one thread, callgrind) in 1,564 M instructions instead of 1,579 M
// (docs/PERFORMANCE.md, 2026-12-07 night).
template <typename T>
void SelectRanksWithin(T* v, size_t n, T lo, T hi, const size_t* ranks, size_t k, T* out,
                       SelectScratch<T>* scratch) {
  if (n >= select_internal::kSortBelow) {
    return select_internal::BucketSelect(v, n, lo, hi, ranks, k, out, 0, scratch);
  }
  select_internal::SortSelect(v, n, ranks, k, out);
}

// The same with buffers of its own, for a call that is not repeated.
template <typename T>
void SelectRanks(T* v, size_t n, const size_t* ranks, size_t k, T* out) {
  SelectScratch<T> scratch;
  SelectRanks(v, n, ranks, k, out, &scratch);
}

}  // namespace callsight

#endif  // CALLSIGHT_UTIL_SELECT_H_
