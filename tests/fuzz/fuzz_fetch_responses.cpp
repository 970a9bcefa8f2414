// The readers of the 100ms API's answers to `callsight fetch`
// (core/cli/fetch_plan.h) on any bytes: each reads the bytes as its response
// or fails with a message, and what it reads keeps its promises (a session
// has an id and a room, a session list's ids are not empty, paging never
// repeats a cursor, an error's message is short). Seeds: the JSON seeds
// (generated sessions, events pages and 100ms's own examples).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fetch_plan.h"

using namespace callsight::cli;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto session = ReadSessionObject(body);
  if (session.ok()) {
    if (session.value().id.empty() || session.value().room_id.empty()) __builtin_trap();
    for (const std::string& p : session.value().peer_ids) {
      if (p.empty() || PeerStatsFile(p).find('/') != std::string::npos) __builtin_trap();
    }
    WebhookHistoryRange(session.value());
  } else if (session.status().message().empty()) {
    __builtin_trap();
  }
  const auto events = ReadEventsPage(body);
  if (events.ok()) {
    std::vector<std::string> seen;
    const auto next = NextEventsStart(events.value(), &seen);
    if (next.ok() && next.value().has_value() != !events.value().next.empty()) __builtin_trap();
    if (next.ok() && !NextEventsStart(events.value(), &seen).ok() == events.value().next.empty()) {
      __builtin_trap();  // the same cursor twice is refused, an empty one never is
    }
  } else if (events.status().message().empty()) {
    __builtin_trap();
  }
  const auto list = ReadSessionsPage(body);
  if (list.ok()) {
    for (const std::string& id : list.value().ids) {
      if (id.empty()) __builtin_trap();
    }
  } else if (list.status().message().empty()) {
    __builtin_trap();
  }
  const auto hooks = ReadWebhookHistoryPage(body);
  if (!hooks.ok() && hooks.status().message().empty()) __builtin_trap();
  if (ApiMessage(body).size() > 163) __builtin_trap();  // 160 bytes and "..."
  EventsPagesComplete({std::string(body)});
  return 0;
}
