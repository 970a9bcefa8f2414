// Issues in words: the title, detail and advice the reports show for each
// issue, written from the issue's typed facts. All issue prose lives here.
#ifndef CALLSIGHT_REPORT_ISSUE_TEXT_H_
#define CALLSIGHT_REPORT_ISSUE_TEXT_H_

#include <string>

#include "callsight/analysis.h"
#include "callsight/model.h"
#include "report/format.h"

namespace callsight::report {

struct IssueText {
  std::string title;
  std::string detail;
  std::string advice;
};

// The words for `issue` of `session` (peer names and, for event issues, the
// events it refers to come from the session), with times of day as `clock`
// writes them.
IssueText DescribeIssue(const Session& session, const Issue& issue, const Clock& clock);

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_ISSUE_TEXT_H_
