// The 100ms SDK error codes (core/src/analysis/error_codes.h), their prose
// (core/src/report/error_text.h), and their agreement with docs/ERRORS.md.
#include "analysis/error_codes.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/error_text.h"

using namespace callsight::analysis;

// Failures print the enums by name.
namespace Catch {
template <>
struct StringMaker<ErrorKind> {
  static std::string convert(ErrorKind k) { return ErrorKindName(k); }
};
template <>
struct StringMaker<ErrorFamily> {
  static std::string convert(ErrorFamily f) { return ErrorFamilyName(f); }
};
template <>
struct StringMaker<ErrorSide> {
  static std::string convert(ErrorSide s) { return ErrorSideName(s); }
};
}  // namespace Catch
using callsight::report::ErrorAdvice;
using callsight::report::ErrorMeaning;
using callsight::report::ErrorSideText;

namespace {

// Written by hand from the web SDK's ErrorCodes.ts / ErrorFactory.ts and
// 100ms's error-handling docs (see docs/ERRORS.md), not from the table.
struct Expected {
  ErrorKind kind;
  ErrorFamily family;
  std::vector<int> codes;
};

const std::vector<Expected>& HandWrittenCodes() {
  using K = ErrorKind;
  using F = ErrorFamily;
  static const std::vector<Expected> expected = {
      {K::kWebSocketFailedToConnect, F::kWebSocket, {1000}},
      {K::kWebSocketConnectionLost, F::kWebSocket, {1003}},
      {K::kWebSocketAbnormalClose, F::kWebSocket, {1006}},
      {K::kServerError, F::kApi, {2000}},
      {K::kInitConfigUnavailable, F::kApi, {2002}},
      {K::kEndpointUnreachable, F::kApi, {2003}},
      {K::kInvalidToken, F::kApi, {2004}},
      {K::kDeviceError, F::kDevice, {3000}},
      {K::kDeviceAccessDenied, F::kDevice, {3001, 3016}},
      {K::kDeviceNotAvailable, F::kDevice, {3002, 3014}},
      {K::kDeviceInUse, F::kDevice, {3003}},
      {K::kDeviceLost, F::kDevice, {3004}},
      {K::kNothingToPublish, F::kDevice, {3005}},
      {K::kInvalidTrackSettings, F::kDevice, {3006, 3007}},
      {K::kAutoplayBlocked, F::kDevice, {3008}},
      {K::kDeviceOverConstrained, F::kDevice, {3009}},
      {K::kNoAudioDetected, F::kDevice, {3010}},
      {K::kSystemPermissionDenied, F::kDevice, {3011}},
      {K::kCurrentTabNotShared, F::kDevice, {3012}},
      {K::kAudioPlaybackFailed, F::kDevice, {3013}},
      {K::kTrackHasNoData, F::kDevice, {3015}},
      {K::kSdpNegotiationFailed, F::kWebRtc, {4001, 4002, 4003, 4004}},
      {K::kIceFailure, F::kWebRtc, {4005}},
      {K::kIceDisconnected, F::kWebRtc, {4006}},
      {K::kStatsFailed, F::kWebRtc, {4007}},
      {K::kServerError, F::kSignalling, {5000}},
      {K::kAlreadyJoined, F::kSignalling, {5001}},
      {K::kPreviewInProgress, F::kSignalling, {5002}},
      {K::kNotConnected, F::kGeneric, {6000}},
      {K::kSignallingError, F::kGeneric, {6001}},
      {K::kSdkInternalError, F::kGeneric, {6002, 6003, 6004, 6005, 6006, 6007}},
      {K::kInvalidRole, F::kGeneric, {6008}},
      {K::kPreviewInProgress, F::kGeneric, {6009}},
      {K::kInsecureContext, F::kGeneric, {6010}},
      {K::kWebRtcUnsupported, F::kGeneric, {6011}},
      {K::kLocalStorageDenied, F::kGeneric, {6012}},
      {K::kValidationFailed, F::kGeneric, {6013}},
      {K::kPluginUnsupported, F::kPlugin, {7001, 7005}},
      {K::kPluginFailed, F::kPlugin, {7002, 7003, 7004}},
      {K::kPluginNotEnabled, F::kPlugin, {7006}},
      {K::kPlaylistNothingToPlay, F::kPlaylist, {8001, 8002}},
      {K::kRequestRejected, F::kServer, {400}},
      {K::kTokenRejected,
       F::kServer,
       {401, 40100, 40101, 40102, 40103, 40104, 40105, 40107, 40108, 40109}},
      {K::kPeerGone, F::kServer, {410, 41001}},
      {K::kRateLimited, F::kServer, {429}},
      {K::kServerError, F::kServer, {500}},
      {K::kInvalidRoom, F::kServer, {40001, 40002}},
      {K::kAlreadyJoined, F::kServer, {40004}},
  };
  return expected;
}

ErrorInfo Code(int code) { return ClassifyError(std::to_string(code), ""); }

std::string Trim(std::string s) {
  const char* ws = " \t\r";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

// The cells of a Markdown table row, trimmed, without backticks.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line.substr(1));  // after the leading '|'
  std::string cell;
  while (std::getline(in, cell, '|')) {
    std::string clean;
    for (char c : cell) {
      if (c != '`') clean.push_back(c);
    }
    cells.push_back(Trim(clean));
  }
  if (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

// Body rows of each "## " section's table, by section title.
std::map<std::string, std::vector<std::vector<std::string>>> ReadDocTables(
    const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::map<std::string, std::vector<std::vector<std::string>>> tables;
  std::string section, line;
  bool header_seen = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = Trim(line.substr(3));
      header_seen = false;
    } else if (line.rfind("|", 0) == 0) {
      if (line.find("---") != std::string::npos) continue;
      if (!header_seen) {
        header_seen = true;
        continue;
      }
      tables[section].push_back(Cells(line));
    }
  }
  return tables;
}

const std::string kDoc = std::string(CALLSIGHT_SOURCE_DIR) + "/docs/ERRORS.md";

}  // namespace

TEST_CASE("every listed error code classifies to its hand-written kind and family", "[errors]") {
  size_t count = 0;
  for (const Expected& e : HandWrittenCodes()) {
    for (int code : e.codes) {
      INFO("code " << code);
      const ErrorInfo info = Code(code);
      CHECK(info.code == code);
      CHECK(info.kind == e.kind);
      CHECK(info.family == e.family);
      CHECK(info.match == ErrorMatch::kCode);
      ++count;
    }
  }
  // ...and the table lists no code the hand-written list does not.
  CHECK(ListedErrorCodes().size() == count);
}

TEST_CASE("the codes in 100ms's real error events and the generator classify", "[errors]") {
  // analytics_error-events__00/01.json: 4006 ICEDisconnected; __02: 500 ServerErrors.
  ErrorInfo ice = ClassifyError("4006", "ICEDisconnected");
  CHECK(ice.kind == ErrorKind::kIceDisconnected);
  CHECK(ice.family == ErrorFamily::kWebRtc);
  CHECK(ice.side == ErrorSide::kNetwork);
  CHECK(ice.match == ErrorMatch::kCode);
  ErrorInfo sfu = ClassifyError("500", "ServerErrors");
  CHECK(sfu.kind == ErrorKind::kServerError);
  CHECK(sfu.family == ErrorFamily::kServer);
  CHECK(sfu.side == ErrorSide::kPlatform);
  // scripts/gen/lib.mjs
  CHECK(ClassifyError("4005", "ICEFailure").kind == ErrorKind::kIceFailure);
  CHECK(ClassifyError("2003", "EndpointUnreachable").kind == ErrorKind::kEndpointUnreachable);
  CHECK(ClassifyError("3001", "CantAccessCaptureDevice").kind == ErrorKind::kDeviceAccessDenied);
  CHECK(ClassifyError("1003", "WebSocketConnectionLost").kind ==
        ErrorKind::kWebSocketConnectionLost);
}

TEST_CASE("a name without a code still tells the kind", "[errors]") {
  struct Case {
    const char* name;
    ErrorKind kind;
    ErrorFamily family;
  };
  const Case cases[] = {
      {"ICEFailure", ErrorKind::kIceFailure, ErrorFamily::kWebRtc},
      {"ICEDisconnected", ErrorKind::kIceDisconnected, ErrorFamily::kWebRtc},
      {"WebSocketConnectionLost", ErrorKind::kWebSocketConnectionLost, ErrorFamily::kWebSocket},
      {"WebsocketFailedToConnect", ErrorKind::kWebSocketFailedToConnect, ErrorFamily::kWebSocket},
      {"EndpointUnreachable", ErrorKind::kEndpointUnreachable, ErrorFamily::kApi},
      {"InvalidTokenFormat", ErrorKind::kInvalidToken, ErrorFamily::kApi},
      {"CantAccessCaptureDevice", ErrorKind::kDeviceAccessDenied, ErrorFamily::kDevice},
      {"DeviceInUse", ErrorKind::kDeviceInUse, ErrorFamily::kDevice},
      {"Audio playback error", ErrorKind::kAudioPlaybackFailed, ErrorFamily::kDevice},
      {"Track does not have any data", ErrorKind::kTrackHasNoData, ErrorFamily::kDevice},
      {"ServerErrors", ErrorKind::kServerError, ErrorFamily::kServer},
      {"MissingRTCPeerConnection", ErrorKind::kWebRtcUnsupported, ErrorFamily::kGeneric},
      {"NoEntryIsPlaying", ErrorKind::kPlaylistNothingToPlay, ErrorFamily::kPlaylist},
      // iOS names (HMSErrorCode.h)
      {"MicCaptureFailed", ErrorKind::kDeviceError, ErrorFamily::kDevice},
      {"AVSubsystemInUse", ErrorKind::kDeviceInUse, ErrorFamily::kDevice},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const ErrorInfo info = ClassifyError("", c.name);
    CHECK_FALSE(info.code.has_value());
    CHECK(info.kind == c.kind);
    CHECK(info.family == c.family);
    CHECK(info.match == ErrorMatch::kName);
  }
  // Every listed name, alone, gives its own entry: no two names collide once
  // case and underscores are ignored.
  for (const ErrorNameEntry& e : ListedErrorNames()) {
    INFO(e.name);
    const ErrorInfo info = ClassifyError("", e.name);
    CHECK(info.kind == e.kind);
    CHECK(info.family == e.family);
  }
  // Each code's web name alone gives the code's kind; but the shared
  // "ServerErrors" reads as a server error, and 6002's "Unknown" says nothing.
  for (const ErrorCodeEntry& c : ListedErrorCodes()) {
    INFO(c.code << " " << c.sdk_name);
    const ErrorInfo info = ClassifyError("", c.sdk_name);
    if (std::string(c.sdk_name) == "ServerErrors") {
      CHECK(info.kind == ErrorKind::kServerError);
    } else if (std::string(c.sdk_name) == "Unknown") {
      CHECK(info.match == ErrorMatch::kNone);
    } else {
      CHECK(info.kind == c.kind);
    }
  }
}

TEST_CASE("names match ignoring case and punctuation", "[errors]") {
  for (const char* name : {"icedisconnected", "ICEDISCONNECTED", "ICE_DISCONNECTED",
                           "  IceDisconnected ", "ice-disconnected"}) {
    INFO(name);
    CHECK(ClassifyError("", name).kind == ErrorKind::kIceDisconnected);
  }
  CHECK(ClassifyError("", "TRACK DOES NOT HAVE ANY DATA").kind == ErrorKind::kTrackHasNoData);
  CHECK(ClassifyError("", "cant_access_capture_device").kind == ErrorKind::kDeviceAccessDenied);
  CHECK(ClassifyError("", "server_errors").kind == ErrorKind::kServerError);
  // The web SDK's constants where they differ from its names.
  CHECK(ClassifyError("", "FAILED_TO_CONNECT").kind == ErrorKind::kWebSocketFailedToConnect);
  CHECK(ClassifyError("", "AUTOPLAY_ERROR").kind == ErrorKind::kAutoplayBlocked);
  // Near misses are not names.
  CHECK(ClassifyError("", "ICEDisconnect").kind == ErrorKind::kUnknown);
  CHECK(ClassifyError("", "ICEDisconnectedX").kind == ErrorKind::kUnknown);
  CHECK(ClassifyError("", "").match == ErrorMatch::kNone);
  CHECK(ClassifyError("", "___").match == ErrorMatch::kNone);
}

TEST_CASE("unknown codes fall back to their family by range", "[errors]") {
  struct Case {
    const char* code;
    ErrorFamily family;
    ErrorKind kind;
    ErrorSide side;
  };
  const Case cases[] = {
      {"1999", ErrorFamily::kWebSocket, ErrorKind::kUnknown, ErrorSide::kNetwork},
      {"2999", ErrorFamily::kApi, ErrorKind::kUnknown, ErrorSide::kUnknown},
      {"3999", ErrorFamily::kDevice, ErrorKind::kUnknown, ErrorSide::kUser},
      {"4999", ErrorFamily::kWebRtc, ErrorKind::kUnknown, ErrorSide::kNetwork},
      {"5999", ErrorFamily::kSignalling, ErrorKind::kUnknown, ErrorSide::kPlatform},
      {"6999", ErrorFamily::kGeneric, ErrorKind::kUnknown, ErrorSide::kUnknown},
      {"7999", ErrorFamily::kPlugin, ErrorKind::kUnknown, ErrorSide::kUnknown},
      {"8999", ErrorFamily::kPlaylist, ErrorKind::kUnknown, ErrorSide::kApplication},
      // Server codes outside the list: 4xx is the request's fault, 5xx the server's.
      {"403", ErrorFamily::kServer, ErrorKind::kRequestRejected, ErrorSide::kApplication},
      {"40399", ErrorFamily::kServer, ErrorKind::kRequestRejected, ErrorSide::kApplication},
      {"503", ErrorFamily::kServer, ErrorKind::kServerError, ErrorSide::kPlatform},
      {"50300", ErrorFamily::kServer, ErrorKind::kServerError, ErrorSide::kPlatform},
  };
  for (const Case& c : cases) {
    INFO(c.code);
    const ErrorInfo info = ClassifyError(c.code, "");
    CHECK(info.family == c.family);
    CHECK(info.kind == c.kind);
    CHECK(info.side == c.side);
    CHECK(info.match == ErrorMatch::kCodeRange);
  }
  for (const char* outside : {"0", "42", "200", "9001", "60000", "99999"}) {
    INFO(outside);
    const ErrorInfo info = ClassifyError(outside, "");
    CHECK(info.code.has_value());
    CHECK(info.family == ErrorFamily::kUnknown);
    CHECK(info.kind == ErrorKind::kUnknown);
    CHECK(info.match == ErrorMatch::kNone);
  }
  CHECK(ErrorFamilyOfCode(4006) == ErrorFamily::kWebRtc);
  CHECK(ErrorFamilyOfCode(599) == ErrorFamily::kServer);
  CHECK(ErrorFamilyOfCode(600) == ErrorFamily::kUnknown);
}

TEST_CASE("the code text is read as digits only", "[errors]") {
  CHECK(ClassifyError(" 4006 ", "").code == 4006);
  CHECK(ClassifyError("\t500\n", "").kind == ErrorKind::kServerError);
  for (const char* not_a_code : {"", " ", "4006abc", "40.06", "-4006", "+4006", "1234567890"}) {
    INFO(not_a_code);
    const ErrorInfo info = ClassifyError(not_a_code, "");
    CHECK_FALSE(info.code.has_value());
    CHECK(info.kind == ErrorKind::kUnknown);
  }
  // A code that is not a number leaves the name to decide.
  CHECK(ClassifyError("n/a", "DeviceInUse").kind == ErrorKind::kDeviceInUse);
}

TEST_CASE("code and name together", "[errors]") {
  // The shared name defers to a listed code...
  CHECK(ClassifyError("401", "ServerErrors").kind == ErrorKind::kTokenRejected);
  CHECK(ClassifyError("41001", "ServerErrors").kind == ErrorKind::kPeerGone);
  CHECK(ClassifyError("5000", "ServerErrors").family == ErrorFamily::kSignalling);
  // ...to an unlisted server code's range...
  CHECK(ClassifyError("404", "ServerErrors").kind == ErrorKind::kRequestRejected);
  // ...and with an unlisted SDK code gives its kind in the code's family.
  const ErrorInfo api = ClassifyError("2999", "ServerErrors");
  CHECK(api.kind == ErrorKind::kServerError);
  CHECK(api.family == ErrorFamily::kApi);
  CHECK(api.match == ErrorMatch::kName);
  // An unlisted code with a listed name: the name decides.
  const ErrorInfo ice = ClassifyError("4999", "ICEFailure");
  CHECK(ice.kind == ErrorKind::kIceFailure);
  CHECK(ice.match == ErrorMatch::kName);
  // A name that means something else than the web SDK's code (iOS 3008):
  const ErrorInfo ios = ClassifyError("3008", "AudiovideoSubsystemFailure");
  CHECK(ios.kind == ErrorKind::kDeviceError);
  CHECK(ios.match == ErrorMatch::kName);
  // The web SDK's own pair agrees and counts as matched by code.
  const ErrorInfo web = ClassifyError("3008", "AutoplayBlocked");
  CHECK(web.kind == ErrorKind::kAutoplayBlocked);
  CHECK(web.match == ErrorMatch::kCode);
  // An unknown name leaves the code to decide.
  CHECK(ClassifyError("3003", "SomethingElse").kind == ErrorKind::kDeviceInUse);
}

TEST_CASE("sides point at who can act", "[errors]") {
  CHECK(Code(3001).side == ErrorSide::kUser);
  CHECK(Code(3003).side == ErrorSide::kUser);
  CHECK(Code(1003).side == ErrorSide::kNetwork);
  CHECK(Code(4005).side == ErrorSide::kNetwork);
  CHECK(Code(2003).side == ErrorSide::kNetwork);
  CHECK(Code(2004).side == ErrorSide::kApplication);
  CHECK(Code(40101).side == ErrorSide::kApplication);
  CHECK(Code(6010).side == ErrorSide::kApplication);
  CHECK(Code(500).side == ErrorSide::kPlatform);
  CHECK(Code(5000).side == ErrorSide::kPlatform);
  CHECK(ClassifyError("", "").side == ErrorSide::kUnknown);
}

TEST_CASE("error names round-trip and are unique", "[errors]") {
  std::set<std::string> kinds, families, sides;
  for (int i = 0; i < kErrorKindCount; ++i) {
    const auto k = static_cast<ErrorKind>(i);
    INFO(i);
    REQUIRE(ErrorKindName(k) != nullptr);
    CHECK(ErrorKindFromName(ErrorKindName(k)) == k);
    kinds.insert(ErrorKindName(k));
  }
  for (int i = 0; i < kErrorFamilyCount; ++i) {
    const auto f = static_cast<ErrorFamily>(i);
    REQUIRE(ErrorFamilyName(f) != nullptr);
    CHECK(ErrorFamilyFromName(ErrorFamilyName(f)) == f);
    families.insert(ErrorFamilyName(f));
  }
  for (int i = 0; i < kErrorSideCount; ++i) {
    const auto s = static_cast<ErrorSide>(i);
    REQUIRE(ErrorSideName(s) != nullptr);
    CHECK(ErrorSideFromName(ErrorSideName(s)) == s);
    sides.insert(ErrorSideName(s));
  }
  CHECK(kinds.size() == static_cast<size_t>(kErrorKindCount));
  CHECK(families.size() == static_cast<size_t>(kErrorFamilyCount));
  CHECK(sides.size() == static_cast<size_t>(kErrorSideCount));
  CHECK_FALSE(ErrorKindFromName("ICEFailure").has_value());
  CHECK(ErrorKindFromName("ice_failure") == ErrorKind::kIceFailure);
}

TEST_CASE("docs/ERRORS.md and the C++ tables agree", "[errors]") {
  const auto tables = ReadDocTables(kDoc);

  SECTION("codes") {
    REQUIRE(tables.count("Codes") == 1);
    std::set<int> documented;
    for (const auto& row : tables.at("Codes")) {
      REQUIRE(row.size() == 4);  // code, name, family, kind
      INFO("docs row " << row[0]);
      const int code = std::stoi(row[0]);
      CHECK(documented.insert(code).second);
      const ErrorInfo info = Code(code);
      CHECK(info.match == ErrorMatch::kCode);
      CHECK(ErrorFamilyName(info.family) == row[2]);
      CHECK(ErrorKindName(info.kind) == row[3]);
      // The name column holds the name the table gives the code.
      for (const ErrorCodeEntry& e : ListedErrorCodes()) {
        if (e.code == code) CHECK(row[1] == e.sdk_name);
      }
    }
    CHECK(documented.size() == ListedErrorCodes().size());
  }
  SECTION("names") {
    REQUIRE(tables.count("Names") == 1);
    std::set<std::string> documented;
    for (const auto& row : tables.at("Names")) {
      REQUIRE(row.size() == 4);  // name, family, kind, decides
      INFO("docs row " << row[0]);
      CHECK(documented.insert(row[0]).second);
      const ErrorInfo info = ClassifyError("", row[0]);
      CHECK(ErrorFamilyName(info.family) == row[1]);
      CHECK(ErrorKindName(info.kind) == row[2]);
      bool found = false;
      for (const ErrorNameEntry& e : ListedErrorNames()) {
        if (row[0] == e.name) {
          found = true;
          CHECK(row[3] == (e.decides ? "yes" : "no"));
        }
      }
      CHECK(found);
    }
    CHECK(documented.size() == ListedErrorNames().size());
  }
  SECTION("kinds") {
    REQUIRE(tables.count("Kinds") == 1);
    std::set<ErrorKind> documented;
    for (const auto& row : tables.at("Kinds")) {
      REQUIRE(row.size() == 4);  // kind, side, meaning, advice
      INFO("docs row " << row[0]);
      const auto kind = ErrorKindFromName(row[0]);
      REQUIRE(kind.has_value());
      CHECK(documented.insert(*kind).second);
      CHECK(ErrorSideName(ErrorSideOfKind(*kind)) == row[1]);
      CHECK(ErrorMeaning(*kind) == row[2]);
      CHECK(ErrorAdvice(*kind) == row[3]);
    }
    CHECK(documented.size() == static_cast<size_t>(kErrorKindCount));
  }
  SECTION("families") {
    REQUIRE(tables.count("Families") == 1);
    std::set<ErrorFamily> documented;
    for (const auto& row : tables.at("Families")) {
      REQUIRE(row.size() == 4);  // family, side, meaning, advice
      INFO("docs row " << row[0]);
      const auto family = ErrorFamilyFromName(row[0]);
      REQUIRE(family.has_value());
      CHECK(documented.insert(*family).second);
      CHECK(ErrorSideName(ErrorSideOfFamily(*family)) == row[1]);
      CHECK(ErrorMeaning(*family) == row[2]);
      CHECK(ErrorAdvice(*family) == row[3]);
    }
    CHECK(documented.size() == static_cast<size_t>(kErrorFamilyCount));
  }
  SECTION("sides") {
    REQUIRE(tables.count("Sides") == 1);
    std::set<ErrorSide> documented;
    for (const auto& row : tables.at("Sides")) {
      REQUIRE(row.size() == 2);  // side, text
      INFO("docs row " << row[0]);
      const auto side = ErrorSideFromName(row[0]);
      REQUIRE(side.has_value());
      CHECK(documented.insert(*side).second);
      CHECK(ErrorSideText(*side) == row[1]);
    }
    CHECK(documented.size() == static_cast<size_t>(kErrorSideCount));
  }
}
