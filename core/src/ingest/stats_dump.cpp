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

bool TextColumn::Contains(std::string_view text) const {
  if (text.empty()) {
    for (uint32_t id : index_) {
      if (id == 0) return true;
    }
    return false;
  }
  for (size_t v = 0; v < values_.size(); ++v) {
    if (values_[v] != text) continue;
    for (uint32_t id : index_) {
      if (id == v + 1) return true;
    }
  }
  return false;
}

uint32_t TextColumn::IdOf(std::string_view text, uint32_t neighbor) {
  if (text.empty()) return 0;
  if (neighbor != 0 && values_[neighbor - 1] == text) return neighbor;
  if (!values_.empty() && values_.back() == text) return static_cast<uint32_t>(values_.size());
  std::string copy(text);  // before values_ may move: `text` may be one of them
  values_.push_back(std::move(copy));
  return static_cast<uint32_t>(values_.size());
}

bool operator==(const TextColumn& a, const TextColumn& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

bool operator==(const TextColumn& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

const char* DumpKindName(DumpKind kind) { return kDumpKindNames[static_cast<int>(kind)]; }

const char* StatsFormatName(StatsFormat format) {
  return kStatsFormatNames[static_cast<int>(format)];
}

const char* DumpEventKindName(DumpEventKind kind) {
  return kDumpEventKindNames[static_cast<int>(kind)];
}

}  // namespace callsight::ingest
