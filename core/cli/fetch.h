// `callsight fetch`: a session's files from the 100ms REST API (docs/FETCH.md).
// Requests go out a few at a time (FetchOptions::parallel), each retried on
// 429/5xx/no answer with backoff; every answer is written byte for byte,
// atomically (a temporary file renamed into place), and a re-run skips files
// that are complete. Native CLI only (libcurl, OpenSSL).
#ifndef CALLSIGHT_CLI_FETCH_H_
#define CALLSIGHT_CLI_FETCH_H_

#include <string>
#include <vector>

#include "callsight/status.h"
#include "fetch_plan.h"

namespace callsight {
namespace cli {

struct FetchOptions {
  std::string api = "https://api.100ms.live";
  std::string token;  // the management token (never printed)
  double timeout_seconds = 30;
  int parallel = 4;
  RetryPolicy retry;
  bool progress = true;  // "callsight: peer-stats 3/6" on stderr
};

// The management token: HMS_MANAGEMENT_TOKEN, else one minted from
// HMS_ACCESS_KEY and HMS_APP_SECRET (valid for `ttl_seconds`). The message
// names the variables, never their values.
Result<std::string> TokenFromEnvironment(int64_t ttl_seconds = 3600);

// The cache folder of `analyze --session`: $XDG_CACHE_HOME/callsight, else
// $HOME/.cache/callsight; "" when neither variable is set.
std::string CacheRoot();

// Fetches one session into `folder` (created if missing). Returns whether
// every file was fetched (or complete from an earlier run); what failed is
// printed on stderr and recorded in the folder's manifest.
bool FetchSession(const FetchOptions& options, const std::string& session_id,
                  const std::string& folder);

// Fetches every session of `room_id` that started in [after, before] (the
// session list's filters; "" for open ends) into `folder`/<session id>/, the
// list's pages into `folder` itself. Returns whether everything was fetched.
bool FetchRoom(const FetchOptions& options, const std::string& room_id, const std::string& after,
               const std::string& before, const std::string& folder);

}  // namespace cli
}  // namespace callsight

#endif  // CALLSIGHT_CLI_FETCH_H_
