// Config parsing, and analysis under whatever config parses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "callsight/config.h"

using namespace callsight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = ParseConfig(std::string_view(reinterpret_cast<const char*>(data), size));
  if (r.ok()) {
    auto back = ParseConfig(ConfigToJson(r.value()));
    if (!back.ok()) __builtin_trap();  // what we write we must read back
  }
  return 0;
}
