#include "gunzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <new>
#include <string>

namespace callsight {
namespace cli {
namespace {

// What zlib is given per call (its counts are 32-bit).
constexpr size_t kChunk = size_t{1} << 30;

// "1234 bytes", or "64 MiB (67108864 bytes)" from one MiB up.
std::string Bytes(size_t n) {
  const std::string exact = std::to_string(n) + (n == 1 ? " byte" : " bytes");
  if (n < (size_t{1} << 20)) return exact;
  char unit[32];
  if (n >= (size_t{1} << 30)) {
    std::snprintf(unit, sizeof unit, "%.4g GiB", n / 1073741824.0);
  } else {
    std::snprintf(unit, sizeof unit, "%.4g MiB", n / 1048576.0);
  }
  return std::string(unit) + " (" + exact + ")";
}

Status Damaged(size_t offset, size_t size, const char* what) {
  return Status::InvalidArgument("the gzip data is damaged at byte " + std::to_string(offset) +
                                 " of " + std::to_string(size) +
                                 " (zlib: " + (what ? what : "invalid data") + ")");
}

Status TooLarge(size_t compressed, size_t cap) {
  return Status::InvalidArgument(
      "the gzip data expands to more than " + Bytes(cap) +
      ", the most callsight decompresses from a file of " + Bytes(compressed) + " (the larger of " +
      Bytes(kGunzipFloorBytes) + " and " + std::to_string(kGunzipRatio) +
      " times the compressed size, and never more than the largest file the engine reads)");
}

// Ends the inflate stream however Gunzip returns.
class InflateStream {
 public:
  InflateStream() { init_ = inflateInit2(&zs_, 16 + MAX_WBITS); }  // gzip only
  ~InflateStream() {
    if (init_ == Z_OK) inflateEnd(&zs_);
  }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
  int init() const { return init_; }
  z_stream* get() { return &zs_; }

 private:
  z_stream zs_{};
  int init_;
};

}  // namespace

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

size_t GunzipCap(size_t compressed_bytes, size_t max_file_bytes) {
  const size_t scaled =
      compressed_bytes > SIZE_MAX / kGunzipRatio ? SIZE_MAX : compressed_bytes * kGunzipRatio;
  return std::min(std::max(kGunzipFloorBytes, scaled), max_file_bytes);
}

Result<std::string> Gunzip(std::string_view compressed, size_t cap) {
  InflateStream stream;
  if (stream.init() != Z_OK) return Status::Internal("out of memory starting zlib");
  z_stream& zs = *stream.get();
  const auto* begin = reinterpret_cast<const Bytef*>(compressed.data());
  const auto* end = begin + compressed.size();
  zs.next_in = const_cast<Bytef*>(begin);
  std::string out;
  size_t produced = 0;
  try {
    out.resize(std::min(cap, std::max(compressed.size() * 4, size_t{1} << 16)));
    for (;;) {
      if (zs.avail_in == 0)
        zs.avail_in = static_cast<uInt>(std::min<size_t>(end - zs.next_in, kChunk));
      // At the cap, one byte more of output means the data is too large.
      unsigned char probe = 0;
      const bool probing = produced == out.size() && out.size() >= cap;
      if (produced == out.size() && !probing) out.resize(std::min(cap, out.size() * 2));
      zs.next_out = probing ? &probe : reinterpret_cast<Bytef*>(&out[produced]);
      zs.avail_out = probing ? 1 : static_cast<uInt>(std::min(out.size() - produced, kChunk));
      const uInt room = zs.avail_out;
      const int rc = inflate(&zs, Z_NO_FLUSH);
      const size_t made = room - zs.avail_out;
      if (probing && made > 0) return TooLarge(compressed.size(), cap);
      produced += probing ? 0 : made;
      const size_t offset = static_cast<size_t>(zs.next_in - begin);
      if (rc == Z_STREAM_END) {
        if (zs.next_in == end) break;
        if (!IsGzip(std::string_view(compressed).substr(offset))) {
          return Status::InvalidArgument(
              std::to_string(compressed.size() - offset) +
              " bytes that are not gzip data follow the end of the gzip data at byte " +
              std::to_string(offset));
        }
        inflateReset(&zs);  // the next member
        continue;
      }
      if (rc == Z_OK) continue;
      if (rc == Z_BUF_ERROR && zs.next_in == end) {
        return Status::InvalidArgument("the gzip data ends early, at byte " +
                                       std::to_string(offset) +
                                       " (the file is cut short: an interrupted download?)");
      }
      if (rc == Z_BUF_ERROR) continue;  // no room: the next round makes some
      if (rc == Z_MEM_ERROR) return Status::Internal("out of memory decompressing gzip data");
      return Damaged(offset, compressed.size(), zs.msg);
    }
    out.resize(produced);
    out.shrink_to_fit();
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory decompressing gzip data (" + Bytes(produced) +
                            " so far)");
  }
  return out;
}

}  // namespace cli
}  // namespace callsight
