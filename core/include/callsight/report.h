// Report: model + analysis -> the report (SPEC §3, schema version 1, described
// by docs/report.schema.json), as JSON or as a readable text diagnosis.
#ifndef CALLSIGHT_REPORT_H_
#define CALLSIGHT_REPORT_H_

#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/ingest.h"
#include "callsight/model.h"

namespace callsight {

inline constexpr int kReportSchemaVersion = 1;

struct ReportContext {
  const std::vector<InputReport>& inputs;
  const SessionSet& model;
  const Analysis& analysis;
  const Config& config;
};

// The JSON report. indent < 0 gives compact output. Strings from the inputs are
// written as valid UTF-8 (invalid bytes replaced); never fails.
std::string WriteJsonReport(const ReportContext& ctx, int indent = -1);

// A plain-text diagnosis for a support ticket: inputs with problems, then per
// session the overview, worst peers first, issues with times and advice.
std::string WriteTextReport(const ReportContext& ctx);

}  // namespace callsight

#endif  // CALLSIGHT_REPORT_H_
