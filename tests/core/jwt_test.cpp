// The management token's JWT (core/cli/jwt.h). The expected values were
// computed outside this code, with the openssl command line:
//   printf '%s' "$header.$payload" | openssl dgst -sha256 -hmac 'app-secret-xyz' -binary
// base64url-encoded without padding (openssl base64 -A | tr '+/' '-_' | tr -d =).
#include "jwt.h"

#include <catch2/catch.hpp>
#include <string>

using namespace callsight::cli;

namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

}  // namespace

TEST_CASE("jwt: base64url without padding (RFC 4648 test vectors)", "[jwt]") {
  CHECK(Base64Url("") == "");
  CHECK(Base64Url("f") == "Zg");
  CHECK(Base64Url("fo") == "Zm8");
  CHECK(Base64Url("foo") == "Zm9v");
  CHECK(Base64Url("foob") == "Zm9vYg");
  CHECK(Base64Url("fooba") == "Zm9vYmE");
  CHECK(Base64Url("foobar") == "Zm9vYmFy");
  CHECK(Base64Url("\xfb\xff") == "-_8");  // the URL-safe letters, not + and /
}

TEST_CASE("jwt: HMAC-SHA256 (RFC 4231 test case 2)", "[jwt]") {
  const auto mac = HmacSha256("Jefe", "what do ya want for nothing?");
  REQUIRE(mac.ok());
  CHECK(Hex(mac.value()) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("jwt: a management token's claims and signature", "[jwt]") {
  const std::string claims =
      ManagementClaims("ak-123", 1700000000, 3600, "5b1f3c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f");
  CHECK(claims ==
        R"({"access_key":"ak-123","type":"management","version":2,"iat":1700000000,)"
        R"("nbf":1700000000,"exp":1700003600,"jti":"5b1f3c1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f"})");
  const auto token = SignHs256(claims, "app-secret-xyz");
  REQUIRE(token.ok());
  CHECK(token.value() ==
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJhY2Nlc3Nfa2V5IjoiYWstMTIzIiwidHlwZSI6Im1hbmFnZW1lbnQiLCJ2ZXJzaW9uIjoyLCJpYXQiOjE3MDAw"
        "MDAwMDAsIm5iZiI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJqdGkiOiI1YjFmM2MxZS0yZDRhLTRjNmIt"
        "OWU4Zi0wYTFiMmMzZDRlNWYifQ.Gpn8C3M8EX1irsm8t9bhKvoVYEO1Z934aT3QQKtTbRo");
  // Another secret, another signature.
  const auto other = SignHs256(claims, "app-secret-xyZ");
  REQUIRE(other.ok());
  CHECK(other.value() != token.value());
}

TEST_CASE("jwt: minted tokens have fresh ids and are well formed", "[jwt]") {
  const auto a = MintManagementToken("key", "the-secret-value", 600);
  const auto b = MintManagementToken("key", "the-secret-value", 600);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value() != b.value());  // jti differs
  const auto uuid = RandomUuid();
  REQUIRE(uuid.ok());
  REQUIRE(uuid.value().size() == 36);
  CHECK(uuid.value()[14] == '4');
  CHECK(std::string("89ab").find(uuid.value()[19]) != std::string::npos);
}
