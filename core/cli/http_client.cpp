#include "http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <string_view>

namespace callsight {
namespace cli {
namespace {

struct Transfer {
  std::string* body;
  size_t max_body_bytes;
  bool too_large = false;
  std::optional<double> retry_after;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->body->size() + n > t->max_body_bytes) {
    t->too_large = true;
    return 0;  // curl stops the transfer
  }
  t->body->append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (match) t->retry_after = ParseRetryAfter(line.substr(kName.size()));
  }
  return n;
}

}  // namespace

bool HttpGlobalInit() { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }

HttpClient::HttpClient(double timeout_seconds, size_t max_body_bytes)
    : curl_(curl_easy_init()), timeout_seconds_(timeout_seconds), max_body_bytes_(max_body_bytes) {}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::Get(const std::string& url, const std::string& bearer) {
  HttpResult result;
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) {
    result.error = "libcurl could not start";
    return result;
  }
  Transfer transfer{&result.body, max_body_bytes_, false, std::nullopt};
  char error[CURL_ERROR_SIZE] = {0};
  const std::string auth = "Authorization: Bearer " + bearer;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "callsight/" CALLSIGHT_VERSION);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_seconds_ * 1000));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    result.status = 0;
    result.body.clear();
    result.error = transfer.too_large
                       ? "the answer is longer than " + std::to_string(max_body_bytes_) + " bytes"
                       : std::string(error[0] != '\0' ? error : curl_easy_strerror(code));
    return result;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  result.retry_after_seconds = transfer.retry_after;
  return result;
}

}  // namespace cli
}  // namespace callsight
