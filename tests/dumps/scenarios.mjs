// The recorded scenarios: what each call does, when, and what the engine
// should find (truth.json). Times in truth.json (from, to, until, at, ...) are
// Unix ms taken in the page with Date.now() when an action was applied or
// undone (or when the page saw a change); the plain numbers in this file
// (e.g. drop windows [6, 10]) are seconds after the call connected.
//
// Truth kinds (the `kind` of an `expect` entry) are plain words; check.mjs
// maps them to the engine's issue codes:
//   nothing             no problem was injected
//   freeze              received video froze from `from` (frames dropped until `to`)
//                       until about `until` (the first key frame after `to`)
//   audio-concealment   received audio was concealed from `from` to `to`
//   bandwidth-limited   sent video limited by bandwidth from `from` (to the end)
//   resolution-drop     sent/received video resolution dropped after `from`
//   ice-restart         an ICE restart at `from` (completed or not: `completed`)
//   connection-failed   the connection failed at `at` (after the remote went away at `from`)
//   connection-disconnected  ICE went disconnected at `at` (and did not fail while recorded)
//   gum-failure         getUserMedia failed at `at`
//   stall               received video got no packets from `from` to `to`
//   ice-server-error    an icecandidateerror (ICE server unreachable) at `at`
//   sdp-error           setRemoteDescription failed at `at`
//   ice-candidate-error addIceCandidate failed at `at`
//   jitter-buffer-delay received media held longer in the jitter buffer from `from`

const sleepUntil = (t) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - Date.now())));

const LOOPBACK = 'one page, two RTCPeerConnections calling each other (caller sends audio+video, callee receives)';

/** The caller/callee loopback call of one page; returns when both are connected. */
async function loopbackCall(page, { callerIceServers = null } = {}) {
  const tracks = await page.evaluate(async (iceServers) => {
    const t = await window.rec.openMedia();
    window.rec.createPeer('caller', { transform: true, iceServers });
    window.rec.createPeer('callee');
    window.rec.addMedia('caller');
    return t;
  }, callerIceServers);
  const connected = await page.evaluate(() => window.rec.connectLocal('caller', 'callee'));
  await page.evaluate(() => window.rec.watchStats());
  return { tracks, connected };
}

/** What identifies each connection's media (track ids, SSRCs) and the page's state log. */
async function describeLoopback(page) {
  return page.evaluate(async () => ({
    caller: await window.rec.describe('caller'),
    callee: await window.rec.describe('callee'),
  }));
}

function rtpOf(desc, type, kind) {
  const r = desc.rtp.find((x) => x.type === type && x.kind === kind);
  return r ? { ssrc: r.ssrc, statsId: r.id } : { ssrc: null, statsId: null };
}

/** The caller's sent track of `kind` and the callee's received one, as truth.json names them. */
function mediaOf(conns, kind, sender = 'caller', receiver = 'callee') {
  const track = conns[sender].senders.find((s) => s.kind === kind);
  return {
    trackId: track?.trackId ?? null,
    sent: { connection: sender, ...rtpOf(conns[sender], 'outbound-rtp', kind) },
    received: { connection: receiver, ...rtpOf(conns[receiver], 'inbound-rtp', kind) },
  };
}

/**
 * The first 'stat' change the page noted on `peer` after `after` for which
 * test(value) holds. Chromium's stats ids tell the type: OT… outbound-rtp,
 * IT… inbound-rtp.
 */
function firstStat(log, peer, kind, type, prop, after, test) {
  const hit = log.find((e) => e.event === 'stat' && e.peer === peer && e.t >= after && e.value.kind === kind
    && e.value.id.startsWith(type === 'outbound-rtp' ? 'OT' : 'IT') && e.value.prop === prop && test(e.value.value));
  return hit ? { t: hit.t, value: hit.value.value } : null;
}

function baseTruth(setup, call, conns, log) {
  return { setup, call, connections: conns, injected: [], expect: [], pageLog: log };
}

async function finish(page, connected, endAt) {
  await sleepUntil(connected + endAt * 1000);
  const conns = await describeLoopback(page);
  const log = await page.evaluate(() => window.rec.log());
  return { conns, log, end: await page.evaluate(() => Date.now()) };
}

async function clean({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  const { conns, log, end } = await finish(page, connected, 25);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  truth.expect.push({ kind: 'nothing', says: 'nothing: a clean call' });
  return truth;
}

/** Drops the caller's encoded frames of `kind` during each [from, to] (seconds after connect). */
async function dropWindows(page, connected, kind, windows) {
  const done = [];
  for (const [from, to] of windows) {
    await sleepUntil(connected + from * 1000);
    const t1 = await page.evaluate((k) => window.rec.drop('caller', k, true), kind);
    await sleepUntil(connected + to * 1000);
    const t2 = await page.evaluate((k) => window.rec.drop('caller', k, false), kind);
    done.push([t1, t2]);
  }
  return done;
}

/**
 * The expected freezes of dropping the caller's video frames during `windows`:
 * the receiver freezes from a drop's start until the first key frame after
 * it (the sender's next key frame after the drop ended, noted by the page).
 */
function expectFreezes(truth, windows, keyFrames, media, extra = {}) {
  windows.forEach(([from, to]) => {
    const until = keyFrames.find((k) => k >= to) ?? null;
    // Chromium counts a freeze when it ends (the first frame after it).
    const counted = firstStat(truth.pageLog, 'callee', 'video', 'inbound-rtp', 'freezeCount', from, (v) => v > 0);
    truth.injected.push({ action: 'drop every encoded video frame of the caller\'s video sender', kind: 'video', from, to, ...extra.injected, ...media });
    truth.expect.push({
      kind: 'freeze',
      says: `freeze on received video from ${from} to about ${until ?? to} (frames dropped until ${to}; decodable again from the first key frame after it, at ${until})`,
      from,
      to,
      until,
      observedFreezeCountedAt: counted?.t ?? null,
      ...extra.expect,
      ...media,
    });
  });
}

async function freeze({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  const windows = await dropWindows(page, connected, 'video', [[6, 10], [15, 19]]);
  const { conns, log, end } = await finish(page, connected, 25);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  expectFreezes(truth, windows, conns.caller.keyFramesAfterDrop, mediaOf(conns, 'video'));
  return truth;
}

async function audioDrop({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  const windows = await dropWindows(page, connected, 'audio', [[6, 10], [15, 18]]);
  const { conns, log, end } = await finish(page, connected, 25);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const media = mediaOf(conns, 'audio');
  for (const [from, to] of windows) {
    truth.injected.push({ action: 'drop every encoded audio frame of the caller\'s audio sender', kind: 'audio', from, to, ...media });
    const seen = firstStat(log, 'callee', 'audio', 'inbound-rtp', 'concealmentEvents', from, () => true);
    truth.expect.push({
      kind: 'audio-concealment',
      says: `concealment on received audio from ${from} to ${to} (nearly every sample concealed, most as silence: silentConcealedSamples)`,
      from, to, observedConcealmentEventAt: seen?.t ?? null, ...media,
    });
  }
  return truth;
}

async function bandwidth({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 10000);
  const from = await page.evaluate(() => window.rec.capBitrate('caller', 'video', 100000));
  const { conns, log, end } = await finish(page, connected, 30);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const media = mediaOf(conns, 'video');
  truth.injected.push({ action: 'setParameters: maxBitrate 100000 bps on every encoding of the caller\'s video sender', kind: 'video', from, to: null, maxBitrate: 100000, ...media });
  const limited = firstStat(log, 'caller', 'video', 'outbound-rtp', 'qualityLimitationReason', from, (v) => v === 'bandwidth');
  const sentDrop = firstStat(log, 'caller', 'video', 'outbound-rtp', 'frameWidth', from, (v) => v < 640);
  const receivedDrop = firstStat(log, 'callee', 'video', 'inbound-rtp', 'frameWidth', from, (v) => v < 640);
  truth.expect.push({
    kind: 'bandwidth-limited',
    says: `bandwidth-limited video from ${from} (the page saw qualityLimitationReason "bandwidth" on the caller's outbound-rtp from ${limited?.t})`,
    from, to: null, observedFrom: limited?.t ?? null, ...media,
  });
  truth.expect.push({
    kind: 'resolution-drop',
    says: `sent and received video resolution drops after ${from} (640x480 before; the page saw sent width ${sentDrop?.value} at ${sentDrop?.t}, received width ${receivedDrop?.value} at ${receivedDrop?.t})`,
    from, to: null, observedSent: sentDrop, observedReceived: receivedDrop, ...media,
  });
  return truth;
}

async function iceRestart({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 10000);
  const restart = await page.evaluate(() => window.rec.restartIceLocal('caller', 'callee'));
  const { conns, log, end } = await finish(page, connected, 22);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  truth.injected.push({ action: 'caller.restartIce() and a new offer/answer with the callee', connection: 'caller', from: restart.t, negotiated: restart.negotiated, ufragBefore: restart.ufragBefore, ufragAfter: restart.ufragAfter });
  const completed = restart.ufragBefore !== restart.ufragAfter && conns.caller.connectionState === 'connected';
  truth.expect.push({ kind: 'ice-restart', says: `ICE restart on the caller at ${restart.t}, ${completed ? 'completed' : 'not completed'} (new ufrag ${restart.ufragAfter})`, connection: 'caller', from: restart.t, completed });
  return truth;
}

async function connectionFailure({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 6000);
  const conns = await describeLoopback(page); // before the callee is gone
  const closed = await page.evaluate(() => window.rec.close('callee'));
  // Chromium: the caller's ICE goes disconnected within seconds, failed later.
  const failed = await page.evaluate(() => window.rec.waitState('caller', 'failed', 45000));
  await sleepUntil((failed ?? Date.now()) + 3000);
  const log = await page.evaluate(() => window.rec.log());
  const end = await page.evaluate(() => Date.now());
  // Seen with Chromium 156: webrtc-internals stops sampling the caller about
  // 7 s after the callee closed (the page's own getStats keeps working), and
  // the closed callee leaves the webrtc-internals dump (the rtcstats dump keeps
  // it). The state changes after that are in updateLog and the rtcstats dump.
  conns.caller.connectionState = await page.evaluate(() => window.rec.describe('caller').then((d) => d.connectionState));
  const truth = baseTruth(LOOPBACK, { connected, end, statsStopEarly: 'webrtc-internals may stop sampling the caller a few seconds after the callee closed' }, conns, log);
  truth.injected.push({ action: 'callee.close(): the remote side goes away without signalling', connection: 'callee', from: closed });
  const disconnected = log.find((e) => e.peer === 'caller' && e.event === 'connectionState' && e.value === 'disconnected' && e.t >= closed);
  if (failed) {
    truth.expect.push({ kind: 'connection-failed', says: `caller's connection failed at ${failed} (disconnected at ${disconnected?.t ?? 'never'}, the remote closed at ${closed})`, connection: 'caller', from: closed, at: failed, disconnectedAt: disconnected?.t ?? null });
  } else {
    truth.expect.push({ kind: 'connection-disconnected', says: `caller's connection disconnected at ${disconnected?.t} and did not fail within 45 s`, connection: 'caller', from: closed, at: disconnected?.t ?? null });
  }
  return truth;
}

async function gumFailure({ page: side }) {
  const { page } = side;
  const failure = await page.evaluate(() => window.rec.failMedia());
  if (!failure.error) throw new Error('getUserMedia with an impossible constraint succeeded');
  const { connected } = await loopbackCall(page);
  const { conns, log, end } = await finish(page, connected, 12);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  truth.injected.push({ action: 'getUserMedia({video: {width: {exact: 12345}, height: {exact: 9876}}}) before the call', from: failure.t, error: failure.error, constraint: failure.constraint });
  truth.expect.push({ kind: 'gum-failure', says: `getUserMedia failed at ${failure.t} (${failure.error}); the call after it is clean`, at: failure.t, error: failure.error });
  return truth;
}

async function videoStall({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 8000);
  const from = await page.evaluate(() => window.rec.pauseVideo('caller', true));
  await sleepUntil(connected + 15000);
  const to = await page.evaluate(() => window.rec.pauseVideo('caller', false));
  const { conns, log, end } = await finish(page, connected, 24);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const media = mediaOf(conns, 'video');
  truth.injected.push({ action: 'replaceTrack(null) on the caller\'s video sender, then the camera track back (no renegotiation)', kind: 'video', from, to, ...media });
  const paused = firstStat(log, 'callee', 'video', 'inbound-rtp', 'pauseCount', from, (v) => v > 0);
  const frozen = firstStat(log, 'callee', 'video', 'inbound-rtp', 'freezeCount', from, (v) => v > 0);
  truth.expect.push({
    kind: 'stall',
    says: `the received video gets no packets from ${from} to ${to} (the sender sends nothing; the page saw pauseCount ${paused ? `rise at ${paused.t}` : 'unchanged'}, freezeCount ${frozen ? `rise at ${frozen.t}` : 'unchanged'})`,
    from, to, observedPauseCountedAt: paused?.t ?? null, observedFreezeCountedAt: frozen?.t ?? null, ...media,
  });
  return truth;
}

async function scaleDown({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 10000);
  const from = await page.evaluate(() => window.rec.scaleVideo('caller', 4));
  const { conns, log, end } = await finish(page, connected, 22);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const media = mediaOf(conns, 'video');
  truth.injected.push({ action: 'setParameters: scaleResolutionDownBy 4 on the caller\'s video sender (640x480 to 160x120)', kind: 'video', from, to: null, ...media });
  const sentDrop = firstStat(log, 'caller', 'video', 'outbound-rtp', 'frameWidth', from, (v) => v < 640);
  const receivedDrop = firstStat(log, 'callee', 'video', 'inbound-rtp', 'frameWidth', from, (v) => v < 640);
  truth.expect.push({
    kind: 'resolution-drop',
    says: `sent and received video resolution drops at ${from} by the application's own choice (not bandwidth or CPU; the page saw sent width ${sentDrop?.value} at ${sentDrop?.t}, received width ${receivedDrop?.value} at ${receivedDrop?.t})`,
    from, to: null, observedSent: sentDrop, observedReceived: receivedDrop, ...media,
  });
  return truth;
}

// A name that never resolves (RFC 6761): Chromium reports icecandidateerror 701 at once.
const UNREACHABLE_STUN = 'stun:stun.invalid:3478';

async function signallingErrors({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page, { callerIceServers: [{ urls: UNREACHABLE_STUN }] });
  await sleepUntil(connected + 8000);
  const sdp = await page.evaluate(() => window.rec.badRemoteDescription('callee'));
  await sleepUntil(connected + 11000);
  const cand = await page.evaluate(() => window.rec.badCandidate('callee'));
  if (!sdp.error || !cand.error) throw new Error('an invalid offer or candidate was accepted');
  const { conns, log, end } = await finish(page, connected, 20);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const iceError = log.find((e) => e.peer === 'caller' && e.event === 'icecandidateerror');
  truth.injected.push({ action: `the caller's only ICE server is ${UNREACHABLE_STUN} (its name cannot resolve)`, connection: 'caller', from: null });
  truth.injected.push({ action: 'callee.setRemoteDescription(an offer that is not SDP)', connection: 'callee', from: sdp.t, error: sdp.error });
  truth.injected.push({ action: 'callee.addIceCandidate(a candidate for sdpMid "no-such-mid")', connection: 'callee', from: cand.t, error: cand.error });
  if (!iceError) throw new Error('no icecandidateerror for the unresolvable STUN server');
  truth.expect.push({
    kind: 'ice-server-error',
    says: `icecandidateerror on the caller at ${iceError.t} (${iceError.value.errorCode} ${iceError.value.errorText}, ${iceError.value.url}); the call connects on host candidates`,
    connection: 'caller', at: iceError.t, ...iceError.value,
  });
  truth.expect.push({ kind: 'sdp-error', says: `setRemoteDescription failed on the callee at ${sdp.t} (${sdp.error}); the call goes on`, connection: 'callee', at: sdp.t, error: sdp.error });
  truth.expect.push({ kind: 'ice-candidate-error', says: `addIceCandidate failed on the callee at ${cand.t} (${cand.error})`, connection: 'callee', at: cand.t, error: cand.error });
  return truth;
}

/** Mean jitter-buffer delay (ms) of each received kind between two describe() results. */
function jitterBetween(before, after) {
  const out = {};
  for (const r of after.rtp.filter((x) => x.type === 'inbound-rtp')) {
    const b = before.rtp.find((x) => x.id === r.id)?.totals;
    const emitted = r.totals.jitterBufferEmittedCount - (b?.jitterBufferEmittedCount ?? 0);
    if (emitted > 0) out[r.kind] = Math.round((1000 * (r.totals.jitterBufferDelay - (b?.jitterBufferDelay ?? 0))) / emitted);
  }
  return out;
}

async function jitterBuffer({ page: side }) {
  const { page } = side;
  const { connected } = await loopbackCall(page);
  await sleepUntil(connected + 10000);
  const before = await page.evaluate(() => window.rec.describe('callee'));
  const from = await page.evaluate(() => window.rec.setJitterBufferTarget('callee', 1500));
  await sleepUntil(connected + 25000);
  const { conns, log, end } = await finish(page, connected, 25);
  const truth = baseTruth(LOOPBACK, { connected, end }, conns, log);
  const beforeMs = jitterBetween({ rtp: [] }, before);
  const afterMs = jitterBetween(before, conns.callee);
  truth.injected.push({ action: 'jitterBufferTarget = 1500 ms on every receiver of the callee', connection: 'callee', from, to: null, target: 1500 });
  for (const kind of ['audio', 'video']) {
    truth.expect.push({
      kind: 'jitter-buffer-delay',
      says: `the received ${kind}'s jitter-buffer delay rises from ${from} (mean ${beforeMs[kind]} ms before, ${afterMs[kind]} ms after, by the page's getStats)`,
      from, to: null, meanBeforeMs: beforeMs[kind] ?? null, meanAfterMs: afterMs[kind] ?? null, ...mediaOf(conns, kind),
    });
  }
  return truth;
}

const P2P = 'two browser instances, one RTCPeerConnection each, signalled through record.mjs (non-trickle offer/answer); both send audio+video';

/** A call between two browsers: the caller's connection drops frames on demand. */
async function p2pCall(caller, callee) {
  await caller.page.evaluate(async () => {
    await window.rec.openMedia();
    window.rec.createPeer('caller', { transform: true });
    window.rec.addMedia('caller');
  });
  await callee.page.evaluate(async () => {
    await window.rec.openMedia();
    window.rec.createPeer('callee');
    window.rec.addMedia('callee');
  });
  const offer = await caller.page.evaluate(() => window.rec.makeOffer('caller'));
  const answer = await callee.page.evaluate((o) => window.rec.acceptOffer('callee', o), offer);
  await caller.page.evaluate((a) => window.rec.acceptAnswer('caller', a), answer);
  const [a, b] = await Promise.all([
    caller.page.evaluate(() => window.rec.connected('caller')),
    callee.page.evaluate(() => window.rec.connected('callee')),
  ]);
  await caller.page.evaluate(() => window.rec.watchStats());
  await callee.page.evaluate(() => window.rec.watchStats());
  return Math.max(a, b);
}

async function p2pTwoBrowsers({ caller, callee }) {
  const connected = await p2pCall(caller, callee);
  const windows = await dropWindows(caller.page, connected, 'video', [[8, 12]]);
  await sleepUntil(connected + 22000);
  const conns = {
    caller: await caller.page.evaluate(() => window.rec.describe('caller')),
    callee: await callee.page.evaluate(() => window.rec.describe('callee')),
  };
  const log = [
    ...(await caller.page.evaluate(() => window.rec.log())).map((e) => ({ ...e, browser: 'caller' })),
    ...(await callee.page.evaluate(() => window.rec.log())).map((e) => ({ ...e, browser: 'callee' })),
  ].sort((x, y) => x.t - y.t);
  const end = Date.now();
  const truth = baseTruth(P2P, { connected, end }, conns, log);
  expectFreezes(truth, windows, conns.caller.keyFramesAfterDrop, mediaOf(conns, 'video'), {
    injected: { dump: 'caller' },
    expect: { dump: 'callee', causeDump: 'caller', cause: 'the caller\'s sender sent no frames (its dump: frames encoded but not sent), not the network' },
  });
  truth.expect.push({ kind: 'nothing', says: 'nothing on the caller\'s received media (the callee sends clean)', dump: 'caller', ...mediaOf(conns, 'video', 'callee', 'caller') });
  return truth;
}

/** name -> { summary, sides (one browser each), run(sides) -> truth }. */
export const SCENARIOS = {
  clean: { summary: 'a 25 s call with nothing injected', sides: ['page'], run: clean },
  freeze: { summary: 'caller drops all video frames 6-10 s and 15-19 s after connecting: two receiver freezes', sides: ['page'], run: freeze },
  'audio-drop': { summary: 'caller drops all audio frames 6-10 s and 15-18 s: receiver audio concealment', sides: ['page'], run: audioDrop },
  bandwidth: { summary: 'caller caps video maxBitrate to 100 kbps from 10 s: bandwidth limitation, resolution drop', sides: ['page'], run: bandwidth },
  'ice-restart': { summary: 'caller restartIce() and renegotiates at 10 s', sides: ['page'], run: iceRestart },
  'video-stall': { summary: 'the caller replaces its video track with null 8-15 s: the received video gets no packets', sides: ['page'], run: videoStall },
  'scale-down': { summary: 'the caller sets scaleResolutionDownBy 4 at 10 s: resolution drop without a network cause', sides: ['page'], run: scaleDown },
  'signalling-errors': { summary: 'an unreachable STUN server, then an invalid offer (8 s) and an invalid candidate (11 s) given to the callee', sides: ['page'], run: signallingErrors },
  'jitter-buffer': { summary: 'the callee asks for a 1500 ms jitter buffer on its receivers at 10 s', sides: ['page'], run: jitterBuffer },
  'connection-failure': { summary: 'the callee connection is closed at 6 s: the caller disconnects, then fails', sides: ['page'], run: connectionFailure },
  'gum-failure': { summary: 'getUserMedia with an impossible constraint fails, then a clean 12 s call', sides: ['page'], run: gumFailure },
  'p2p-two-browsers': { summary: 'a call between two browsers; the caller drops its video frames 8-12 s: the callee\'s received video freezes', sides: ['caller', 'callee'], run: p2pTwoBrowsers },
};
