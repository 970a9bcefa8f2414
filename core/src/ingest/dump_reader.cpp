#include "ingest/dump_reader.h"

#include <cstdio>
#include <vector>

#include "ingest/dump_to_model.h"
#include "ingest/stats_dump.h"
#include "ingest/webrtc_internals_reader.h"

namespace callsight::ingest {
namespace {

bool HasError(const std::vector<InputMessage>& messages) {
  for (const auto& m : messages) {
    if (m.level == InputMessage::Level::kError) return true;
  }
  return false;
}

// Said once per file when the cap of 1000 samples per series cut the call.
InputMessage TruncatedNote() {
  InputMessage m;
  m.level = InputMessage::Level::kInfo;
  m.text =
      "Chrome keeps the last 1000 samples of each series in this dump: the start of the call "
      "is missing";
  return m;
}

}  // namespace

bool ReadStatsDumpFile(std::string_view text, const std::string& name, int max_depth,
                       Fragment* out, InputReport* report) {
  StatsDump dump;
  std::vector<InputMessage> messages;
  if (LooksLikeWebrtcInternalsDump(text, max_depth)) {
    report->kind = InputKind::kWebrtcInternalsDump;
    ReadWebrtcInternalsDump(text, max_depth, &dump, &messages);
  } else {
    return false;
  }
  if (!HasError(messages)) {
    if (dump.truncated) messages.push_back(TruncatedNote());
    Fragment frag;
    DumpToFragment(dump, name, &frag, &messages);
    *out = std::move(frag);
    report->documents = 1;
  }
  for (auto& m : messages) report->messages.push_back(std::move(m));
  return true;
}

}  // namespace callsight::ingest
