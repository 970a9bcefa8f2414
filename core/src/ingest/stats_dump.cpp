#include "ingest/stats_dump.h"

namespace callsight::ingest {

namespace {
constexpr const char* kDumpKindNames[] = {"webrtc-internals", "rtcstats", "rtcstats-v3"};
constexpr const char* kStatsFormatNames[] = {"unknown", "chrome_standard", "chrome_legacy",
                                             "firefox", "safari"};
constexpr const char* kDumpEventKindNames[kDumpEventKindCount] = {
    "other",
    "create",
    "close",
    "ice_connection_state",
    "connection_state",
    "ice_gathering_state",
    "signaling_state",
    "create_offer",
    "create_offer_failure",
    "create_answer_failure",
    "set_local_description_failure",
    "set_remote_description_failure",
    "add_ice_candidate_failure",
    "ice_candidate_error",
    "get_user_media",
    "get_user_media_success",
    "get_user_media_failure",
    "track",
};
static_assert(sizeof kDumpEventKindNames / sizeof kDumpEventKindNames[0] ==
                  static_cast<size_t>(DumpEventKind::kTrack) + 1,
              "one name per DumpEventKind");
}  // namespace

const char* DumpKindName(DumpKind kind) { return kDumpKindNames[static_cast<int>(kind)]; }

const char* StatsFormatName(StatsFormat format) {
  return kStatsFormatNames[static_cast<int>(format)];
}

const char* DumpEventKindName(DumpEventKind kind) {
  return kDumpEventKindNames[static_cast<int>(kind)];
}

}  // namespace callsight::ingest
