#include "fetch.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "jwt.h"

namespace callsight {
namespace cli {
namespace {

namespace fs = std::filesystem;

// The largest answer kept: the engine reads no larger file (IngestOptions).
constexpr size_t kMaxBodyBytes = size_t{1} << 31;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* Getenv(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0' ? v : nullptr;
}

// Writes `bytes` to folder/name through a temporary file in the same folder,
// renamed into place once whole: a reader never sees half a file.
Status WriteAtomically(const std::string& folder, const std::string& name,
                       const std::string& bytes) {
  static std::atomic<unsigned> counter{0};
  const fs::path final_path = fs::path(folder) / name;
  const fs::path temp = fs::path(folder) / ("." + name + ".part-" + std::to_string(getpid()) + "-" +
                                            std::to_string(counter++));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return Status::Internal("cannot write " + final_path.string());
    }
  }
  std::error_code ec;
  fs::rename(temp, final_path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Status::Internal("cannot write " + final_path.string());
  }
  return Status::Ok();
}

bool ReadWhole(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return !in.bad();
}

// The bodies of name(1), name(2), ... as long as those files exist.
std::vector<std::string> ReadPages(const std::string& folder,
                                   const std::function<std::string(size_t)>& name) {
  std::vector<std::string> bodies;
  for (size_t n = 1;; ++n) {
    std::string body;
    if (!ReadWhole(fs::path(folder) / name(n), &body)) break;
    bodies.push_back(std::move(body));
  }
  return bodies;
}

// Removes name(n), name(n+1), ...: pages of an earlier run past the last one.
void RemovePagesFrom(const std::string& folder, size_t n,
                     const std::function<std::string(size_t)>& name) {
  std::error_code ec;
  while (fs::remove(fs::path(folder) / name(n), ec)) ++n;
}

// `text` with every occurrence of `token` replaced by a name for it.
std::string WithoutToken(std::string text, const std::string& token) {
  if (token.empty()) return text;
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
    text.replace(at, token.size(), "<the management token>");
  }
  return text;
}

// Runs `jobs` on options.parallel threads, each with an HttpClient of its own.
void RunJobs(const FetchOptions& options,
             const std::vector<std::function<void(HttpClient&)>>& jobs) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    HttpClient client(options.timeout_seconds, kMaxBodyBytes);
    for (size_t i = next++; i < jobs.size(); i = next++) jobs[i](client);
  };
  const size_t n = std::min(jobs.size(), static_cast<size_t>(std::max(1, options.parallel)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(worker);
  if (n > 0) worker();
  for (std::thread& t : threads) t.join();
}

// One session's fetch: its manifest, the requests with retries, the files.
class SessionFetch {
 public:
  SessionFetch(const FetchOptions& options, std::string session_id, std::string folder)
      : options_(options), folder_(std::move(folder)) {
    manifest_.api = options.api;
    manifest_.session_id = std::move(session_id);
    manifest_.started_at = FormatRfc3339Ms(NowMs());
  }

  bool Run();

 private:
  // GET path (retried as the policy says); records the manifest entry, and on
  // success writes the body to `file` (unless "") and returns it.
  std::optional<std::string> Fetch(HttpClient& client, const std::string& path,
                                   const std::string& file, const std::string& what);
  void Skipped(const std::string& file, std::string_view path, size_t bytes);
  void Failed(const std::string& message);
  void Progress(const std::string& line);
  std::optional<SessionFacts> Session(HttpClient& client);
  // One peer: its peer-stats, then its session-less events (PeerEvents).
  void PeerFiles(HttpClient& client, const SessionFacts& session, size_t index);
  using PathOf = std::function<std::string(std::string_view start)>;
  using NameOf = std::function<std::string(size_t)>;
  // Every page of one events listing (path(start) for each page), as
  // file(1), file(2), ...; skipped when complete from an earlier run.
  void EventPages(HttpClient& client, bool active, const PathOf& path, const NameOf& file,
                  const std::string& what, bool progress);
  void Events(HttpClient& client, const SessionFacts& session);
  void PeerEvents(HttpClient& client, const SessionFacts& session, const std::string& peer);
  void WebhookHistory(HttpClient& client, const SessionFacts& session);
  bool Finish();

  const FetchOptions& options_;
  const std::string folder_;
  std::mutex mu_;  // guards manifest_, ok_, peers_done_ and stderr
  Manifest manifest_;
  bool ok_ = true;
  size_t peers_done_ = 0;
};

std::optional<std::string> SessionFetch::Fetch(HttpClient& client, const std::string& path,
                                               const std::string& file, const std::string& what) {
  ManifestEntry entry;
  entry.file = file;
  entry.request = path;
  HttpResult result;
  for (int attempt = 1;; ++attempt) {
    result = client.Get(options_.api + path, options_.token);
    entry.attempts = attempt;
    const RetryVerdict verdict = DecideRetry(result, attempt, options_.retry);
    if (verdict.kind != RetryVerdict::Kind::kRetry) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(verdict.delay_seconds));
  }
  entry.status = result.status;
  std::optional<std::string> body;
  if (result.status >= 200 && result.status < 300) {
    const Status written =
        file.empty() ? Status::Ok() : WriteAtomically(folder_, file, result.body);
    if (written.ok()) {
      entry.bytes = result.body.size();
      body = std::move(result.body);
    } else {
      entry.error = written.message();
    }
  } else {
    entry.error = WithoutToken(ExplainFailure(result, what), options_.token);
  }
  if (!entry.error.empty()) Failed(entry.error);
  std::lock_guard<std::mutex> lock(mu_);
  manifest_.entries.push_back(std::move(entry));
  return body;
}

void SessionFetch::Skipped(const std::string& file, std::string_view path, size_t bytes) {
  ManifestEntry entry;
  entry.file = file;
  entry.request = std::string(path);
  entry.status = 200;
  entry.bytes = bytes;
  std::lock_guard<std::mutex> lock(mu_);
  manifest_.entries.push_back(std::move(entry));
}

void SessionFetch::Failed(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  ok_ = false;
  std::cerr << "callsight: fetch " << manifest_.session_id << ": " << message << "\n";
}

void SessionFetch::Progress(const std::string& line) {
  if (!options_.progress) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::cerr << "callsight: " << manifest_.session_id << ": " << line << "\n";
}

std::optional<SessionFacts> SessionFetch::Session(HttpClient& client) {
  const std::string path = SessionPath(manifest_.session_id);
  std::string body;
  if (ReadWhole(fs::path(folder_) / kSessionFile, &body)) {
    const Result<SessionFacts> old = ReadSessionObject(body);
    // An ended session does not change; an active one is asked for again.
    if (old.ok() && !old.value().active) {
      Skipped(kSessionFile, path, body.size());
      return old.value();
    }
  }
  std::optional<std::string> fresh = Fetch(client, path, kSessionFile, "the session");
  if (!fresh) return std::nullopt;
  Result<SessionFacts> facts = ReadSessionObject(*fresh);
  if (!facts.ok()) {
    Failed(facts.status().message());
    return std::nullopt;
  }
  return std::move(facts).value();
}

void SessionFetch::PeerFiles(HttpClient& client, const SessionFacts& session, size_t index) {
  const std::string& peer = session.peer_ids[index];
  const std::string file = PeerStatsFile(peer);
  const std::string path = PeerStatsPath(session.id, peer);
  std::error_code ec;
  const uintmax_t size = fs::file_size(fs::path(folder_) / file, ec);
  if (!ec) {
    Skipped(file, path, static_cast<size_t>(size));
  } else {
    Fetch(client, path, file, "peer-stats of peer " + peer);
  }
  PeerEvents(client, session, peer);
  size_t done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done = ++peers_done_;
  }
  Progress("peer-stats " + std::to_string(done) + "/" + std::to_string(session.peer_ids.size()));
}

void SessionFetch::EventPages(HttpClient& client, bool active, const PathOf& path,
                              const NameOf& file, const std::string& what, bool progress) {
  const std::vector<std::string> old = ReadPages(folder_, file);
  if (!active && EventsPagesComplete(old)) {
    RemovePagesFrom(folder_, old.size() + 1, file);
    std::string start;
    for (size_t i = 0; i < old.size(); ++i) {
      Skipped(file(i + 1), path(start), old[i].size());
      start = ReadEventsPage(old[i]).value().next;  // the set reads: EventsPagesComplete
    }
    return;
  }
  std::vector<std::string> seen;
  std::string start;
  for (size_t n = 1;; ++n) {
    const std::string label = what + " page " + std::to_string(n);
    const std::optional<std::string> body = Fetch(client, path(start), file(n), label);
    if (!body) return;
    Result<EventsPageFacts> page = ReadEventsPage(*body);
    Result<std::optional<std::string>> next =
        page.ok() ? NextEventsStart(page.value(), &seen) : page.status();
    if (!next.ok()) {
      Failed(label + ": " + next.status().message());
      return;
    }
    if (progress) Progress(label);
    if (!next.value()) {
      RemovePagesFrom(folder_, n + 1, file);
      return;
    }
    start = *next.value();
  }
}

void SessionFetch::Events(HttpClient& client, const SessionFacts& session) {
  EventPages(
      client, session.active,
      [&](std::string_view start) { return EventsPath(session.room_id, session.id, start); },
      EventsPageFile, "events", true);
}

void SessionFetch::PeerEvents(HttpClient& client, const SessionFacts& session,
                              const std::string& peer) {
  EventPages(
      client, session.active,
      [&](std::string_view start) { return PeerEventsPath(session.room_id, peer, start); },
      [&](size_t n) { return PeerEventsPageFile(peer, n); }, "events of peer " + peer, false);
}

void SessionFetch::WebhookHistory(HttpClient& client, const SessionFacts& session) {
  const std::optional<TimeRange> range = WebhookHistoryRange(session);
  if (!range || !WebhookHistoryAvailable(session, NowMs())) {
    std::lock_guard<std::mutex> lock(mu_);
    manifest_.webhook_history =
        "not asked for: the session started more than 30 days ago (100ms keeps 30 days)";
    return;
  }
  const std::vector<std::string> old = ReadPages(folder_, WebhookPageFile);
  if (!session.active && WebhookPagesComplete(old)) {
    for (size_t i = 0; i < old.size(); ++i) {
      Skipped(WebhookPageFile(i + 1),
              WebhookHistoryPath(session.room_id, range->start, range->end, i + 1), old[i].size());
    }
    std::lock_guard<std::mutex> lock(mu_);
    manifest_.webhook_history = "fetched";
    return;
  }
  for (int64_t n = 1;; ++n) {
    const std::optional<std::string> body =
        Fetch(client, WebhookHistoryPath(session.room_id, range->start, range->end, n),
              WebhookPageFile(static_cast<size_t>(n)), "webhook history page " + std::to_string(n));
    if (!body) return;
    const Result<WebhookPageFacts> page = ReadWebhookHistoryPage(*body);
    if (!page.ok()) {
      Failed(page.status().message());
      return;
    }
    const std::optional<int64_t> next = NextWebhookPage(page.value(), n);
    if (!next) {
      RemovePagesFrom(folder_, static_cast<size_t>(n) + 1, WebhookPageFile);
      std::lock_guard<std::mutex> lock(mu_);
      manifest_.webhook_history = "fetched";
      return;
    }
  }
}

bool SessionFetch::Finish() {
  manifest_.finished_at = FormatRfc3339Ms(NowMs());
  manifest_.complete = ok_;
  if (manifest_.webhook_history.empty()) manifest_.webhook_history = "not fetched";
  const Status s = WriteAtomically(folder_, kManifestFile, ManifestJson(manifest_));
  if (!s.ok()) {
    std::cerr << "callsight: " << s.message() << "\n";
    return false;
  }
  return ok_;
}

bool SessionFetch::Run() {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (!fs::is_directory(folder_, ec)) {
    std::cerr << "callsight: cannot create the folder " << folder_ << "\n";
    return false;
  }
  std::optional<SessionFacts> session;
  {
    HttpClient client(options_.timeout_seconds, kMaxBodyBytes);
    session = Session(client);
  }
  if (!session) {
    Finish();
    return false;
  }
  manifest_.room_id = session->room_id;
  std::vector<std::function<void(HttpClient&)>> jobs;
  jobs.push_back([&](HttpClient& c) { Events(c, *session); });
  jobs.push_back([&](HttpClient& c) { WebhookHistory(c, *session); });
  for (size_t i = 0; i < session->peer_ids.size(); ++i) {
    jobs.push_back([&, i](HttpClient& c) { PeerFiles(c, *session, i); });
  }
  RunJobs(options_, jobs);
  std::stable_sort(manifest_.entries.begin(), manifest_.entries.end(),
                   [](const ManifestEntry& a, const ManifestEntry& b) { return a.file < b.file; });
  return Finish();
}

}  // namespace

Result<std::string> TokenFromEnvironment(int64_t ttl_seconds) {
  if (const char* token = Getenv("HMS_MANAGEMENT_TOKEN")) return std::string(token);
  const char* key = Getenv("HMS_ACCESS_KEY");
  const char* secret = Getenv("HMS_APP_SECRET");
  if (key == nullptr || secret == nullptr) {
    return Status::InvalidArgument(
        "no management token: set HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY and HMS_APP_SECRET");
  }
  return MintManagementToken(key, secret, ttl_seconds);
}

std::string CacheRoot() {
  if (const char* xdg = Getenv("XDG_CACHE_HOME")) return (fs::path(xdg) / "callsight").string();
  if (const char* home = Getenv("HOME")) return (fs::path(home) / ".cache" / "callsight").string();
  return "";
}

bool FetchSession(const FetchOptions& options, const std::string& session_id,
                  const std::string& folder) {
  SessionFetch fetch(options, session_id, folder);
  return fetch.Run();
}

bool FetchRoom(const FetchOptions& options, const std::string& room_id, const std::string& after,
               const std::string& before, const std::string& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  HttpClient client(options.timeout_seconds, kMaxBodyBytes);
  std::vector<std::string> ids, seen;
  std::string start;
  for (size_t n = 1;; ++n) {
    const std::string path = SessionsListPath(room_id, after, before, start);
    HttpResult result;
    for (int attempt = 1;; ++attempt) {
      result = client.Get(options.api + path, options.token);
      const RetryVerdict v = DecideRetry(result, attempt, options.retry);
      if (v.kind != RetryVerdict::Kind::kRetry) break;
      std::this_thread::sleep_for(std::chrono::duration<double>(v.delay_seconds));
    }
    if (result.status < 200 || result.status >= 300) {
      std::cerr << "callsight: "
                << WithoutToken(ExplainFailure(result, "the room's session list"), options.token)
                << "\n";
      return false;
    }
    const Result<SessionsPageFacts> page = ReadSessionsPage(result.body);
    const Status written = WriteAtomically(folder, SessionsPageFile(n), result.body);
    if (!page.ok() || !written.ok()) {
      std::cerr << "callsight: " << (page.ok() ? written : page.status()).message() << "\n";
      return false;
    }
    ids.insert(ids.end(), page.value().ids.begin(), page.value().ids.end());
    const std::optional<std::string> next =
        NextSessionsStart(page.value(), kSessionsPageLimit, &seen);
    if (!next) {
      RemovePagesFrom(folder, n + 1, SessionsPageFile);
      break;
    }
    start = *next;
  }
  std::cerr << "callsight: room " << room_id << ": " << ids.size() << " sessions\n";
  bool ok = true;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (options.progress) {
      std::cerr << "callsight: session " << (i + 1) << "/" << ids.size() << "\n";
    }
    ok = FetchSession(options, ids[i], (fs::path(folder) / SafeName(ids[i])).string()) && ok;
  }
  return ok;
}

}  // namespace cli
}  // namespace callsight
