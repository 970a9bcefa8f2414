// The fleet summary (callsight/fleet.h): read back from the tables and
// computed here; written as JSON here and as text by report/fleet_text.cpp.
#ifndef CALLSIGHT_FLEET_FLEET_SUMMARY_H_
#define CALLSIGHT_FLEET_FLEET_SUMMARY_H_

#include <string>

#include "callsight/fleet.h"

namespace callsight::fleet {

// Whether `day` is a calendar day written "YYYY-MM-DD".
bool IsDay(const std::string& day);

}  // namespace callsight::fleet

#endif  // CALLSIGHT_FLEET_FLEET_SUMMARY_H_
