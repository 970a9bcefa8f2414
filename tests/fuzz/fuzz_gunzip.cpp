// The CLI's gzip decompressor (core/cli/gunzip.h) on any bytes, and its round
// trip: whatever the input, Gunzip gives at most the cap or a message, and
// the input gzip-compressed by zlib decompresses back to itself.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gunzip.h"

using namespace callsight;

namespace {

// A small cap keeps each run fast; the logic is the same at 64 MiB.
constexpr size_t kCap = size_t{1} << 20;

// `data` as one gzip member, by zlib's deflate.
std::string GzipOf(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    __builtin_trap();
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) __builtin_trap();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Result<std::string> out = cli::Gunzip(bytes, kCap);
  if (out.ok() && out.value().size() > kCap) __builtin_trap();
  if (!out.ok() && out.status().message().empty()) __builtin_trap();
  if (size <= kCap) {
    const Result<std::string> back = cli::Gunzip(GzipOf(bytes), kCap);
    if (!back.ok() || back.value() != bytes) __builtin_trap();
  }
  return 0;
}
