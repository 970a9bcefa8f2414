// The short label of every issue code and metric: the one table the reports
// (issue titles, the JSON report's and the fleet summary's "labels") and the
// page take a code's words from (docs/REPORT.md, "labels").
#ifndef CALLSIGHT_REPORT_LABELS_H_
#define CALLSIGHT_REPORT_LABELS_H_

#include "callsight/analysis.h"
#include "callsight/model.h"
#include "json/json_writer.h"

namespace callsight::report {

// "High round-trip time" for kHighRtt; "" only for a value beyond the enum.
const char* IssueCodeLabel(IssueCode code);
// A model series' label ("Round-trip time" for kRtt); "" beyond the enum.
const char* MetricLabel(Metric metric);
// A breach or chart metric named as a model series has that series' label;
// the derived ones (video_bitrate_total, mos, ...) their own; "" beyond the enum.
const char* BreachMetricLabel(BreachMetric metric);
const char* ChartMetricLabel(ChartMetric metric);

// Writes the "labels" object: {"issue_codes": {code: label} for every
// IssueCode, "metrics": {name: label} for every model series, breach metric
// and chart metric name, each name once}, in enum order.
void LabelsJson(json::JsonWriter& w);

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_LABELS_H_
