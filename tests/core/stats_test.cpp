// ComputeStats and SampleSpacingMs (core/src/analysis/stats.cpp) against a
// sort-based reference, over distributions that stress the bucket selection:
// duplicates, heavy skew, outliers, negatives, tiny and large arrays.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "callsight/analysis.h"

using namespace callsight;

namespace {

// The definition, written the slow and obvious way: sort, nearest rank.
template <typename T>
MetricStats Reference(const std::vector<T>& values, bool higher_is_worse) {
  std::vector<double> v;
  for (T x : values) {
    if (!std::isnan(x)) v.push_back(static_cast<double>(x));
  }
  MetricStats s;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  size_t rank = static_cast<size_t>(std::ceil((higher_is_worse ? 0.95 : 0.05) * n));
  s.p95 = v[std::clamp<size_t>(rank, 1, n) - 1];
  s.worst = higher_is_worse ? v.back() : v.front();
  return s;
}

template <typename T>
void CheckAgainstReference(const std::vector<T>& v) {
  for (bool hiw : {true, false}) {
    MetricStats got = ComputeStats(v, hiw);
    MetricStats want = Reference(v, hiw);
    INFO("n=" << v.size() << " higher_is_worse=" << hiw);
    REQUIRE(got.count == want.count);
    if (want.count == 0) {
      CHECK(std::isnan(got.median));
      continue;
    }
    CHECK(got.median == want.median);
    CHECK(got.p95 == want.p95);
    CHECK(got.worst == want.worst);
  }
}

}  // namespace

TEST_CASE("ComputeStats equals sorting on many distributions", "[stats]") {
  std::mt19937_64 rng(20261121);
  const size_t sizes[] = {0, 1, 2, 3, 17, 32, 33, 64, 65, 360, 361, 1000, 4096, 20000, 250001};
  for (size_t n : sizes) {
    for (int shape = 0; shape < 7; ++shape) {
      std::vector<double> d(n);
      std::uniform_real_distribution<double> u(0, 1);
      for (size_t i = 0; i < n; ++i) {
        double x = u(rng);
        switch (shape) {
          case 0:  // continuous
            d[i] = x * 5e6;
            break;
          case 1:  // few distinct values (fps-like)
            d[i] = std::floor(x * 4) + 27;
            break;
          case 2:  // mostly zero, a burst of large values (loss-like)
            d[i] = x < 0.9 ? 0 : std::round(x * 4000) / 100;
            break;
          case 3:  // one huge outlier, the rest packed tight
            d[i] = i == n / 3 ? 1e12 : 1 + x * 1e-9;
            break;
          case 4:  // negatives and missing samples
            d[i] = x < 0.2 ? std::numeric_limits<double>::quiet_NaN() : (x - 0.6) * 100;
            break;
          case 5:  // all equal
            d[i] = 42;
            break;
          default:  // exponential spread
            d[i] = std::exp(x * 40) * (x < 0.5 ? -1 : 1);
            break;
        }
      }
      CheckAgainstReference(d);
      Samples f(d.begin(), d.end());
      CheckAgainstReference(f);
    }
  }
}

TEST_CASE("ComputeStats leaves infinite ranges to the exact fallback", "[stats]") {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> v(500);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % 97);
  v[10] = inf;
  v[20] = -inf;
  CheckAgainstReference(v);
}

TEST_CASE("SampleSpacingMs is the median positive difference", "[stats]") {
  std::mt19937_64 rng(7);
  for (size_t n : {2, 3, 10, 361, 5000, 362, 5001, 100000}) {
    std::vector<int64_t> t(n);
    int64_t now = 1715000000000;
    std::uniform_int_distribution<int64_t> jitter(-150, 150);
    // Odd sizes: only jitter, so the differences span a short range (one
    // bucket per value); even sizes: repeats and long gaps as well.
    const bool gaps = n % 2 == 0;
    for (size_t i = 0; i < n; ++i) {
      // Mostly 10 s, some repeats (difference 0, not counted) and long gaps.
      const int64_t step = gaps && i % 50 == 7   ? 0
                           : gaps && i % 40 == 3 ? 95000
                                                 : 10000 + jitter(rng);
      now += step;
      t[i] = now;
    }
    std::vector<int64_t> d;
    for (size_t i = 1; i < n; ++i) {
      if (t[i] > t[i - 1]) d.push_back(t[i] - t[i - 1]);
    }
    std::sort(d.begin(), d.end());
    INFO("n=" << n);
    CHECK(SampleSpacingMs(t) == (d.empty() ? 0 : d[d.size() / 2]));
  }
  CHECK(SampleSpacingMs({5}) == 0);
  CHECK(SampleSpacingMs({5, 5, 5}) == 0);
}

TEST_CASE("ComputeStats over pooled columns equals the stats of their concatenation", "[stats]") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<float> u(0, 1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<Samples> columns(1 + rng() % 40);
    Samples all;
    for (Samples& c : columns) {
      c.resize(rng() % 3000);  // some empty
      const int shape = static_cast<int>(rng() % 3);
      for (float& x : c) {
        const float r = u(rng);
        x = r < 0.05f    ? std::numeric_limits<float>::quiet_NaN()
            : shape == 0 ? 1e6f + r * 5e5f
            : shape == 1 ? std::floor(r * 4) + 27
                         : (r < 0.9f ? 0.f : r * 40);
      }
      all.insert(all.end(), c.begin(), c.end());
    }
    std::vector<const Samples*> pool;
    for (const Samples& c : columns) pool.push_back(&c);
    for (bool hiw : {true, false}) {
      MetricStats got = ComputeStats(pool, hiw);
      MetricStats want = Reference(all, hiw);
      INFO("trial " << trial << " n=" << all.size());
      REQUIRE(got.count == want.count);
      if (want.count == 0) continue;
      CHECK(got.median == want.median);
      CHECK(got.p95 == want.p95);
      CHECK(got.worst == want.worst);
    }
  }
  CHECK(ComputeStats(std::vector<const Samples*>{}, true).count == 0);
}

TEST_CASE("ComputeStats over pooled columns: signs, zeros, infinities, NaN of either sign",
          "[stats]") {
  const float inf = std::numeric_limits<float>::infinity();
  const float neg_nan = -std::numeric_limits<float>::quiet_NaN();
  Samples a = {-0.0f, 3.5f, -inf, neg_nan, 1e-40f, -2.25f};
  Samples b = {inf, 0.0f, std::numeric_limits<float>::quiet_NaN(), -1e30f, 7.0f};
  Samples all = a;
  all.insert(all.end(), b.begin(), b.end());
  for (bool hiw : {true, false}) {
    const MetricStats got = ComputeStats(std::vector<const Samples*>{&a, &b}, hiw);
    const MetricStats want = Reference(all, hiw);
    REQUIRE(got.count == 9);
    CHECK(got.median == want.median);
    CHECK(got.p95 == want.p95);
    CHECK(got.worst == want.worst);
  }
  // Negative zero counts as zero: no "-0" in the report.
  const Samples zeros = {-0.0f, -0.0f, -0.0f};
  CHECK_FALSE(std::signbit(ComputeStats(std::vector<const Samples*>{&zeros}, true).median));
}

TEST_CASE("Analyze pools every track's samples by direction, kind and metric", "[stats]") {
  auto track = [](const char* id, Direction d, MediaKind k, std::vector<float> loss) {
    Series s;
    for (size_t i = 0; i < loss.size(); ++i) s.timestamps_ms.push_back(1700000000000 + i * 10000);
    s.column(Metric::kPacketLoss) = loss;
    return Track{id, d, k, "", {{"", s}}};
  };
  Session s;
  s.session_id = "s";
  Peer p0, p1;
  p0.peer_id = "p0";
  p1.peer_id = "p1";
  p0.tracks.push_back(track("a0", Direction::kPublisher, MediaKind::kAudio, {1, 2, 30}));
  p1.tracks.push_back(track("a1", Direction::kPublisher, MediaKind::kAudio, {4, 5}));
  p1.tracks.push_back(track("v1", Direction::kPublisher, MediaKind::kVideo, {50, 60}));
  p0.tracks.push_back(track("a1", Direction::kSubscriber, MediaKind::kAudio, {8}));
  s.peers = {p0, p1};
  SessionSet set;
  set.sessions.push_back(s);
  const auto metrics = Analyze(set, Config()).sessions.at(0).metrics;
  REQUIRE(metrics.size() == 3);
  const MetricStats& pa = metrics.at("publisher.audio.packet_loss_percent");
  CHECK(pa.count == 5);  // 1 2 4 5 30: video never mixes in
  CHECK(pa.median == 4);
  CHECK(pa.worst == 30);
  CHECK(metrics.at("publisher.video.packet_loss_percent").median == 55);
  CHECK(metrics.at("subscriber.audio.packet_loss_percent").count == 1);
}
