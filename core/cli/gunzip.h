// Decompresses gzip files for the native CLI, with the system's zlib (Debian's
// zlib1g). The engine reads plain bytes only (core/include/callsight/ingest.h,
// InputFile::compression); this module is not part of the core library, which
// the WebAssembly builds share: the npm package decompresses in JavaScript.
#ifndef CALLSIGHT_CLI_GUNZIP_H_
#define CALLSIGHT_CLI_GUNZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "callsight/status.h"

namespace callsight {
namespace cli {

// Whether `bytes` start as gzip data does (the magic bytes 1f 8b).
bool IsGzip(std::string_view bytes);

// The most a compressed file of `compressed_bytes` may expand to: the larger
// of 64 MiB and 200 times its size (text compresses about 10 to 30 times, so
// only a crafted file goes past it), never over `max_file_bytes` (the largest
// file the engine reads).
constexpr size_t kGunzipFloorBytes = size_t{64} << 20;
constexpr size_t kGunzipRatio = 200;
size_t GunzipCap(size_t compressed_bytes, size_t max_file_bytes);

// Decompresses every gzip member of `compressed` (members written one after
// another, as `cat a.gz b.gz` makes, give their contents one after another).
// InvalidArgument with one sentence when the data is damaged or cut short
// (naming the compressed byte where zlib noticed it), is followed by bytes
// that are not gzip, or expands to more than `cap` bytes (decompression stops
// there, so a small crafted file costs at most `cap` bytes and little time);
// Internal when memory runs out.
Result<std::string> Gunzip(std::string_view compressed, size_t cap);

}  // namespace cli
}  // namespace callsight

#endif  // CALLSIGHT_CLI_GUNZIP_H_
