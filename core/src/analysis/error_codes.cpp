#include "analysis/error_codes.h"

#include <array>

namespace callsight::analysis {
namespace {

using F = ErrorFamily;
using K = ErrorKind;
using S = ErrorSide;

constexpr std::array<const char*, kErrorFamilyCount> kFamilyNames = {
    "unknown",    "websocket", "api",    "device",   "webrtc",
    "signalling", "generic",   "plugin", "playlist", "server"};

constexpr std::array<const char*, kErrorSideCount> kSideNames = {"unknown", "user", "network",
                                                                 "application", "platform"};

struct KindRow {
  const char* name;
  ErrorSide side;
};

// Indexed by ErrorKind.
constexpr std::array<KindRow, kErrorKindCount> kKinds = {{
    {"unknown", S::kUnknown},
    {"websocket_failed_to_connect", S::kNetwork},
    {"websocket_connection_lost", S::kNetwork},
    {"websocket_abnormal_close", S::kNetwork},
    {"init_config_unavailable", S::kApplication},
    {"endpoint_unreachable", S::kNetwork},
    {"invalid_token", S::kApplication},
    {"device_error", S::kUser},
    {"device_access_denied", S::kUser},
    {"system_permission_denied", S::kUser},
    {"device_not_available", S::kUser},
    {"device_in_use", S::kUser},
    {"device_lost", S::kUser},
    {"device_over_constrained", S::kUser},
    {"no_audio_detected", S::kUser},
    {"track_has_no_data", S::kUser},
    {"autoplay_blocked", S::kUser},
    {"audio_playback_failed", S::kUser},
    {"current_tab_not_shared", S::kUser},
    {"nothing_to_publish", S::kApplication},
    {"invalid_track_settings", S::kApplication},
    {"sdp_negotiation_failed", S::kPlatform},
    {"ice_failure", S::kNetwork},
    {"ice_disconnected", S::kNetwork},
    {"stats_failed", S::kPlatform},
    {"server_error", S::kPlatform},
    {"already_joined", S::kApplication},
    {"preview_in_progress", S::kApplication},
    {"not_connected", S::kApplication},
    {"signalling_error", S::kPlatform},
    {"sdk_internal_error", S::kPlatform},
    {"invalid_role", S::kApplication},
    {"insecure_context", S::kApplication},
    {"webrtc_unsupported", S::kUser},
    {"local_storage_denied", S::kUser},
    {"validation_failed", S::kApplication},
    {"plugin_unsupported", S::kUser},
    {"plugin_failed", S::kUnknown},
    {"plugin_not_enabled", S::kApplication},
    {"playlist_nothing_to_play", S::kApplication},
    {"request_rejected", S::kApplication},
    {"token_rejected", S::kApplication},
    {"invalid_room", S::kApplication},
    {"peer_gone", S::kNetwork},
    {"rate_limited", S::kApplication},
}};

// Indexed by ErrorFamily: the side of a code whose kind is unknown.
constexpr std::array<ErrorSide, kErrorFamilyCount> kFamilySides = {
    S::kUnknown,  S::kNetwork, S::kUnknown, S::kUser,        S::kNetwork,
    S::kPlatform, S::kUnknown, S::kUnknown, S::kApplication, S::kPlatform};

// Web SDK: 100mslive/web-sdks packages/hms-video-store/src/error/ErrorCodes.ts
// and ErrorFactory.ts (names; 7xxx numbers are written there). Server codes:
// 100mslive/100ms-docs docs/javascript/v2/features/error-handling.mdx and
// docs/android/v2/features/error-handling.mdx; 429 is retried by the web SDK
// (fetchWithRetry, join retry). Ordered by code.
const std::vector<ErrorCodeEntry>& Codes() {
  static const std::vector<ErrorCodeEntry> codes = {
      {400, "ServerErrors", F::kServer, K::kRequestRejected},
      {401, "ServerErrors", F::kServer, K::kTokenRejected},
      {410, "ServerErrors", F::kServer, K::kPeerGone},
      {429, "ServerErrors", F::kServer, K::kRateLimited},
      {500, "ServerErrors", F::kServer, K::kServerError},
      {1000, "WebsocketFailedToConnect", F::kWebSocket, K::kWebSocketFailedToConnect},
      {1003, "WebSocketConnectionLost", F::kWebSocket, K::kWebSocketConnectionLost},
      {1006, "WebSocketAbnormalClose", F::kWebSocket, K::kWebSocketAbnormalClose},
      {2000, "ServerErrors", F::kApi, K::kServerError},
      {2002, "InitError", F::kApi, K::kInitConfigUnavailable},
      {2003, "EndpointUnreachable", F::kApi, K::kEndpointUnreachable},
      {2004, "InvalidTokenFormat", F::kApi, K::kInvalidToken},
      {3000, "GenericTrack", F::kDevice, K::kDeviceError},
      {3001, "CantAccessCaptureDevice", F::kDevice, K::kDeviceAccessDenied},
      {3002, "DeviceNotAvailable", F::kDevice, K::kDeviceNotAvailable},
      {3003, "DeviceInUse", F::kDevice, K::kDeviceInUse},
      {3004, "DeviceLostMidway", F::kDevice, K::kDeviceLost},
      {3005, "NothingToReturn", F::kDevice, K::kNothingToPublish},
      {3006, "InvalidVideoSettings", F::kDevice, K::kInvalidTrackSettings},
      {3007, "CodecChangeNotPermitted", F::kDevice, K::kInvalidTrackSettings},
      {3008, "AutoplayBlocked", F::kDevice, K::kAutoplayBlocked},
      {3009, "OverConstrained", F::kDevice, K::kDeviceOverConstrained},
      {3010, "NoAudioDetected", F::kDevice, K::kNoAudioDetected},
      {3011, "SystemDeniedPermission", F::kDevice, K::kSystemPermissionDenied},
      {3012, "CurrentTabNotShared", F::kDevice, K::kCurrentTabNotShared},
      {3013, "Audio playback error", F::kDevice, K::kAudioPlaybackFailed},
      {3014, "SelectedDeviceMissing", F::kDevice, K::kDeviceNotAvailable},
      {3015, "Track does not have any data", F::kDevice, K::kTrackHasNoData},
      {3016, "PERMISSION_DENIED_LATER", F::kDevice, K::kDeviceAccessDenied},
      {4001, "CreateOfferFailed", F::kWebRtc, K::kSdpNegotiationFailed},
      {4002, "CreateAnswerFailed", F::kWebRtc, K::kSdpNegotiationFailed},
      {4003, "SetLocalDescriptionFailed", F::kWebRtc, K::kSdpNegotiationFailed},
      {4004, "SetRemoteDescriptionFailed", F::kWebRtc, K::kSdpNegotiationFailed},
      {4005, "ICEFailure", F::kWebRtc, K::kIceFailure},
      {4006, "ICEDisconnected", F::kWebRtc, K::kIceDisconnected},
      {4007, "StatsFailed", F::kWebRtc, K::kStatsFailed},
      {5000, "ServerErrors", F::kSignalling, K::kServerError},
      {5001, "AlreadyJoined", F::kSignalling, K::kAlreadyJoined},
      {5002, "CannotJoinPreviewInProgress", F::kSignalling, K::kPreviewInProgress},
      {6000, "NotConnected", F::kGeneric, K::kNotConnected},
      {6001, "Signalling", F::kGeneric, K::kSignallingError},
      {6002, "Unknown", F::kGeneric, K::kSdkInternalError},
      {6003, "NotReady", F::kGeneric, K::kSdkInternalError},
      {6004, "JsonParsingFailed", F::kGeneric, K::kSdkInternalError},
      {6005, "TrackMetadataMissing", F::kGeneric, K::kSdkInternalError},
      {6006, "RTCTrackMissing", F::kGeneric, K::kSdkInternalError},
      {6007, "PeerMetadataMissing", F::kGeneric, K::kSdkInternalError},
      {6008, "InvalidRole", F::kGeneric, K::kInvalidRole},
      {6009, "PreviewAlreadyInProgress", F::kGeneric, K::kPreviewInProgress},
      {6010, "MissingMediaDevices", F::kGeneric, K::kInsecureContext},
      {6011, "MissingRTCPeerConnection", F::kGeneric, K::kWebRtcUnsupported},
      {6012, "LocalStorageAccessDenied", F::kGeneric, K::kLocalStorageDenied},
      {6013, "ValidationFailed", F::kGeneric, K::kValidationFailed},
      {7001, "PlatformNotSupported", F::kPlugin, K::kPluginUnsupported},
      {7002, "InitFailed", F::kPlugin, K::kPluginFailed},
      {7003, "ProcessingFailed", F::kPlugin, K::kPluginFailed},
      {7004, "AddAlreadyInProgress", F::kPlugin, K::kPluginFailed},
      {7005, "DeviceNotSupported", F::kPlugin, K::kPluginUnsupported},
      {7006, "NotAllowedForRoom", F::kPlugin, K::kPluginNotEnabled},
      {8001, "NoEntryToPlay", F::kPlaylist, K::kPlaylistNothingToPlay},
      {8002, "NoEntryIsPlaying", F::kPlaylist, K::kPlaylistNothingToPlay},
      {40001, "ServerErrors", F::kServer, K::kInvalidRoom},
      {40002, "ServerErrors", F::kServer, K::kInvalidRoom},
      {40004, "ServerErrors", F::kServer, K::kAlreadyJoined},
      {40100, "ServerErrors", F::kServer, K::kTokenRejected},
      {40101, "ServerErrors", F::kServer, K::kTokenRejected},
      {40102, "ServerErrors", F::kServer, K::kTokenRejected},
      {40103, "ServerErrors", F::kServer, K::kTokenRejected},
      {40104, "ServerErrors", F::kServer, K::kTokenRejected},
      {40105, "ServerErrors", F::kServer, K::kTokenRejected},
      {40107, "ServerErrors", F::kServer, K::kTokenRejected},
      {40108, "ServerErrors", F::kServer, K::kTokenRejected},
      {40109, "ServerErrors", F::kServer, K::kTokenRejected},
      {41001, "ServerErrors", F::kServer, K::kPeerGone},
  };
  return codes;
}

// The web SDK's names (ErrorFactory.ts), its constants where they differ from
// the name once case and underscores are ignored (ErrorCodes.ts), and the iOS
// SDK's names for codes that mean something else on the web (HMSErrorCode.h).
const std::vector<ErrorNameEntry>& Names() {
  static const std::vector<ErrorNameEntry> names = {
      {"ServerErrors", F::kServer, K::kServerError, false},
      {"WebsocketFailedToConnect", F::kWebSocket, K::kWebSocketFailedToConnect, true},
      {"FAILED_TO_CONNECT", F::kWebSocket, K::kWebSocketFailedToConnect, true},
      {"WebSocketConnectionLost", F::kWebSocket, K::kWebSocketConnectionLost, true},
      {"WebSocketAbnormalClose", F::kWebSocket, K::kWebSocketAbnormalClose, true},
      {"ABNORMAL_CLOSE", F::kWebSocket, K::kWebSocketAbnormalClose, true},
      {"InitError", F::kApi, K::kInitConfigUnavailable, true},
      {"INIT_CONFIG_NOT_AVAILABLE", F::kApi, K::kInitConfigUnavailable, true},
      {"InvalidEndpointUrl", F::kApi, K::kInitConfigUnavailable, true},
      {"EndpointUnreachable", F::kApi, K::kEndpointUnreachable, true},
      {"InvalidTokenFormat", F::kApi, K::kInvalidToken, true},
      {"GenericTrack", F::kDevice, K::kDeviceError, true},
      {"AudiovideoSubsystemFailure", F::kDevice, K::kDeviceError, true},
      {"MicCaptureFailed", F::kDevice, K::kDeviceError, true},
      {"CantAccessCaptureDevice", F::kDevice, K::kDeviceAccessDenied, true},
      {"PERMISSION_DENIED_LATER", F::kDevice, K::kDeviceAccessDenied, true},
      {"SystemDeniedPermission", F::kDevice, K::kSystemPermissionDenied, true},
      {"DeviceNotAvailable", F::kDevice, K::kDeviceNotAvailable, true},
      {"SelectedDeviceMissing", F::kDevice, K::kDeviceNotAvailable, true},
      {"DeviceInUse", F::kDevice, K::kDeviceInUse, true},
      {"AVSubsystemInUse", F::kDevice, K::kDeviceInUse, true},
      {"DeviceLostMidway", F::kDevice, K::kDeviceLost, true},
      {"OverConstrained", F::kDevice, K::kDeviceOverConstrained, true},
      {"NoAudioDetected", F::kDevice, K::kNoAudioDetected, true},
      {"Track does not have any data", F::kDevice, K::kTrackHasNoData, true},
      {"NO_DATA", F::kDevice, K::kTrackHasNoData, true},
      {"AutoplayBlocked", F::kDevice, K::kAutoplayBlocked, true},
      {"AUTOPLAY_ERROR", F::kDevice, K::kAutoplayBlocked, true},
      {"Audio playback error", F::kDevice, K::kAudioPlaybackFailed, true},
      {"CurrentTabNotShared", F::kDevice, K::kCurrentTabNotShared, true},
      {"NothingToReturn", F::kDevice, K::kNothingToPublish, true},
      {"InvalidVideoSettings", F::kDevice, K::kInvalidTrackSettings, true},
      {"CodecChangeNotPermitted", F::kDevice, K::kInvalidTrackSettings, true},
      {"CreateOfferFailed", F::kWebRtc, K::kSdpNegotiationFailed, true},
      {"CreateAnswerFailed", F::kWebRtc, K::kSdpNegotiationFailed, true},
      {"SetLocalDescriptionFailed", F::kWebRtc, K::kSdpNegotiationFailed, true},
      {"SetRemoteDescriptionFailed", F::kWebRtc, K::kSdpNegotiationFailed, true},
      {"ICEFailure", F::kWebRtc, K::kIceFailure, true},
      {"ICEDisconnected", F::kWebRtc, K::kIceDisconnected, true},
      {"StatsFailed", F::kWebRtc, K::kStatsFailed, true},
      {"AlreadyJoined", F::kSignalling, K::kAlreadyJoined, true},
      {"CannotJoinPreviewInProgress", F::kSignalling, K::kPreviewInProgress, true},
      {"NotConnected", F::kGeneric, K::kNotConnected, true},
      {"Signalling", F::kGeneric, K::kSignallingError, true},
      {"NotReady", F::kGeneric, K::kSdkInternalError, true},
      {"JsonParsingFailed", F::kGeneric, K::kSdkInternalError, true},
      {"TrackMetadataMissing", F::kGeneric, K::kSdkInternalError, true},
      {"RTCTrackMissing", F::kGeneric, K::kSdkInternalError, true},
      {"PeerMetadataMissing", F::kGeneric, K::kSdkInternalError, true},
      {"InvalidRole", F::kGeneric, K::kInvalidRole, true},
      {"PreviewAlreadyInProgress", F::kGeneric, K::kPreviewInProgress, true},
      {"PREVIEW_IN_PROGRESS", F::kGeneric, K::kPreviewInProgress, true},
      {"MissingMediaDevices", F::kGeneric, K::kInsecureContext, true},
      {"MissingRTCPeerConnection", F::kGeneric, K::kWebRtcUnsupported, true},
      {"LocalStorageAccessDenied", F::kGeneric, K::kLocalStorageDenied, true},
      {"ValidationFailed", F::kGeneric, K::kValidationFailed, true},
      {"PlatformNotSupported", F::kPlugin, K::kPluginUnsupported, true},
      {"DeviceNotSupported", F::kPlugin, K::kPluginUnsupported, true},
      {"InitFailed", F::kPlugin, K::kPluginFailed, true},
      {"ProcessingFailed", F::kPlugin, K::kPluginFailed, true},
      {"AddAlreadyInProgress", F::kPlugin, K::kPluginFailed, true},
      {"NotAllowedForRoom", F::kPlugin, K::kPluginNotEnabled, true},
      {"NoEntryToPlay", F::kPlaylist, K::kPlaylistNothingToPlay, true},
      {"NoEntryIsPlaying", F::kPlaylist, K::kPlaylistNothingToPlay, true},
  };
  return names;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAlnumAscii(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The next letter or digit of s at or after i, lower-cased; '\0' at the end.
char NextNameChar(std::string_view s, size_t& i) {
  while (i < s.size() && !IsAlnumAscii(s[i])) ++i;
  return i < s.size() ? LowerAscii(s[i++]) : '\0';
}

// Equal once case and everything but letters and digits are ignored:
// "ICE_FAILURE" names "ICEFailure".
bool SameName(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  for (;;) {
    const char x = NextNameChar(a, i);
    if (x != NextNameChar(b, j)) return false;
    if (x == '\0') return true;
  }
}

const ErrorNameEntry* FindName(std::string_view error_name) {
  size_t i = 0;
  if (NextNameChar(error_name, i) == '\0') return nullptr;
  for (const ErrorNameEntry& e : Names()) {
    if (SameName(e.name, error_name)) return &e;
  }
  return nullptr;
}

const ErrorCodeEntry* FindCode(int code) {
  for (const ErrorCodeEntry& e : Codes()) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Digits with optional surrounding white space; at most 9 digits.
std::optional<int> ParseCode(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsServerClientError(int code) {
  return (code >= 400 && code <= 499) || (code >= 40000 && code <= 49999);
}
bool IsServerServerError(int code) {
  return (code >= 500 && code <= 599) || (code >= 50000 && code <= 59999);
}

template <typename Enum, size_t N>
std::optional<Enum> FromName(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

ErrorInfo Classified(std::optional<int> code, ErrorFamily family, ErrorKind kind,
                     ErrorMatch match) {
  ErrorInfo info;
  info.code = code;
  info.family = family;
  info.kind = kind;
  info.match = match;
  info.side = kind == ErrorKind::kUnknown ? ErrorSideOfFamily(family) : ErrorSideOfKind(kind);
  return info;
}

}  // namespace

const char* ErrorFamilyName(ErrorFamily f) { return kFamilyNames[static_cast<int>(f)]; }
const char* ErrorKindName(ErrorKind k) { return kKinds[static_cast<int>(k)].name; }
const char* ErrorSideName(ErrorSide s) { return kSideNames[static_cast<int>(s)]; }

std::optional<ErrorFamily> ErrorFamilyFromName(std::string_view name) {
  return FromName<ErrorFamily>(kFamilyNames, name);
}
std::optional<ErrorSide> ErrorSideFromName(std::string_view name) {
  return FromName<ErrorSide>(kSideNames, name);
}
std::optional<ErrorKind> ErrorKindFromName(std::string_view name) {
  for (int i = 0; i < kErrorKindCount; ++i) {
    if (name == kKinds[i].name) return static_cast<ErrorKind>(i);
  }
  return std::nullopt;
}

ErrorFamily ErrorFamilyOfCode(int code) {
  if (IsServerClientError(code) || IsServerServerError(code)) return ErrorFamily::kServer;
  switch (code / 1000) {
    case 1:
      return ErrorFamily::kWebSocket;
    case 2:
      return ErrorFamily::kApi;
    case 3:
      return ErrorFamily::kDevice;
    case 4:
      return ErrorFamily::kWebRtc;
    case 5:
      return ErrorFamily::kSignalling;
    case 6:
      return ErrorFamily::kGeneric;
    case 7:
      return ErrorFamily::kPlugin;
    case 8:
      return ErrorFamily::kPlaylist;
    default:
      return ErrorFamily::kUnknown;
  }
}

ErrorSide ErrorSideOfKind(ErrorKind k) { return kKinds[static_cast<int>(k)].side; }
ErrorSide ErrorSideOfFamily(ErrorFamily f) { return kFamilySides[static_cast<int>(f)]; }

ErrorInfo ClassifyError(std::string_view code_text, std::string_view error_name) {
  const std::optional<int> code = ParseCode(code_text);
  const ErrorCodeEntry* listed = code ? FindCode(*code) : nullptr;
  const ErrorNameEntry* name = FindName(error_name);
  if (name != nullptr && name->decides && (listed == nullptr || listed->kind != name->kind)) {
    return Classified(code, name->family, name->kind, ErrorMatch::kName);
  }
  if (listed != nullptr) return Classified(code, listed->family, listed->kind, ErrorMatch::kCode);
  if (code) {
    if (IsServerClientError(*code)) {
      return Classified(code, ErrorFamily::kServer, ErrorKind::kRequestRejected,
                        ErrorMatch::kCodeRange);
    }
    if (IsServerServerError(*code)) {
      return Classified(code, ErrorFamily::kServer, ErrorKind::kServerError,
                        ErrorMatch::kCodeRange);
    }
  }
  const ErrorFamily by_range = code ? ErrorFamilyOfCode(*code) : ErrorFamily::kUnknown;
  if (name != nullptr) {
    const ErrorFamily family = by_range != ErrorFamily::kUnknown ? by_range : name->family;
    return Classified(code, family, name->kind, ErrorMatch::kName);
  }
  return Classified(code, by_range, ErrorKind::kUnknown,
                    by_range == ErrorFamily::kUnknown ? ErrorMatch::kNone : ErrorMatch::kCodeRange);
}

const std::vector<ErrorCodeEntry>& ListedErrorCodes() { return Codes(); }
const std::vector<ErrorNameEntry>& ListedErrorNames() { return Names(); }

}  // namespace callsight::analysis
