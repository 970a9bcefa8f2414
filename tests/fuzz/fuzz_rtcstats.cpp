// The rtcstats dump reader (both layouts) on any bytes: detection, then a read
// whose result, when it succeeds, must keep stats_dump.h's invariants; a
// second read in runs of a few lines (the way threads split a dump) must give
// the same dump and messages.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "../core/stats_dump_digest.h"
#include "ingest/rtcstats_reader.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ingest::LooksLikeRtcstatsDump(bytes);
  ingest::StatsDump dump;
  std::vector<InputMessage> messages;
  const bool ok = ingest::ReadRtcstatsDump(bytes, ingest::DumpReadOptions(), &dump, &messages);
  {
    ingest::StatsDump runs;
    std::vector<InputMessage> runs_messages;
    const ingest::DumpReadOptions small{32, 1, 1 + size % 97};
    if (ingest::ReadRtcstatsDump(bytes, small, &runs, &runs_messages) != ok) abort();
    if (testing::DumpDigest(runs, runs_messages) != testing::DumpDigest(dump, messages)) abort();
  }
  if (!ok) {
    if (messages.empty()) abort();  // a refusal always says why
    return 0;
  }
  for (size_t i = 1; i < dump.events.size(); ++i) {
    if (dump.events[i].time_ms < dump.events[i - 1].time_ms) abort();
  }
  for (const auto& c : dump.connections) {
    for (const auto& o : c.stats) {
      if (!std::is_sorted(o.times_ms.begin(), o.times_ms.end())) abort();
      for (const auto& p : o.properties) {
        if (p.numbers.size() != o.times_ms.size()) abort();
        if (!p.texts.empty() && p.texts.size() != o.times_ms.size()) abort();
      }
    }
  }
  return 0;
}
