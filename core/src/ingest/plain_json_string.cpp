#include "ingest/plain_json_string.h"

#include "util/byte_scan.h"

namespace callsight::ingest {

size_t PlainJsonStringLength(std::string_view in, bool allow_escaped_quotes) {
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
