#include "fetch_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "ingest/rfc3339.h"
#include "json/json_cursor.h"
#include "json/json_tree.h"
#include "json/json_writer.h"

namespace callsight {
namespace cli {
namespace {

using json::JsonCursor;
using json::JsonTree;
using json::JsonValue;

constexpr int kMaxDepth = 64;
constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

// Reads `body` whole; `what` names the response in the message.
Status ReadTree(std::string_view body, std::string_view what, JsonTree* tree) {
  JsonCursor cursor(body, kMaxDepth);
  if (tree->Read(&cursor) && !cursor.AtEnd()) {
    cursor.Fail("unexpected text after the end of the JSON value");
  }
  if (!cursor.failed() && tree->root().is_object()) return Status::Ok();
  const std::string why = cursor.failed() ? cursor.error() : "it is not a JSON object";
  return Status::InvalidArgument(std::string(what) + " is not the documented JSON: " + why);
}

// The member `name` of `object` as a string, or "" when it is not one.
std::string StringOf(const JsonValue& object, std::string_view name) {
  const JsonValue v = object.Find(name);
  return v.is_string() ? std::string(v.text()) : std::string();
}

// An answer's list: an array, or absent or null (no elements); anything
// else is the error `message`.
Status CheckArrayOrAbsent(const JsonValue& v, const char* message) {
  if (v.is_array() || v.is_null() || v.missing()) return Status::Ok();
  return Status::InvalidArgument(message);
}

}  // namespace

Result<SessionFacts> ReadSessionObject(std::string_view body) {
  JsonTree tree;
  if (Status s = ReadTree(body, "the session", &tree); !s.ok()) return s;
  const JsonValue root = tree.root();
  SessionFacts facts;
  facts.id = StringOf(root, "id");
  facts.room_id = StringOf(root, "room_id");
  if (facts.id.empty() || facts.room_id.empty()) {
    return Status::InvalidArgument("the session has no string id and room_id");
  }
  facts.created_at = StringOf(root, "created_at");
  facts.updated_at = StringOf(root, "updated_at");
  facts.active = root.Find("active").is_true();
  const JsonValue peers = root.Find("peers");
  if (!peers.is_object() && !peers.missing() && !peers.is_null()) {
    return Status::InvalidArgument("the session's peers are not an object");
  }
  for (const auto& [id, peer] : peers.Members()) {
    if (id.empty()) return Status::InvalidArgument("the session has a peer with an empty id");
    facts.peer_ids.emplace_back(id);
  }
  return facts;
}

Result<EventsPageFacts> ReadEventsPage(std::string_view body) {
  JsonTree tree;
  if (Status s = ReadTree(body, "the events page", &tree); !s.ok()) return s;
  const JsonValue root = tree.root();
  const JsonValue events = root.Find("events");
  const JsonValue next = root.Find("next");
  if (Status s = CheckArrayOrAbsent(events, "the events page's events are not an array"); !s.ok())
    return s;
  if (!next.is_string() && !next.is_null() && !next.missing()) {
    return Status::InvalidArgument("the events page's next is not a string");
  }
  EventsPageFacts facts;
  facts.next = std::string(next.text());
  facts.events = events.Elements().size();
  return facts;
}

Result<SessionsPageFacts> ReadSessionsPage(std::string_view body) {
  JsonTree tree;
  if (Status s = ReadTree(body, "the session list", &tree); !s.ok()) return s;
  const JsonValue root = tree.root();
  const JsonValue data = root.Find("data");
  if (Status s = CheckArrayOrAbsent(data, "the session list's data is not an array"); !s.ok())
    return s;
  SessionsPageFacts facts;
  for (const JsonValue& session : data.Elements()) {
    const std::string id = StringOf(session, "id");
    if (id.empty()) return Status::InvalidArgument("the session list has a session without an id");
    facts.ids.push_back(id);
  }
  facts.last = StringOf(root, "last");
  return facts;
}

Result<WebhookPageFacts> ReadWebhookHistoryPage(std::string_view body) {
  JsonTree tree;
  if (Status s = ReadTree(body, "the webhook history page", &tree); !s.ok()) return s;
  const JsonValue root = tree.root();
  const JsonValue events = root.Find("events");
  if (Status s = CheckArrayOrAbsent(events, "the webhook history's events are not an array");
      !s.ok())
    return s;
  const JsonValue pagination = root.Find("pagination");
  WebhookPageFacts facts;
  facts.events = events.Elements().size();
  facts.has_next = pagination.Find("has_next").is_true();
  const double page = pagination.Find("current_page").number();
  if (std::isfinite(page) && page >= 0 && page < 1e9)
    facts.current_page = static_cast<int64_t>(page);
  return facts;
}

const std::vector<std::string>& EventTypes() {
  static const std::vector<std::string> kTypes = {
      "track.add.success",     "track.update.success",  "track.remove.success",
      "client.join.failed",    "client.publish.failed", "client.subscribe.failed",
      "client.connect.failed", "client.disconnected",   "beam.recording.success",
  };
  return kTypes;
}

std::string QueryEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string SessionPath(std::string_view session_id) {
  return "/v2/sessions/" + QueryEscape(session_id);
}

std::string PeerStatsPath(std::string_view session_id, std::string_view peer_id) {
  return "/v2/analytics/peer-stats?peer_id=" + QueryEscape(peer_id) +
         "&session_id=" + QueryEscape(session_id);
}

std::string EventsPath(std::string_view room_id, std::string_view session_id,
                       std::string_view start) {
  std::string path = "/v2/analytics/events?room_id=" + QueryEscape(room_id) +
                     "&session_id=" + QueryEscape(session_id);
  for (const std::string& type : EventTypes()) path += "&type=" + QueryEscape(type);
  path += "&limit=" + std::to_string(kEventsPageLimit);
  if (!start.empty()) path += "&start=" + QueryEscape(start);
  return path;
}

const std::vector<std::string>& SessionlessEventTypes() {
  static const std::vector<std::string> kTypes = {"client.connect.failed", "client.disconnected"};
  return kTypes;
}

std::string PeerEventsPath(std::string_view room_id, std::string_view peer_id,
                           std::string_view start) {
  std::string path =
      "/v2/analytics/events?room_id=" + QueryEscape(room_id) + "&peer_id=" + QueryEscape(peer_id);
  for (const std::string& type : SessionlessEventTypes()) path += "&type=" + QueryEscape(type);
  path += "&limit=" + std::to_string(kEventsPageLimit);
  if (!start.empty()) path += "&start=" + QueryEscape(start);
  return path;
}

std::string SessionsListPath(std::string_view room_id, std::string_view after,
                             std::string_view before, std::string_view start) {
  std::string path = "/v2/sessions?room_id=" + QueryEscape(room_id) + "&active=false";
  if (!after.empty()) path += "&after=" + QueryEscape(after);
  if (!before.empty()) path += "&before=" + QueryEscape(before);
  path += "&limit=" + std::to_string(kSessionsPageLimit);
  if (!start.empty()) path += "&start=" + QueryEscape(start);
  return path;
}

std::string WebhookHistoryPath(std::string_view room_id, std::string_view start_time,
                               std::string_view end_time, int64_t page) {
  return "/v2/analytics/webhooks?room_id=" + QueryEscape(room_id) +
         "&start_time=" + QueryEscape(start_time) + "&end_time=" + QueryEscape(end_time) +
         "&limit=" + std::to_string(kWebhookPageLimit) + "&page=" + std::to_string(page);
}

std::string FormatRfc3339Ms(int64_t epoch_ms) {
  const int64_t day = epoch_ms >= 0 ? epoch_ms / kDayMs : -((-epoch_ms + kDayMs - 1) / kDayMs);
  const int64_t ms_of_day = epoch_ms - day * kDayMs;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const int64_t z = day + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char text[128];  // room for any int64 year, which no caller gives
  std::snprintf(
      text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
      static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
      static_cast<long long>(ms_of_day / 3600000), static_cast<long long>(ms_of_day / 60000 % 60),
      static_cast<long long>(ms_of_day / 1000 % 60), static_cast<long long>(ms_of_day % 1000));
  return text;
}

std::optional<TimeRange> WebhookHistoryRange(const SessionFacts& session) {
  const std::optional<int64_t> start = ParseRfc3339(session.created_at);
  std::optional<int64_t> end = ParseRfc3339(session.updated_at);
  if (!start) return std::nullopt;
  if (!end || *end < *start) end = start;
  return TimeRange{FormatRfc3339Ms(*start - kMinuteMs), FormatRfc3339Ms(*end + 10 * kMinuteMs)};
}

bool WebhookHistoryAvailable(const SessionFacts& session, int64_t now_ms) {
  const std::optional<int64_t> start = ParseRfc3339(session.created_at);
  return start && now_ms - *start < 30 * kDayMs;
}

std::optional<std::string> ListTime(std::string_view date, bool end_of_day) {
  if (date.size() == 10) {
    const std::optional<int64_t> day = ParseRfc3339(std::string(date) + "T00:00:00Z");
    if (!day) return std::nullopt;
    return FormatRfc3339Ms(end_of_day ? *day + kDayMs - 1 : *day);
  }
  const std::optional<int64_t> at = ParseRfc3339(date);
  if (!at) return std::nullopt;
  return FormatRfc3339Ms(*at);
}

Result<std::optional<std::string>> NextEventsStart(const EventsPageFacts& page,
                                                   std::vector<std::string>* seen) {
  if (page.next.empty()) return std::optional<std::string>();
  if (std::find(seen->begin(), seen->end(), page.next) != seen->end()) {
    return Status::InvalidArgument("the events API gave the same next cursor twice");
  }
  seen->push_back(page.next);
  return std::optional<std::string>(page.next);
}

std::optional<std::string> NextSessionsStart(const SessionsPageFacts& page, int limit,
                                             std::vector<std::string>* seen) {
  if (page.ids.empty() || page.last.empty() || static_cast<int>(page.ids.size()) < limit) {
    return std::nullopt;
  }
  if (std::find(seen->begin(), seen->end(), page.last) != seen->end()) return std::nullopt;
  seen->push_back(page.last);
  return page.last;
}

std::optional<int64_t> NextWebhookPage(const WebhookPageFacts& page, int64_t asked) {
  if (!page.has_next || page.events == 0) return std::nullopt;
  return asked + 1;
}

bool EventsPagesComplete(const std::vector<std::string>& bodies) {
  if (bodies.empty()) return false;
  for (size_t i = 0; i < bodies.size(); ++i) {
    const Result<EventsPageFacts> page = ReadEventsPage(bodies[i]);
    if (!page.ok()) return false;
    const bool last = i + 1 == bodies.size();
    if (page.value().next.empty() != last) return false;
  }
  return true;
}

bool WebhookPagesComplete(const std::vector<std::string>& bodies) {
  if (bodies.empty()) return false;
  for (size_t i = 0; i < bodies.size(); ++i) {
    const Result<WebhookPageFacts> page = ReadWebhookHistoryPage(bodies[i]);
    if (!page.ok()) return false;
    const bool last = i + 1 == bodies.size();
    if (NextWebhookPage(page.value(), static_cast<int64_t>(i) + 1).has_value() == last) {
      return false;
    }
  }
  return true;
}

RetryVerdict DecideRetry(const HttpResult& result, int attempt, const RetryPolicy& policy) {
  if (result.status >= 200 && result.status < 300) return {RetryVerdict::Kind::kDone, 0};
  const bool retryable = result.status == 0 || result.status == 429 || result.status >= 500;
  if (!retryable || attempt >= policy.max_attempts) return {RetryVerdict::Kind::kGiveUp, 0};
  double delay = policy.base_seconds * std::ldexp(1.0, attempt - 1);
  if (result.retry_after_seconds) delay = std::max(delay, *result.retry_after_seconds);
  return {RetryVerdict::Kind::kRetry, std::min(delay, policy.max_delay_seconds)};
}

std::optional<double> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r' ||
                            value.back() == '\n')) {
    value.remove_suffix(1);
  }
  if (value.empty() || value.size() > 9) return std::nullopt;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::strtod(std::string(value).c_str(), nullptr);
}

std::string ApiMessage(std::string_view body) {
  constexpr size_t kMaxChars = 160;
  JsonTree tree;
  if (!ReadTree(body, "", &tree).ok()) return "";
  std::string message = StringOf(tree.root(), "message");
  if (message.size() > kMaxChars) message = message.substr(0, kMaxChars) + "...";
  for (char& c : message) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return message;
}

std::string ExplainFailure(const HttpResult& result, std::string_view what) {
  const std::string w(what);
  const std::string code = " (HTTP " + std::to_string(result.status) + ")";
  switch (result.status) {
    case 0:
      return w + ": no answer from the API: " + result.error;
    case 401:
      return w + ": the management token was refused" + code +
             ": it is malformed, expired, or not signed with this app's secret.";
    case 403:
      return w + ": the management token may not read this" + code +
             ": it belongs to another account or workspace, or lacks the permission.";
    case 404:
      return w + ": not found" + code + ": no such id in this account.";
    case 429:
      return w + ": the API kept limiting the request rate" + code + "; try again later.";
    default:
      break;
  }
  if (result.status >= 500) return w + ": the API failed" + code + " on every attempt.";
  if (result.status >= 400) {
    const std::string said = ApiMessage(result.body);
    return w + ": the API refused the request" + code + (said.empty() ? "." : ": " + said);
  }
  return w + ": unexpected answer" + code + ".";
}

std::string SafeName(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  if (out.empty() || out[0] == '.') out.insert(0, "_");
  return out;
}

std::string PeerStatsFile(std::string_view peer_id) {
  return "peer-stats-" + SafeName(peer_id) + ".json";
}
std::string EventsPageFile(size_t n) { return "events-page-" + std::to_string(n) + ".json"; }
std::string PeerEventsPageFile(std::string_view peer_id, size_t n) {
  return "events-peer-" + SafeName(peer_id) + "-page-" + std::to_string(n) + ".json";
}
std::string WebhookPageFile(size_t n) { return "webhook-history-" + std::to_string(n) + ".json"; }
std::string SessionsPageFile(size_t n) { return "sessions-page-" + std::to_string(n) + ".json"; }

std::string ManifestJson(const Manifest& m) {
  json::JsonWriter w(2);
  w.BeginObject()
      .Field("tool", "callsight fetch")
      .Field("api", m.api)
      .Field("session_id", m.session_id)
      .Field("room_id", m.room_id)
      .Field("started_at", m.started_at)
      .Field("finished_at", m.finished_at)
      .Field("complete", m.complete)
      .Field("webhook_history", m.webhook_history);
  w.Key("requests").BeginArray();
  for (const ManifestEntry& e : m.entries) {
    w.BeginObject().Field("file", e.file).Field("request", e.request);
    w.Field("status", static_cast<int64_t>(e.status)).Field("attempts", e.attempts);
    w.Field("skipped", e.attempts == 0).Field("bytes", e.bytes);
    w.FieldIfGiven("error", e.error).EndObject();
  }
  w.EndArray().EndObject();
  return w.Take() + "\n";
}

}  // namespace cli
}  // namespace callsight
