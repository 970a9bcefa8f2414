// A fast look at the JSON strings browser dumps are made of: most hold
// printable ASCII only (numbers written as text, ids, codecs, base64), which
// sixteen bytes at a time (util/byte_scan.h) can tell apart from the rest
// without decoding byte by byte. The dump readers use it to pass such strings with the JSON
// cursor's SkipIfSame instead of its per-byte string scan.
#ifndef CALLSIGHT_INGEST_PLAIN_JSON_STRING_H_
#define CALLSIGHT_INGEST_PLAIN_JSON_STRING_H_

#include <cstddef>
#include <string_view>

#include "util/byte_scan.h"

namespace callsight::ingest {

// The length, both quotes included, of the JSON string `in` starts with
// (in[0] must be '"') when its content is printable ASCII (0x20-0x7f) with no
// escape but, when allow_escaped_quotes, \" (as Chrome quotes ids and states
// inside a webrtc-internals `values` string). 0 for any other string (another
// escape, a control byte, a byte >= 0x80) and when no closing quote follows:
// those need a full JSON scan. A string it measures is valid JSON whose
// decoded text is its content (with \" read as ").
// Inline: the rtcstats reader measures every member name and string of a
// dump with it.
inline size_t PlainJsonStringLength(std::string_view in, bool allow_escaped_quotes) {
  if (in.empty() || in.front() != '"') return 0;
  size_t i = 1;
  while (true) {
    i = FindStringStop(in, i);
    if (i >= in.size()) return 0;
    if (in[i] == '"') return i + 1;
    // A control byte, a byte >= 0x80, or an escape other than an allowed \".
    if (in[i] != '\\' || !allow_escaped_quotes || i + 1 >= in.size() || in[i + 1] != '"') {
      return 0;
    }
    i += 2;
  }
}

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_PLAIN_JSON_STRING_H_
