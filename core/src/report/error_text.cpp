#include "report/error_text.h"

#include <array>

namespace callsight::report {
namespace {

using analysis::ErrorFamily;
using analysis::ErrorInfo;
using analysis::ErrorKind;
using analysis::ErrorSide;

struct Text {
  const char* meaning;
  const char* advice;
};

// Indexed by ErrorKind (same order as the enum).
constexpr std::array<Text, analysis::kErrorKindCount> kKindText = {{
    // kUnknown
    {"The SDK reported an error whose code and name callsight does not know.",
     "Read the event's error message and description; if it repeats, ask 100ms support what "
     "the code means."},
    // kWebSocketFailedToConnect
    {"The SDK could not open its signalling connection (a WebSocket) to 100ms, so the peer "
     "could not get into the room.",
     "Check that the user's network and firewall allow secure WebSocket traffic to 100ms, then "
     "retry."},
    // kWebSocketConnectionLost
    {"The signalling connection to 100ms dropped during the call, usually because the user's "
     "network went away or changed.",
     "Ask the user what happened to their connection at that moment (Wi-Fi drop, switch to "
     "mobile data, VPN); the SDK reconnects by itself if the network comes back soon."},
    // kWebSocketAbnormalClose
    {"The signalling connection to 100ms closed without a proper goodbye, as happens when the "
     "network path breaks.",
     "Treat it as a lost connection: look at the user's network around that time and whether "
     "the SDK reconnected."},
    // kInitConfigUnavailable
    {"The SDK could not fetch or read its start-up configuration from 100ms before joining.",
     "Check the init endpoint the app gives the SDK (if it sets one) and that the token is for "
     "the right environment, then retry."},
    // kEndpointUnreachable
    {"A 100ms endpoint could not be reached at all from the user's network.",
     "Check the user's internet connection, proxy and firewall; if many users hit it at once, "
     "check 100ms's status page."},
    // kInvalidToken
    {"The auth token the app gave the SDK is not a well-formed JWT.",
     "Check how the app gets and passes the token (empty, cut short or the wrong value) and "
     "fetch a fresh one."},
    // kDeviceError
    {"Getting the camera or microphone failed for a reason the SDK did not narrow down.",
     "Read the error message for the browser's own reason, and ask the user to reconnect or "
     "switch the device."},
    // kDeviceAccessDenied
    {"The user or the browser refused the site access to the camera or microphone.",
     "Ask the user to allow camera and microphone access for the site in the browser's site "
     "settings and to rejoin."},
    // kSystemPermissionDenied
    {"The operating system blocked the browser from using the camera or microphone.",
     "Ask the user to allow the browser in the operating system's privacy settings for camera "
     "and microphone, then restart the browser."},
    // kDeviceNotAvailable
    {"The selected camera or microphone was not found, for example because it was unplugged.",
     "Ask the user to check that the device is connected and selected, or to pick another one."},
    // kDeviceInUse
    {"Another application held the camera or microphone, so it could not be opened.",
     "Ask the user to close other apps that use the device (other call apps, the camera app) "
     "and retry."},
    // kDeviceLost
    {"The camera or microphone stopped working in the middle of the call.",
     "Ask the user whether the device was unplugged, went to sleep or was taken by another app, "
     "and have them select it again."},
    // kDeviceOverConstrained
    {"The device could not deliver the resolution, frame rate or other settings asked of it.",
     "Lower the capture settings of the peer's role, or have the user try another device."},
    // kNoAudioDetected
    {"The microphone track was running but carried no sound.",
     "Ask the user to check that the microphone is not muted by a switch or by the system and "
     "that the right input is selected."},
    // kTrackHasNoData
    {"A local track was published but produced no media, often because a phone call or another "
     "app had taken the device.",
     "Ask the user whether a phone call or another app was active, and have them end it and "
     "turn the device on again."},
    // kAutoplayBlocked
    {"The browser held back the call's audio until the user interacts with the page.",
     "Have the app show a button that unblocks audio on a click, and tell the user to press "
     "it."},
    // kAudioPlaybackFailed
    {"Playing a remote peer's audio failed in the user's browser.",
     "Ask the user to check the audio output device and reload the page; if it repeats, note "
     "the browser and its version."},
    // kCurrentTabNotShared
    {"The app asked for this browser tab to be shared, but the user picked another screen, window "
     "or tab.",
     "Ask the user to choose this tab in the screen-share picker."},
    // kNothingToPublish
    {"The SDK was asked for local media with neither audio nor video allowed.",
     "Check the role's publish settings in the 100ms dashboard and the app's track settings: "
     "at least one of audio or video must be allowed."},
    // kInvalidTrackSettings
    {"The app asked for track settings the SDK refuses, such as simulcast without video "
     "settings or a codec change during the call.",
     "Fix the track settings in the app; this is a developer error, not the user's."},
    // kSdpNegotiationFailed
    {"Setting up or updating the media connection (the offer/answer exchange) failed inside "
     "the SDK or the browser.",
     "Collect the SDK version, the browser and the error description, and raise it with 100ms "
     "support if it repeats."},
    // kIceFailure
    {"No network route to 100ms's media server worked, so the media connection could not be "
     "made or was lost for good.",
     "Check whether the user's network blocks UDP or needs a relay over TCP or TLS (company "
     "firewall, VPN), and whether the SDK recovered by reconnecting."},
    // kIceDisconnected
    {"The media connection was interrupted; this often heals by itself within seconds.",
     "Look for a network hiccup on the user's side at that time; act only if it repeats or an "
     "ICE failure follows."},
    // kStatsFailed
    {"The SDK could not read WebRTC statistics; the call may be fine, but quality data may be "
     "missing.",
     "Expect gaps in this peer's stats around that time; if it repeats, report the browser and "
     "SDK version to 100ms."},
    // kServerError
    {"A 100ms server answered a request with an error on its own side.",
     "Retry; if it repeats or hits many peers, check 100ms's status page and contact 100ms "
     "support with the room and session ids."},
    // kAlreadyJoined
    {"The peer asked to join a room it had already joined.",
     "Fix the app so that it does not call join twice (double clicks, repeated renders)."},
    // kPreviewInProgress
    {"The app asked to join, or to start a preview, while a preview was still running.",
     "Fix the app's order of calls: let the preview finish, or leave it, before joining."},
    // kNotConnected
    {"The app called an SDK action while the peer was not connected to a room.",
     "Fix the app to call room actions only after a successful join and before leaving."},
    // kSignallingError
    {"A signalling request to 100ms failed with an error the SDK did not recognise.",
     "Read the error description for the server's message; if it repeats, raise it with 100ms "
     "support."},
    // kSdkInternalError
    {"The SDK ran into an unexpected state of its own, such as missing track or peer details "
     "or a message it could not read.",
     "Note the SDK version and what the user did just before, and report it to 100ms if it "
     "repeats; a newer SDK may fix it."},
    // kInvalidRole
    {"The peer tried to join with a role that the room's template does not define.",
     "Compare the role in the token with the roles of the room's template in the 100ms "
     "dashboard."},
    // kInsecureContext
    {"The page was not served over HTTPS (or from localhost), so the browser hid its camera "
     "and microphone interface.",
     "Serve the app over HTTPS."},
    // kWebRtcUnsupported
    {"The browser offered no WebRTC, because it is too old or an extension blocks it.",
     "Ask the user to update the browser or use a supported one, and to turn off extensions "
     "that block WebRTC."},
    // kLocalStorageDenied
    {"The browser denied the SDK local storage, usually through privacy settings or a private "
     "window.",
     "Ask the user to allow site data for the app or to leave private browsing."},
    // kValidationFailed
    {"The app passed an argument the SDK rejected, such as an unknown peer or role.",
     "Check the arguments of the app's call against the room's state at the time; this is a "
     "developer error."},
    // kPluginUnsupported
    {"An audio or video plugin (such as a virtual background or noise suppression) does not "
     "support the user's browser or device.",
     "Have the app check plugin support before turning it on, and tell the user the effect is "
     "not available on this device."},
    // kPluginFailed
    {"An audio or video plugin failed to start or to process media, or was added while an "
     "earlier add was still running.",
     "Turn the plugin off for this user to save the call; if it repeats, report the browser, "
     "device and SDK version."},
    // kPluginNotEnabled
    {"The room's template does not allow this plugin.",
     "Enable the feature for the room's template in the 100ms dashboard, or hide it in the app."},
    // kPlaylistNothingToPlay
    {"A playlist action found no entry to play, or none playing.",
     "Check the app's playlist calls (next, previous, seek) against what is loaded and "
     "playing."},
    // kRequestRejected
    {"A 100ms server rejected the request as invalid, most often because of the token or the "
     "room it names.",
     "Check the token (room id, role, expiry) and the request the app made; the error "
     "description usually says what was wrong."},
    // kTokenRejected
    {"A 100ms server refused the auth token: wrong key, room, role or user, expired, or "
     "malformed.",
     "Generate the token again with the app's current access key and secret, the right room "
     "and role, and check that it has not expired."},
    // kInvalidRoom
    {"The room in the request does not exist, is disabled, or is not the token's room.",
     "Check the room id the app uses against the 100ms dashboard and the token."},
    // kPeerGone
    {"The server no longer knew this peer, usually because it was away too long to resume, "
     "for example after a long network outage.",
     "Have the user rejoin; if it happens often, look at the user's network just before."},
    // kRateLimited
    {"100ms refused the request because too many came in a short time.",
     "Make the app wait longer between retries and look for loops that call the API again and "
     "again."},
}};

// Indexed by ErrorFamily.
constexpr std::array<Text, analysis::kErrorFamilyCount> kFamilyText = {{
    // kUnknown
    {"The code is outside the ranges the 100ms SDK uses.",
     "Read the event's message and description; the code may come from another system."},
    // kWebSocket
    {"Codes 1000-1999 are about the signalling connection between the SDK and 100ms.",
     "Look at the user's network around the time of the event."},
    // kApi
    {"Codes 2000-2999 are about the SDK's start-up calls to 100ms: configuration, token and "
     "endpoints.",
     "Check the token and the endpoints the app uses, then the user's network."},
    // kDevice
    {"Codes 3000-3999 are about local tracks and the camera, microphone, speaker or screen "
     "capture.",
     "Check the user's devices, their permissions, and other apps using them."},
    // kWebRtc
    {"Codes 4000-4999 are about the WebRTC media connection (offer/answer and ICE).",
     "Look at the user's network path to 100ms (UDP blocked, VPN, firewall) around the time of "
     "the event."},
    // kSignalling
    {"Codes 5000-5999 are errors 100ms's servers returned to the SDK's signalling requests, "
     "such as join.",
     "Read the error description for the server's reason, retry, and contact 100ms if it "
     "repeats."},
    // kGeneric
    {"Codes 6000-6999 are about the SDK's own state and the way the app calls it.",
     "Check the order and arguments of the app's SDK calls, and the SDK version."},
    // kPlugin
    {"Codes 7000-7999 are about audio and video plugins.",
     "Turn the plugin off for the affected user and check that their device supports it."},
    // kPlaylist
    {"Codes 8000-8999 are about playlist playback.",
     "Check the app's playlist calls against what is loaded."},
    // kServer
    {"HTTP-like codes (4xx, 5xx, and five-digit ones such as 40101) come from 100ms's "
     "servers.",
     "A 4xx code points at the request or token the app sent; a 5xx code at 100ms: retry, and "
     "contact 100ms if it persists."},
}};

// Indexed by ErrorSide.
constexpr std::array<const char*, analysis::kErrorSideCount> kSideText = {
    "not clear from the code alone", "the user's device, browser or permissions",
    "the network between the user and 100ms",
    "the app built on 100ms (its token, room setup or SDK calls)",
    "100ms (its servers or its SDK)"};

const Text& KindText(ErrorKind k) { return kKindText[static_cast<int>(k)]; }
const Text& FamilyText(ErrorFamily f) { return kFamilyText[static_cast<int>(f)]; }

bool UsesFamily(const ErrorInfo& info) {
  return info.kind == ErrorKind::kUnknown && info.family != ErrorFamily::kUnknown;
}

}  // namespace

const char* ErrorMeaning(ErrorKind k) { return KindText(k).meaning; }
const char* ErrorAdvice(ErrorKind k) { return KindText(k).advice; }
const char* ErrorMeaning(ErrorFamily f) { return FamilyText(f).meaning; }
const char* ErrorAdvice(ErrorFamily f) { return FamilyText(f).advice; }

const char* ErrorMeaning(const ErrorInfo& info) {
  return UsesFamily(info) ? ErrorMeaning(info.family) : ErrorMeaning(info.kind);
}
const char* ErrorAdvice(const ErrorInfo& info) {
  return UsesFamily(info) ? ErrorAdvice(info.family) : ErrorAdvice(info.kind);
}

const char* ErrorSideText(ErrorSide s) { return kSideText[static_cast<int>(s)]; }

}  // namespace callsight::report
