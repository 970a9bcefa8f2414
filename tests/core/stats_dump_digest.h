// A StatsDump and its reader's messages as one text, every field in order
// (NaN written as "nan"): two reads are the same read when their digests are
// equal. The dump readers' tests read each input on one thread and on several
// with small tasks and compare the digests.
#ifndef CALLSIGHT_TESTS_CORE_STATS_DUMP_DIGEST_H_
#define CALLSIGHT_TESTS_CORE_STATS_DUMP_DIGEST_H_

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "callsight/ingest.h"
#include "ingest/stats_dump.h"

namespace callsight::testing {

inline std::string DigestNumber(double v) {
  if (std::isnan(v)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

inline std::string DumpDigest(const ingest::StatsDump& d,
                              const std::vector<InputMessage>& messages) {
  std::string out = std::string(ingest::DumpKindName(d.kind)) + "|" +
                    ingest::StatsFormatName(d.format) + "|" + d.user_agent + "|" + d.url + "|" +
                    d.client_id + "|" + std::to_string(d.start_ms) + "|" +
                    (d.truncated ? "truncated" : "") + "\n";
  for (const ingest::DumpConnection& c : d.connections) {
    out += "connection " + c.id + "|" + c.configuration + "|" + c.constraints + "\n";
    for (const ingest::StatObject& o : c.stats) {
      out += " object " + o.id + "|" + o.type + "|";
      for (int64_t t : o.times_ms) out += std::to_string(t) + ",";
      out += "\n";
      for (const ingest::StatProperty& p : o.properties) {
        out += "  " + p.name + ":";
        for (double v : p.numbers) out += DigestNumber(v) + ",";
        out += "|";
        for (size_t i = 0; i < p.texts.size(); ++i) out += std::string(p.texts[i]) + "\x1f";
        out += "\n";
      }
    }
  }
  for (const ingest::DumpEvent& e : d.events) {
    out += "event " + std::to_string(e.time_ms) + "|" + e.connection_id + "|" +
           ingest::DumpEventKindName(e.kind) + "|" + e.method + "|" + e.value + "|" +
           (e.display ? "display" : "") + "\n";
  }
  for (const InputMessage& m : messages) {
    out += "message " + std::to_string(static_cast<int>(m.level)) + "|" + std::to_string(m.line) +
           "|" + m.pointer + "|" + m.text + "\n";
  }
  return out;
}

}  // namespace callsight::testing

#endif  // CALLSIGHT_TESTS_CORE_STATS_DUMP_DIGEST_H_
