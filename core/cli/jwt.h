// Management tokens for the 100ms REST API, minted as 100ms documents them
// (docs/FETCH.md, "Authentication"): an HS256 JSON Web Token signed with the
// app secret, whose claims are access_key, type "management", version 2,
// iat, nbf, exp and a random jti. HMAC-SHA256 comes from OpenSSL (Debian's
// libssl); this module is part of the native CLI only, never of the core.
#ifndef CALLSIGHT_CLI_JWT_H_
#define CALLSIGHT_CLI_JWT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "callsight/status.h"

namespace callsight {
namespace cli {

// RFC 4648 §5 base64url without padding (as JWTs write their parts).
std::string Base64Url(std::string_view bytes);

// The 32-byte HMAC-SHA256 of `data` under `key`; Internal if OpenSSL fails.
Result<std::string> HmacSha256(std::string_view key, std::string_view data);

// header.payload.signature for `payload_json`, with the header
// {"alg":"HS256","typ":"JWT"}, signed with `secret`.
Result<std::string> SignHs256(std::string_view payload_json, std::string_view secret);

// The claims of a management token, as JSON: issued and valid from `now`
// (Unix seconds), expiring `ttl_seconds` later, with the token id `jti`.
std::string ManagementClaims(std::string_view access_key, int64_t now, int64_t ttl_seconds,
                             std::string_view jti);

// A random version-4 UUID (from OpenSSL's RAND_bytes), for jti.
Result<std::string> RandomUuid();

// A management token for `access_key` signed with `secret`, valid from now
// for `ttl_seconds`.
Result<std::string> MintManagementToken(std::string_view access_key, std::string_view secret,
                                        int64_t ttl_seconds);

}  // namespace cli
}  // namespace callsight

#endif  // CALLSIGHT_CLI_JWT_H_
