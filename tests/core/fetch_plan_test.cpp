// The network-free half of `callsight fetch` (core/cli/fetch_plan.h): reading
// the API's answers, the requests' paths, paging, retries, the manifest.
#include "fetch_plan.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "core/test_util.h"

using namespace callsight::cli;

namespace {

std::string ReadReal(const std::string& name) {
  std::ifstream in(std::string(CALLSIGHT_REAL_DIR) + "/100ms-docs/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

HttpResult Answer(long status, std::optional<double> retry_after = std::nullopt) {
  HttpResult r;
  r.status = status;
  r.retry_after_seconds = retry_after;
  return r;
}

}  // namespace

TEST_CASE("fetch: the session example of the 100ms docs gives its peers", "[fetch]") {
  const std::string body = ReadReal("Sessions_retrieve-a-session__00.json");
  REQUIRE(!body.empty());
  const auto s = ReadSessionObject(body);
  REQUIRE(s.ok());
  CHECK(s.value().id == "63172c2d3e3d9fdb008322e1");
  CHECK(s.value().room_id == "627ce5b8f2e4e30487862adb");
  CHECK_FALSE(s.value().active);
  REQUIRE(s.value().peer_ids.size() == 1);
  CHECK(s.value().peer_ids[0] == "2d873b0a-c2c9-41dc-ac72-c6ea9b2f2cc3");
}

TEST_CASE("fetch: bad session answers are refused with a sentence", "[fetch]") {
  CHECK_FALSE(ReadSessionObject("").ok());
  CHECK_FALSE(ReadSessionObject("[]").ok());
  CHECK_FALSE(ReadSessionObject(R"({"id":"a"})").ok());  // no room
  CHECK_FALSE(ReadSessionObject(R"({"id":"a","room_id":"r","peers":[1]})").ok());
  const auto none = ReadSessionObject(R"({"id":"a","room_id":"r"})");
  REQUIRE(none.ok());
  CHECK(none.value().peer_ids.empty());
  const auto bad = ReadSessionObject("{\"id\":");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("the session") == 0);
}

TEST_CASE("fetch: events pages of the 100ms docs give next and a count", "[fetch]") {
  const auto first = ReadEventsPage(ReadReal("analytics_error-events__00.json"));
  REQUIRE(first.ok());
  CHECK(first.value().events == 2);
  CHECK(first.value().next.rfind("8188be60-", 0) == 0);
  const auto last = ReadEventsPage(ReadReal("analytics_error-events__01.json"));
  REQUIRE(last.ok());
  CHECK(last.value().next.empty());
  CHECK_FALSE(ReadEventsPage(R"({"events":{}})").ok());
  CHECK_FALSE(ReadEventsPage(R"({"events":[],"next":3})").ok());
}

TEST_CASE("fetch: events paging follows next and stops on a repeat", "[fetch]") {
  std::vector<std::string> seen;
  auto n1 = NextEventsStart(EventsPageFacts{"abc", 100}, &seen);
  REQUIRE(n1.ok());
  REQUIRE(n1.value().has_value());
  CHECK(*n1.value() == "abc");
  auto done = NextEventsStart(EventsPageFacts{"", 3}, &seen);
  REQUIRE(done.ok());
  CHECK_FALSE(done.value().has_value());
  CHECK_FALSE(NextEventsStart(EventsPageFacts{"abc", 100}, &seen).ok());
}

TEST_CASE("fetch: session list pages and their paging", "[fetch]") {
  const auto page = ReadSessionsPage(R"({"limit":2,"data":[{"id":"s1"},{"id":"s2"}],"last":"s2"})");
  REQUIRE(page.ok());
  CHECK(page.value().ids == std::vector<std::string>{"s1", "s2"});
  std::vector<std::string> seen;
  CHECK(NextSessionsStart(page.value(), 2, &seen) == std::optional<std::string>("s2"));
  CHECK_FALSE(NextSessionsStart(page.value(), 2, &seen).has_value());  // s2 again: a loop
  seen.clear();
  CHECK_FALSE(NextSessionsStart(page.value(), 100, &seen).has_value());  // a short page
  CHECK_FALSE(ReadSessionsPage(R"({"data":[{"name":"x"}]})").ok());
}

TEST_CASE("fetch: webhook history pages follow has_next", "[fetch]") {
  const auto p1 =
      ReadWebhookHistoryPage(R"({"events":[{}],"pagination":{"current_page":1,"has_next":true}})");
  REQUIRE(p1.ok());
  CHECK(NextWebhookPage(p1.value(), 1) == std::optional<int64_t>(2));
  const auto p2 =
      ReadWebhookHistoryPage(R"({"events":[{}],"pagination":{"current_page":2,"has_next":false}})");
  REQUIRE(p2.ok());
  CHECK_FALSE(NextWebhookPage(p2.value(), 2).has_value());
  const std::string a = R"({"events":[{}],"pagination":{"has_next":true}})";
  const std::string b = R"({"events":[{}],"pagination":{"has_next":false}})";
  CHECK(WebhookPagesComplete({a, b}));
  CHECK_FALSE(WebhookPagesComplete({a}));
  CHECK_FALSE(WebhookPagesComplete({}));
}

TEST_CASE("fetch: a re-run keeps event pages only as a whole set", "[fetch]") {
  const std::string a = R"({"next":"c1","events":[{}]})";
  const std::string b = R"({"next":"","events":[{}]})";
  CHECK(EventsPagesComplete({a, b}));
  CHECK(EventsPagesComplete({b}));
  CHECK_FALSE(EventsPagesComplete({a}));       // cut short
  CHECK_FALSE(EventsPagesComplete({b, b}));    // a last page before the end
  CHECK_FALSE(EventsPagesComplete({a, "{"}));  // a broken page
  CHECK_FALSE(EventsPagesComplete({}));
}

TEST_CASE("fetch: request paths carry the documented parameters", "[fetch]") {
  CHECK(SessionPath("63172c2d") == "/v2/sessions/63172c2d");
  CHECK(PeerStatsPath("s 1", "p/2") == "/v2/analytics/peer-stats?peer_id=p%2F2&session_id=s%201");
  const std::string first = EventsPath("r1", "s1", "");
  CHECK(first.rfind("/v2/analytics/events?room_id=r1&session_id=s1&type=", 0) == 0);
  CHECK(first.find("&type=client.join.failed") != std::string::npos);
  CHECK(first.find("&limit=100") != std::string::npos);
  CHECK(first.find("start=") == std::string::npos);
  CHECK(EventsPath("r1", "s1", "a:b=").find("&start=a%3Ab%3D") != std::string::npos);
  CHECK(PeerEventsPath("r1", "p1", "") ==
        "/v2/analytics/events?room_id=r1&peer_id=p1&type=client.connect.failed"
        "&type=client.disconnected&limit=100");
  CHECK(PeerEventsPath("r1", "p1", "n").find("&start=n") != std::string::npos);
  CHECK(PeerEventsPageFile("p/1", 3) == "events-peer-p_1-page-3.json");
  CHECK(SessionsListPath("r", "2025-01-01T00:00:00.000Z", "", "") ==
        "/v2/sessions?room_id=r&active=false&after=2025-01-01T00%3A00%3A00.000Z&limit=100");
  CHECK(WebhookHistoryPath("r", "a", "b", 3) ==
        "/v2/analytics/webhooks?room_id=r&start_time=a&end_time=b&limit=100&page=3");
}

TEST_CASE("fetch: dates of --since/--until and the webhook history's range", "[fetch]") {
  CHECK(ListTime("2025-01-15", false) == std::optional<std::string>("2025-01-15T00:00:00.000Z"));
  CHECK(ListTime("2025-01-15", true) == std::optional<std::string>("2025-01-15T23:59:59.999Z"));
  CHECK(ListTime("2024-02-29T10:00:00+02:00", false) ==
        std::optional<std::string>("2024-02-29T08:00:00.000Z"));
  CHECK_FALSE(ListTime("2025-13-01", false).has_value());
  CHECK_FALSE(ListTime("yesterday", false).has_value());
  SessionFacts s;
  s.created_at = "2025-01-15T11:00:01.82Z";
  s.updated_at = "2025-01-15T11:09:58.295842445Z";
  const auto range = WebhookHistoryRange(s);
  REQUIRE(range.has_value());
  CHECK(range->start == "2025-01-15T10:59:01.820Z");
  CHECK(range->end == "2025-01-15T11:19:58.295Z");
  const int64_t created = 1736938801820;  // 2025-01-15T11:00:01.820Z
  CHECK(WebhookHistoryAvailable(s, created + 29LL * 86400000));
  CHECK_FALSE(WebhookHistoryAvailable(s, created + 31LL * 86400000));
}

TEST_CASE("fetch: retries on 429, 5xx and no answer, with backoff and Retry-After", "[fetch]") {
  RetryPolicy p;
  p.max_attempts = 4;
  p.base_seconds = 0.5;
  CHECK(DecideRetry(Answer(200), 1, p).kind == RetryVerdict::Kind::kDone);
  for (long status : {400L, 401L, 403L, 404L}) {
    CHECK(DecideRetry(Answer(status), 1, p).kind == RetryVerdict::Kind::kGiveUp);
  }
  const RetryVerdict first = DecideRetry(Answer(500), 1, p);
  CHECK(first.kind == RetryVerdict::Kind::kRetry);
  CHECK(first.delay_seconds == 0.5);
  CHECK(DecideRetry(Answer(0), 3, p).delay_seconds == 2.0);
  CHECK(DecideRetry(Answer(429, 7.0), 1, p).delay_seconds == 7.0);      // Retry-After wins
  CHECK(DecideRetry(Answer(429, 1000.0), 1, p).delay_seconds == 60.0);  // capped
  CHECK(DecideRetry(Answer(503), 4, p).kind == RetryVerdict::Kind::kGiveUp);
  CHECK(ParseRetryAfter(" 12\r\n") == std::optional<double>(12));
  CHECK_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
}

TEST_CASE("fetch: failures are explained in one sentence naming no secret", "[fetch]") {
  CHECK(ExplainFailure(Answer(401), "the session").find("management token was refused") !=
        std::string::npos);
  CHECK(ExplainFailure(Answer(403), "x").find("another account") != std::string::npos);
  CHECK(ExplainFailure(Answer(404), "the session").find("not found") != std::string::npos);
  HttpResult refused = Answer(400);
  refused.body = R"({"code":400,"message":"start_time must be\nwithin the last 30 days"})";
  CHECK(ExplainFailure(refused, "x") ==
        "x: the API refused the request (HTTP 400): start_time must be within the last 30 days");
  refused.body = "<html>";
  CHECK(ExplainFailure(refused, "x") == "x: the API refused the request (HTTP 400).");
  CHECK(ApiMessage(R"({"message":")" + std::string(300, 'a') + R"("})").size() == 163);
  HttpResult none;
  none.error = "Connection refused";
  CHECK(ExplainFailure(none, "x").find("Connection refused") != std::string::npos);
}

TEST_CASE("fetch: file names and the manifest", "[fetch]") {
  CHECK(PeerStatsFile("2d873b0a-c2c9") == "peer-stats-2d873b0a-c2c9.json");
  CHECK(SafeName("../etc/passwd") == "_.._etc_passwd");
  CHECK(SafeName("") == "_");
  CHECK(EventsPageFile(2) == "events-page-2.json");
  Manifest m;
  m.api = "http://127.0.0.1:1";
  m.session_id = "s1";
  m.complete = true;
  m.webhook_history = "fetched";
  m.entries.push_back({"session.json", "/v2/sessions/s1", 200, 1, 42, ""});
  m.entries.push_back({"peer-stats-p.json", "/v2/analytics/peer-stats?...", 200, 0, 7, ""});
  const std::string text = ManifestJson(m);
  CHECK(text.find(R"("session_id": "s1")") != std::string::npos);
  CHECK(text.find(R"("skipped": true)") != std::string::npos);
  CHECK(text.find(R"("skipped": false)") != std::string::npos);
  CHECK(text.find(R"("bytes": 42)") != std::string::npos);
}

TEST_CASE("fetch: fuzz_fetch_responses regressions are read or refused with a message",
          "[fetch][fuzz]") {
  // Every input fuzz_fetch_responses broke a reader with, through those readers.
  const std::string dir =
      std::string(CALLSIGHT_SOURCE_DIR) + "/tests/fuzz/regressions/" + "fuzz_fetch_responses";
  for (const std::string& f : callsight::testing::ListDir(dir)) {
    if (f[0] == '.') continue;
    INFO(f);
    const std::string body = callsight::testing::ReadFile(dir + "/" + f);
    const auto session = ReadSessionObject(body);
    CHECK((session.ok() ? !session.value().id.empty() : !session.status().message().empty()));
    const auto events = ReadEventsPage(body);
    CHECK((events.ok() || !events.status().message().empty()));
    const auto list = ReadSessionsPage(body);
    CHECK((list.ok() || !list.status().message().empty()));
    const auto hooks = ReadWebhookHistoryPage(body);
    CHECK((hooks.ok() || !hooks.status().message().empty()));
  }
}
