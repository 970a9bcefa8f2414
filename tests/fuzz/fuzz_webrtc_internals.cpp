// The chrome://webrtc-internals dump reader: detection and reading of any
// bytes; a result that breaks stats_dump.h's invariants is a crash too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ingest/webrtc_internals_reader.h"

using namespace callsight;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckInvariants(const ingest::StatsDump& d) {
  for (size_t i = 1; i < d.connections.size(); ++i) {
    Check(d.connections[i - 1].id < d.connections[i].id);
  }
  for (const auto& c : d.connections) {
    for (size_t i = 1; i < c.stats.size(); ++i) Check(c.stats[i - 1].id < c.stats[i].id);
    for (const auto& o : c.stats) {
      for (size_t i = 1; i < o.times_ms.size(); ++i) Check(o.times_ms[i - 1] <= o.times_ms[i]);
      for (const auto& p : o.properties) {
        Check(p.numbers.size() == o.times_ms.size());
        Check(p.texts.empty() || p.texts.size() == o.times_ms.size());
      }
    }
  }
  for (size_t i = 1; i < d.events.size(); ++i)
    Check(d.events[i - 1].time_ms <= d.events[i].time_ms);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ingest::LooksLikeWebrtcInternalsDump(bytes, 32);
  ingest::StatsDump dump;
  std::vector<InputMessage> messages;
  const bool ok =
      ingest::ReadWebrtcInternalsDump(bytes, ingest::DumpReadOptions(), &dump, &messages);
  Check(ok || !messages.empty());
  if (ok) CheckInvariants(dump);
  return 0;
}
