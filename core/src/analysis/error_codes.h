// The 100ms SDK's error codes, classified: which family a code belongs to, what
// kind of failure it is, and on whose side the cause most likely lies. Typed
// only; the words that explain each kind and family are in
// core/src/report/error_text.h. The table and its sources: docs/ERRORS.md.
#ifndef CALLSIGHT_ANALYSIS_ERROR_CODES_H_
#define CALLSIGHT_ANALYSIS_ERROR_CODES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callsight::analysis {

// Families follow the SDK's numbering by thousands; kServer holds the
// HTTP-like codes 100ms's servers return (400-599, and 40000-59999: a status
// times 100 plus a detail, such as 40101).
enum class ErrorFamily : unsigned char {
  kUnknown,
  kWebSocket,   // 1xxx: the signalling WebSocket connection
  kApi,         // 2xxx: start-up (init), token, endpoint
  kDevice,      // 3xxx: tracks and capture devices
  kWebRtc,      // 4xxx: SDP offer/answer, ICE
  kSignalling,  // 5xxx: replies to WebSocket methods (join, ...)
  kGeneric,     // 6xxx: SDK state and misuse
  kPlugin,      // 7xxx: audio and video plugins
  kPlaylist,    // 8xxx: playlist
  kServer,      // HTTP-like codes from 100ms's servers
};
inline constexpr int kErrorFamilyCount = 10;

// The failures behind the listed codes. Several codes can share a kind (4001 to
// 4004 are all kSdpNegotiationFailed); a kind can occur in several families
// (kServerError for 2000, 5000 and 500).
enum class ErrorKind : unsigned char {
  kUnknown,
  // WebSocket
  kWebSocketFailedToConnect,
  kWebSocketConnectionLost,
  kWebSocketAbnormalClose,
  // API
  kInitConfigUnavailable,
  kEndpointUnreachable,
  kInvalidToken,
  // Devices and tracks
  kDeviceError,
  kDeviceAccessDenied,
  kSystemPermissionDenied,
  kDeviceNotAvailable,
  kDeviceInUse,
  kDeviceLost,
  kDeviceOverConstrained,
  kNoAudioDetected,
  kTrackHasNoData,
  kAutoplayBlocked,
  kAudioPlaybackFailed,
  kCurrentTabNotShared,
  kNothingToPublish,
  kInvalidTrackSettings,
  // WebRTC
  kSdpNegotiationFailed,
  kIceFailure,
  kIceDisconnected,
  kStatsFailed,
  // Signalling and server
  kServerError,
  kAlreadyJoined,
  kPreviewInProgress,
  // Generic
  kNotConnected,
  kSignallingError,
  kSdkInternalError,
  kInvalidRole,
  kInsecureContext,
  kWebRtcUnsupported,
  kLocalStorageDenied,
  kValidationFailed,
  // Plugins and playlist
  kPluginUnsupported,
  kPluginFailed,
  kPluginNotEnabled,
  kPlaylistNothingToPlay,
  // HTTP-like server codes
  kRequestRejected,
  kTokenRejected,
  kInvalidRoom,
  kPeerGone,
  kRateLimited,
};
inline constexpr int kErrorKindCount = 45;

// Where the cause most likely lies, so the issue text can point at who can act.
enum class ErrorSide : unsigned char {
  kUnknown,      // the code alone does not say
  kUser,         // the user's device, browser, operating system or permissions
  kNetwork,      // the network between the user and 100ms
  kApplication,  // the app built on the SDK: token, room setup, call order
  kPlatform,     // 100ms: its servers or the SDK itself
};
inline constexpr int kErrorSideCount = 5;

// How ClassifyError reached its answer.
enum class ErrorMatch : unsigned char {
  kNone,       // neither the code nor the name is known
  kCodeRange,  // the code is not listed: family (and for server codes, the
               // kind) from its range
  kCode,       // the code is listed
  kName,       // the name is listed (the code is absent, unlisted, or means
               // something else in the web SDK)
};

// snake_case names for reports: "websocket", "ice_disconnected", "network", ...
const char* ErrorFamilyName(ErrorFamily f);
const char* ErrorKindName(ErrorKind k);
const char* ErrorSideName(ErrorSide s);
// Inverses of the above (exact, lower case); nullopt for an unknown name.
std::optional<ErrorFamily> ErrorFamilyFromName(std::string_view name);
std::optional<ErrorKind> ErrorKindFromName(std::string_view name);
std::optional<ErrorSide> ErrorSideFromName(std::string_view name);

struct ErrorInfo {
  std::optional<int> code;  // the code, when code_text held a number
  ErrorFamily family = ErrorFamily::kUnknown;
  ErrorKind kind = ErrorKind::kUnknown;
  ErrorSide side = ErrorSide::kUnknown;
  ErrorMatch match = ErrorMatch::kNone;
};

// Classifies an error event's error_code (as text: "4006", " 500 ", or "") and
// error_name (as written by the SDK). Names are matched ignoring case and all
// but letters and digits, so "ICEFailure", "icefailure" and the SDK's constant
// "ICE_FAILURE" are one name. In order:
//  1. a listed name that decides (every listed name but the shared one,
//     "ServerErrors", which the SDK writes with many codes) gives the kind and
//     family, unless the code is listed with the same kind (then match is
//     kCode): a mobile SDK's name wins over a code that means something else
//     in the web SDK;
//  2. a listed code gives the kind and family;
//  3. an unlisted server code gives the family kServer and the kind
//     kRequestRejected (4xx, 4xxxx) or kServerError (5xx, 5xxxx);
//  4. a shared name gives its kind, and the family by the code's range (by its
//     thousands digit: 3999 is kDevice), or the name's family without one;
//  5. otherwise the family by the code's range, the kind kUnknown.
// The side is the kind's, or the family's when the kind is unknown.
ErrorInfo ClassifyError(std::string_view code_text, std::string_view error_name);

// The family a code falls in by its range alone (kUnknown outside them).
ErrorFamily ErrorFamilyOfCode(int code);
// The side a kind, or a family with an unknown kind, points at.
ErrorSide ErrorSideOfKind(ErrorKind k);
ErrorSide ErrorSideOfFamily(ErrorFamily f);

// The listed codes (web SDK, plus the server codes 100ms documents), ordered
// by code; and the listed names, each with what it decides.
struct ErrorCodeEntry {
  int code;
  // The name the web SDK writes with this code (for 3016, which has no name
  // in ErrorFactory.ts yet, its constant in ErrorCodes.ts).
  const char* sdk_name;
  ErrorFamily family;
  ErrorKind kind;
};
struct ErrorNameEntry {
  const char* name;  // a web SDK name or constant, or an iOS SDK name
  ErrorFamily family;
  ErrorKind kind;
  bool decides;  // false for the shared name (step 4 above)
};
const std::vector<ErrorCodeEntry>& ListedErrorCodes();
const std::vector<ErrorNameEntry>& ListedErrorNames();

}  // namespace callsight::analysis

#endif  // CALLSIGHT_ANALYSIS_ERROR_CODES_H_
