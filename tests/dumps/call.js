// The page side of tests/dumps/record.mjs: real RTCPeerConnections with the
// fake camera and microphone, and impairments applied on demand. Every action
// returns Date.now() taken when it was applied (or an object with it as `t`),
// so truth.json carries the page's own clock, the machine clock that
// webrtc-internals stamps its samples with too.
//
// Connections are named ('caller', 'callee'); a connection made with
// `transform: true` runs every sender's encoded frames through a
// TransformStream (encodedInsertableStreams) that drops the frames of a kind
// while rec.drop(kind, true) is in force.
'use strict';

(() => {
  const peers = new Map(); // name -> { pc, dropping: { audio, video }, senders }
  const log = []; // { t, peer, event, value }
  let stream = null;

  function note(peer, event, value) {
    log.push({ t: Date.now(), peer, event, value });
  }

  async function openMedia({ audio = true, video = true } = {}) {
    const constraints = { audio, video: video ? { width: 640, height: 480, frameRate: 30 } : false };
    stream = await navigator.mediaDevices.getUserMedia(constraints);
    note('', 'getUserMedia', 'ok');
    return stream.getTracks().map((t) => ({ kind: t.kind, id: t.id, label: t.label }));
  }

  // getUserMedia with a constraint no device can meet: the error is the point.
  async function failMedia() {
    const t = Date.now();
    try {
      await navigator.mediaDevices.getUserMedia({ video: { width: { exact: 12345 }, height: { exact: 9876 } } });
      return { t, error: null };
    } catch (e) {
      note('', 'getUserMedia', `${e.name}: ${e.message}`);
      return { t, tEnd: Date.now(), error: `${e.name}: ${e.message}`, constraint: e.constraint ?? null };
    }
  }

  function watchStates(name, pc) {
    for (const ev of ['connectionstatechange', 'iceconnectionstatechange', 'signalingstatechange', 'icegatheringstatechange']) {
      const prop = ev === 'connectionstatechange' ? 'connectionState'
        : ev === 'iceconnectionstatechange' ? 'iceConnectionState'
          : ev === 'signalingstatechange' ? 'signalingState' : 'iceGatheringState';
      pc.addEventListener(ev, () => note(name, prop, pc[prop]));
    }
    pc.addEventListener('icecandidateerror', (e) => {
      note(name, 'icecandidateerror', { errorCode: e.errorCode, errorText: e.errorText, url: e.url });
    });
    pc.addEventListener('track', (e) => {
      note(name, 'track', `${e.track.kind} ${e.track.id}`);
      play(e.track);
    });
  }

  // Plays a received track in a media element: Chromium pulls received audio
  // (and counts its samples and concealment) only while something plays it.
  function play(track) {
    const el = document.createElement(track.kind);
    el.autoplay = true;
    el.playsInline = true;
    el.srcObject = new MediaStream([track]);
    document.body.append(el);
    el.play().catch((e) => note('', 'play', `${track.kind}: ${e.name}`));
  }

  function createPeer(name, { transform = false, iceServers = null } = {}) {
    const config = transform ? { encodedInsertableStreams: true } : {};
    if (iceServers) config.iceServers = iceServers;
    const pc = new RTCPeerConnection(config);
    const peer = {
      pc,
      transform,
      dropping: { audio: false, video: false },
      dropped: { audio: 0, video: 0 },
      awaitingKey: false, // video resumed after a drop, no key frame passed yet
      keyFramesAfterDrop: [], // Date.now() of the first key frame passed after each video drop
    };
    peers.set(name, peer);
    watchStates(name, pc);
    return name;
  }

  // Passes a sender's encoded frames on, except while its kind is dropped.
  function pipeFrames(peer, sender) {
    const kind = sender.track.kind;
    const { readable, writable } = sender.createEncodedStreams();
    const filter = new TransformStream({
      transform(frame, controller) {
        if (peer.dropping[kind]) {
          peer.dropped[kind] += 1;
          return;
        }
        if (kind === 'video' && peer.awaitingKey && frame.type === 'key') {
          peer.awaitingKey = false;
          peer.keyFramesAfterDrop.push(Date.now());
        }
        controller.enqueue(frame);
      },
    });
    readable.pipeThrough(filter).pipeTo(writable);
  }

  function addMedia(name) {
    const peer = peers.get(name);
    for (const track of stream.getTracks()) {
      const sender = peer.pc.addTrack(track, stream);
      if (peer.transform) pipeFrames(peer, sender);
    }
    if (peer.transform) {
      // A transform connection's receivers get encoded streams too: pipe them
      // straight through (the two-browser caller receives this way).
      peer.pc.addEventListener('track', (e) => {
        const { readable, writable } = e.receiver.createEncodedStreams();
        readable.pipeTo(writable);
      });
    }
    return name;
  }

  // Two connections of this page call each other (candidates passed directly).
  async function connectLocal(a, b) {
    const pa = peers.get(a).pc;
    const pb = peers.get(b).pc;
    pa.addEventListener('icecandidate', (e) => e.candidate && pb.addIceCandidate(e.candidate).catch(() => {}));
    pb.addEventListener('icecandidate', (e) => e.candidate && pa.addIceCandidate(e.candidate).catch(() => {}));
    await negotiateLocal(pa, pb);
    await connected(a);
    await connected(b);
    return Date.now();
  }

  async function negotiateLocal(pa, pb) {
    await pa.setLocalDescription();
    await pb.setRemoteDescription(pa.localDescription);
    await pb.setLocalDescription();
    await pa.setRemoteDescription(pb.localDescription);
  }

  function connected(name, timeoutMs = 20000) {
    const { pc } = peers.get(name);
    return new Promise((resolve, reject) => {
      const done = () => pc.connectionState === 'connected';
      if (done()) return resolve(Date.now());
      const timer = setTimeout(() => reject(new Error(`${name}: not connected after ${timeoutMs} ms (${pc.connectionState})`)), timeoutMs);
      pc.addEventListener('connectionstatechange', function on() {
        if (!done()) return;
        clearTimeout(timer);
        pc.removeEventListener('connectionstatechange', on);
        resolve(Date.now());
      });
    });
  }

  // Non-trickle signalling for two browsers: the SDP once gathering is complete.
  function gathered(pc) {
    return new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
  }

  async function makeOffer(name) {
    const { pc } = peers.get(name);
    await pc.setLocalDescription();
    await gathered(pc);
    return pc.localDescription.toJSON();
  }

  async function acceptOffer(name, offer) {
    const { pc } = peers.get(name);
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription();
    await gathered(pc);
    return pc.localDescription.toJSON();
  }

  async function acceptAnswer(name, answer) {
    await peers.get(name).pc.setRemoteDescription(answer);
    return Date.now();
  }

  // Starts or ends dropping `kind` frames; after video resumes, the receiver
  // can decode again only from a key frame (it asks with PLI), so the time the
  // first key frame passes is noted (keyFramesAfterDrop in describe()).
  function drop(name, kind, on) {
    const peer = peers.get(name);
    peer.dropping[kind] = on;
    if (kind === 'video' && !on) peer.awaitingKey = true;
    return Date.now();
  }

  async function capBitrate(name, kind, bps) {
    const sender = peers.get(name).pc.getSenders().find((s) => s.track && s.track.kind === kind);
    const params = sender.getParameters();
    for (const enc of params.encodings) {
      if (bps == null) delete enc.maxBitrate;
      else enc.maxBitrate = bps;
    }
    await sender.setParameters(params);
    return Date.now();
  }

  // Stops (track null) or resumes sending the caller's camera on its video
  // sender, without renegotiation: the receiver gets no video packets meanwhile.
  async function pauseVideo(name, paused) {
    const peer = peers.get(name);
    if (paused) {
      const sender = peer.pc.getSenders().find((s) => s.track && s.track.kind === 'video');
      peer.pausedVideo = { sender, track: sender.track };
      await sender.replaceTrack(null);
    } else {
      await peer.pausedVideo.sender.replaceTrack(peer.pausedVideo.track);
      peer.pausedVideo = null;
    }
    return Date.now();
  }

  // Sets scaleResolutionDownBy on every encoding of `name`'s video sender.
  async function scaleVideo(name, factor) {
    const sender = peers.get(name).pc.getSenders().find((s) => s.track && s.track.kind === 'video');
    const params = sender.getParameters();
    for (const enc of params.encodings) enc.scaleResolutionDownBy = factor;
    await sender.setParameters(params);
    return Date.now();
  }

  // setRemoteDescription with an offer that is not SDP: it must fail.
  async function badRemoteDescription(name) {
    const t = Date.now();
    try {
      await peers.get(name).pc.setRemoteDescription({ type: 'offer', sdp: 'v=0\r\nthis is not an offer\r\n' });
      return { t, error: null };
    } catch (e) {
      return { t, error: `${e.name}: ${e.message}` };
    }
  }

  // addIceCandidate for a media section the connection does not have: it must fail.
  async function badCandidate(name) {
    const t = Date.now();
    try {
      await peers.get(name).pc.addIceCandidate({ candidate: 'candidate:1 1 udp 2122260223 192.0.2.99 5000 typ host', sdpMid: 'no-such-mid' });
      return { t, error: null };
    } catch (e) {
      return { t, error: `${e.name}: ${e.message}` };
    }
  }

  // Asks every receiver of `name` to hold `ms` of media in its jitter buffer.
  function setJitterBufferTarget(name, ms) {
    for (const r of peers.get(name).pc.getReceivers()) r.jitterBufferTarget = ms;
    return Date.now();
  }

  // restartIce() on `a`, then a new offer/answer with `b` in this page.
  async function restartIceLocal(a, b) {
    const pa = peers.get(a).pc;
    const t = Date.now();
    const before = pa.localDescription.sdp.match(/a=ice-ufrag:(\S+)/)[1];
    pa.restartIce();
    await negotiateLocal(pa, peers.get(b).pc);
    const after = pa.localDescription.sdp.match(/a=ice-ufrag:(\S+)/)[1];
    return { t, negotiated: Date.now(), ufragBefore: before, ufragAfter: after };
  }

  function close(name) {
    peers.get(name).pc.close();
    note(name, 'close', '');
    return Date.now();
  }

  // Resolves with Date.now() when `name`'s connectionState becomes `state`, or null after timeoutMs.
  function waitState(name, state, timeoutMs) {
    const { pc } = peers.get(name);
    return new Promise((resolve) => {
      if (pc.connectionState === state) return resolve(Date.now());
      const timer = setTimeout(() => resolve(null), timeoutMs);
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState !== state) return;
        clearTimeout(timer);
        resolve(Date.now());
      });
    });
  }

  // Counters the page reads at the end, as observed totals for truth.json.
  const TOTALS = [
    'framesDecoded', 'freezeCount', 'totalFreezesDuration', 'pauseCount', 'totalPausesDuration', 'pliCount', 'keyFramesDecoded',
    'frameWidth', 'frameHeight', 'concealedSamples', 'totalSamplesReceived', 'concealmentEvents', 'packetsLost', 'packetsReceived',
    'framesEncoded', 'framesSent', 'keyFramesEncoded', 'qualityLimitationReason', 'qualityLimitationDurations',
    'qualityLimitationResolutionChanges', 'packetsSent', 'targetBitrate', 'jitterBufferDelay', 'jitterBufferEmittedCount',
  ];

  // What identifies each connection's media in a dump (track ids, SSRCs,
  // stats ids) and the counters it ended with.
  async function describe(name) {
    const { pc, dropped, keyFramesAfterDrop } = peers.get(name);
    const report = await pc.getStats();
    const rtp = [];
    report.forEach((s) => {
      if (s.type !== 'outbound-rtp' && s.type !== 'inbound-rtp') return;
      const totals = {};
      for (const k of TOTALS) if (s[k] !== undefined) totals[k] = s[k];
      rtp.push({ type: s.type, kind: s.kind, ssrc: s.ssrc, mid: s.mid ?? null, trackIdentifier: s.trackIdentifier ?? null, id: s.id, totals });
    });
    const senders = pc.getSenders().filter((s) => s.track).map((s) => ({ kind: s.track.kind, trackId: s.track.id }));
    const receivers = pc.getReceivers().map((r) => ({ kind: r.track.kind, trackId: r.track.id }));
    return { name, senders, receivers, rtp, dropped: { ...dropped }, keyFramesAfterDrop: [...keyFramesAfterDrop], connectionState: pc.connectionState };
  }

  // Notes (in the log, as event 'stat') every change of a few values the page's
  // own getStats shows once a second: what the browser itself observed, beside
  // what was injected.
  const WATCHED = {
    'outbound-rtp': ['qualityLimitationReason', 'frameWidth', 'frameHeight'],
    'inbound-rtp': ['freezeCount', 'frameWidth', 'frameHeight', 'concealmentEvents', 'pauseCount'],
  };
  function watchStats() {
    const last = new Map();
    return setInterval(async () => {
      for (const [name, { pc }] of peers) {
        if (pc.connectionState === 'closed') continue;
        const report = await pc.getStats();
        report.forEach((s) => {
          for (const prop of WATCHED[s.type] ?? []) {
            if (s[prop] === undefined) continue;
            const key = `${name} ${s.id}.${prop}`;
            if (last.get(key) === s[prop]) continue;
            last.set(key, s[prop]);
            note(name, 'stat', { id: s.id, kind: s.kind, prop, value: s[prop] });
          }
        });
      }
    }, 1000);
  }

  window.rec = {
    openMedia, failMedia, createPeer, addMedia, connectLocal, makeOffer, acceptOffer, acceptAnswer,
    connected, drop, capBitrate, pauseVideo, scaleVideo, restartIceLocal, badRemoteDescription, badCandidate,
    setJitterBufferTarget, close, waitState, describe, watchStats,
    log: () => log.slice(),
    now: () => Date.now(),
  };
})();
