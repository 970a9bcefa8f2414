// Test helper: the report that WriteJsonReportParts (or Engine::WriteReportParts)
// sends, put together as its documented reader does.
#ifndef CALLSIGHT_TESTS_CORE_REPORT_PARTS_H_
#define CALLSIGHT_TESTS_CORE_REPORT_PARTS_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "callsight/report.h"
#include "callsight/status.h"

namespace callsight::testing {

struct AssembledReport {
  nlohmann::ordered_json report;  // keys in the order written
  struct Part {
    int session;
    std::string list;
    size_t elements;  // 0 for the head
  };
  std::vector<Part> parts;
};

// Calls write(sink), parses the head, and appends every later part's
// elements to its session's list. Throws when a part is not as documented.
inline AssembledReport AssembleReportParts(
    const std::function<Status(const ReportPartSink&)>& write) {
  AssembledReport out;
  const Status status = write([&out](const ReportPart& part) {
    nlohmann::ordered_json value = nlohmann::ordered_json::parse(part.json);
    if (part.session < 0) {
      if (!out.parts.empty()) throw std::runtime_error("a second head");
      out.report = std::move(value);
      out.parts.push_back({-1, "", 0});
      return;
    }
    if (out.parts.empty()) throw std::runtime_error("a list part before the head");
    if (!value.is_array()) throw std::runtime_error("a list part that is not an array");
    nlohmann::ordered_json& list = out.report.at("sessions").at(part.session).at(part.list);
    for (auto& element : value) list.push_back(std::move(element));
    out.parts.push_back({part.session, part.list, value.size()});
  });
  if (!status.ok()) throw std::runtime_error(status.message());
  return out;
}

}  // namespace callsight::testing

#endif  // CALLSIGHT_TESTS_CORE_REPORT_PARTS_H_
