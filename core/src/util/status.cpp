#include "callsight/status.h"

#include <cstddef>

namespace callsight {

namespace {

struct CodeNames {
  const char* id;     // CodeId
  const char* label;  // ToString
};

// One row per Status::Code, in its order.
constexpr CodeNames kCodeNames[] = {
    {"ok", "OK"},
    {"invalid_argument", "Invalid argument"},
    {"not_found", "Not found"},
    {"internal", "Internal"},
};
static_assert(sizeof kCodeNames / sizeof kCodeNames[0] ==
                  static_cast<size_t>(Status::Code::kInternal) + 1,
              "a name for every Status::Code");

const CodeNames& NamesOf(Status::Code code) { return kCodeNames[static_cast<int>(code)]; }

}  // namespace

const char* Status::CodeId(Code code) { return NamesOf(code).id; }

std::string Status::ToString() const {
  if (ok()) return NamesOf(code_).label;
  return std::string(NamesOf(code_).label) + ": " + message_;
}

}  // namespace callsight
