#include "jwt.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdio>

#include "json/json_writer.h"

namespace callsight {
namespace cli {

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                       (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                       uint32_t{static_cast<uint8_t>(bytes[i + 2])};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

Result<std::string> HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const unsigned char* ok =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_size);
  if (ok == nullptr || mac_size != 32) return Status::Internal("HMAC-SHA256 failed in OpenSSL");
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

Result<std::string> SignHs256(std::string_view payload_json, std::string_view secret) {
  const std::string signing_input =
      Base64Url(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64Url(payload_json);
  Result<std::string> mac = HmacSha256(secret, signing_input);
  if (!mac.ok()) return mac.status();
  return signing_input + "." + Base64Url(mac.value());
}

std::string ManagementClaims(std::string_view access_key, int64_t now, int64_t ttl_seconds,
                             std::string_view jti) {
  json::JsonWriter w;
  w.BeginObject()
      .Field("access_key", access_key)
      .Field("type", "management")
      .Field("version", 2)
      .Field("iat", now)
      .Field("nbf", now)
      .Field("exp", now + ttl_seconds)
      .Field("jti", jti)
      .EndObject();
  return w.Take();
}

Result<std::string> RandomUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return Status::Internal("no random bytes from OpenSSL");
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string(text);
}

Result<std::string> MintManagementToken(std::string_view access_key, std::string_view secret,
                                        int64_t ttl_seconds) {
  Result<std::string> jti = RandomUuid();
  if (!jti.ok()) return jti.status();
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return SignHs256(ManagementClaims(access_key, now, ttl_seconds, jti.value()), secret);
}

}  // namespace cli
}  // namespace callsight
