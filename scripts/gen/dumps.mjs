// Synthetic browser stats dumps in the layouts Chromium 156 writes, deterministic
// from a seed (see README.md, "Browser dumps"):
//   webrtcInternalsDump(spec)  the "Download the webrtc-internals dump" JSON
//                              (Chrome 117+ layout: per-stat `-timestamp` series)
//   rtcstatsDump(spec)         the "Download the rtcstats dump" text (file format 3,
//                              word method names, a full getStats report per line)
// Both describe the same call: one browser with `connections` RTCPeerConnections,
// `sent` tracks (audio, video, audio, ...) on the first connection and `received`
// tracks (audio, video, ...) spread round robin over all of them, sampled once a
// second. The stats objects and their property names, in their order, are those of
// the recordings in tests/data/dumps/ (p2p-two-browsers/caller, Chromium 156); the
// values are synthetic: counters grow at plausible rates, gauges wander, the
// sent video is limited by bandwidth for a stretch in the middle of the call.
import { rngFor } from './lib.mjs';

const NTP_OFFSET_MS = 2208988800000; // estimatedPlayoutTimestamp is NTP time
const AUDIO_CODEC = { pt: 111, mime: 'audio/opus', clock: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1', name: 'opus (111, minptime=10;useinbandfec=1)' };
const VIDEO_CODEC = { pt: 96, mime: 'video/VP8', clock: 90000, name: 'VP8 (96)' };
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const USER_AGENT_DATA = {
  brands: [
    { brand: 'Not:A-Brand', version: '8' },
    { brand: 'Chromium', version: '156' },
  ],
  fullVersionList: [
    { brand: 'Not:A-Brand', version: '8.0.0.0' },
    { brand: 'Chromium', version: '156.0.8078.129' },
  ],
  mobile: false,
  platform: 'Linux',
};
const URL = 'https://meet.example.com/room/synthetic';

/** The defaults: the bench's webrtc-internals dump (1000 samples, 3 connections, 20 received tracks). */
export const DUMP_DEFAULTS = { seed: 1, connections: 3, received: 20, sent: 2, samples: 1000, start: Date.UTC(2026, 11, 7, 12, 0, 0) };

export function normalizeDumpSpec(spec = {}) {
  const s = { ...DUMP_DEFAULTS, ...spec };
  if (spec.minutes !== undefined) s.samples = Math.round(spec.minutes * 60);
  for (const k of ['connections', 'received', 'sent', 'samples']) {
    if (!Number.isInteger(s[k]) || s[k] < 0) throw new Error(`dump spec: ${k} must be a whole number ≥ 0`);
  }
  if (s.connections < 1) throw new Error('dump spec: at least one connection');
  if (s.samples < 2) throw new Error('dump spec: at least two samples');
  return s;
}

// ------------------------------------------------------------------ the call --

const round = (x, d) => Number(x.toFixed(d));
const ipOf = (rng) => `198.51.100.${rng.int(2, 254)}`;
const idChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const statsIdPart = (rng) => Array.from({ length: 8 }, () => idChars[rng.int(0, 63)]).join('');
const fingerprint = (rng) =>
  Array.from({ length: 32 }, () => rng.hex(2).toUpperCase()).join(':');

/** Who sends and receives what, the ids and the fixed properties. */
function planCall(spec) {
  const rng = rngFor(spec.seed, 'dump-call');
  const rid = rng.int(3, 40);
  const localStream = rng.uuid();
  const conns = [];
  for (let c = 0; c < spec.connections; c++) {
    const local = statsIdPart(rng);
    const remote = statsIdPart(rng);
    conns.push({
      index: c,
      id: `${rid}-${c + 1}`,
      ufrag: statsIdPart(rng).slice(0, 4),
      remoteUfrag: statsIdPart(rng).slice(0, 4),
      local: { id: `I${local}`, ip: `192.0.2.${rng.int(2, 254)}`, port: rng.int(40000, 60000), foundation: String(rng.int(1e8, 4e9)) },
      remote: { id: `I${remote}`, ip: ipOf(rng), port: rng.int(10000, 60000), foundation: String(rng.int(1e8, 4e9)) },
      pair: `CP${local}_${remote}`,
      certs: [`CF${fingerprint(rng)}`, `CF${fingerprint(rng)}`],
      rttMs: rng.uniform(25, 70),
      sent: [],
      received: [],
    });
  }
  const track = (kind, i, direction) => ({
    kind,
    index: i,
    direction,
    ssrc: rng.int(1e8, 4.29e9),
    rtxSsrc: kind === 'video' ? rng.int(1e8, 4.29e9) : null,
    trackId: rng.uuid(),
    streamId: direction === 'sent' ? localStream : rng.uuid(),
  });
  for (let i = 0; i < spec.sent; i++) conns[0].sent.push(track(i % 2 ? 'video' : 'audio', i, 'sent'));
  for (let i = 0; i < spec.received; i++) {
    const t = track(i % 2 ? 'video' : 'audio', i, 'received');
    // A remote participant sends an audio and a video track in one stream.
    if (i % 2) t.streamId = conns[Math.floor(i / 2) % spec.connections].received.at(-1)?.streamId ?? t.streamId;
    conns[Math.floor(i / 2) % spec.connections].received.push(t);
  }
  for (const conn of conns) {
    [...conn.sent, ...conn.received].forEach((t, mid) => (t.mid = String(mid)));
    let source = 0;
    for (const t of conn.sent) t.sourceId = `S${t.kind === 'audio' ? 'A' : 'V'}${++source}`;
  }
  return { rid, pid: rng.int(1000, 60000), localStream, conns, hardwareConcurrency: 8, deviceMemory: 8 };
}

// ---------------------------------------------------------- stats over time --
// Each stats object is a stepper: step(dtS) advances its counters by dtS seconds,
// object(ts) writes it as getStats returns it (with webrtc-internals' own
// bracketed series, as the rtcstats dump carries them too).

function codecStats(dir, codec, ts) {
  const id = `C${dir}T01_${codec.pt}${codec.fmtp ? `_${codec.fmtp}` : ''}`;
  if (!codec.channels) return { clockRate: codec.clock, id, mimeType: codec.mime, payloadType: codec.pt, timestamp: ts, transportId: 'T01', type: 'codec' };
  return { channels: codec.channels, clockRate: codec.clock, id, mimeType: codec.mime, payloadType: codec.pt, sdpFmtpLine: codec.fmtp, timestamp: ts, transportId: 'T01', type: 'codec' };
}
const codecId = (dir, kind) => (kind === 'audio' ? `C${dir}T01_111_minptime=10;useinbandfec=1` : `C${dir}T01_96`);
const codecName = (kind) => (kind === 'audio' ? AUDIO_CODEC.name : VIDEO_CODEC.name);
const local = (ms) => {
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 || 12;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
};

function outboundAudio(t, seed, conn) {
  const rng = rngFor(seed, 'out', conn.id, t.ssrc);
  const s = { bytes: 0, header: 0, packets: 0, nack: 0, sendDelay: 0, rate: [0, 0, 0, 0] };
  const rem = remoteInbound(t, seed, conn);
  return {
    stats: [rem],
    step(dt) {
      const p = Math.round(50 * dt);
      const b = Math.round(p * rng.uniform(76, 84));
      s.rate = [b * 8, p * 28 * 8, 0, p ? (rng.uniform(0.001, 0.004) * p * 1000) / p : 0];
      s.bytes += b;
      s.header += p * 28;
      s.packets += p;
      s.sendDelay += p * rng.uniform(0.000001, 0.000004);
      rem.sent(p);
      return b;
    },
    object(ts) {
      const id = `OT01A${t.ssrc}`;
      return {
        active: true, bytesSent: s.bytes, codecId: codecId('O', 'audio'), headerBytesSent: s.header, id, kind: 'audio', mediaSourceId: t.sourceId, mid: t.mid,
        nackCount: s.nack, packetsSent: s.packets, packetsSentWithEct1: 0, remoteId: `RIA${t.ssrc}`, retransmittedBytesSent: 0, retransmittedPacketsSent: 0,
        ssrc: t.ssrc, targetBitrate: 32000, timestamp: ts, totalPacketSendDelay: round(s.sendDelay, 6), transportId: 'T01', type: 'outbound-rtp',
        '[bytesSent_in_bits/s]': s.rate[0], '[headerBytesSent_in_bits/s]': s.rate[1], '[retransmittedBytesSent_in_bits/s]': 0,
        '[totalPacketSendDelay/packetsSent_in_ms]': round(s.rate[3], 4), '[codec]': codecName('audio'),
      };
    },
  };
}

function outboundVideo(t, seed, conn, samples) {
  const rng = rngFor(seed, 'out', conn.id, t.ssrc);
  // Bandwidth-limited from 40 % to 55 % of the call: lower target, 960×540.
  const limitedFrom = Math.floor(samples * 0.4);
  const limitedTo = Math.floor(samples * 0.55);
  const s = { i: 0, bytes: 0, header: 0, packets: 0, frames: 0, keyFrames: 1, huge: 0, qp: 0, encodeTime: 0, sendDelay: 0, nack: 0, pli: 0, fir: 0, retxB: 0, retxP: 0 };
  s.limit = { bandwidth: 0, cpu: 0, none: 0, other: 0 };
  s.reason = 'none';
  s.resChanges = 0;
  s.size = [1280, 720];
  s.fps = 30;
  s.target = 1700000;
  s.rate = {};
  const rem = remoteInbound(t, seed, conn);
  return {
    stats: [rem],
    step(dt) {
      const limited = s.i >= limitedFrom && s.i < limitedTo;
      s.i++;
      const reason = limited ? 'bandwidth' : 'none';
      if (reason !== s.reason) {
        s.reason = reason;
        s.resChanges++;
        s.size = limited ? [960, 540] : [1280, 720];
      }
      s.target = limited ? rng.int(550000, 700000) : 1700000;
      s.fps = limited ? rng.int(22, 26) : rng.int(29, 30);
      const frames = Math.round(s.fps * dt);
      const bytes = Math.round((s.target * rng.uniform(0.85, 1.0) * dt) / 8);
      const packets = Math.ceil(bytes / 1100);
      const key = rng.chance(0.01) ? 1 : 0;
      const nack = rng.chance(0.2) ? rng.int(1, 4) : 0;
      const retxP = Math.min(nack, packets);
      const qpFrame = limited ? rng.uniform(30, 45) : rng.uniform(18, 30);
      const encodeMs = rng.uniform(2.5, 6);
      s.limit[reason] = round(s.limit[reason] + dt, 3);
      s.rate = {
        bytes: bytes * 8, header: packets * 28 * 8, retx: retxP * 1100 * 8, delay: rng.uniform(0.5, 3), frames: frames / dt,
        encodeMs, qp: qpFrame,
      };
      s.bytes += bytes;
      s.header += packets * 28;
      s.packets += packets;
      s.frames += frames;
      s.keyFrames += key;
      s.pli += key && rng.chance(0.5) ? 1 : 0;
      s.qp += Math.round(qpFrame * frames);
      s.encodeTime = round(s.encodeTime + (encodeMs * frames) / 1000, 3);
      s.sendDelay += (packets * s.rate.delay) / 1000;
      s.nack += nack;
      s.retxP += retxP;
      s.retxB += retxP * 1100;
      rem.sent(packets);
      return bytes;
    },
    object(ts) {
      const id = `OT01V${t.ssrc}`;
      const r = s.rate;
      return {
        active: true, bytesSent: s.bytes, codecId: codecId('O', 'video'), encoderImplementation: 'libvpx', encodingIndex: 0, firCount: s.fir,
        frameHeight: s.size[1], frameWidth: s.size[0], framesEncoded: s.frames, framesPerSecond: s.fps, framesSent: s.frames, headerBytesSent: s.header,
        hugeFramesSent: s.huge, id, keyFramesEncoded: s.keyFrames, kind: 'video', mediaSourceId: t.sourceId, mid: t.mid, nackCount: s.nack,
        packetsSent: s.packets, packetsSentWithEct1: 0, pliCount: s.pli, powerEfficientEncoder: false, qpSum: s.qp,
        qualityLimitationDurations: { ...s.limit }, qualityLimitationReason: s.reason, qualityLimitationResolutionChanges: s.resChanges,
        remoteId: `RIV${t.ssrc}`, retransmittedBytesSent: s.retxB, retransmittedPacketsSent: s.retxP, rtxSsrc: t.rtxSsrc, scalabilityMode: 'L1T1',
        ssrc: t.ssrc, targetBitrate: s.target, timestamp: ts, totalEncodeTime: s.encodeTime, totalEncodedBytesTarget: 0,
        totalPacketSendDelay: round(s.sendDelay, 6), transportId: 'T01', type: 'outbound-rtp',
        '[bytesSent_in_bits/s]': r.bytes ?? 0, '[headerBytesSent_in_bits/s]': r.header ?? 0, '[retransmittedBytesSent_in_bits/s]': r.retx ?? 0,
        '[totalPacketSendDelay/packetsSent_in_ms]': round(r.delay ?? 0, 4), '[framesEncoded/s]': r.frames ?? 0, '[framesSent/s]': r.frames ?? 0,
        '[totalEncodedBytesTarget_in_bits/s]': 0, '[totalEncodeTime/framesEncoded_in_ms]': round(r.encodeMs ?? 0, 3), '[qpSum/framesEncoded]': round(r.qp ?? 0, 1),
        '[codec]': codecName('video'),
      };
    },
  };
}

/** The receiver's reports on what we send: loss and round-trip time. */
function remoteInbound(t, seed, conn) {
  const rng = rngFor(seed, 'remote-in', conn.id, t.ssrc);
  const k = t.kind === 'audio' ? 'A' : 'V';
  const s = { lost: 0, sent: 0, fraction: 0, jitter: 0.002, rtt: conn.rttMs / 1000, totalRtt: 0, measurements: 0, age: 0 };
  return {
    sent(packets) {
      const lossRate = rng.chance(0.05) ? rng.uniform(0.005, 0.03) : rng.uniform(0, 0.003);
      const lost = Math.round(packets * lossRate);
      s.lost += lost;
      s.fraction = round(Math.floor((lost / Math.max(1, packets)) * 256) / 256, 8);
      s.jitter = round(rng.uniform(0.001, t.kind === 'audio' ? 0.008 : 0.004), 6);
      s.rtt = round((conn.rttMs + rng.noise() * 6) / 1000, 6);
      if (rng.chance(t.kind === 'audio' ? 0.2 : 0.9)) {
        s.measurements++;
        s.totalRtt = round(s.totalRtt + s.rtt, 6);
        s.age = rng.int(50, 900);
      }
    },
    object(ts) {
      return {
        codecId: codecId('O', t.kind), fractionLost: s.fraction, id: `RI${k}${t.ssrc}`, jitter: s.jitter, kind: t.kind, localId: `OT01${k}${t.ssrc}`,
        packetsLost: s.lost, roundTripTime: s.rtt, roundTripTimeMeasurements: s.measurements, ssrc: t.ssrc, timestamp: round(ts - s.age, 3),
        totalRoundTripTime: s.totalRtt, transportId: 'T01', type: 'remote-inbound-rtp',
      };
    },
  };
}

function mediaSource(t, seed) {
  const rng = rngFor(seed, 'source', t.ssrc);
  const s = { energy: 0, duration: 0, frames: 0, level: 0.05 };
  return {
    step(dt) {
      if (t.kind === 'audio') {
        s.level = round(rng.uniform(0.01, 0.3), 6);
        s.energy += s.level * s.level * dt;
        s.duration = round(s.duration + dt, 3);
      } else s.frames += Math.round(30 * dt);
    },
    object(ts) {
      if (t.kind === 'audio') {
        return {
          audioLevel: s.level, echoReturnLoss: -30, echoReturnLossEnhancement: round(rng.uniform(0.1, 0.3), 6), id: t.sourceId, kind: 'audio', timestamp: ts,
          totalAudioEnergy: round(s.energy, 9), totalSamplesDuration: s.duration, trackIdentifier: t.trackId, type: 'media-source',
          '[Audio_Level_in_RMS]': round(Math.sqrt(s.level), 6),
        };
      }
      return {
        frames: s.frames, framesPerSecond: 30, height: 720, id: t.sourceId, kind: 'video', timestamp: ts, 'track.deliveredFrames': s.frames,
        'track.discardedFrames': 0, 'track.totalFrames': s.frames, trackIdentifier: t.trackId, type: 'media-source', width: 1280,
      };
    },
  };
}

function inboundAudio(t, seed, conn) {
  const rng = rngFor(seed, 'in', conn.id, t.ssrc);
  const s = { bytes: 0, header: 0, packets: 0, lost: 0, concealed: 0, silent: 0, events: 0, delayedOutage: 0, inserted: 0, removed: 0, samples: 0 };
  Object.assign(s, { jbDelay: 0, jbTarget: 0, jbMin: 0, emitted: 0, flushes: 0, energy: 0, duration: 0, processing: 0, arrival: 0, level: 0.05, jitter: 0.002, rate: {} });
  const rem = remoteOutbound(t, seed, conn);
  return {
    stats: [rem],
    step(dt) {
      const packets = Math.round(50 * dt);
      const lost = rng.chance(0.08) ? rng.int(1, 3) : 0;
      const bytes = Math.round((packets - lost) * rng.uniform(76, 84));
      const samples = Math.round(48000 * dt);
      const concealed = lost ? lost * 960 + rng.int(0, 480) : rng.chance(0.05) ? rng.int(0, 480) : 0;
      const delay = rng.uniform(0.03, 0.07);
      const inserted = rng.chance(0.3) ? rng.int(0, 900) : 0;
      const removed = rng.chance(0.3) ? rng.int(0, 900) : 0;
      s.level = round(rng.uniform(0.005, 0.3), 6);
      s.jitter = round(rng.uniform(0.001, 0.012), 3);
      s.bytes += bytes;
      s.header += (packets - lost) * 28;
      s.packets += packets - lost;
      s.lost += lost;
      s.concealed += concealed;
      s.silent += concealed && rng.chance(0.2) ? Math.round(concealed / 2) : 0;
      s.events += concealed ? 1 : 0;
      s.inserted += inserted;
      s.removed += removed;
      s.samples += samples;
      s.emitted += samples;
      s.jbDelay = round(s.jbDelay + delay * samples, 3);
      s.jbTarget = round(s.jbTarget + (delay - 0.01) * samples, 3);
      s.jbMin = round(s.jbMin + 0.02 * samples, 3);
      s.processing = round(s.processing + (delay + 0.003) * samples, 5);
      s.energy += s.level * s.level * dt;
      s.duration = round(s.duration + dt, 3);
      s.arrival = round(s.arrival + rng.uniform(0, 0.02), 3);
      s.rate = { bytes: bytes * 8, header: (packets - lost) * 28 * 8, samples: samples / dt, concealed: concealed / dt, ratio: concealed / samples, silent: 0, inserted: inserted / dt, removed: removed / dt, delayMs: delay * 1000 };
      rem.received(packets, bytes);
      return bytes;
    },
    object(ts) {
      const r = s.rate;
      return {
        audioLevel: s.level, bytesReceived: s.bytes, codecId: codecId('I', 'audio'), concealedSamples: s.concealed, concealmentEvents: s.events,
        delayedPacketOutageSamples: s.delayedOutage, estimatedPlayoutTimestamp: Math.round(ts + NTP_OFFSET_MS - 60), fecPacketsDiscarded: 0, fecPacketsReceived: 0,
        headerBytesReceived: s.header, id: `IT01A${t.ssrc}`, insertedSamplesForDeceleration: s.inserted, interruptionCount: 0, jitter: s.jitter,
        jitterBufferDelay: s.jbDelay, jitterBufferEmittedCount: s.emitted, jitterBufferFlushes: s.flushes, jitterBufferMinimumDelay: s.jbMin,
        jitterBufferTargetDelay: s.jbTarget, kind: 'audio', lastPacketReceivedTimestamp: round(ts - rng.uniform(1, 20), 3), mid: t.mid,
        packetsDiscarded: 0, packetsLost: s.lost, packetsReceived: s.packets, packetsReceivedWithCe: 0, packetsReceivedWithEct1: 0, playoutId: 'AP',
        relativePacketArrivalDelay: s.arrival, remoteId: `ROA${t.ssrc}`, removedSamplesForAcceleration: s.removed, silentConcealedSamples: s.silent,
        ssrc: t.ssrc, timestamp: ts, totalAudioEnergy: round(s.energy, 9), totalInterruptionDuration: 0, totalProcessingDelay: s.processing,
        totalSamplesDuration: s.duration, totalSamplesReceived: s.samples, trackIdentifier: t.trackId, transportId: 'T01', type: 'inbound-rtp',
        '[bytesReceived_in_bits/s]': r.bytes ?? 0, '[headerBytesReceived_in_bits/s]': r.header ?? 0, '[totalSamplesReceived/s]': r.samples ?? 0,
        '[concealedSamples/s]': r.concealed ?? 0, '[concealedSamples/totalSamplesReceived]': round(r.ratio ?? 0, 6), '[silentConcealedSamples/s]': 0,
        '[insertedSamplesForDeceleration/s]': r.inserted ?? 0, '[removedSamplesForAcceleration/s]': r.removed ?? 0, '[codec]': codecName('audio'),
        '[Audio_Level_in_RMS]': round(Math.sqrt(s.level), 6), '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]': round(r.delayMs ?? 0, 3),
        '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]': round((r.delayMs ?? 10) - 10, 3), '[jitterBufferMinimumDelay/jitterBufferEmittedCount_in_ms]': 20,
        '[lastPacketReceivedTimestamp]': local(ts), '[estimatedPlayoutTimestamp]': local(ts), '[totalProcessingDelay/jitterBufferEmittedCount_in_ms]': round((r.delayMs ?? 0) + 3, 3),
      };
    },
  };
}

function inboundVideo(t, seed, conn) {
  const rng = rngFor(seed, 'in', conn.id, t.ssrc);
  const s = { bytes: 0, header: 0, packets: 0, lost: 0, frames: 0, decoded: 0, dropped: 0, assembled: 0, key: 1, qp: 0, nack: 0, pli: 0, retxB: 0, retxP: 0 };
  Object.assign(s, { freezes: 0, freezeDur: 0, interFrame: 0, interFrameSq: 0, decodeTime: 0, assembly: 0, jbDelay: 0, jbTarget: 0, jbMin: 0, processing: 0, fps: 30, jitter: 0, rate: {} });
  const rem = remoteOutbound(t, seed, conn);
  return {
    stats: [rem],
    step(dt) {
      const fps = rng.int(28, 30);
      const frames = Math.round(fps * dt);
      const bytes = Math.round((rng.uniform(900000, 1500000) * dt) / 8);
      const packets = Math.ceil(bytes / 1100);
      const lost = rng.chance(0.1) ? rng.int(1, 4) : 0;
      const freeze = rng.chance(0.003);
      const delay = rng.uniform(0.02, 0.06);
      const decodeMs = rng.uniform(1, 4);
      s.fps = fps;
      s.jitter = round(rng.uniform(0, 0.004), 3);
      s.bytes += bytes;
      s.header += packets * 28;
      s.packets += packets;
      s.lost += lost;
      s.frames += frames;
      s.decoded += frames;
      s.assembled += frames - 1;
      s.key += rng.chance(0.01) ? 1 : 0;
      s.qp += Math.round(frames * rng.uniform(18, 32));
      s.nack += lost;
      s.retxP += lost;
      s.retxB += lost * 1100;
      if (freeze) {
        s.freezes++;
        s.freezeDur = round(s.freezeDur + rng.uniform(0.2, 0.9), 3);
      }
      s.interFrame = round(s.interFrame + dt, 3);
      s.interFrameSq = round(s.interFrameSq + frames * (1 / fps) ** 2 * rng.uniform(1, 1.2), 6);
      s.decodeTime = round(s.decodeTime + (decodeMs * frames) / 1000, 6);
      s.assembly = round(s.assembly + (frames * rng.uniform(0.1, 0.4)) / 1000, 6);
      s.jbDelay = round(s.jbDelay + delay * frames, 6);
      s.jbTarget = round(s.jbTarget + (delay + 0.01) * frames, 6);
      s.jbMin = round(s.jbMin + 0.015 * frames, 6);
      s.processing = round(s.processing + (delay + decodeMs / 1000) * frames, 6);
      s.rate = { bytes: bytes * 8, header: packets * 28 * 8, retx: lost * 1100 * 8, frames: frames / dt, decodeMs, ifd: 1000 / fps, delayMs: delay * 1000 };
      rem.received(packets, bytes);
      return bytes;
    },
    object(ts) {
      const r = s.rate;
      return {
        bytesReceived: s.bytes, codecId: codecId('I', 'video'), decoderImplementation: 'libvpx', estimatedPlayoutTimestamp: Math.round(ts + NTP_OFFSET_MS - 60),
        firCount: 0, frameHeight: 720, frameWidth: 1280, framesAssembledFromMultiplePackets: s.assembled, framesDecoded: s.decoded, framesDropped: s.dropped,
        framesPerSecond: s.fps, framesReceived: s.frames, freezeCount: s.freezes,
        googTimingFrameInfo: `${Math.round(ts * 90) % 4294967296},${rng.int(-30, 0)},${rng.int(-30, 0)},-2,-2,-1,-29,-29,${Math.round(ts) % 1e8},${(Math.round(ts) % 1e8) + 10},${(Math.round(ts) % 1e8) + 20},${(Math.round(ts) % 1e8) + 21},${(Math.round(ts) % 1e8) + 18},1,1`,
        headerBytesReceived: s.header, id: `IT01V${t.ssrc}`, jitter: s.jitter, jitterBufferDelay: s.jbDelay, jitterBufferEmittedCount: s.decoded,
        jitterBufferMinimumDelay: s.jbMin, jitterBufferTargetDelay: s.jbTarget, keyFramesDecoded: s.key, kind: 'video',
        lastPacketReceivedTimestamp: round(ts - rng.uniform(1, 30), 3), mid: t.mid, minPlayoutDelay: 0.05, nackCount: s.nack, packetsLost: s.lost,
        packetsReceived: s.packets, packetsReceivedWithCe: 0, packetsReceivedWithEct1: 0, pauseCount: 0, pliCount: s.pli, powerEfficientDecoder: false,
        qpSum: s.qp, remoteId: `ROV${t.ssrc}`, retransmittedBytesReceived: s.retxB, retransmittedPacketsReceived: s.retxP, rtxSsrc: t.rtxSsrc, ssrc: t.ssrc,
        timestamp: ts, totalAssemblyTime: s.assembly, totalDecodeTime: s.decodeTime, totalFreezesDuration: s.freezeDur, totalInterFrameDelay: s.interFrame,
        totalPausesDuration: 0, totalProcessingDelay: s.processing, totalSquaredInterFrameDelay: s.interFrameSq, trackIdentifier: t.trackId,
        transportId: 'T01', type: 'inbound-rtp',
        '[bytesReceived_in_bits/s]': r.bytes ?? 0, '[headerBytesReceived_in_bits/s]': r.header ?? 0, '[retransmittedBytesReceived_in_bits/s]': r.retx ?? 0,
        '[framesReceived/s]': r.frames ?? 0, '[framesReceived-framesDecoded-framesDropped]': 0, '[framesDecoded/s]': r.frames ?? 0, '[keyFramesDecoded/s]': 0,
        '[totalDecodeTime/framesDecoded_in_ms]': round(r.decodeMs ?? 0, 4), '[totalInterFrameDelay/framesDecoded_in_ms]': round(r.ifd ?? 0, 3),
        '[interFrameDelayStDev_in_ms]': round(rng.uniform(2, 8), 4), '[qpSum/framesDecoded]': round(rng.uniform(18, 32), 1), '[codec]': codecName('video'),
        '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]': round(r.delayMs ?? 0, 3), '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]': round((r.delayMs ?? 0) + 10, 3),
        '[jitterBufferMinimumDelay/jitterBufferEmittedCount_in_ms]': 15, '[lastPacketReceivedTimestamp]': local(ts), '[estimatedPlayoutTimestamp]': local(ts),
        '[totalProcessingDelay/jitterBufferEmittedCount_in_ms]': round((r.delayMs ?? 0) + (r.decodeMs ?? 0), 3), '[totalAssemblyTime/framesAssembledFromMultiplePackets_in_ms]': 0.25,
      };
    },
  };
}

/** The sender's reports on what we receive. */
function remoteOutbound(t, seed, conn) {
  const rng = rngFor(seed, 'remote-out', conn.id, t.ssrc);
  const k = t.kind === 'audio' ? 'A' : 'V';
  const s = { bytes: 0, packets: 0, reports: 0, rtt: conn.rttMs / 1000, totalRtt: 0, measurements: 0, age: 0 };
  return {
    received(packets, bytes) {
      s.bytes += bytes;
      s.packets += packets;
      if (rng.chance(t.kind === 'audio' ? 0.2 : 0.9)) {
        s.reports++;
        s.rtt = round((conn.rttMs + rng.noise() * 6) / 1000, 6);
        s.measurements++;
        s.totalRtt = round(s.totalRtt + s.rtt, 6);
        s.age = rng.int(50, 900);
      }
    },
    object(ts) {
      const o = {
        bytesSent: s.bytes, codecId: codecId('I', t.kind), id: `RO${k}${t.ssrc}`, kind: t.kind, localId: `IT01${k}${t.ssrc}`, packetsSent: s.packets,
        remoteTimestamp: round(ts - s.age - 0.2, 3), reportsSent: s.reports, roundTripTime: s.rtt, roundTripTimeMeasurements: s.measurements, ssrc: t.ssrc,
        timestamp: round(ts - s.age, 3), totalRoundTripTime: s.totalRtt, transportId: 'T01', type: 'remote-outbound-rtp', '[remoteTimestamp]': local(ts - s.age),
      };
      if (t.kind === 'video') o['[totalRoundTripTime/roundTripTimeMeasurements]'] = s.measurements ? round(s.totalRtt / s.measurements, 6) : 0;
      return o;
    },
  };
}

/** The connection-level objects: candidate pair, transport, candidates, certificates, codecs, playout. */
function connectionStats(conn, seed, media) {
  const rng = rngFor(seed, 'conn', conn.id);
  const s = { sentB: 0, recvB: 0, sentP: 0, recvP: 0, requests: 3, rtt: conn.rttMs / 1000, totalRtt: 0, avail: 2500000, rate: [0, 0], playout: 0, playoutDelay: 0, playoutSamples: 0 };
  const sending = conn.sent.length > 0;
  const receivesAudio = conn.received.some((t) => t.kind === 'audio');
  return {
    step(dt, sentBytes, recvBytes) {
      const sp = Math.ceil(sentBytes / 1000) + 2;
      const rp = Math.ceil(recvBytes / 1000) + 2;
      s.sentB += sentBytes + sp * 28 + 100;
      s.recvB += recvBytes + rp * 28 + 100;
      s.sentP += sp;
      s.recvP += rp;
      s.rate = [(sentBytes + sp * 28 + 100) * 8, (recvBytes + rp * 28 + 100) * 8];
      if (rng.chance(0.4)) {
        s.requests++;
        s.rtt = round(Math.max(0.001, (conn.rttMs + rng.noise() * 8) / 1000), 3);
        s.totalRtt = round(s.totalRtt + s.rtt, 3);
      }
      s.avail = sending ? Math.round(rng.uniform(1.8e6, 3.2e6)) : s.avail;
      if (receivesAudio) {
        s.playout = round(s.playout + dt, 3);
        s.playoutSamples += Math.round(48000 * dt);
        s.playoutDelay = round(s.playoutDelay + 48000 * dt * rng.uniform(0.03, 0.07), 6);
      }
    },
    objects(ts) {
      const out = [];
      const pair = {
        availableOutgoingBitrate: s.avail, bytesDiscardedOnSend: 0, bytesReceived: s.recvB, bytesSent: s.sentB, consentRequestsSent: s.requests - 1,
        currentRoundTripTime: s.rtt, id: conn.pair, lastPacketReceivedTimestamp: Math.round(ts - 2), lastPacketSentTimestamp: Math.round(ts - 5),
        localCandidateId: conn.local.id, nominated: true, packetsDiscardedOnSend: 0, packetsReceived: s.recvP, packetsSent: s.sentP, priority: 9115060245863753000,
        remoteCandidateId: conn.remote.id, requestsReceived: s.requests, requestsSent: s.requests, responsesReceived: s.requests, responsesSent: s.requests,
        state: 'succeeded', timestamp: ts, totalRoundTripTime: s.totalRtt, transportId: 'T01', type: 'candidate-pair', writable: true,
        '[bytesSent_in_bits/s]': s.rate[0], '[bytesReceived_in_bits/s]': s.rate[1], '[lastPacketReceivedTimestamp]': local(ts), '[lastPacketSentTimestamp]': local(ts),
      };
      if (receivesAudio) {
        out.push({
          id: 'AP', kind: 'audio', synthesizedSamplesDuration: 0, synthesizedSamplesEvents: 0, timestamp: ts, totalPlayoutDelay: s.playoutDelay,
          totalSamplesCount: s.playoutSamples, totalSamplesDuration: s.playout, type: 'media-playout',
          '[totalPlayoutDelay/totalSamplesCount]': s.playoutSamples ? round(s.playoutDelay / s.playoutSamples, 3) : 0,
        });
      }
      for (const [i, id] of conn.certs.entries()) {
        out.push({ base64Certificate: `MIIBFTCBvaADAgECAgk${id.slice(3, 40).replace(/:/g, '')}${i}`, fingerprint: id.slice(2), fingerprintAlgorithm: 'sha-256', id, timestamp: ts, type: 'certificate' });
      }
      const kinds = new Set([...conn.sent, ...conn.received].map((t) => t.kind));
      for (const dir of ['I', 'O']) {
        if (dir === 'O' && !sending) continue;
        if (kinds.has('audio')) out.push(codecStats(dir, AUDIO_CODEC, ts));
        if (kinds.has('video')) out.push(codecStats(dir, VIDEO_CODEC, ts));
      }
      out.push(pair);
      out.push({
        address: conn.remote.ip, candidateType: 'srflx', foundation: conn.remote.foundation, id: conn.remote.id, ip: conn.remote.ip, isRemote: true,
        port: conn.remote.port, priority: 1686052607, protocol: 'udp', timestamp: ts, transportId: 'T01', type: 'remote-candidate', usernameFragment: conn.remoteUfrag,
      });
      out.push({
        address: conn.local.ip, candidateType: 'host', foundation: conn.local.foundation, id: conn.local.id, ip: conn.local.ip, isRemote: false,
        networkAdapterType: 'ethernet', networkType: 'ethernet', port: conn.local.port, priority: 2122194687, protocol: 'udp', timestamp: ts, transportId: 'T01',
        type: 'local-candidate', usernameFragment: conn.ufrag, vpn: false,
      });
      out.push({ dataChannelsClosed: 0, dataChannelsOpened: 0, id: 'P', timestamp: ts, type: 'peer-connection' });
      for (const m of media) out.push(...m.objects(ts));
      out.push({
        bytesReceived: s.recvB, bytesSent: s.sentB, dtlsCipher: 'TLS_AES_128_GCM_SHA256', dtlsRole: 'server', dtlsState: 'connected',
        iceLocalUsernameFragment: conn.ufrag, iceRole: 'controlling', iceState: 'connected', id: 'T01', localCertificateId: conn.certs[0],
        packetsReceived: s.recvP, packetsSent: s.sentP, remoteCertificateId: conn.certs[1], selectedCandidatePairChanges: 1, selectedCandidatePairId: conn.pair,
        srtpCipher: 'SRTP_AES128_CM_HMAC_SHA1_80', timestamp: ts, tlsVersion: 'FEFC', type: 'transport', '[bytesSent_in_bits/s]': s.rate[0], '[bytesReceived_in_bits/s]': s.rate[1],
      });
      return out;
    },
  };
}

/** One connection's getStats over time: next() advances a second and returns the report. */
function connectionSampler(conn, spec) {
  const media = [];
  for (const t of conn.sent) {
    const m = t.kind === 'audio' ? outboundAudio(t, spec.seed, conn) : outboundVideo(t, spec.seed, conn, spec.samples);
    const src = mediaSource(t, spec.seed);
    media.push({ dir: 'sent', m, src, objects: (ts) => [m.object(ts), ...m.stats.map((x) => x.object(ts)), src.object(ts)] });
  }
  for (const t of conn.received) {
    const m = t.kind === 'audio' ? inboundAudio(t, spec.seed, conn) : inboundVideo(t, spec.seed, conn);
    media.push({ dir: 'received', m, objects: (ts) => [m.object(ts), ...m.stats.map((x) => x.object(ts))] });
  }
  const connStats = connectionStats(conn, spec.seed, media);
  const rng = rngFor(spec.seed, 'clock', conn.id);
  let ts = spec.start + 2000 + conn.index * 7 + rng.uniform(0, 5);
  let first = true;
  return {
    next() {
      const dt = first ? rng.uniform(0.6, 1) : 1;
      if (!first) ts += 1000 + rng.uniform(-3, 3);
      first = false;
      let sent = 0;
      let recv = 0;
      for (const x of media) {
        const bytes = x.m.step(dt);
        x.src?.step(dt);
        if (x.dir === 'sent') sent += bytes;
        else recv += bytes;
      }
      connStats.step(dt, sent, recv);
      const t = round(ts, 3);
      const report = {};
      for (const o of connStats.objects(t)) report[o.id] = o;
      return { ts: t, report };
    },
  };
}

// -------------------------------------------------------------- signalling --

function sdpFor(conn, type) {
  const lines = ['v=0', `o=- ${4e18 + conn.index} 2 IN IP4 127.0.0.1`, 's=-', 't=0 0'];
  const tracks = [...conn.sent, ...conn.received];
  lines.push(`a=group:BUNDLE ${tracks.map((t) => t.mid).join(' ')}`, 'a=extmap-allow-mixed', 'a=msid-semantic: WMS *');
  for (const t of tracks) {
    const audio = t.kind === 'audio';
    lines.push(audio ? 'm=audio 9 UDP/TLS/RTP/SAVPF 111' : 'm=video 9 UDP/TLS/RTP/SAVPF 96 97', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0');
    lines.push(`a=ice-ufrag:${type === 'offer' ? conn.remoteUfrag : conn.ufrag}`, 'a=ice-options:trickle', `a=mid:${t.mid}`);
    const remoteSends = (type === 'offer') === (t.direction === 'received');
    lines.push(remoteSends ? 'a=sendonly' : 'a=recvonly', 'a=rtcp-mux');
    lines.push(...(audio ? ['a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1'] : ['a=rtpmap:96 VP8/90000', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96']));
    if (remoteSends) {
      lines.push(`a=msid:${t.streamId} ${t.trackId}`);
      if (t.rtxSsrc) lines.push(`a=ssrc-group:FID ${t.ssrc} ${t.rtxSsrc}`);
      for (const ssrc of [t.ssrc, t.rtxSsrc].filter(Boolean)) lines.push(`a=ssrc:${ssrc} cname:synthetic`, `a=ssrc:${ssrc} msid:${t.streamId} ${t.trackId}`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A connection's signalling as the update log has it: {type, value (as the
 * rtcstats dump writes it: an object, array, string or null), at (Unix ms)}. The
 * remote side offers (an SFU's subscriber connection), the page answers.
 */
function signalling(conn, start) {
  const ev = [];
  let at = start + conn.index * 40;
  const add = (type, value, gap = 1) => ev.push({ type, value, at: (at += gap) });
  add('setRemoteDescription', { type: 'offer', sdp: sdpFor(conn, 'offer') });
  add('onsignalingstatechange', '"have-remote-offer"');
  for (const t of conn.received) add('ontrack', { kind: t.kind, id: t.trackId, label: `remote ${t.kind}`, streams: [t.streamId] });
  add('setRemoteDescriptionOnSuccess', null);
  for (const t of conn.sent) add('addTrack', { kind: t.kind, id: t.trackId, streams: [t.streamId] });
  add('setLocalDescription', null, 3);
  add('onsignalingstatechange', '"stable"');
  add('setLocalDescriptionOnSuccess', { type: 'answer', sdp: sdpFor(conn, 'answer') });
  add('onicegatheringstatechange', '"gathering"');
  add('onicecandidate', { sdpMid: '0', sdpMLineIndex: 0, candidate: `candidate:${conn.local.foundation} 1 udp 2122194687 ${conn.local.ip} ${conn.local.port} typ host generation 0 ufrag ${conn.ufrag} network-id 1` });
  add('addIceCandidate', { sdpMid: '0', sdpMLineIndex: 0, candidate: `candidate:${conn.remote.foundation} 1 udp 1686052607 ${conn.remote.ip} ${conn.remote.port} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag ${conn.remoteUfrag}` });
  add('oniceconnectionstatechange', '"checking"', 20);
  add('onconnectionstatechange', '"connecting"');
  add('onicegatheringstatechange', '"complete"', 30);
  add('oniceconnectionstatechange', '"connected"', 40);
  add('onconnectionstatechange', '"connected"', 5);
  return ev;
}

function gumEntries(plan, spec) {
  const at = spec.start - 500;
  const sentAudio = plan.conns[0].sent.find((t) => t.kind === 'audio');
  const sentVideo = plan.conns[0].sent.find((t) => t.kind === 'video');
  return { at, sentAudio, sentVideo };
}

// -------------------------------------------------------- webrtc-internals --

const iso = (ms) => new Date(Math.round(ms)).toISOString();
/** webrtc-internals writes a numeric string (mid) as a number. */
const internalsValue = (prop, v) => (prop === 'mid' && typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);

/** chrome://webrtc-internals's "Download the webrtc-internals dump", as a string. */
export function webrtcInternalsDump(specIn = {}) {
  const spec = normalizeDumpSpec(specIn);
  const plan = planCall(spec);
  const peerConnections = {};
  let lastTs = spec.start;
  for (const conn of plan.conns) {
    const sampler = connectionSampler(conn, spec);
    const series = new Map(); // key -> {statsType, values[], first, last}
    for (let i = 0; i < spec.samples; i++) {
      const { ts, report } = sampler.next();
      lastTs = Math.max(lastTs, ts);
      for (const [id, o] of Object.entries(report)) {
        for (const [prop, v] of Object.entries(o)) {
          if (prop === 'id') continue;
          const key = `${id}-${prop}`;
          let s = series.get(key);
          if (!s) series.set(key, (s = { statsType: o.type, values: [], first: ts }));
          s.values.push(internalsValue(prop, v));
          s.last = ts;
        }
      }
    }
    const stats = {};
    for (const [key, s] of series) stats[key] = { startTime: iso(s.first), endTime: iso(s.last), statsType: s.statsType, values: JSON.stringify(s.values) };
    const updateLog = signalling(conn, spec.start).map((e) => ({
      type: e.type,
      value: e.value === null ? '' : typeof e.value === 'string' ? e.value : JSON.stringify(e.value),
      timestamp: e.at,
    }));
    peerConnections[conn.id] = { pid: plan.pid, rtcConfiguration: JSON.stringify({ iceServers: [{ urls: ['stun:stun.example.com:3478'] }], iceTransportPolicy: 'all', bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', sdpSemantics: 'unified-plan' }), stats, updateLog, url: URL };
  }
  const g = gumEntries(plan, spec);
  const getUserMedia = [];
  if (g.sentAudio || g.sentVideo) {
    getUserMedia.push({ audio: g.sentAudio ? '' : undefined, origin: 'https://meet.example.com', pid: plan.pid, request_id: 0, request_type: 'getUserMedia', rid: plan.rid, timestamp: g.at, url: URL, video: g.sentVideo ? '{"width": {"ideal": 1280}, "height": {"ideal": 720}}' : undefined });
    const result = { pid: plan.pid, request_id: 0, request_type: 'getUserMedia', rid: plan.rid, stream_id: plan.localStream, timestamp: g.at + 140 };
    if (g.sentAudio) result.audio_track_info = JSON.stringify({ id: g.sentAudio.trackId, label: 'Default - Microphone' });
    if (g.sentVideo) result.video_track_info = JSON.stringify({ id: g.sentVideo.trackId, label: 'HD Camera' });
    getUserMedia.push(result);
  }
  const dump = {
    cpuPerformance: 2,
    deviceMemory: plan.deviceMemory,
    hardwareConcurrency: plan.hardwareConcurrency,
    timestamp: Math.round(lastTs + 1500),
    getUserMedia,
    PeerConnections: peerConnections,
    UserAgent: USER_AGENT,
    UserAgentData: USER_AGENT_DATA,
  };
  return JSON.stringify(dump);
}

// ----------------------------------------------------------------- rtcstats --

/** The rtcstats dump value of an update-log entry (ontrack/addTrack are arrays there). */
function rtcstatsValue(e) {
  if (e.type === 'ontrack') return [e.value.kind, e.value.id, e.value.label, e.value.streams[0]];
  if (e.type === 'addTrack') return [e.value.kind, e.value.id, e.value.streams[0]];
  return e.value;
}

/**
 * chrome://webrtc-internals's "Download the rtcstats dump" (file format 3), as an
 * iterator of text chunks (a 60-minute dump is tens of MB).
 */
export function* rtcstatsDumpChunks(specIn = {}) {
  const spec = normalizeDumpSpec(specIn);
  const plan = planCall(spec);
  yield 'RTCStatsDump\n{"fileFormat":3}\n';
  let prev = null;
  const line = (at, arr) => {
    const dt = prev === null ? Math.round(at) : round(at - prev, 6);
    prev = at;
    return JSON.stringify([...arr, dt]) + '\n';
  };
  const g = gumEntries(plan, spec);
  const head = [];
  head.push([g.at - 1000, ['create', null, { hardwareConcurrency: plan.hardwareConcurrency, userAgentData: { brands: USER_AGENT_DATA.brands, mobile: false, platform: 'Linux' }, deviceMemory: plan.deviceMemory, cpuPerformance: 2, screen: { width: 1920, height: 1080, devicePixelRatio: 1 }, window: { width: 1920, height: 1080 } }]]);
  if (g.sentAudio || g.sentVideo) {
    const gumId = `getUserMedia-${plan.rid}-${plan.pid}-0`;
    const constraints = {};
    if (g.sentAudio) constraints.audio = true;
    if (g.sentVideo) constraints.video = '{"width": {"ideal": 1280}, "height": {"ideal": 720}}';
    head.push([g.at, ['navigator.mediaDevices.getUserMedia', `${plan.rid}-0`, constraints, gumId, URL]]);
    const tracks = [];
    if (g.sentAudio) tracks.push(['audio', g.sentAudio.trackId, 'Default - Microphone', plan.localStream]);
    if (g.sentVideo) tracks.push(['video', g.sentVideo.trackId, 'HD Camera', plan.localStream]);
    head.push([g.at + 140, ['navigator.mediaDevices.getUserMediaOnSuccess', `${plan.rid}-0`, tracks, gumId]]);
  }
  for (const conn of plan.conns) {
    head.push([spec.start - 100 + conn.index, ['create', conn.id, { iceServers: [{ urls: ['stun:stun.example.com:3478'] }], bundlePolicy: 'max-bundle' }, URL]]);
    for (const e of signalling(conn, spec.start)) head.push([e.at, [e.type, conn.id, rtcstatsValue(e)]]);
  }
  head.sort((a, b) => a[0] - b[0]);
  let text = '';
  for (const [at, arr] of head) text += line(at, arr);
  yield text;
  const samplers = plan.conns.map((conn) => connectionSampler(conn, spec));
  for (let i = 0; i < spec.samples; i++) {
    let chunk = '';
    for (const [c, sampler] of samplers.entries()) {
      const { ts, report } = sampler.next();
      chunk += line(Math.max(ts, prev ?? ts), ['getStats', plan.conns[c].id, report]);
    }
    yield chunk;
  }
}

export function rtcstatsDump(spec = {}) {
  return [...rtcstatsDumpChunks(spec)].join('');
}
