#include "ingest/dump_reader.h"

#include <cstdio>
#include <vector>

#include "ingest/dump_to_model.h"
#include "ingest/rtcstats_reader.h"
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

bool HasFailure(const StatsDump& dump) {
  for (const DumpEvent& e : dump.events) {
    if (e.kind == DumpEventKind::kGetUserMediaFailure) return true;
  }
  return false;
}

// A dump of no call: no peer connection and no failed getUserMedia.
InputMessage EmptyDump(const StatsDump& dump) {
  InputMessage m;
  m.level = InputMessage::Level::kError;
  m.line = 1;
  m.text = std::string("this file is ") +
           (dump.kind == DumpKind::kWebrtcInternals ? "a webrtc-internals" : "an rtcstats") +
           " dump with no peer connection" +
           (dump.events.empty() ? "" : " (only getUserMedia calls that succeeded)") +
           ": there is no call to diagnose";
  return m;
}

}  // namespace

bool ReadStatsDumpFile(std::string_view text, const std::string& name,
                       const DumpReadOptions& options, Fragment* out, InputReport* report) {
  StatsDump dump;
  std::vector<InputMessage> messages;
  if (LooksLikeRtcstatsDump(text)) {
    report->kind = InputKind::kRtcstatsDump;
    ReadRtcstatsDump(text, options, &dump, &messages);
  } else if (LooksLikeWebrtcInternalsDump(text, options.max_depth)) {
    report->kind = InputKind::kWebrtcInternalsDump;
    ReadWebrtcInternalsDump(text, options, &dump, &messages);
  } else {
    return false;
  }
  if (!HasError(messages) && dump.connections.empty() && !HasFailure(dump)) {
    messages.push_back(EmptyDump(dump));
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
