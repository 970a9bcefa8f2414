// HTTP GET for `callsight fetch`, over libcurl (Debian's libcurl4-openssl-dev):
// one client per thread (a curl easy handle, which keeps its connection open
// between requests). Native CLI only; the core never links curl.
#ifndef CALLSIGHT_CLI_HTTP_CLIENT_H_
#define CALLSIGHT_CLI_HTTP_CLIENT_H_

#include <cstddef>
#include <string>

#include "fetch_plan.h"

namespace callsight {
namespace cli {

// Call once before any HttpClient is made (curl_global_init).
bool HttpGlobalInit();

class HttpClient {
 public:
  // `timeout_seconds`: the most one request may take, connecting included.
  // `max_body_bytes`: a longer answer is cut off and reported as an error.
  HttpClient(double timeout_seconds, size_t max_body_bytes);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // GET `url` with "Authorization: Bearer <bearer>". Redirects are not
  // followed (the token would go with them). The result's `error` names what
  // went wrong without the token.
  HttpResult Get(const std::string& url, const std::string& bearer);

 private:
  void* curl_;  // CURL*
  double timeout_seconds_;
  size_t max_body_bytes_;
};

}  // namespace cli
}  // namespace callsight

#endif  // CALLSIGHT_CLI_HTTP_CLIENT_H_
