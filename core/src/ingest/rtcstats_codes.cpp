#include "ingest/rtcstats_codes.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace callsight::ingest {

namespace {

// rtcstats file format 3's compression tables (rtcstats-shared compression.js:
// its compression tables plus the names it only decompresses). Sorted by code.

struct Code {
  int code;
  const char* name;
};

constexpr Code kMethodCodes[] = {
    {1, "getStats"},
    {2, "createOffer"},
    {3, "createOfferOnSuccess"},
    {4, "createAnswer"},
    {5, "createAnswerOnSuccess"},
    {6, "setLocalDescription"},
    {7, "setLocalDescriptionOnSuccess"},
    {8, "setRemoteDescription"},
    {9, "setRemoteDescriptionOnSuccess"},
    {10, "addIceCandidate"},
    {11, "addIceCandidateOnSuccess"},
    {12, "createOfferOnFailure"},
    {13, "createAnswerOnFailure"},
    {14, "setLocalDescriptionOnFailure"},
    {15, "setRemoteDescriptionOnFailure"},
    {16, "addIceCandidateOnFailure"},
    {20, "onicecandidate"},
    {21, "onicecandidateerror"},
    {22, "ontrack"},
    {23, "onsignalingstatechange"},
    {24, "oniceconnectionstatechange"},
    {25, "onconnectionstatechange"},
    {26, "onicegatheringstatechange"},
    {27, "onnegotiationneeded"},
    {28, "ondatachannel"},
    {30, "addTrack"},
    {31, "addTrackOnSuccess"},
    {32, "addTransceiver"},
    {33, "addTransceiverOnSuccess"},
    {34, "removeTrack"},
    {35, "createDataChannel"},
    {36, "close"},
    {37, "restartIce"},
    {38, "setConfiguration"},
    {39, "create"},
    {40, "constraints"},
    {41, "setCodecPreferences"},
    {42, "setHeaderExtensionsToNegotiate"},
    {50, "setParameters"},
    {51, "replaceTrack"},
    {60, "navigator.mediaDevices.getUserMedia"},
    {61, "navigator.mediaDevices.getUserMediaOnSuccess"},
    // 62 was meant for getUserMediaOnFailure, but a duplicate key in the
    // writers' table made released clients write 65 for it: 62 never occurs.
    {63, "navigator.mediaDevices.getDisplayMedia"},
    {64, "navigator.mediaDevices.getDisplayMediaOnSuccess"},
    {65, "navigator.mediaDevices.getUserMediaOnFailure"},
    {66, "navigator.mediaDevices.enumerateDevices"},
    {67, "navigator.mediaDevices.ondevicechange"},
    {68, "navigator.mediaDevices.getDisplayMediaOnFailure"},
    {70, "MediaStreamTrack.stop"},
    {71, "MediaStreamTrack.applyConstraints"},
    {72, "MediaStreamTrack.onended"},
    {73, "MediaStreamTrack.onmute"},
    {74, "MediaStreamTrack.onunmute"},
    {80, "HTMLMediaElement.resize"},
};

constexpr Code kStatsTypeCodes[] = {
    {1, "inbound-rtp"},         {2, "outbound-rtp"},     {3, "remote-inbound-rtp"},
    {4, "remote-outbound-rtp"}, {5, "transport"},        {6, "candidate-pair"},
    {7, "local-candidate"},     {8, "remote-candidate"}, {9, "data-channel"},
    {10, "peer-connection"},    {11, "certificate"},     {12, "media-source"},
    {13, "media-playout"},      {14, "codec"},
};

constexpr Code kPropertyCodes[] = {
    {4, "payloadType"},
    {5, "transportId"},
    {6, "mimeType"},
    {7, "clockRate"},
    {8, "channels"},
    {9, "sdpFmtpLine"},
    {10, "ssrc"},
    {11, "kind"},
    {12, "codecId"},
    {14, "packetsReceived"},
    {15, "packetsLost"},
    {16, "jitter"},
    {17, "trackIdentifier"},
    {18, "mid"},
    {19, "remoteId"},
    {20, "framesDecoded"},
    {21, "keyFramesDecoded"},
    {22, "framesDropped"},
    {23, "frameWidth"},
    {24, "frameHeight"},
    {25, "framesPerSecond"},
    {26, "qpSum"},
    {27, "totalDecodeTime"},
    {28, "totalInterFrameDelay"},
    {29, "totalSquaredInterFrameDelay"},
    {30, "pauseCount"},
    {31, "totalPausesDuration"},
    {32, "freezeCount"},
    {33, "totalFreezesDuration"},
    {34, "lastPacketReceivedTimestamp"},
    {35, "headerBytesReceived"},
    {36, "packetsDiscarded"},
    {37, "fecPacketsReceived"},
    {38, "fecPacketsDiscarded"},
    {39, "fecBytesReceived"},
    {40, "fecSsrc"},
    {41, "bytesReceived"},
    {42, "nackCount"},
    {43, "firCount"},
    {44, "pliCount"},
    {45, "totalProcessingDelay"},
    {46, "estimatedPlayoutTimestamp"},
    {47, "jitterBufferDelay"},
    {48, "jitterBufferTargetDelay"},
    {49, "jitterBufferEmittedCount"},
    {50, "jitterBufferMinimumDelay"},
    {51, "totalSamplesReceived"},
    {52, "concealedSamples"},
    {53, "silentConcealedSamples"},
    {54, "concealmentEvents"},
    {55, "insertedSamplesForDeceleration"},
    {56, "removedSamplesForAcceleration"},
    {57, "audioLevel"},
    {58, "totalAudioEnergy"},
    {59, "totalSamplesDuration"},
    {60, "framesReceived"},
    {61, "decoderImplementation"},
    {62, "playoutId"},
    {63, "powerEfficientDecoder"},
    {64, "framesAssembledFromMultiplePackets"},
    {65, "totalAssemblyTime"},
    {66, "contentType"},
    {67, "googTimingFrameInfo"},
    {68, "retransmittedPacketsReceived"},
    {69, "retransmittedBytesReceived"},
    {70, "rtxSsrc"},
    {71, "totalCorruptionProbability"},
    {72, "totalSquaredCorruptionProbability"},
    {73, "corruptionMeasurements"},
    {74, "localId"},
    {75, "roundTripTime"},
    {76, "totalRoundTripTime"},
    {77, "fractionLost"},
    {78, "roundTripTimeMeasurements"},
    {79, "packetsSent"},
    {80, "bytesSent"},
    {81, "mediaSourceId"},
    {82, "rid"},
    {83, "encodingIndex"},
    {84, "headerBytesSent"},
    {85, "retransmittedPacketsSent"},
    {86, "retransmittedBytesSent"},
    {87, "targetBitrate"},
    {88, "totalEncodedBytesTarget"},
    {89, "framesSent"},
    {90, "hugeFramesSent"},
    {91, "framesEncoded"},
    {92, "keyFramesEncoded"},
    {93, "totalEncodeTime"},
    {94, "totalPacketSendDelay"},
    {95, "qualityLimitationReason"},
    {96, "qualityLimitationDurations"},
    {97, "qualityLimitationResolutionChanges"},
    {98, "encoderImplementation"},
    {99, "powerEfficientEncoder"},
    {100, "active"},
    {101, "scalabilityMode"},
    {102, "remoteTimestamp"},
    {103, "reportsSent"},
    {104, "echoReturnLoss"},
    {105, "echoReturnLossEnhancement"},
    {106, "width"},
    {107, "height"},
    {108, "frames"},
    {109, "synthesizedSamplesDuration"},
    {110, "synthesizedSamplesEvents"},
    {111, "totalPlayoutDelay"},
    {112, "totalSamplesCount"},
    {113, "dataChannelsOpened"},
    {114, "dataChannelsClosed"},
    {115, "label"},
    {116, "protocol"},
    {117, "dataChannelIdentifier"},
    {118, "state"},
    {119, "messagesSent"},
    {120, "messagesReceived"},
    {121, "iceRole"},
    {122, "iceLocalUsernameFragment"},
    {123, "dtlsState"},
    {124, "iceState"},
    {125, "selectedCandidatePairId"},
    {126, "localCertificateId"},
    {127, "remoteCertificateId"},
    {128, "tlsVersion"},
    {129, "dtlsCipher"},
    {130, "dtlsRole"},
    {131, "srtpCipher"},
    {132, "selectedCandidatePairChanges"},
    {133, "rtcpTransportStatsId"},
    {134, "address"},
    {135, "port"},
    {136, "candidateType"},
    {137, "priority"},
    {138, "url"},
    {139, "relayProtocol"},
    {140, "foundation"},
    {141, "relatedAddress"},
    {142, "relatedPort"},
    {143, "usernameFragment"},
    {144, "tcpType"},
    {145, "networkType"},
    {148, "localCandidateId"},
    {149, "remoteCandidateId"},
    {150, "nominated"},
    {151, "lastPacketSentTimestamp"},
    {152, "currentRoundTripTime"},
    {153, "availableOutgoingBitrate"},
    {154, "availableIncomingBitrate"},
    {155, "requestsReceived"},
    {156, "requestsSent"},
    {157, "responsesReceived"},
    {158, "responsesSent"},
    {159, "consentRequestsSent"},
    {160, "packetsDiscardedOnSend"},
    {161, "bytesDiscardedOnSend"},
    {163, "fingerprint"},
    {164, "fingerprintAlgorithm"},
    {165, "base64Certificate"},
    {166, "issuerCertificateId"},
    {167, "psnrMeasurements"},
    {168, "psnrSum"},
    {169, "packetsReceivedWithEct1"},
    {170, "packetsReceivedWithCe"},
    {171, "packetsReportedAsLost"},
    {172, "packetsReportedAsLostButRecovered"},
    {173, "packetsWithBleachedEct1Marking"},
    {174, "packetsSentWithEct1"},
    {175, "ccfbMessagesSent"},
    {176, "ccfbMessagesReceived"},
};

template <size_t N>
constexpr bool SortedByCode(const Code (&table)[N]) {
  for (size_t i = 1; i < N; ++i) {
    if (table[i - 1].code >= table[i].code) return false;
  }
  return true;
}
static_assert(SortedByCode(kMethodCodes) && SortedByCode(kStatsTypeCodes) &&
                  SortedByCode(kPropertyCodes),
              "LookUpCode searches the tables by code");

template <size_t N>
const char* LookUpCode(const Code (&table)[N], double code) {
  if (!(code >= 0 && code <= 1000) || code != std::floor(code)) return nullptr;
  const int c = static_cast<int>(code);
  const Code* it =
      std::lower_bound(table, table + N, c, [](const Code& e, int v) { return e.code < v; });
  return it != table + N && it->code == c ? it->name : nullptr;
}

}  // namespace

const char* RtcstatsMethodName(double code) { return LookUpCode(kMethodCodes, code); }

const char* RtcstatsStatsTypeName(double code) { return LookUpCode(kStatsTypeCodes, code); }

std::string_view DecompressPropertyKey(std::string_view key) {
  if (key == "t") return "timestamp";
  if (key.empty() || key.size() > 3) return key;
  int code = 0;
  for (char ch : key) {
    if (ch < '0' || ch > '9') return key;
    code = code * 10 + (ch - '0');
  }
  const char* name = LookUpCode(kPropertyCodes, code);
  return name ? std::string_view(name) : key;
}

}  // namespace callsight::ingest
