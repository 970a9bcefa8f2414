// The whole pipeline on one file: ingest, merge, analysis, both reports.
#include <cstddef>
#include <cstdint>
#include <string>

#include "callsight/engine.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Engine engine;
  engine.AddFile({"fuzz.json", std::string_view(reinterpret_cast<const char*>(data), size)});
  engine.Run(Config());
  std::string json = engine.ReportJson();
  std::string text = engine.ReportText();
  if (json.empty() || text.empty()) __builtin_trap();
  return 0;
}
