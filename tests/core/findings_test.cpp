// The name tables of the typed findings (core/src/analysis/findings.cpp) and
// the lists of the same names in docs/REPORT.md, docs/report.schema.json,
// wasm/types/index.d.ts and web/src/report.js: one list, checked here.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "callsight/analysis.h"
#include "report/labels.h"

using namespace callsight;

namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(CALLSIGHT_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> MetricNames() {
  std::set<std::string> names;
  for (int i = 0; i < kBreachMetricCount; ++i) {
    names.insert(BreachMetricName(static_cast<BreachMetric>(i)));
  }
  return names;
}

std::set<std::string> CodeNames() {
  std::set<std::string> names;
  for (int i = 0; i < kIssueCodeCount; ++i) names.insert(IssueCodeName(static_cast<IssueCode>(i)));
  return names;
}

std::set<std::string> SeriesNames() {
  std::set<std::string> names;
  for (int i = 0; i < kMetricCount; ++i) names.insert(MetricName(static_cast<Metric>(i)));
  return names;
}

// Every series, breach and chart metric name, each once.
std::set<std::string> AllMetricNames() {
  std::set<std::string> names = SeriesNames();
  for (const std::string& name : MetricNames()) names.insert(name);
  for (int i = 0; i < kChartMetricCount; ++i) {
    names.insert(ChartMetricName(static_cast<ChartMetric>(i)));
  }
  return names;
}

// Every match of `pattern`'s first group in `text`.
std::set<std::string> Matches(const std::string& text, const std::string& pattern) {
  std::set<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

// The text from `start` to the next `end` (empty when `start` is missing).
std::string Between(const std::string& text, const std::string& start, const std::string& end) {
  const size_t a = text.find(start);
  if (a == std::string::npos) return "";
  const size_t from = a + start.size();
  const size_t b = text.find(end, from);
  return text.substr(from, b == std::string::npos ? std::string::npos : b - from);
}

}  // namespace

TEST_CASE("findings: every breach metric and issue code has one name that reads back",
          "[findings]") {
  CHECK(MetricNames().size() == static_cast<size_t>(kBreachMetricCount));
  CHECK(CodeNames().size() == static_cast<size_t>(kIssueCodeCount));
  for (int i = 0; i < kBreachMetricCount; ++i) {
    const auto m = static_cast<BreachMetric>(i);
    CHECK(BreachMetricFromName(BreachMetricName(m)) == m);
  }
  for (int i = 0; i < kIssueCodeCount; ++i) {
    const auto c = static_cast<IssueCode>(i);
    CHECK(IssueCodeFromName(IssueCodeName(c)) == c);
  }
  CHECK_FALSE(BreachMetricFromName("freeze_rate"));  // documented once, never emitted
  CHECK_FALSE(IssueCodeFromName("unknown"));
  CHECK(IssueCodeOf(BreachMetric::kFreezeCount) == IssueCode::kVideoFreeze);
  CHECK(IssueCodeOf(BreachMetric::kLayerOff) == IssueCode::kSimulcastLayerOff);
  CHECK(HigherIsWorse(BreachMetric::kPacketLoss));
  CHECK_FALSE(HigherIsWorse(BreachMetric::kMos));
}

TEST_CASE("findings: docs/REPORT.md lists the core's metrics and codes", "[findings]") {
  const std::string md = ReadSource("docs/REPORT.md");
  const std::string metric_row = Between(md, "| `metric` | string |", "\n");
  const std::string code_row = Between(md, "| `code` | string |", "\n");
  // The metric row explains some names again in parentheses; the set is what counts.
  CHECK(Matches(metric_row, "`([a-z0-9_]+)`") == MetricNames());
  CHECK(Matches(code_row, "`([a-z0-9_]+)`") == CodeNames());
}

TEST_CASE("findings: docs/report.schema.json enumerates the core's metrics and codes",
          "[findings]") {
  const auto schema = nlohmann::json::parse(ReadSource("docs/report.schema.json"));
  const auto& defs = schema.at("definitions");
  CHECK(defs.at("breach_metric").at("enum").get<std::set<std::string>>() == MetricNames());
  CHECK(defs.at("breach_metric").at("enum").size() == static_cast<size_t>(kBreachMetricCount));
  CHECK(defs.at("issue_code").at("enum").get<std::set<std::string>>() == CodeNames());
  CHECK(defs.at("issue_code").at("enum").size() == static_cast<size_t>(kIssueCodeCount));
}

TEST_CASE("findings: wasm/types/index.d.ts types the core's metrics and codes", "[findings]") {
  const std::string dts = ReadSource("wasm/types/index.d.ts");
  CHECK(Matches(Between(dts, "export type BreachMetric =", ";"), "'([a-z0-9_]+)'") ==
        MetricNames());
  CHECK(Matches(Between(dts, "export type IssueCode =", ";"), "'([a-z0-9_]+)'") == CodeNames());
}

TEST_CASE("findings: chart metrics are the model's series and the MOS, listed in the docs",
          "[findings]") {
  std::set<std::string> names;
  for (int i = 0; i < kChartMetricCount; ++i)
    names.insert(ChartMetricName(static_cast<ChartMetric>(i)));
  CHECK(names.size() == static_cast<size_t>(kChartMetricCount));
  // The first ones are the model's series, in Metric order (up to the
  // concealed samples, charted as the concealment in %: the dump-only series
  // are not charted); the last the MOS.
  const int charted = static_cast<int>(Metric::kConcealedSamples) + 1;
  for (int i = 0; i + 1 < charted; ++i) {
    CHECK(std::string(ChartMetricName(static_cast<ChartMetric>(i))) ==
          MetricName(static_cast<Metric>(i)));
  }
  CHECK(std::string(ChartMetricName(ChartMetric::kConcealmentPercent)) == "concealment_percent");
  CHECK(BreachMetricFromName("concealment_percent") == BreachMetric::kConcealment);
  CHECK(std::string(ChartMetricName(ChartMetric::kMos)) == "mos");
  CHECK(kChartMetricCount == charted + 1);

  const auto schema = nlohmann::json::parse(ReadSource("docs/report.schema.json"));
  CHECK(schema.at("definitions").at("chart_metric").at("enum").get<std::set<std::string>>() ==
        names);
  const std::string dts = ReadSource("wasm/types/index.d.ts");
  CHECK(Matches(Between(dts, "export type ChartMetric =", ";"), "'([a-z0-9_]+)'") == names);
  const std::string md = ReadSource("docs/REPORT.md");
  const std::string rules = Between(md, "### `charts[]`", "### `inputs[]`");
  CHECK(Matches(Between(rules, "| `metric` | enum |", "\n"), "`([a-z0-9_]+)`") == names);
  // The page labels and formats every one (web/src/format.js METRICS).
  const std::string format =
      Between(ReadSource("web/src/format.js"), "export const METRICS = {", "};");
  REQUIRE_FALSE(format.empty());
  for (const std::string& name : names) {
    INFO(name);
    CHECK(format.find("\n  " + name + ": {") != std::string::npos);
  }
}

TEST_CASE("findings: the page keeps no threshold or breach-metric table of its own", "[findings]") {
  // Which threshold and which breaches go on which chart is the report's
  // (tracks[].charts): the page reads them.
  const std::string js = ReadSource("web/src/report.js");
  CHECK(js.find("BREACH_METRICS") == std::string::npos);
  CHECK(js.find("thresholdsFor") == std::string::npos);
  CHECK(js.find("breach_metrics") != std::string::npos);
}

TEST_CASE("findings: every issue code and metric has one label of its own", "[findings]") {
  std::set<std::string> code_labels;
  for (int i = 0; i < kIssueCodeCount; ++i) {
    const std::string label = report::IssueCodeLabel(static_cast<IssueCode>(i));
    INFO(IssueCodeName(static_cast<IssueCode>(i)));
    CHECK_FALSE(label.empty());
    CHECK(label != IssueCodeName(static_cast<IssueCode>(i)));  // words, not the code
    code_labels.insert(label);
  }
  CHECK(code_labels.size() == static_cast<size_t>(kIssueCodeCount));  // no two alike
  CHECK(std::string(report::IssueCodeLabel(IssueCode::kHighRtt)) == "High round-trip time");
  CHECK(std::string(report::IssueCodeLabel(IssueCode::kSignalingError)) == "Signaling error");
  CHECK(std::string(report::IssueCodeLabel(static_cast<IssueCode>(kIssueCodeCount))).empty());

  std::set<std::string> metric_labels;
  for (int i = 0; i < kMetricCount; ++i) {
    INFO(MetricName(static_cast<Metric>(i)));
    CHECK_FALSE(std::string(report::MetricLabel(static_cast<Metric>(i))).empty());
  }
  for (int i = 0; i < kBreachMetricCount; ++i) {
    const std::string label = report::BreachMetricLabel(static_cast<BreachMetric>(i));
    INFO(BreachMetricName(static_cast<BreachMetric>(i)));
    CHECK_FALSE(label.empty());
    metric_labels.insert(label);
  }
  CHECK(metric_labels.size() == static_cast<size_t>(kBreachMetricCount));
  CHECK(std::string(report::BreachMetricLabel(BreachMetric::kRtt)) == "Round-trip time");
  for (int i = 0; i < kChartMetricCount; ++i) {
    const auto m = static_cast<ChartMetric>(i);
    INFO(ChartMetricName(m));
    CHECK_FALSE(std::string(report::ChartMetricLabel(m)).empty());
    // A name shared with a breach metric reads the same on a chart and in a breach.
    if (const auto same = BreachMetricFromName(ChartMetricName(m))) {
      CHECK(std::string(report::ChartMetricLabel(m)) == report::BreachMetricLabel(*same));
    }
  }
}

TEST_CASE("findings: the labels table has exactly the codes and metrics, with their labels",
          "[findings]") {
  json::JsonWriter w(-1);
  report::LabelsJson(w);
  const auto labels = nlohmann::json::parse(w.Take());
  std::set<std::string> codes, metrics;
  for (const auto& [code, label] : labels.at("issue_codes").items()) {
    codes.insert(code);
    const auto c = IssueCodeFromName(code);
    REQUIRE(c);
    CHECK(label == report::IssueCodeLabel(*c));
  }
  CHECK(codes == CodeNames());
  for (const auto& [name, label] : labels.at("metrics").items()) {
    metrics.insert(name);
    CHECK(label.is_string());
    if (const auto m = BreachMetricFromName(name)) CHECK(label == report::BreachMetricLabel(*m));
    if (const auto m = MetricFromName(name)) CHECK(label == report::MetricLabel(*m));
  }
  CHECK(metrics == AllMetricNames());
  std::set<std::string> distinct;
  for (const auto& [name, label] : labels.at("metrics").items()) distinct.insert(label);
  CHECK(distinct.size() == metrics.size());  // no two names read alike
  // The schema and the .d.ts list the series names the table uses.
  const auto schema = nlohmann::json::parse(ReadSource("docs/report.schema.json"));
  CHECK(schema.at("definitions").at("track_metric").at("enum").get<std::set<std::string>>() ==
        SeriesNames());
  CHECK(Matches(Between(ReadSource("wasm/types/index.d.ts"), "export type TrackMetric =", ";"),
                "'([a-z0-9_]+)'") == SeriesNames());
  CHECK(labels.at("metrics").at("concealment_percent") ==
        report::ChartMetricLabel(ChartMetric::kConcealmentPercent));
}
