// The network-free half of `callsight fetch` (docs/FETCH.md): the readers of
// the 100ms API's responses (a session, a page of analytics events, a page of
// the session list, a page of the webhook delivery history), the request
// paths with their documented query parameters, the paging and retry
// decisions, the names of the files written and the manifest. Everything here
// is a pure function of its arguments, so it is tested (tests/core/
// fetch_plan_test.cpp) and fuzzed (tests/fuzz/fuzz_fetch_responses.cpp)
// without a network; core/cli/fetch.cpp does the requests.
#ifndef CALLSIGHT_CLI_FETCH_PLAN_H_
#define CALLSIGHT_CLI_FETCH_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/status.h"

namespace callsight {
namespace cli {

// ---- responses (each InvalidArgument with one sentence when the body is not
// the documented shape)

// GET /v2/sessions/<id>: the facts the fetch needs from a session object.
struct SessionFacts {
  std::string id, room_id;
  std::string created_at, updated_at;  // RFC 3339, as written
  bool active = false;
  std::vector<std::string> peer_ids;  // the `peers` map's keys, in the map's order
};
Result<SessionFacts> ReadSessionObject(std::string_view body);

// GET /v2/analytics/events: `next` ("" on the last page) and the events' count.
struct EventsPageFacts {
  std::string next;
  size_t events = 0;
};
Result<EventsPageFacts> ReadEventsPage(std::string_view body);

// GET /v2/sessions?room_id=...: the sessions' ids and `last` (the next start).
struct SessionsPageFacts {
  std::vector<std::string> ids;
  std::string last;
};
Result<SessionsPageFacts> ReadSessionsPage(std::string_view body);

// GET /v2/analytics/webhooks: `pagination.has_next` and `current_page`.
struct WebhookPageFacts {
  bool has_next = false;
  int64_t current_page = 0;
  size_t events = 0;
};
Result<WebhookPageFacts> ReadWebhookHistoryPage(std::string_view body);

// ---- requests: paths with their query, to append to the --api base URL

constexpr int kEventsPageLimit = 100;    // the most the events API gives a page
constexpr int kSessionsPageLimit = 100;  // the most the session list gives a page
constexpr int kWebhookPageLimit = 100;   // the most the webhook history gives a page

// The event types the analysis reads, asked for by `type` (a required filter).
const std::vector<std::string>& EventTypes();

std::string QueryEscape(std::string_view text);
std::string SessionPath(std::string_view session_id);
std::string PeerStatsPath(std::string_view session_id, std::string_view peer_id);
// `start` is the previous page's `next` ("" for the first page).
std::string EventsPath(std::string_view room_id, std::string_view session_id,
                       std::string_view start);
// `after`/`before` as the list documents them ("" leaves one out); `start` is
// the previous page's `last`.
// A peer's events of the types that may come without a session_id
// (SessionlessEventTypes), asked for by peer_id: a session_id filter may miss
// them. The analysis drops the copies that the session's pages also hold.
const std::vector<std::string>& SessionlessEventTypes();
std::string PeerEventsPath(std::string_view room_id, std::string_view peer_id,
                           std::string_view start);
std::string SessionsListPath(std::string_view room_id, std::string_view after,
                             std::string_view before, std::string_view start);
std::string WebhookHistoryPath(std::string_view room_id, std::string_view start_time,
                               std::string_view end_time, int64_t page);

// The webhook history's time range for a session: from a minute before its
// start (the history's times may be whole seconds) to ten minutes after its
// last update (the close webhook comes after the session ends), as RFC 3339;
// nullopt when the session's start does not parse.
struct TimeRange {
  std::string start, end;
};
std::optional<TimeRange> WebhookHistoryRange(const SessionFacts& session);
// Whether the history can be asked for at `now_ms`: 100ms keeps 30 days.
bool WebhookHistoryAvailable(const SessionFacts& session, int64_t now_ms);

// --since/--until DATE (YYYY-MM-DD or RFC 3339) as the session list's
// after/before (YYYY-MM-DDTHH:mm:ss.sssZ); a date alone is the day's first or
// last millisecond (UTC). nullopt when DATE is neither.
std::optional<std::string> ListTime(std::string_view date, bool end_of_day);
std::string FormatRfc3339Ms(int64_t epoch_ms);

// ---- paging: what to ask for after a page

// Events: the next page's `start`, or nullopt when `page` was the last one.
// InvalidArgument when the API gives a cursor it already gave (it would loop).
Result<std::optional<std::string>> NextEventsStart(const EventsPageFacts& page,
                                                   std::vector<std::string>* seen);
// Session list: the next `start`, or nullopt when done (an empty page, no
// `last`, fewer than a full page, or a `last` already seen).
std::optional<std::string> NextSessionsStart(const SessionsPageFacts& page, int limit,
                                             std::vector<std::string>* seen);
// Webhook history: the next page number, or nullopt when done.
std::optional<int64_t> NextWebhookPage(const WebhookPageFacts& page, int64_t asked);

// Whether pages read back from disk (events-page-1.json, 2, ...) are a whole
// set: each reads as a page, each but the last has a `next`, the last none.
bool EventsPagesComplete(const std::vector<std::string>& bodies);
bool WebhookPagesComplete(const std::vector<std::string>& bodies);

// ---- retries

// What came back for one request: `status` 0 when no HTTP answer came (then
// `error` says why: refused, reset, timed out).
struct HttpResult {
  long status = 0;
  std::string body;
  std::string error;
  std::optional<double> retry_after_seconds;  // Retry-After, in seconds
};

struct RetryPolicy {
  int max_attempts = 5;
  double base_seconds = 1.0;        // 1, 2, 4, 8 s ... between attempts
  double max_delay_seconds = 60.0;  // no wait is longer, Retry-After included
};

// After `attempt` (1-based) gave `result`: done (2xx), wait `delay_seconds`
// and retry (no answer, 429, 5xx; Retry-After honoured), or give up.
struct RetryVerdict {
  enum class Kind { kDone, kRetry, kGiveUp } kind = Kind::kDone;
  double delay_seconds = 0;
};
RetryVerdict DecideRetry(const HttpResult& result, int attempt, const RetryPolicy& policy);

// Retry-After as seconds (a number of seconds; an HTTP date is not read).
std::optional<double> ParseRetryAfter(std::string_view value);

// The `message` of an error answer's JSON body (at most 160 bytes, control
// characters as spaces), or "".
std::string ApiMessage(std::string_view body);

// One sentence on why `what` (e.g. "the session") could not be fetched: for a
// 400, with the API's own message. It names "the management token", never its
// value (the caller removes the token should an answer echo it).
std::string ExplainFailure(const HttpResult& result, std::string_view what);

// ---- files

// A name safe on any file system: letters, digits, '.', '_', '-' kept, others '_'.
std::string SafeName(std::string_view id);
std::string PeerStatsFile(std::string_view peer_id);  // peer-stats-<id>.json
std::string EventsPageFile(size_t n);                 // events-page-<n>.json (1-based)
std::string PeerEventsPageFile(std::string_view peer_id,
                               size_t n);  // events-peer-<id>-page-<n>.json
std::string WebhookPageFile(size_t n);     // webhook-history-<n>.json
std::string SessionsPageFile(size_t n);    // sessions-page-<n>.json
constexpr const char kSessionFile[] = "session.json";
constexpr const char kManifestFile[] = ".callsight-fetch.json";  // hidden: not an input

// The manifest (docs/FETCH.md, "Manifest"): one entry per file, fetched or skipped.
struct ManifestEntry {
  std::string file;     // where the answer goes (bytes 0: nothing written)
  std::string request;  // path and query, without the host
  long status = 0;      // the last answer's HTTP status; 0: none
  int attempts = 0;     // 0: skipped, complete from an earlier run
  size_t bytes = 0;
  std::string error;  // one sentence when it failed
};
struct Manifest {
  std::string api, session_id, room_id;
  std::string started_at, finished_at;  // RFC 3339
  bool complete = false;
  std::string webhook_history;  // "fetched", or why not
  std::vector<ManifestEntry> entries;
};
std::string ManifestJson(const Manifest& manifest);

}  // namespace cli
}  // namespace callsight

#endif  // CALLSIGHT_CLI_FETCH_PLAN_H_
