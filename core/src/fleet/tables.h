// The fleet tables' rows (callsight/fleet.h): internals shared by the table
// writer and the summary's reader.
#ifndef CALLSIGHT_FLEET_TABLES_H_
#define CALLSIGHT_FLEET_TABLES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "callsight/fleet.h"
#include "json/json_tree.h"

namespace callsight::fleet {

// The column that orders a table's rows within a session ("" for sessions):
// "peer_id", "issue_index", "breach_index", "error_index".
const char* KeyColumn(FleetTable table);

// An index as a row key: zero-padded, so keys sort as the indices do.
std::string IndexKey(size_t index);

// Reads one line of a table into a tree. InvalidArgument "<file> line <n>:
// ..." when it is not a JSON object with a string session_id and the table's
// key column.
Status ReadRowTree(FleetTable table, std::string_view line, const std::string& file_name,
                   size_t line_number, json::JsonTree* tree);

}  // namespace callsight::fleet

#endif  // CALLSIGHT_FLEET_TABLES_H_
