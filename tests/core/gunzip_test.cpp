// The native CLI's gzip decompressor (core/cli/gunzip.h), against data zlib's
// own deflate compresses and the gzipped webrtc-internals dump Chromium wrote.
#include "gunzip.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "core/test_util.h"

using callsight::Result;
using callsight::cli::Gunzip;
using callsight::cli::GunzipCap;
using callsight::cli::IsGzip;

namespace {

constexpr size_t kMiB = size_t{1} << 20;
constexpr size_t kEngineLimit = size_t{1} << 30;  // IngestOptions::max_file_bytes

// `data` as one gzip member (zlib's deflate with a gzip wrapper).
std::string GzipOf(const std::string& data, int level = 6) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// Text like an export: numbers that vary, so it does not compress to nothing.
std::string SomeJson(size_t samples) {
  std::string s = "{\"peer_id\":\"p1\",\"values\":[";
  for (size_t i = 0; i < samples; ++i) {
    s += (i ? "," : "") + std::to_string((i * 7919) % 100003);
  }
  return s + "]}";
}

std::string Message(const Result<std::string>& r) { return r.status().message(); }

}  // namespace

TEST_CASE("IsGzip tells gzip data by its first two bytes", "[gunzip]") {
  CHECK(IsGzip(std::string("\x1f\x8b", 2)));
  CHECK(IsGzip(GzipOf("{}")));
  CHECK_FALSE(IsGzip("{}"));
  CHECK_FALSE(IsGzip(std::string("\x1f", 1)));
  CHECK_FALSE(IsGzip(""));
}

TEST_CASE("the cap is the larger of 64 MiB and 200 times the size, at most the engine's",
          "[gunzip]") {
  CHECK(GunzipCap(0, kEngineLimit) == 64 * kMiB);
  CHECK(GunzipCap(1000, kEngineLimit) == 64 * kMiB);
  CHECK(GunzipCap(kMiB, kEngineLimit) == 200 * kMiB);
  CHECK(GunzipCap(10 * kMiB, kEngineLimit) == kEngineLimit);
  CHECK(GunzipCap(1000, 5000) == 5000);
  CHECK(GunzipCap(SIZE_MAX / 2, kEngineLimit) == kEngineLimit);  // no overflow
}

TEST_CASE("Gunzip gives back what zlib compressed", "[gunzip]") {
  for (size_t samples : {0, 1, 1000, 200000}) {
    INFO(samples);
    const std::string plain = SomeJson(samples);
    const Result<std::string> r = Gunzip(GzipOf(plain), 64 * kMiB);
    REQUIRE(r.ok());
    CHECK(r.value() == plain);
  }
  const Result<std::string> empty = Gunzip(GzipOf(""), 64 * kMiB);
  REQUIRE(empty.ok());
  CHECK(empty.value().empty());
}

TEST_CASE("Gunzip joins the members of a multi-member file", "[gunzip]") {
  const std::string a = SomeJson(300), b = "\n{\"second\":true}\n";
  const Result<std::string> r = Gunzip(GzipOf(a) + GzipOf("") + GzipOf(b, 9), 64 * kMiB);
  REQUIRE(r.ok());
  CHECK(r.value() == a + b);
}

TEST_CASE("Gunzip names where data is cut short, damaged or followed by other bytes", "[gunzip]") {
  const std::string gz = GzipOf(SomeJson(5000));
  SECTION("cut short") {
    const std::string cut = gz.substr(0, gz.size() / 2);
    const Result<std::string> r = Gunzip(cut, 64 * kMiB);
    REQUIRE_FALSE(r.ok());
    CHECK(Message(r) == "the gzip data ends early, at byte " + std::to_string(cut.size()) +
                            " (the file is cut short: an interrupted download?)");
  }
  SECTION("a second member cut short") {
    const std::string two = gz + gz.substr(0, 30);
    const Result<std::string> r = Gunzip(two, 64 * kMiB);
    REQUIRE_FALSE(r.ok());
    CHECK(Message(r).find("ends early, at byte " + std::to_string(two.size())) !=
          std::string::npos);
  }
  SECTION("an unknown compression method in the header") {
    std::string bad = gz;
    bad[2] = 9;  // 8 is deflate, the only one
    const Result<std::string> r = Gunzip(bad, 64 * kMiB);
    REQUIRE_FALSE(r.ok());
    CHECK(Message(r).rfind("the gzip data is damaged at byte ", 0) == 0);
    CHECK(Message(r).find("of " + std::to_string(bad.size()) + " (zlib: unknown compression") !=
          std::string::npos);
  }
  SECTION("a wrong checksum: damaged at the trailer") {
    std::string bad = gz;
    bad[bad.size() - 8] ^= 0x55;  // the CRC-32 of the trailer
    const Result<std::string> r = Gunzip(bad, 64 * kMiB);
    REQUIRE_FALSE(r.ok());
    CHECK(Message(r) == "the gzip data is damaged at byte " + std::to_string(bad.size() - 4) +
                            " of " + std::to_string(bad.size()) + " (zlib: incorrect data check)");
  }
  SECTION("bytes after the last member") {
    const Result<std::string> r = Gunzip(gz + "\n\n", 64 * kMiB);
    REQUIRE_FALSE(r.ok());
    CHECK(Message(r) == "2 bytes that are not gzip data follow the end of the gzip data at byte " +
                            std::to_string(gz.size()));
  }
}

TEST_CASE("Gunzip stops at the cap: exactly the cap is read, a byte more is refused", "[gunzip]") {
  const std::string plain(5000, 'x');
  const Result<std::string> exact = Gunzip(GzipOf(plain), 5000);
  REQUIRE(exact.ok());
  CHECK(exact.value() == plain);
  const Result<std::string> over = Gunzip(GzipOf(plain + "y"), 5000);
  REQUIRE_FALSE(over.ok());
  CHECK(Message(over).rfind("the gzip data expands to more than 5000 bytes, the most callsight "
                            "decompresses from a file of ",
                            0) == 0);
}

TEST_CASE("a zip bomb is refused at 64 MiB, quickly", "[gunzip]") {
  const std::string bomb = GzipOf(std::string(256 * kMiB, '\0'), 9);
  REQUIRE(bomb.size() < 300 * 1024);  // 256 MiB of zeros: about 256 kB
  const auto start = std::chrono::steady_clock::now();
  const Result<std::string> r = Gunzip(bomb, GunzipCap(bomb.size(), kEngineLimit));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(r.ok());
  CHECK(Message(r).find("more than 64 MiB (67108864 bytes)") != std::string::npos);
  CHECK(Message(r).find("the larger of 64 MiB (67108864 bytes) and 200 times") !=
        std::string::npos);
  CHECK(seconds < 5);  // about 0.1 s: it stops at the cap, it does not inflate 256 MiB
}

TEST_CASE("Gunzip reads the webrtc-internals dump Chromium saved gzip-compressed",
          "[gunzip][real]") {
  const std::string gz = callsight::testing::ReadFile(std::string(CALLSIGHT_REAL_DIR) +
                                                      "/rtcstats-rtcstats/internals-gumonly.gz");
  REQUIRE(IsGzip(gz));
  const Result<std::string> r = Gunzip(gz, GunzipCap(gz.size(), kEngineLimit));
  REQUIRE(r.ok());
  CHECK(r.value().size() == 896);  // as `zcat internals-gumonly.gz | wc -c` counts
  CHECK(r.value().find("\"getUserMedia\"") != std::string::npos);
}
