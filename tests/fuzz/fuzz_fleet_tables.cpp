// The fleet tables' reader and the fleet summary (core/src/fleet/): any text
// as each of the five tables. What reads must write back as it read, and the
// summary of what reads must be written as JSON and as text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "callsight/fleet.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (int t = 0; t < kFleetTableCount; ++t) {
    const auto table = static_cast<FleetTable>(t);
    auto rows = ReadTableRows(table, text, FleetTableName(table));
    if (rows.ok()) {
      auto again = ReadTableRows(table, TableText(rows.value()), FleetTableName(table));
      if (!again.ok() || TableText(again.value()) != TableText(rows.value())) __builtin_trap();
    }
    std::array<std::string, kFleetTableCount> tables;
    tables[t] = text;
    auto summary = SummarizeFleet(tables);
    if (summary.ok()) {
      (void)FleetSummaryJson(summary.value());
      (void)FleetSummaryText(summary.value());
    } else if (summary.status().message().empty()) {
      __builtin_trap();  // a refusal says why
    }
  }
  return 0;
}
