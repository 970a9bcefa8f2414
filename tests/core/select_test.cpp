// SelectRanks and SelectRanksWithin (core/src/util/select.h) are specified by
// sorting: the value of rank r is what std::sort puts at index r. Compared
// here on random and adversarial inputs, one rank or several at once.
#include "util/select.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace callsight;

namespace {

// The definition: sort a copy, read the ranks.
template <typename T>
std::vector<T> ByRanksSorted(std::vector<T> v, const std::vector<size_t>& ranks) {
  std::sort(v.begin(), v.end());
  std::vector<T> out;
  for (size_t r : ranks) out.push_back(v[r]);
  return out;
}

template <typename T>
void CheckRanks(const std::vector<T>& values, const std::vector<size_t>& ranks) {
  std::vector<T> v = values;
  std::vector<T> got(ranks.size());
  SelectRanks(v.data(), v.size(), ranks.data(), ranks.size(), got.data());
  INFO("n=" << values.size() << " ranks=" << ranks.size() << " first rank=" << ranks.front());
  CHECK(got == ByRanksSorted(values, ranks));
  // Only reordered: the same values remain.
  std::vector<T> a = values, b = v;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
  // The same when the caller gives the minimum and the maximum.
  std::vector<T> w = values;
  std::vector<T> within(ranks.size());
  const auto [lo, hi] = std::minmax_element(w.begin(), w.end());
  SelectScratch<T> scratch;
  SelectRanksWithin(w.data(), w.size(), *lo, *hi, ranks.data(), ranks.size(), within.data(),
                    &scratch);
  CHECK(within == got);
}

// Ascending ranks below n: every rank, the statistics' usual four, random
// sets (with repeats and neighbours), both ends.
std::vector<std::vector<size_t>> RankSets(size_t n, std::mt19937_64& rng) {
  std::vector<std::vector<size_t>> sets;
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  if (n <= 64) sets.push_back(all);
  const size_t lo = n % 2 ? n / 2 : n / 2 - 1;
  std::vector<size_t> usual = {0, lo, n / 2, n - 1 - n / 20};
  std::sort(usual.begin(), usual.end());
  sets.push_back(usual);
  sets.push_back({0});
  sets.push_back({n - 1});
  sets.push_back({n / 2, n / 2});
  for (int k = 0; k < 4; ++k) {
    std::vector<size_t> r(1 + rng() % 6);
    for (size_t& x : r) x = rng() % n;
    if (k % 2) r.push_back(std::min(n - 1, r[0] + 1));  // a neighbour of a rank
    std::sort(r.begin(), r.end());
    sets.push_back(r);
  }
  return sets;
}

// Values of shape `shape` drawn with rng: random, few distinct, all equal,
// sorted, reversed, organ pipe, a few outliers.
template <typename T>
std::vector<T> Shaped(size_t n, int shape, std::mt19937_64& rng) {
  std::vector<T> v(n);
  std::uniform_int_distribution<int64_t> wide(-1000000000000LL, 1000000000000LL);
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<T>(wide(rng));
    switch (shape) {
      case 0:
        v[i] = x;
        break;
      case 1:
        v[i] = static_cast<T>(rng() % 4);
        break;
      case 2:
        v[i] = static_cast<T>(42);
        break;
      case 3:
        v[i] = static_cast<T>(i);
        break;
      case 4:
        v[i] = static_cast<T>(n - i);
        break;
      case 5:
        v[i] = static_cast<T>(i < n / 2 ? i : n - i);
        break;
      default:
        v[i] = i % 97 == 0 ? x : static_cast<T>(rng() % 1000);
        break;
    }
  }
  return v;
}

template <typename T>
void CheckShapes(uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t n : {1, 2, 3, 4, 5, 16, 31, 32, 33, 100, 361, 1000, 4097, 50001}) {
    for (int shape = 0; shape < 7; ++shape) {
      const std::vector<T> v = Shaped<T>(n, shape, rng);
      for (const auto& ranks : RankSets(n, rng)) CheckRanks(v, ranks);
    }
  }
}

}  // namespace

TEST_CASE("SelectRanks equals sorting: floats", "[select]") { CheckShapes<float>(1); }

TEST_CASE("SelectRanks equals sorting: doubles", "[select]") { CheckShapes<double>(2); }

TEST_CASE("SelectRanks equals sorting: int64", "[select]") { CheckShapes<int64_t>(3); }

TEST_CASE("SelectRanks takes infinities and extreme values", "[select]") {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> v = {inf,   -inf, 0.f,  -1e30f, 1e30f, 1e-40f,
                                -0.5f, 7.f,  -inf, 3.f,    inf,   0.f};
  std::vector<size_t> every(v.size());
  for (size_t i = 0; i < v.size(); ++i) every[i] = i;
  CheckRanks(v, every);
  CheckRanks(v, {0, 5, 6, 11});
  const std::vector<int64_t> w = {std::numeric_limits<int64_t>::max(),
                                  std::numeric_limits<int64_t>::min(), 0, -1, 1};
  CheckRanks(w, {0, 1, 2, 3, 4});
}

TEST_CASE("SelectRanks returns each rank's value, in the order of the ranks", "[select]") {
  std::vector<int> v = {50, 10, 40, 20, 30};
  const size_t ranks[] = {0, 2, 2, 4};
  int out[4];
  SelectRanks(v.data(), v.size(), ranks, 4, out);
  CHECK(out[0] == 10);
  CHECK(out[1] == 30);
  CHECK(out[2] == 30);
  CHECK(out[3] == 50);
}
