// callsight session generator: deterministic, realistic 100ms session exports with
// known injected problems, plus a ground-truth description (truth.json).
//
// Node >= 18, ES module, no dependencies. See scripts/gen/README.md.
//
//   import { generateSession, writeSession, scenarioSpec } from './lib.mjs';
//   const result = generateSession(scenarioSpec('sample'));   // { files: [{name, text}], truth }
//   writeSession('/tmp/out', result);                          // /tmp/out/input/*, /tmp/out/truth.json
//
// For big sessions use streamSession(spec): same result, but each file is
// { name, chunks() } (a generator of strings) so nothing big is held in memory.

import fs from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------- PRNG -------

/** mulberry32: tiny, fast, good-enough 32-bit PRNG. Returns () => float in [0, 1). */
export function mulberry32(a) {
  a >>>= 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a with a murmur-style finaliser: string -> uint32. */
export function hashString(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  constructor(seed) {
    this.f = mulberry32(typeof seed === 'number' ? seed >>> 0 : hashString(String(seed)));
  }
  next() { return this.f(); }
  uniform(a, b) { return a + (b - a) * this.f(); }
  /** integer in [a, b] inclusive */
  int(a, b) { return a + Math.floor((b - a + 1) * this.f()); }
  chance(p) { return this.f() < p; }
  pick(arr) { return arr[Math.floor(this.f() * arr.length)]; }
  /** roughly normal, mean 0, sd ~0.5, bounded to [-1.5, 1.5] */
  noise() { return this.f() + this.f() + this.f() - 1.5; }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.f() * 16)];
    return s;
  }
  uuid() {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[Math.floor(this.f() * 4)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** An independent, deterministic stream for (seed, ...parts). */
export function rngFor(seed, ...parts) {
  return new Rng(hashString([seed, ...parts].join('|')));
}

// ---------------------------------------------------------------- time -------

const pad = (n, w) => String(n).padStart(w, '0');
const FRACTION_DIGITS = [0, 2, 3, 3, 6, 9];

/** RFC 3339 UTC with `digits` fractional digits (0..9). Digits past the 3rd (sub-ms) come from rng. */
export function formatRfc3339(ms, digits, rng) {
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (!digits) return `${base}Z`;
  let frac = pad(d.getUTCMilliseconds(), 3);
  if (digits <= 3) frac = frac.slice(0, digits);
  else for (let i = 3; i < digits; i++) frac += rng ? String(rng.int(0, 9)) : '0';
  return `${base}.${frac}Z`;
}

function truncateMs(ms, digits) {
  if (digits >= 3) return ms;
  const unit = digits === 0 ? 1000 : digits === 1 ? 100 : 10;
  return ms - (((ms % unit) + unit) % unit);
}

/** A timestamp as the API would print it: {ms, str}; ms is what str means (truncated to its precision). */
export function mkTime(ms, rng, digits) {
  if (digits === undefined) digits = rng.pick(FRACTION_DIGITS);
  const t = truncateMs(Math.floor(ms), digits);
  return { ms: t, str: formatRfc3339(t, digits, rng) };
}

export const NOT_SET = '0001-01-01T00:00:00Z';

/** RFC 3339 -> epoch ms (floor); null for "not set" or unparsable. */
export function parseRfc3339(s) {
  if (typeof s !== 'string' || s === NOT_SET) return null;
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?([Zz]|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return null;
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
  d.setUTCHours(+m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, '0').slice(0, 3) : 0);
  let t = d.getTime();
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    t -= sign * (+m[8].slice(1, 3) * 60 + +m[8].slice(4, 6)) * 60000;
  }
  return t;
}

// ------------------------------------------------------------ constants ------

/** SPEC §2 default thresholds (warning / critical). */
export const THRESHOLDS = {
  packet_loss_percent: { warning: 3, critical: 5 },
  rtt_ms: { warning: 300, critical: 500 },
  jitter_ms: { warning: 30, critical: 100 },
  video_bitrate_bps: { warning: 150000, critical: 75000 },
  audio_bitrate_bps: { warning: 25000 },
  fps: { warning: 15, critical: 7 },
  screen_fps: { critical: 2 },
  concealment_ratio: { warning: 0.03, critical: 0.07 },
  freeze_count: { warning: 1 },
  audio_sample_rate: 48000,
  meeting_gap_ms: 600000,
};

// Agents as the 100ms SDKs describe themselves in error events (`data.agent`): the web SDK
// writes `os` as "web_<OS name>" (spaces as underscores), `device_model` as
// "<Browser>_<version>" (prefixed "<vendor>_<type>/" on phones and tablets), and repeats
// everything in `string`. Native agents: an Android agent string has no `domain`; the
// other keys and the iOS values are our choice (no 100ms example shows them).
export const AGENTS = [
  { sdk: 'web', sdk_version: '0.12.18', device_model: 'Chrome_125.0.0.0', os: 'web_Mac_OS', os_version: '10.15.7', framework: 'react-web', framework_version: '18.2.0', framework_sdk_version: '0.10.18', is_prebuilt: true },
  { sdk: 'web', sdk_version: '0.12.18', device_model: 'Chrome_124.0.6367.207', os: 'web_Windows', os_version: '10', framework: 'react-web', framework_version: '18.2.0', framework_sdk_version: '0.10.18', is_prebuilt: true },
  { sdk: 'web', sdk_version: '0.12.17', device_model: 'Firefox_126.0', os: 'web_Windows', os_version: '10', framework: 'react-web', framework_version: '18.2.0', framework_sdk_version: '0.10.17', is_prebuilt: true },
  { sdk: 'web', sdk_version: '0.12.18', device_model: 'Safari_17.4.1', os: 'web_Mac_OS', os_version: '10.15.7', framework: 'react-web', framework_version: '18.2.0', framework_sdk_version: '0.10.18', is_prebuilt: false },
  { sdk: 'web', sdk_version: '0.12.18', device_model: 'Edge_125.0.2535.51', os: 'web_Windows', os_version: '10', framework: 'react-web', framework_version: '18.3.1', framework_sdk_version: '0.10.18', is_prebuilt: true },
  { sdk: 'web', sdk_version: '0.12.16', device_model: 'Samsung_mobile/Chrome_125.0.6422.113', os: 'web_Android', os_version: '10', framework: 'react-web', framework_version: '18.2.0', framework_sdk_version: '0.10.16', is_prebuilt: true },
  { sdk: 'android', sdk_version: '2.9.58', device_model: 'Pixel 7', os: 'android', os_version: '34', framework: 'native', framework_version: '', framework_sdk_version: '', is_prebuilt: false },
  { sdk: 'ios', sdk_version: '1.14.1', device_model: 'iPhone 14 Pro', os: 'iOS', os_version: '17.5', framework: 'native', framework_version: '', framework_sdk_version: '', is_prebuilt: false },
  { sdk: 'android', sdk_version: '2.9.78', device_model: 'SM-A536E', os: 'android', os_version: '32', framework: 'flutter', framework_version: '3.9.2', framework_sdk_version: '1.11.0', is_prebuilt: false },
  { sdk: 'web', sdk_version: '0.12.18', device_model: 'Chrome_125.0.0.0', os: 'web_Linux', os_version: 'x86_64', framework: 'vanilla', framework_version: '', framework_sdk_version: '', is_prebuilt: false },
];

/** The `agent` object of an error event, keys in the order 100ms prints them. */
export function agentDoc(a) {
  const env = 'prod';
  const parts = [['os', a.os], ['os_version', a.os_version], ['sdk', a.sdk], ['sdk_version', a.sdk_version],
    ['device_model', a.device_model], ['env', env]];
  if (a.sdk === 'web') parts.push(['domain', 'HMS']);
  parts.push(['is_prebuilt', a.is_prebuilt], ['framework', a.framework], ['framework_version', a.framework_version],
    ['framework_sdk_version', a.framework_sdk_version]);
  const doc = { sdk: a.sdk, device_model: a.device_model, os_version: a.os_version, is_prebuilt: a.is_prebuilt,
    framework_version: a.framework_version, os: a.os, framework_sdk_version: a.framework_sdk_version,
    string: parts.map(([k, v]) => `${k}:${v}`).join(','), framework: a.framework };
  if (a.sdk === 'web') doc.domain = 'HMS';
  doc.sdk_version = a.sdk_version;
  return doc;
}

const FIRST = ['Aisha', 'Ben', 'Chen', 'Dana', 'Elif', 'Femi', 'Gita', 'Hugo', 'Ines', 'Jonas', 'Kenji', 'Lena',
  'Mateo', 'Nadia', 'Oscar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoë'];
const LAST = ['Khan', 'Carter', 'Wei', 'Levi', 'Yılmaz', 'Adeyemi', 'Sharma', 'Martin', 'Duarte', 'Berg', 'Sato', 'Fischer',
  'Rossi', 'Haddad', 'Nilsson', 'Nair', 'Moreau', 'Jiménez', 'Olsen', 'Aziz', 'Patel', 'Lima', 'Li', 'Cruz', 'Demir', 'Ångström'];

export function defaultName(i) {
  const f = FIRST[i % FIRST.length];
  const l = LAST[(i + Math.floor(i / FIRST.length) * 7) % LAST.length];
  const n = Math.floor(i / (FIRST.length * LAST.length));
  return n ? `${f} ${l} ${n + 1}` : `${f} ${l}`;
}

// Injection types. `keys`: what data each touches (for the spacing rule):
//   pub  = the target's publisher data; from = every receiver's data of the target's tracks;
//   to   = the target's subscriber data (from every sender).
export const INJECTIONS = {
  loss_burst: { media: true, keys: ['pub', 'from'], needs: 'publish' },
  high_rtt: { media: true, keys: ['pub'], needs: 'publish' },
  jitter: { media: true, keys: ['pub'], needs: 'audio' },
  downlink_loss: { media: true, keys: ['to'], needs: 'subscribe' },
  freezes: { media: true, keys: ['to'], needs: 'subscribe' },
  concealment: { media: true, keys: ['to'], needs: 'subscribe' },
  low_bitrate_layers: { media: true, keys: ['pub', 'from'], needs: 'video' }, // needs >= 5 samples
  low_fps: { media: true, keys: ['pub', 'from'], needs: 'video' },
  failed_publish: { media: false },
  failed_subscribe: { media: false },
  connect_retry: { media: false },
  disconnect: { media: false },
  join_failed: { media: false },
  join_refused: { media: false },
  // issue 19 item 6: data for the new detections (README, "Injections")
  low_received_fps: { media: true, keys: ['to'], needs: 'subscribe' },
  low_fps_forwarded: { media: true, keys: ['from'], needs: 'video' },
  nothing_received: { media: true, keys: ['to'], needs: 'subscribe' }, // from: the sender's index
  low_received_mos: { media: true, keys: ['to'], needs: 'subscribe' },
  bitrate_collapse: { media: true, keys: ['pub', 'from'], needs: 'video' },
  shared_loss: { media: true, keys: ['pub', 'from', 'to'], needs: 'publish', everyone: true }, // no peer: every present peer
};

// Error events as the 100ms SDK reports them (ErrorCodes / ErrorFactory / HMSAction of the
// web SDK; the field sets of each type follow 100ms's error-events documentation).
// `action` is the SDK's HMSAction name, in capitals; the event `type` says what failed.
const CANDIDATES = 'local candidate - candidate:1267094175 1 udp 41886207 35.207.224.32 52563 typ relay raddr 91.73.195.6 rport 53039 generation 0 ufrag IC9l network-id 1 network-cost 10; ' +
  'remote candidate - candidate:2560537185 1 udp 2130706431 redacted-ip.invalid 26058 typ prflx generation 0 ufrag QuAbLBRCmuICEpDc';
export const ERROR_SHAPES = {
  // getDisplayMedia refused: the SDK builds it with HMSAction.TRACK and does not mark it terminal
  capture_denied: { type: 'client.publish.failed', error_code: 3001, error_name: 'CantAccessCaptureDevice',
    error_message: 'User denied permission to access capture device - screen', error_description: 'Permission denied',
    action: 'TRACK', is_terminal: false },
  publish_ice_disconnected: { type: 'client.publish.failed', error_code: 4006, error_name: 'ICEDisconnected',
    error_message: '[PUBLISH]: Ice connection state DISCONNECTED', error_description: CANDIDATES, action: 'PUBLISH', is_terminal: false },
  subscribe_ice_disconnected: { type: 'client.subscribe.failed', error_code: 4006, error_name: 'ICEDisconnected',
    error_message: '[SUBSCRIBE]: Ice connection state DISCONNECTED', error_description: CANDIDATES, action: 'SUBSCRIBE', is_terminal: false },
  publish_ice_failed: { type: 'client.publish.failed', error_code: 4005, error_name: 'ICEFailure',
    error_message: '[PUBLISH]: Ice connection state FAILED', error_description: CANDIDATES, action: 'PUBLISH', is_terminal: true },
  endpoint_unreachable: { type: 'client.connect.failed', error_code: 2003, error_name: 'EndpointUnreachable',
    error_message: 'Endpoint is not reachable - Failed to fetch', error_description: 'Failed to fetch', action: 'INIT', is_terminal: false },
  websocket_lost: { type: 'client.disconnected', error_code: 1003, error_name: 'WebSocketConnectionLost',
    error_message: 'Network connection lost ', error_description: 'ping pong failure', action: 'RECONNECT_SIGNAL', is_terminal: false },
  sfu_join_failed: { type: 'client.join.failed', error_code: 500, error_name: 'ServerErrors',
    error_message: 'sfu join failed', error_description: 'sfu join failed', action: 'JOIN', is_terminal: true },
};
/** The error shape each event injection writes unless it names another (`error`). */
const DEFAULT_ERROR = { failed_publish: 'capture_denied', failed_subscribe: 'subscribe_ice_disconnected', connect_retry: 'endpoint_unreachable',
  disconnect: 'websocket_lost', join_failed: 'sfu_join_failed' };
/** Event types 100ms documents (and writes) without `session_id`. */
export const SESSIONLESS_TYPES = ['client.connect.failed', 'client.disconnected', 'peer.join.failure'];
const errorOf = (inj) => {
  const name = inj.error ?? DEFAULT_ERROR[inj.type];
  const e = ERROR_SHAPES[name];
  if (!e) throw new Error(`injection ${inj.type}: unknown error shape ${name}`);
  if (e.type !== ERROR_SHAPES[DEFAULT_ERROR[inj.type]].type) throw new Error(`injection ${inj.type}: error ${name} is a ${e.type}`);
  return e;
};

// publisher flags (per stint, per grid index k); F_FWD_LOWFPS marks what every receiver gets, not what is sent
const F_LOSS = 1, F_RTT = 2, F_JIT = 4, F_HOFF = 8, F_MOFF = 16, F_LOWFPS = 32, F_MUTE_A = 64, F_COLLAPSE = 128, F_FWD_LOWFPS = 256;
// subscriber flags (receiver side)
const S_DL = 1, S_FRZ = 2, S_CONC = 4, S_LOWFPS = 8, S_MOS = 16;

const r1 = (x) => Math.round(x * 10) / 10;
const r2 = (x) => Math.round(x * 100) / 100;
const clamp = (x, a, b) => Math.min(b, Math.max(a, x));

// ------------------------------------------------------------- spec ----------

const SPEC_DEFAULTS = {
  scenario: 'custom',
  seed: 1,
  peers: 4,
  minutes: 10,
  spacing_ms: 10000,
  start: '2024-05-02T10:00:00Z',
  injections: [],
  gaps: [],
  broadcast: false,
  peerStatsLayout: 'per-peer',
  detections: false, // expect (not only allow) the codes of issue 19 item 6 in scenarios made for other things
};

export function normalizeSpec(specIn = {}) {
  const spec = { ...SPEC_DEFAULTS, ...specIn };
  if (![10000, 30000].includes(spec.spacing_ms) && !(spec.spacing_ms >= 1000)) throw new Error(`bad spacing_ms ${spec.spacing_ms}`);
  if (!['per-peer', 'array', 'ndjson'].includes(spec.peerStatsLayout)) throw new Error(`bad peerStatsLayout ${spec.peerStatsLayout}`);
  if (!(spec.minutes > 0)) throw new Error(`bad minutes ${spec.minutes}`);
  if (parseRfc3339(spec.start) === null) throw new Error(`bad start ${spec.start}`);
  return spec;
}

function normalizeUsers(spec) {
  const list = Array.isArray(spec.peers) ? spec.peers : Array.from({ length: spec.peers }, () => ({}));
  if (!list.length) throw new Error('a session needs at least one peer');
  return list.map((u0, i) => {
    const u = { ...u0 };
    const rng = rngFor(spec.seed, 'user', i);
    const viewer = spec.broadcast && i > 0;
    const agent = typeof u.agent === 'number' ? AGENTS[u.agent % AGENTS.length]
      : u.agent ?? AGENTS[(i + rng.int(0, 3)) % AGENTS.length];
    const joinDefault = i === 0 ? rng.uniform(0.01, 0.05) : rng.uniform(0.05, 0.4);
    return {
      index: i,
      name: u.name ?? defaultName(i),
      role: u.role ?? (spec.broadcast ? (i === 0 ? 'broadcaster' : 'viewer-realtime') : i === 0 ? 'host' : 'guest'),
      user_id: u.user_id ?? `user-${rng.hex(8)}`,
      agent,
      join_min: u.join_min ?? joinDefault,
      leave_min: u.leave_min ?? spec.minutes - rng.uniform(0.02, 0.3),
      audio: u.audio ?? !viewer,
      video: u.video ?? !viewer,
      screens: u.screens ?? [],
      mutes: u.mutes ?? [],
      leave_reason: u.leave_reason ?? 'client request',
      phase_ms: u.phase_ms, // offset of the peer's samples from the grid (default: random 0.3-2.5 s)
    };
  });
}

/** Browser and version from a web agent's device_model ("Chrome_125.0.0.0", "Samsung_mobile/Chrome_125.0.6422.113"). */
export function browserOf(agent) {
  if (!agent || agent.sdk !== 'web') return { browser: null, browser_version: null };
  const m = agent.device_model.slice(agent.device_model.lastIndexOf('/') + 1);
  const i = m.indexOf('_');
  return { browser: m.slice(0, i), browser_version: m.slice(i + 1) };
}

function injectionWindow(inj) { return [inj.at_min, inj.at_min + (inj.minutes ?? 0)]; }

/** Two injections conflict unless >= 1 minute apart, when they share a target user or touch the same data. */
export function injectionsConflict(a, b) {
  const ta = INJECTIONS[a.type], tb = INJECTIONS[b.type];
  let shared = a.peer === b.peer || ta.everyone || tb.everyone || a.from === b.peer || b.from === a.peer;
  if (!shared && ta.media && tb.media) {
    const ka = ta.keys, kb = tb.keys;
    shared = (ka.includes('from') && kb.includes('to')) || (ka.includes('to') && kb.includes('from'));
  }
  if (!shared) return false;
  const [a0, a1] = injectionWindow(a), [b0, b1] = injectionWindow(b);
  const gap = Math.max(b0 - a1, a0 - b1);
  return gap < 1 - 1e-9;
}

// ------------------------------------------------------------- plan ----------

/** Build the full plan (presence, ids, effects, events, truth). No peer-stats values yet. */
export function planSession(specIn) {
  const spec = normalizeSpec(specIn);
  const seed = spec.seed;
  const spacing = spec.spacing_ms;
  const startMs = parseRfc3339(spec.start);
  const idr = rngFor(seed, 'ids');
  const ids = {
    session_id: idr.hex(24), room_id: idr.hex(24), customer_id: idr.hex(24),
    app_id: idr.hex(24), account_id: idr.hex(24), template_id: idr.hex(24),
    room_name: spec.room_name ?? `${spec.scenario}-room`,
  };
  const users = normalizeUsers(spec);
  const injections = (spec.injections ?? []).map((inj, n) => ({ ...inj, n }));
  for (const inj of injections) {
    if (!INJECTIONS[inj.type]) throw new Error(`unknown injection type ${inj.type}`);
    if (INJECTIONS[inj.type].everyone ? inj.peer !== undefined : !users[inj.peer]) throw new Error(`injection ${inj.type}: no peer ${inj.peer}`);
    if (inj.type === 'nothing_received' && (!users[inj.from] || inj.from === inj.peer)) throw new Error(`injection nothing_received: bad sender (from) ${inj.from}`);
    if (INJECTIONS[inj.type].media && !(inj.minutes > 0)) throw new Error(`injection ${inj.type}: minutes required`);
    if (inj.type === 'connect_retry') inj.at_min = users[inj.peer].join_min - 4 / 60;
  }
  // join_failed: the failed attempt happens first, the real join follows.
  for (const inj of injections.filter((x) => x.type === 'join_failed' || x.type === 'join_refused')) {
    const u = users[inj.peer];
    if (u.join_min <= inj.at_min) u.join_min = inj.at_min + (inj.retry_after_s ?? 45) / 60;
  }
  for (const inj of injections) if (inj.type === 'connect_retry') inj.at_min = users[inj.peer].join_min - 4 / 60;
  for (let i = 0; i < injections.length; i++)
    for (let j = i + 1; j < injections.length; j++)
      if (injectionsConflict(injections[i], injections[j]))
        throw new Error(`injections ${injections[i].type}@peer${injections[i].peer} and ${injections[j].type}@peer${injections[j].peer} are less than 1 minute apart`);

  // presence intervals (minutes) per user
  for (const u of users) u.intervals = [{ from: u.join_min, to: u.leave_min, reason: u.leave_reason }];
  for (const inj of injections.filter((x) => x.type === 'disconnect')) {
    const u = users[inj.peer];
    const iv = u.intervals.find((v) => v.from < inj.at_min && v.to > inj.at_min);
    if (!iv) throw new Error(`disconnect: peer ${inj.peer} not present at ${inj.at_min} min`);
    const rest = { from: inj.at_min + (inj.rejoin_after_s ?? 0) / 60, to: iv.to, reason: iv.reason, samePeer: !!inj.same_peer_id };
    if (inj.same_peer_id && !inj.rejoin_after_s) throw new Error('disconnect: same_peer_id needs rejoin_after_s');
    iv.to = inj.at_min;
    iv.reason = 'websocket closed';
    iv.disconnect = inj;
    if (inj.rejoin_after_s && rest.from < rest.to - 0.5) u.intervals.splice(u.intervals.indexOf(iv) + 1, 0, rest);
  }
  for (const gap of spec.gaps ?? []) {
    const g0 = gap.at_min, g1 = gap.at_min + gap.minutes;
    for (const u of users) {
      const r = rngFor(seed, 'gap', u.index, g0);
      const out = [];
      for (const iv of u.intervals) {
        if (iv.to <= g0 || iv.from >= g1) { out.push(iv); continue; }
        if (iv.from < g0) out.push({ from: iv.from, to: g0 - r.uniform(0.02, 0.5), reason: 'client request' });
        if (iv.to > g1) out.push({ from: g1 + r.uniform(0.02, 0.5), to: iv.to, reason: iv.reason, disconnect: iv.disconnect, samePeer: false });
      }
      u.intervals = out;
    }
  }

  // stints = peer ids; a user back under the same peer id adds a presence interval to its stint
  const stints = [];
  for (const u of users) {
    let prev = null;
    u.intervals.forEach((iv, si) => {
      const r = rngFor(seed, 'stint', u.index, si);
      const peer_id = r.uuid();
      const join = mkTime(startMs + iv.from * 60000 + r.int(0, 999), r);
      const leave = mkTime(startMs + iv.to * 60000 + r.int(0, 999), r);
      const phase = r.int(300, 2500); // drawn even when fixed, so the rest of the stream does not move
      if (iv.samePeer && prev) {
        prev.presence.push({ joined: join, left: leave, reason: iv.reason, iv });
        prev.ivs.push(iv);
        prev.left = leave;
        prev.reason = iv.reason;
        return;
      }
      stints.push(prev = {
        idx: stints.length, user: u, stintIndex: si, peer_id, iv, ivs: [iv],
        presence: [{ joined: join, left: leave, reason: iv.reason, iv }],
        joined: join, left: leave, reason: iv.reason,
        phase: u.phase_ms ?? phase,
        audioTrack: u.audio ? r.uuid() : null,
        videoTrack: u.video ? r.uuid() : null,
        screens: [], mutes: [],
      });
    });
  }
  const sessionStart = Math.min(...stints.map((s) => s.joined.ms));
  const sessionEnd = Math.max(...stints.map((s) => s.left.ms));
  const kMax = Math.ceil((sessionEnd - startMs) / spacing) + 2;
  const jitterOf = (s, k) => hashString(`${seed}|ts|${s.peer_id}|${k}`) % 201;
  for (const s of stints) {
    s.ks = [];
    s.ts = [];
    s.tsAt = new Float64Array(kMax + 1).fill(NaN);
    for (let k = 0; k <= kMax; k++) {
      const t = startMs + k * spacing + s.phase + jitterOf(s, k);
      if (s.presence.some((p) => t > p.joined.ms && t <= p.left.ms)) { s.ks.push(k); s.ts.push(t); s.tsAt[k] = t; }
    }
    s.pub = new Uint16Array(kMax + 1);
    s.sub = new Uint8Array(kMax + 1);
    s.nothingFrom = new Map(); // sender stint -> grid indices k at which its camera reaches this peer empty
  }
  const stintOf = (userIdx, fromMin, toMin) => stints.find((s) => s.user.index === userIdx && s.ivs.some((iv) => iv.from <= fromMin + 1e-9 && iv.to >= toMin - 1e-9));
  const kRange = (at, dur) => [Math.ceil((at * 60000) / spacing), Math.ceil(((at + dur) * 60000) / spacing) - 1];

  // screens & mutes
  for (const u of users) {
    u.screens.forEach((sc, n) => {
      const s = stintOf(u.index, sc.at_min, sc.at_min + sc.minutes);
      if (!s) throw new Error(`screen share of peer ${u.index} at ${sc.at_min} min: peer not present`);
      const r = rngFor(seed, 'screen', u.index, n);
      const from = mkTime(startMs + sc.at_min * 60000 + r.int(0, 999), r);
      const to = mkTime(startMs + (sc.at_min + sc.minutes) * 60000 + r.int(0, 999), r);
      const kset = new Set(s.ks.filter((k) => s.tsAt[k] > from.ms && s.tsAt[k] <= to.ms));
      s.screens.push({ track_id: r.uuid(), from, to, kset, stream_id: rngFor(seed, 'screen-stream', u.index, n).uuid() });
    });
    u.mutes.forEach((mu, n) => {
      const s = stintOf(u.index, mu.at_min, mu.at_min + mu.minutes);
      if (!s || !s.audioTrack) throw new Error(`mute of peer ${u.index} at ${mu.at_min} min: peer not present or no audio`);
      const r = rngFor(seed, 'mute', u.index, n);
      const from = mkTime(startMs + mu.at_min * 60000 + r.int(0, 999), r);
      const to = mkTime(startMs + (mu.at_min + mu.minutes) * 60000 + r.int(0, 999), r);
      const [k0, k1] = kRange(mu.at_min, mu.minutes);
      for (let k = k0; k <= k1 && k <= kMax; k++) s.pub[k] |= F_MUTE_A;
      s.mutes.push({ kind: 'audio', from, to });
    });
  }

  // who receives whom at grid index k
  const others = (s) => stints.filter((o) => o !== s);
  const subscribesAt = (r, k, kind) => others(r).some((o) => !Number.isNaN(o.tsAt[k]) &&
    (kind === 'audio' ? o.audioTrack && !(o.pub[k] & F_MUTE_A) : o.videoTrack));

  // media injections -> flags + expected issues
  const expected = [];
  const forbid = new Map(); // `${peer}|${dir}` -> {codes:Set, why:Set}
  const allowed = new Map();
  const addTo = (map, peer, dir, codes, why) => {
    const key = `${peer}|${dir}`;
    if (!map.has(key)) map.set(key, { peer_id: peer, direction: dir, codes: new Set(), why: new Set() });
    const e = map.get(key);
    codes.forEach((c) => e.codes.add(c));
    e.why.add(why);
  };
  const windowOf = (s, ks) => {
    const t = ks.map((k) => s.tsAt[k]).filter((x) => !Number.isNaN(x));
    return { start_ms: Math.min(...t), end_ms: Math.max(...t), samples: t.length };
  };
  const SEVERITY = {
    high_packet_loss: 'critical', high_rtt: 'critical', high_jitter: 'warning', audio_concealment: 'critical',
    video_freeze: 'warning', simulcast_layer_off: 'warning', low_video_bitrate: 'warning', low_fps: 'critical',
    // issue 19 item 6 (provisional codes)
    low_received_fps: 'critical', nothing_received: 'warning', low_received_audio_mos: 'warning', bitrate_collapse: 'warning',
    session_degradation: 'warning', repeated_rejoins: 'warning',
  };
  const expect = (code, s, direction, ks, inj, extra = {}) => {
    const w = windowOf(s, ks);
    if (w.samples < 3)
      throw new Error(`injection ${inj.type} on peer ${inj.peer} at ${inj.at_min} min gives only ${w.samples} samples of ${code}`);
    expected.push({ code, peer_id: s.peer_id, direction, start_ms: w.start_ms, end_ms: w.end_ms,
      min_severity: SEVERITY[code], injection: inj.type, samples: w.samples, ...extra });
  };
  const RECEIVER_CODES = {
    loss_burst: ['high_packet_loss', 'video_freeze', 'audio_concealment', 'low_audio_mos', 'low_received_audio_mos'],
    low_bitrate_layers: ['low_video_bitrate', 'low_fps', 'simulcast_layer_off'],
    low_fps: ['low_fps'],
    low_fps_forwarded: ['low_fps', 'low_received_fps'],
    bitrate_collapse: ['low_video_bitrate', 'bitrate_collapse'],
  };
  const SENDER_CODES = {
    downlink_loss: ['high_packet_loss', 'video_freeze', 'audio_concealment', 'low_received_audio_mos'],
    freezes: ['video_freeze'],
    concealment: ['audio_concealment', 'low_received_audio_mos'],
    low_received_fps: ['low_fps', 'low_received_fps'],
    low_received_mos: ['high_packet_loss', 'audio_concealment', 'low_received_audio_mos'],
  };
  // what the received-audio MOS detection may add where loss, delay or concealment is injected
  const MOS_MAY = ['low_audio_mos', 'low_received_audio_mos'];
  const ctx = { stints, expected, forbid, allowed, addTo, expect, others, subscribesAt, kRange, stintOf };
  for (const inj of injections.filter((x) => INJECTIONS[x.type].everyone)) planSharedLoss(ctx, inj);
  for (const inj of injections.filter((x) => INJECTIONS[x.type].media && !INJECTIONS[x.type].everyone)) {
    const s = stintOf(inj.peer, inj.at_min, inj.at_min + inj.minutes);
    if (!s) throw new Error(`injection ${inj.type}: peer ${inj.peer} not present for the whole window ${inj.at_min}..${inj.at_min + inj.minutes} min`);
    inj.stint = s;
    const [k0, k1] = kRange(inj.at_min, inj.minutes);
    const ks = [];
    for (let k = k0; k <= k1; k++) ks.push(k);
    if (ks.some((k) => Number.isNaN(s.tsAt[k]))) throw new Error(`injection ${inj.type}: peer ${inj.peer} misses samples in its window`);
    const need = INJECTIONS[inj.type].needs;
    if ((need === 'publish' && !s.audioTrack && !s.videoTrack) || (need === 'audio' && !s.audioTrack) || (need === 'video' && !s.videoTrack))
      throw new Error(`injection ${inj.type}: peer ${inj.peer} does not publish what it needs (${need})`);
    const pubTracks = [s.audioTrack, s.videoTrack, ...s.screens.filter((sc) => ks.some((k) => sc.kset.has(k))).map((sc) => sc.track_id)].filter(Boolean);
    const recvWhy = `receiver of ${s.user.name}'s uplink ${inj.type} (${inj.at_min}-${inj.at_min + inj.minutes} min)`;
    const receivers = () => others(s).filter((o) => ks.some((k) => !Number.isNaN(o.tsAt[k])));
    // receivers whose breaches this uplink issue explains: everyone receiving from the sender at those samples
    const explained = (kk) => others(s).filter((o) => kk.some((k) => !Number.isNaN(o.tsAt[k]))).map((o) => o.peer_id).sort();
    switch (inj.type) {
      case 'loss_burst':
        ks.forEach((k) => (s.pub[k] |= F_LOSS));
        expect('high_packet_loss', s, 'uplink', ks, inj, { track_ids: pubTracks, explains: explained(ks) });
        addTo(allowed, s.peer_id, 'uplink', MOS_MAY, 'audio MOS may drop with 8-15 % loss');
        break;
      case 'high_rtt':
        ks.forEach((k) => (s.pub[k] |= F_RTT));
        expect('high_rtt', s, 'uplink', ks, inj, { track_ids: pubTracks, explains: [] });
        addTo(allowed, s.peer_id, 'uplink', MOS_MAY, 'audio MOS may drop with 600-900 ms RTT');
        break;
      case 'jitter':
        ks.forEach((k) => (s.pub[k] |= F_JIT));
        expect('high_jitter', s, 'uplink', ks, inj, { track_ids: [s.audioTrack], explains: [] });
        addTo(allowed, s.peer_id, 'uplink', MOS_MAY, 'audio MOS may drop with 60-150 ms jitter');
        break;
      case 'low_bitrate_layers':
        ks.forEach((k, i) => (s.pub[k] |= F_HOFF | (i >= 2 ? F_MOFF : 0)));
        expect('simulcast_layer_off', s, 'uplink', ks, inj, { track_ids: [s.videoTrack], explains: explained(ks.slice(2)) });
        expect('low_video_bitrate', s, 'uplink', ks.slice(2), inj, { track_ids: [s.videoTrack], explains: explained(ks.slice(2)) });
        break;
      case 'low_fps':
        ks.forEach((k) => (s.pub[k] |= F_LOWFPS));
        expect('low_fps', s, 'uplink', ks, inj, { track_ids: [s.videoTrack], explains: explained(ks) });
        break;
      case 'downlink_loss': {
        ks.forEach((k) => (s.sub[k] |= S_DL));
        const ka = ks.filter((k) => subscribesAt(s, k, 'audio'));
        const kv = ks.filter((k) => subscribesAt(s, k, 'video'));
        expect('high_packet_loss', s, 'downlink', ka, inj, { alternatives: ['audio_concealment'] });
        expect('audio_concealment', s, 'downlink', ka, inj, { alternatives: ['high_packet_loss'] });
        expect('video_freeze', s, 'downlink', kv, inj);
        addTo(allowed, s.peer_id, 'downlink', MOS_MAY, 'audio MOS may drop with 8-15 % downlink loss');
        break;
      }
      case 'freezes':
        ks.forEach((k) => (s.sub[k] |= S_FRZ));
        expect('video_freeze', s, 'downlink', ks.filter((k) => subscribesAt(s, k, 'video')), inj);
        break;
      case 'concealment':
        ks.forEach((k) => (s.sub[k] |= S_CONC));
        expect('audio_concealment', s, 'downlink', ks.filter((k) => subscribesAt(s, k, 'audio')), inj);
        addTo(allowed, s.peer_id, 'downlink', MOS_MAY, 'audio MOS may drop with 8-12 % concealment');
        break;
      default:
        planDetectionInjection(ctx, inj, s, ks, explained);
    }
    if (RECEIVER_CODES[inj.type]) {
      for (const o of receivers()) addTo(forbid, o.peer_id, 'downlink', RECEIVER_CODES[inj.type], recvWhy);
      // the sender's own receiving side is fine
      addTo(forbid, s.peer_id, 'downlink', RECEIVER_CODES[inj.type], `${inj.type} is on ${s.user.name}'s uplink, not downlink`);
    }
    if (SENDER_CODES[inj.type]) {
      const why = `sender seen by ${s.user.name}, whose downlink has ${inj.type} (${inj.at_min}-${inj.at_min + inj.minutes} min)`;
      for (const o of receivers()) if (o.audioTrack || o.videoTrack) addTo(forbid, o.peer_id, 'uplink', SENDER_CODES[inj.type], why);
      addTo(forbid, s.peer_id, 'uplink', SENDER_CODES[inj.type], `${inj.type} is on ${s.user.name}'s downlink, not uplink`);
    }
  }

  // event injections
  const ghosts = [];
  const errorEvents = []; // {inj, stint|ghost, time, shape}
  const severityOf = (inj) => (errorOf(inj).is_terminal ? 'critical' : 'warning');
  for (const inj of injections.filter((x) => !INJECTIONS[x.type].media)) {
    const r = rngFor(seed, 'inj', inj.n);
    if (inj.type === 'disconnect') {
      const s = stints.find((x) => x.ivs.some((iv) => iv.disconnect === inj));
      const left = s.presence.find((p) => p.iv.disconnect === inj).left;
      expected.push({ code: 'disconnected', peer_id: s.peer_id, direction: '', start_ms: left.ms, end_ms: left.ms,
        min_severity: 'warning', injection: 'disconnect' });
      errorEvents.push({ inj, stint: s, time: mkTime(left.ms + r.int(20, 900), r), shape: errorOf(inj) });
    } else if (inj.type === 'join_failed' || inj.type === 'join_refused') {
      const u = users[inj.peer];
      const refused = inj.type === 'join_refused'; // a webhook: its timestamp has whole seconds
      const ghost = { peer_id: r.uuid(), user: u, time: mkTime(startMs + inj.at_min * 60000 + r.int(0, 999), r, refused ? 0 : undefined), inj };
      ghosts.push(ghost);
      expected.push({ code: 'join_failed', peer_id: ghost.peer_id, direction: '', start_ms: ghost.time.ms, end_ms: ghost.time.ms,
        min_severity: refused ? 'warning' : severityOf(inj), injection: inj.type });
      if (!refused) errorEvents.push({ inj, ghost, time: ghost.time, shape: errorOf(inj) });
    } else {
      const s = inj.type === 'connect_retry' ? stints.find((x) => x.user.index === inj.peer && x.stintIndex === 0)
        : stintOf(inj.peer, inj.at_min, inj.at_min);
      if (!s) throw new Error(`${inj.type}: peer ${inj.peer} not present at ${inj.at_min} min`);
      const time = inj.type === 'connect_retry' ? mkTime(s.joined.ms - r.int(2500, 6000), r)
        : mkTime(startMs + inj.at_min * 60000 + r.int(0, 999), r);
      const code = { connect_retry: 'connect_failed', failed_publish: 'publish_failed', failed_subscribe: 'subscribe_failed' }[inj.type];
      expected.push({ code, peer_id: s.peer_id, direction: '', start_ms: time.ms, end_ms: time.ms,
        min_severity: severityOf(inj), injection: inj.type });
      errorEvents.push({ inj, stint: s, time, shape: errorOf(inj) });
    }
  }

  planRepeatedRejoins({ spec, users, stints, injections, expected }, addTo, allowed);

  // forbidden codes never include a code expected (or allowed) on that peer in that direction
  const expectedSet = new Set(expected.map((e) => `${e.peer_id}|${e.direction}|${e.code}`));
  for (const e of allowed.values()) for (const c of e.codes) expectedSet.add(`${e.peer_id}|${e.direction}|${c}`);
  const forbidden = [];
  for (const e of forbid.values()) {
    const codes = [...e.codes].filter((c) => !expectedSet.has(`${e.peer_id}|${e.direction}|${c}`));
    if (codes.length) forbidden.push({ peer_id: e.peer_id, direction: e.direction, codes: codes.sort(), why: [...e.why].join('; ') });
  }
  const allowedList = [...allowed.values()].map((e) => ({ peer_id: e.peer_id, direction: e.direction, codes: [...e.codes], why: [...e.why].join('; ') }));

  const plan = { spec, seed, spacing, startMs, ids, users, stints, ghosts, injections, errorEvents, kMax,
    sessionStart, sessionEnd, expected, forbidden, allowed: allowedList };
  plan.events = buildEvents(plan);
  plan.webhooks = buildWebhooks(plan);
  plan.history = buildWebhookHistory(plan);
  plan.sessionDoc = buildSessionDoc(plan);
  plan.truth = buildTruth(plan);
  return plan;
}

/** The single-target injections of issue 19 item 6: flags, expected issues, allowed and forbidden codes. */
function planDetectionInjection(ctx, inj, s, ks, explained) {
  const { expect, addTo, allowed, forbid, others, subscribesAt } = ctx;
  const window = `${inj.at_min}-${inj.at_min + inj.minutes} min`;
  const sendersOf = (kk, kind) => others(s).filter((o) => (kind === 'audio' ? o.audioTrack : o.videoTrack) &&
    kk.some((k) => !Number.isNaN(o.tsAt[k]))).map((o) => o.peer_id).sort();
  switch (inj.type) {
    case 'low_received_fps': {
      // the receiver shows 4-6 fps of every sender's camera (its CPU or decoder); what arrives is as usual
      ks.forEach((k) => (s.sub[k] |= S_LOWFPS));
      const kv = ks.filter((k) => subscribesAt(s, k, 'video'));
      expect('low_received_fps', s, 'downlink', kv, inj, { peers: sendersOf(kv, 'video') });
      addTo(allowed, s.peer_id, 'downlink', ['low_fps'], 'the low received frame rate is also a low_fps breach of the receiver');
      break;
    }
    case 'low_fps_forwarded':
      // every receiver gets 4-6 fps of this camera while the sender sends 28-30 fps: lost between them (forwarding)
      ks.forEach((k) => (s.pub[k] |= F_FWD_LOWFPS));
      expect('low_received_fps', s, 'uplink', ks, inj, { track_ids: [s.videoTrack], explains: explained(ks), peers: explained(ks) });
      break;
    case 'nothing_received': {
      const o = ctx.stintOf(inj.from, inj.at_min, inj.at_min + inj.minutes);
      if (!o || !o.videoTrack || ks.some((k) => Number.isNaN(o.tsAt[k])))
        throw new Error(`injection nothing_received: sender ${inj.from} does not send a camera for the whole window ${window}`);
      s.nothingFrom.set(o, new Set(ks));
      expect('nothing_received', s, 'downlink', ks, inj, { track_ids: [o.videoTrack], peers: [o.peer_id] });
      addTo(allowed, s.peer_id, 'downlink', ['low_fps', 'low_video_bitrate'], 'fps 0 and bitrate 0 are also low_fps and low_video_bitrate breaches');
      addTo(forbid, o.peer_id, 'uplink', ['low_fps', 'low_received_fps', 'low_video_bitrate', 'nothing_received'],
        `sender whose camera reaches ${s.user.name} empty (${window}) while it sends as usual`);
      break;
    }
    case 'low_received_mos': {
      ks.forEach((k) => (s.sub[k] |= S_MOS));
      const ka = ks.filter((k) => subscribesAt(s, k, 'audio'));
      expect('low_received_audio_mos', s, 'downlink', ka, inj, { alternatives: ['high_packet_loss', 'audio_concealment'], peers: sendersOf(ka, 'audio') });
      expect('high_packet_loss', s, 'downlink', ka, inj, { alternatives: ['audio_concealment'] });
      expect('audio_concealment', s, 'downlink', ka, inj, { alternatives: ['high_packet_loss'] });
      addTo(allowed, s.peer_id, 'downlink', ['low_audio_mos'], 'the received loss and concealment lower the audio MOS');
      break;
    }
    case 'bitrate_collapse':
      // every layer at 20-28 % of its usual bitrate, frame rates as usual; receivers move to the (now small)
      // top layer, which stays above every threshold: the collapse explains no receiver breach
      ks.forEach((k) => (s.pub[k] |= F_COLLAPSE));
      expect('bitrate_collapse', s, 'uplink', ks, inj, { track_ids: [s.videoTrack], explains: [] });
      break;
    default:
      throw new Error(`no plan for injection ${inj.type}`);
  }
}

/**
 * shared_loss: every peer present in the window (>= 3, present for all of it) loses 8-15 % on its uplink and on
 * everything it receives, at once, as when the media server or a network they share fails. No one sender is to
 * blame: one session-level expected issue; each peer's own loss issues are allowed.
 */
function planSharedLoss(ctx, inj) {
  const { stints, expected, addTo, allowed, kRange } = ctx;
  const [k0, k1] = kRange(inj.at_min, inj.minutes);
  const ks = [];
  for (let k = k0; k <= k1; k++) ks.push(k);
  const hit = stints.filter((s) => ks.some((k) => !Number.isNaN(s.tsAt[k])));
  if (hit.some((s) => ks.some((k) => Number.isNaN(s.tsAt[k])) || (!s.audioTrack && !s.videoTrack)))
    throw new Error(`injection shared_loss at ${inj.at_min} min: every peer present must publish and be present for the whole window`);
  if (hit.length < 3 || ks.length < 3) throw new Error(`injection shared_loss at ${inj.at_min} min: needs >= 3 peers and >= 3 samples`);
  for (const s of hit) ks.forEach((k) => { s.pub[k] |= F_LOSS; s.sub[k] |= S_DL; });
  const t = hit.flatMap((s) => ks.map((k) => s.tsAt[k]));
  expected.push({ code: 'session_degradation', peer_id: '', direction: '', start_ms: Math.min(...t), end_ms: Math.max(...t),
    min_severity: 'warning', injection: 'shared_loss', family: 'loss', peers: hit.map((s) => s.peer_id).sort(), peers_present: hit.length });
  const why = `shared_loss (${inj.at_min}-${inj.at_min + inj.minutes} min): every peer's own loss, which the session-level issue explains`;
  for (const s of hit) {
    addTo(allowed, s.peer_id, 'uplink', ['high_packet_loss', 'low_audio_mos', 'low_received_audio_mos'], why);
    addTo(allowed, s.peer_id, 'downlink', ['high_packet_loss', 'audio_concealment', 'video_freeze', 'low_video_bitrate',
      'low_audio_mos', 'low_received_audio_mos'], why);
  }
}

/**
 * The first run of >= 3 rejoin cycles of one user within 10 minutes (issue 19 item 6), as
 * {start_ms: its first drop, end_ms: its last return, cycles}, or null.
 */
export function repeatedRejoins(cycle, minCycles = 3, windowMs = 600000) {
  const drops = cycle.disconnect_ms, back = cycle.rejoin_ms;
  for (let i = 0; i + minCycles <= back.length; i++) {
    if (back[i + minCycles - 1] - drops[i] > windowMs) continue;
    let j = i + minCycles - 1;
    while (j + 1 < back.length && back[j + 1] - drops[j + 2 - minCycles] <= windowMs) j++;
    return { start_ms: drops[i], end_ms: back[j], cycles: j - i + 1 };
  }
  return null;
}

/** Expected (spec.detections) or allowed repeated_rejoins on the latest peer id of each user who rejoined >= 3 times in 10 min. */
function planRepeatedRejoins(plan, addTo, allowed) {
  for (const c of rejoinCycles(plan)) {
    const run = repeatedRejoins(c);
    if (!run) continue;
    const latest = plan.stints.filter((s) => s.user.user_id === c.user_id && s.joined.ms <= run.end_ms).pop();
    if (plan.spec.detections)
      plan.expected.push({ code: 'repeated_rejoins', peer_id: latest.peer_id, direction: '', start_ms: run.start_ms, end_ms: run.end_ms,
        min_severity: 'warning', injection: 'disconnect', peers: [...c.peer_ids].sort(), user_id: c.user_id, cycles: run.cycles });
    else
      addTo(allowed, latest.peer_id, '', ['repeated_rejoins'], `${c.name} dropped and came back ${run.cycles} times within 10 min (expected with --detections)`);
  }
}

// ------------------------------------------------------------ values ---------

function stintBase(plan, s) {
  if (s.base) return s.base;
  const r = rngFor(plan.seed, 'base', s.peer_id);
  s.base = {
    rtt: r.int(40, 100), jitter: r.uniform(3, 6), audio: r.uniform(31000, 34000),
    h: r.uniform(1.25e6, 1.55e6), m: r.uniform(420e3, 490e3), l: r.uniform(130e3, 170e3), screen: r.uniform(260e3, 330e3),
  };
  return s.base;
}

/** The share of its usual bitrate a collapsed sender sends at grid index k (20-28 %), one for all its layers. */
const collapseFactor = (plan, s, k) => 0.2 + 0.08 * (hashString(`${plan.seed}|collapse|${s.peer_id}|${k}`) / 4294967296);
const cleanLoss = (r) => (r.chance(0.55) ? 0 : r2(r.uniform(0.01, 0.4)));
const cleanRtt = (r, base) => Math.round(clamp(base + r.noise() * 12, 20, 125)); // base 40-100, noise within +-18

function publisherAudio(plan, s) {
  const r = rngFor(plan.seed, 'pa', s.peer_id);
  const b = stintBase(plan, s);
  const ts = { timestamps: [], bitrate: [], packet_loss_percent: [], rtt_ms: [], jitter_ms: [] };
  s.ks.forEach((k, i) => {
    const f = s.pub[k];
    const muted = f & F_MUTE_A;
    ts.timestamps.push(s.ts[i]);
    ts.bitrate.push(muted ? 0 : Math.round(b.audio * r.uniform(0.93, 1.06)));
    ts.packet_loss_percent.push(muted ? 0 : f & F_LOSS ? r2(r.uniform(8, 15)) : cleanLoss(r));
    ts.rtt_ms.push(f & F_RTT ? r.int(600, 900) : cleanRtt(r, b.rtt));
    ts.jitter_ms.push(f & F_JIT ? r1(r.uniform(60, 150)) : r1(clamp(b.jitter + r.noise() * 3, 2, 10)));
  });
  return { track_id: s.audioTrack, time_series: ts };
}

function publisherVideo(plan, s) {
  const out = [];
  const b = stintBase(plan, s);
  if (s.videoTrack) {
    for (const rid of ['h', 'm', 'l']) {
      const r = rngFor(plan.seed, 'pv', s.peer_id, rid);
      const ts = { timestamps: [], bitrate: [], fps: [], packet_loss_percent: [], rtt_ms: [] };
      s.ks.forEach((k, i) => {
        const f = s.pub[k];
        const off = (rid === 'h' && f & F_HOFF) || (rid === 'm' && f & F_MOFF);
        let bitrate, fps;
        if (off) { bitrate = 0; fps = 0; }
        else if (f & F_COLLAPSE) {
          bitrate = Math.round(b[rid] * collapseFactor(plan, s, k) * r.uniform(0.97, 1.03));
          fps = rid === 'l' ? 15 : r.pick([30, 30, 30, 29, 29, 28]);
        } else if (f & F_LOWFPS) {
          bitrate = Math.round(b[rid] * r.uniform(0.42, 0.55));
          fps = rid === 'l' ? r.int(3, 5) : r.int(4, 6);
        } else if (rid === 'l') {
          bitrate = f & F_MOFF ? r.int(90000, 130000) : Math.round(b.l * r.uniform(0.93, 1.06));
          fps = 15;
        } else {
          bitrate = Math.round(b[rid] * r.uniform(0.93, 1.05));
          fps = r.pick([30, 30, 30, 29, 29, 28]);
        }
        ts.timestamps.push(s.ts[i]);
        ts.bitrate.push(bitrate);
        ts.fps.push(fps);
        ts.packet_loss_percent.push(off ? 0 : f & F_LOSS ? r2(r.uniform(8, 15)) : cleanLoss(r));
        ts.rtt_ms.push(f & F_RTT ? r.int(600, 900) : cleanRtt(r, b.rtt));
      });
      out.push({ track_id: s.videoTrack, type: 'regular', rid, time_series: ts });
    }
  }
  for (const sc of s.screens) {
    const r = rngFor(plan.seed, 'ps', sc.track_id);
    const ts = { timestamps: [], bitrate: [], fps: [], packet_loss_percent: [], rtt_ms: [] };
    s.ks.forEach((k, i) => {
      if (!sc.kset.has(k)) return;
      const f = s.pub[k];
      ts.timestamps.push(s.ts[i]);
      ts.bitrate.push(Math.round(b.screen * r.uniform(0.85, 1.12)));
      ts.fps.push(r1(r.uniform(4.4, 5.6)));
      ts.packet_loss_percent.push(f & F_LOSS ? r2(r.uniform(8, 15)) : cleanLoss(r));
      ts.rtt_ms.push(f & F_RTT ? r.int(600, 900) : cleanRtt(r, b.rtt));
    });
    if (ts.timestamps.length) out.push({ track_id: sc.track_id, type: 'screen', rid: null, time_series: ts });
  }
  return out;
}

function subscriberVideo(plan, rcv, snd, screen) {
  const trackId = screen ? screen.track_id : snd.videoTrack;
  const r = rngFor(plan.seed, 'sv', rcv.peer_id, trackId);
  const layer = r.chance(0.7) ? 'h' : 'm';
  const base = screen ? r.uniform(250e3, 330e3) : layer === 'h' ? r.uniform(0.9e6, 1.4e6) : r.uniform(500e3, 600e3);
  const ts = { timestamps: [], bitrate: [], fps: [], freeze_count: [] };
  let first = true;
  rcv.ks.forEach((k, i) => {
    if (Number.isNaN(snd.tsAt[k])) return;
    if (screen && !screen.kset.has(k)) return;
    const f = snd.pub[k], g = rcv.sub[k];
    let bitrate, fps, freeze = 0;
    if (screen) {
      bitrate = base * r.uniform(0.85, 1.12);
      fps = r.uniform(4.3, 5.6);
    } else {
      if (f & F_MOFF) { bitrate = r.uniform(95e3, 130e3); fps = r.uniform(15, 15.4); }
      else if (f & F_HOFF && layer === 'h') { bitrate = r.uniform(400e3, 480e3); fps = r.uniform(27, 30); }
      else { bitrate = base * r.uniform(0.9, 1.08); fps = layer === 'h' ? r.uniform(27, 30) : r.uniform(24, 30); }
      if (f & F_LOWFPS) { bitrate *= 0.5; fps = r.uniform(4, 6); }
      if (f & F_FWD_LOWFPS) { bitrate *= r.uniform(0.4, 0.55); fps = r.uniform(4, 6); }
      if (f & F_COLLAPSE) { bitrate = stintBase(plan, snd).h * collapseFactor(plan, snd, k) * r.uniform(0.9, 1.08); fps = r.uniform(27, 30); }
      if (g & S_LOWFPS) fps = r.uniform(4, 6);
      if (f & F_LOSS) { bitrate *= r.uniform(0.5, 0.7); fps = Math.min(fps, r.uniform(18, 24)); freeze = r.int(1, 2); }
      if (g & S_DL) { bitrate *= r.uniform(0.4, 0.6); fps = Math.min(fps, r.uniform(16, 22)); freeze = r.int(1, 3); }
      if (g & S_FRZ) { fps = Math.min(fps, r.uniform(20, 26)); freeze = r.int(1, 3); }
    }
    const isNull = first ? r.chance(0.4) : r.chance(0.02);
    first = false;
    // nothing arrives: numbers, not null (null means the figure is missing)
    if (!screen && rcv.nothingFrom.get(snd)?.has(k)) { bitrate = 0; fps = 0; freeze = 0; }
    ts.timestamps.push(rcv.ts[i]);
    ts.bitrate.push(isNull && bitrate ? null : Math.round(bitrate));
    ts.fps.push(r1(fps));
    ts.freeze_count.push(freeze);
  });
  return ts.timestamps.length ? { track_id: trackId, type: screen ? 'screen' : 'regular', time_series: ts } : null;
}

function subscriberAudio(plan, rcv, snd) {
  const r = rngFor(plan.seed, 'sa', rcv.peer_id, snd.audioTrack);
  const ts = { timestamps: [], bitrate: [], concealed_samples: [], packet_loss_percent: [] };
  const W = (THRESHOLDS.audio_sample_rate * plan.spacing) / 1000;
  let first = true;
  rcv.ks.forEach((k, i) => {
    if (Number.isNaN(snd.tsAt[k])) return;
    const f = snd.pub[k], g = rcv.sub[k];
    let bitrate, conceal, loss;
    if (f & F_MUTE_A) { bitrate = 0; conceal = 0; loss = 0; }
    else {
      bitrate = Math.round(r.uniform(29000, 35500));
      loss = cleanLoss(r);
      conceal = r.chance(0.5) ? 0 : Math.round(W * r.uniform(0, 0.003));
      if (f & F_JIT) conceal = Math.round(W * r.uniform(0.003, 0.012));
      if (f & F_LOSS) { loss = r2(r.uniform(7.5, 15)); conceal = Math.round(W * r.uniform(0.05, 0.1)); }
      if (g & S_DL) { loss = r2(r.uniform(8, 15)); conceal = Math.round(W * r.uniform(0.08, 0.12)); }
      if (g & S_CONC) conceal = Math.round(W * r.uniform(0.08, 0.12));
      // 14.5-18 % concealed: the E-model MOS of what the peer hears falls below 3.1 (6-10 % loss alone would not)
      if (g & S_MOS) { loss = r2(r.uniform(6, 10)); conceal = Math.round(W * r.uniform(0.145, 0.18)); }
    }
    const isNull = bitrate && (first ? r.chance(0.3) : r.chance(0.02));
    first = false;
    ts.timestamps.push(rcv.ts[i]);
    ts.bitrate.push(isNull ? null : bitrate);
    ts.concealed_samples.push(conceal);
    ts.packet_loss_percent.push(loss);
  });
  return ts.timestamps.length ? { track_id: snd.audioTrack, time_series: ts } : null;
}

/** The peer-stats document of one stint (one peer id). */
export function peerStatsDoc(plan, s) {
  const doc = {
    peer_id: s.peer_id, session_id: plan.ids.session_id, room_id: plan.ids.room_id,
    publisher: { video: publisherVideo(plan, s), audio: s.audioTrack ? [publisherAudio(plan, s)] : [] },
    subscriber: { video: [], audio: [] },
  };
  for (const o of plan.stints) {
    if (o === s) continue;
    if (o.joined.ms >= s.left.ms || o.left.ms <= s.joined.ms) continue;
    if (o.videoTrack) { const v = subscriberVideo(plan, s, o, null); if (v) doc.subscriber.video.push(v); }
    for (const sc of o.screens) { const v = subscriberVideo(plan, s, o, sc); if (v) doc.subscriber.video.push(v); }
    if (o.audioTrack) { const a = subscriberAudio(plan, s, o); if (a) doc.subscriber.audio.push(a); }
  }
  return doc;
}

// ------------------------------------------------------ events & docs --------

/** data of an error event: the fields 100ms documents for its type, in the order its examples print them. */
function errorEventData(plan, who, E, presence) {
  const { ids } = plan;
  const u = who.user;
  const head = { user_id: u.user_id, user_name: u.name, peer_id: who.peer_id, account_id: ids.account_id, room_id: ids.room_id };
  const room = { room_name: ids.room_name, template_id: ids.template_id, role: u.role };
  const err = { error_code: E.error_code, error_description: E.error_description, error_message: E.error_message, error_name: E.error_name };
  const agent = agentDoc(u.agent);
  switch (E.type) {
    case 'client.publish.failed':
      return { ...head, session_id: ids.session_id, ...room, domain: 'HMS', is_terminal: E.is_terminal, action: E.action, ...err,
        audio: { maxBitrate: 0, deviceId: '', volume: 0, codec: '' }, devices: { videoInput: [], audioInput: [], audioOutput: [] },
        video: { deviceId: '', maxFramerate: 0, maxBitrate: 0, codec: '', height: 0, width: 0 }, agent };
    case 'client.subscribe.failed': // the documented example has no domain
      return { ...head, session_id: ids.session_id, ...room, ...err, is_terminal: E.is_terminal, action: E.action, agent };
    case 'client.join.failed':
      return { ...head, session_id: ids.session_id, ...room, error_message: E.error_message, error_code: E.error_code,
        error_description: E.error_description, error_name: E.error_name, action: E.action, is_terminal: E.is_terminal,
        domain: 'HMS', retries_join: 0, agent };
    case 'client.disconnected': // documented without session_id
      return { ...head, ...room, transport_state: presence ? 'Joined' : 'Connecting', error_message: E.error_message,
        error_code: E.error_code, error_description: E.error_description, error_name: E.error_name, action: E.action,
        is_terminal: E.is_terminal, agent };
    case 'client.connect.failed': // documented without session_id, room_name, template_id or role
      return { ...head, error_message: E.error_message, endpoint: '', transport_state: 'Connecting', action: E.action,
        error_name: E.error_name, error_code: E.error_code, error_description: E.error_description, is_terminal: E.is_terminal, agent };
    default:
      throw new Error(`no field set for ${E.type}`);
  }
}

function buildEvents(plan) {
  const { ids, seed } = plan;
  const list = [];
  const push = (time, type, data, r) => list.push({ ms: time.ms, ord: list.length, ev: { version: '2.0', id: r.uuid(), timestamp: time.str, type, data } });
  for (const s of plan.stints) {
    const r = rngFor(seed, 'events', s.peer_id);
    const stream = r.uuid();
    const within = (ms) => s.presence.find((p) => ms > p.joined.ms && ms <= p.left.ms) ?? s.presence[0];
    // the track event object of 100ms's track-events documentation (no agent; stopped_at only on remove)
    const track = (time, type, kind, source, trackId, streamId, mute, started, stopped) => {
      const p = within(time.ms);
      const data = { room_id: ids.room_id, session_id: ids.session_id, room_name: ids.room_name, peer_id: s.peer_id,
        user_id: s.user.user_id, user_name: s.user.name, joined_at: p.joined.str, role: s.user.role, track_id: trackId,
        stream_id: streamId, type: kind, source, mute, started_at: started };
      if (stopped) data.stopped_at = stopped;
      push(time, type, data, r);
    };
    const adds = s.presence.map((p) => {
      const added = {};
      for (const [kind, id] of [['audio', s.audioTrack], ['video', s.videoTrack]]) {
        if (!id) continue;
        const t = mkTime(p.joined.ms + r.int(500, 2500), r);
        added[kind] = t;
        track(t, 'track.add.success', kind, 'regular', id, stream, false, t.str, null);
      }
      return added;
    });
    const addedAt = (ms) => adds[s.presence.indexOf(within(ms))];
    for (const mu of s.mutes) {
      const started = addedAt(mu.from.ms).audio.str;
      track(mu.from, 'track.update.success', 'audio', 'regular', s.audioTrack, stream, true, started, null);
      track(mu.to, 'track.update.success', 'audio', 'regular', s.audioTrack, stream, false, started, null);
    }
    for (const sc of s.screens) {
      track(sc.from, 'track.add.success', 'video', 'screen', sc.track_id, sc.stream_id, false, sc.from.str, null);
      track(sc.to, 'track.remove.success', 'video', 'screen', sc.track_id, sc.stream_id, false, sc.from.str, sc.to.str);
    }
    s.presence.forEach((p, i) => {
      for (const [kind, id] of [['audio', s.audioTrack], ['video', s.videoTrack]]) {
        if (!id) continue;
        const t = mkTime(p.left.ms - r.int(0, 300), r);
        track(t, 'track.remove.success', kind, 'regular', id, stream, false, adds[i][kind].str, t.str);
      }
    });
  }
  for (const e of plan.errorEvents) {
    const r = rngFor(seed, 'err', e.inj.n);
    const who = e.stint ?? e.ghost;
    push(e.time, e.shape.type, errorEventData(plan, who, e.shape, e.stint ?? null), r);
  }
  {
    const r = rngFor(seed, 'beam');
    const t = mkTime(plan.sessionEnd + r.int(20000, 60000), r);
    const started = mkTime(plan.sessionStart + r.int(3000, 9000), r);
    push(t, 'beam.recording.success', {
      room_id: ids.room_id, session_id: ids.session_id, beam_id: r.hex(24), recording_id: r.uuid(),
      started_at: started.str, stopped_at: mkTime(plan.sessionEnd, r).str,
      duration: Math.round((plan.sessionEnd - started.ms) / 1000), size: r.int(50, 400) * 1048576 + r.int(0, 1048575),
      location: `s3://recordings-${ids.customer_id.slice(0, 8)}/beam/${ids.room_id}/${ids.session_id}.mp4`,
    }, r);
  }
  list.sort((a, b) => a.ms - b.ms || a.ord - b.ord);
  return list.map((x) => x.ev);
}

// Webhooks as 100ms sends them (configure-webhooks guide): the envelope timestamp in whole
// seconds, app_id on session events only, data keys as the guide's examples print them.
function buildWebhooks(plan) {
  const { ids, seed } = plan;
  const r = rngFor(seed, 'webhooks');
  const list = [];
  const push = (ms, type, data, lo = 5, hi = 400) => {
    const t = mkTime(ms + r.int(lo, hi), r, 0);
    const ev = { version: '2.0', id: r.uuid(), account_id: ids.account_id };
    if (type.startsWith('session.')) ev.app_id = ids.app_id;
    Object.assign(ev, { timestamp: t.str, type, data });
    list.push({ ms: t.ms, ord: list.length, ev });
  };
  const startStr = plan.stints.find((s) => s.joined.ms === plan.sessionStart).joined.str;
  const endStr = plan.stints.find((s) => s.left.ms === plan.sessionEnd).left.str;
  const room = { room_id: ids.room_id, room_name: ids.room_name, session_id: ids.session_id, template_id: ids.template_id };
  push(plan.sessionStart, 'session.open.success', { ...room, session_started_at: startStr }, 0, 4);
  for (const s of plan.stints) {
    for (const p of s.presence) {
      const who = { peer_id: s.peer_id, role: s.user.role, ...room };
      push(p.joined.ms, 'peer.join.success', { joined_at: p.joined.str, ...who, user_id: s.user.user_id, user_name: s.user.name });
      push(p.left.ms, 'peer.leave.success', { duration: Math.round((p.left.ms - p.joined.ms) / 1000), joined_at: p.joined.str,
        left_at: p.left.str, peer_id: s.peer_id, reason: p.reason, role: s.user.role, ...room, type: 'regular',
        user_id: s.user.user_id, user_name: s.user.name, user_data: '', session_started_at: startStr });
    }
  }
  // a join the server refused: no session yet, joined_at "not set" (webhook guide, peer.join.failure)
  for (const g of plan.ghosts.filter((x) => x.inj.type === 'join_refused')) {
    push(g.time.ms, 'peer.join.failure', { joined_at: NOT_SET, peer_id: g.peer_id, role: g.user.role, room_id: ids.room_id,
      room_name: ids.room_name, user_id: g.user.user_id, template_id: ids.template_id, type: 'regular', user_name: g.user.name,
      user_data: '', error_message: g.inj.error_message ?? 'role not allowed' }, 0, 0);
  }
  push(plan.sessionEnd + 1000, 'session.close.success', { ...room, session_duration: Math.round((plan.sessionEnd - plan.sessionStart) / 1000),
    session_started_at: startStr, session_stopped_at: endStr });
  list.sort((a, b) => a.ms - b.ms || a.ord - b.ord);
  plan.webhookTimes = list.map((x) => x.ms);
  return list.map((x) => x.ev);
}

// Webhook event types the delivery log (GET /v2/analytics/webhooks) documents.
const HISTORY_TYPES = new Set(['session.open.success', 'session.close.success', 'peer.join.success', 'peer.leave.success',
  'recording.success', 'recording.failed', 'transcription.success', 'beam.started.success', 'beam.stopped.success',
  'beam.recording.success', 'hls.recording.success', 'stream.recording.success']);
export const DELIVERY_FAILED = 'reporter.webhook.delivery.failed';
export const DELIVERY_SUCCESS = 'reporter.webhook.delivery.success';

/**
 * The webhook delivery log (list-webhook-events.mdx): one entry per webhook sent, oldest first.
 * spec.webhook_history = { failures: [{ event, user?, reason }] } marks the first `event` webhook
 * (of that user's first peer id, when given) as failed with `reason`. Returns null without a spec.
 */
function buildWebhookHistory(plan) {
  const hs = plan.spec.webhook_history;
  if (!hs) return null;
  const { ids, seed } = plan;
  const r = rngFor(seed, 'webhook-history');
  const url = hs.webhook_url ?? `https://hooks.example.com/100ms/${ids.room_name}`;
  const failAt = new Map();
  for (const f of hs.failures ?? []) {
    const peer = f.user === undefined ? null : plan.stints.find((x) => x.user.index === f.user)?.peer_id;
    if (f.user !== undefined && !peer) throw new Error(`webhook_history: no peer for user ${f.user}`);
    const i = plan.webhooks.findIndex((w, n) => w.type === f.event && !failAt.has(n) && (peer === null || w.data.peer_id === peer));
    if (i < 0 || !HISTORY_TYPES.has(f.event)) throw new Error(`webhook_history: no ${f.event} webhook to fail`);
    failAt.set(i, f.reason ?? 'timeout');
  }
  const entries = [];
  const failures = [];
  plan.webhooks.forEach((w, n) => {
    if (!HISTORY_TYPES.has(w.type)) return;
    const t = mkTime(plan.webhookTimes[n] + r.int(50, 900), r, 0);
    const event_data = { session_id: w.data.session_id };
    if (w.data.peer_id) Object.assign(event_data, { peer_id: w.data.peer_id, user_id: w.data.user_id });
    const payload = { event_data, webhook_url: url, original_event_name: w.type };
    const failed = failAt.has(n);
    if (failed) {
      payload.error_reason = failAt.get(n);
      failures.push({ original_event_name: w.type, peer_id: w.data.peer_id ?? null, time_ms: t.ms, error_reason: payload.error_reason });
    }
    entries.push({ event_id: r.uuid(), event_name: failed ? DELIVERY_FAILED : DELIVERY_SUCCESS, room_id: ids.room_id,
      event_timestamp: t.str, payload });
  });
  const total = entries.length;
  const size = hs.page_size ?? (total > 50 ? 50 : Math.max(1, Math.ceil(total / 2)));
  const pages = [];
  for (let i = 0; i < total || i === 0; i += size) pages.push(entries.slice(i, i + size));
  const docs = pages.map((events, k) => ({
    events,
    pagination: { current_page: k + 1, page_size: size, total_pages: pages.length, total_items: total,
      has_next: k < pages.length - 1, has_prev: k > 0 },
    summary: { total_events: total },
  }));
  const byEvent = {};
  for (const f of failures) byEvent[f.original_event_name] = (byEvent[f.original_event_name] ?? 0) + 1;
  return { docs, truth: { webhook_url: url, total, delivered: total - failures.length, failed: failures.length,
    failed_by_event: byEvent, failures } };
}

function buildSessionDoc(plan) {
  const { ids } = plan;
  const peers = {};
  for (const s of plan.stints)
    peers[s.peer_id] = { id: s.peer_id, session_id: ids.session_id, name: s.user.name, role: s.user.role, user_id: s.user.user_id,
      joined_at: s.joined.str, left_at: s.left.str };
  return {
    id: ids.session_id, room_id: ids.room_id, customer_id: ids.customer_id, active: false,
    peers,
    created_at: plan.stints.find((s) => s.joined.ms === plan.sessionStart).joined.str,
    updated_at: plan.stints.find((s) => s.left.ms === plan.sessionEnd).left.str,
  };
}

function publishedTracks(s) { return (s.audioTrack ? 1 : 0) + (s.videoTrack ? 1 : 0) + s.screens.length; }

/** Meetings: presence intervals joined; a gap >= gapMs with nobody present starts a new one. */
export function computeMeetings(peers, gapMs = THRESHOLDS.meeting_gap_ms) {
  const ps = peers.filter((p) => p.joined_ms != null).sort((a, b) => a.joined_ms - b.joined_ms);
  const meetings = [];
  for (const p of ps) {
    const m = meetings[meetings.length - 1];
    if (m && p.joined_ms - m.end_ms < gapMs) { m.end_ms = Math.max(m.end_ms, p.left_ms); m.peers.push(p); }
    else meetings.push({ start_ms: p.joined_ms, end_ms: p.left_ms, peers: [p] });
  }
  return meetings.map((m) => {
    const publishers = m.peers.filter((p) => p.published_tracks > 0).length;
    const n = m.peers.length;
    // docs/REPORT.md, "Call types": webinar = 1..5 publishers, viewers >= 3 x publishers, >= 10 people.
    const webinar = publishers >= 1 && publishers <= 5 && n - publishers >= 3 * publishers && n >= 10;
    const call_type = n === 1 ? 'one-to-zero' : n === 2 ? 'one-to-one' : publishers === 1 ? 'broadcast'
      : webinar ? 'webinar' : 'multiparty';
    return { start_ms: m.start_ms, end_ms: m.end_ms, peer_ids: m.peers.map((p) => p.peer_id), call_type };
  });
}

/** Users who were disconnected and came back: their peer ids in order and when each drop happened. */
function rejoinCycles(plan) {
  const out = [];
  for (const u of plan.users) {
    const drops = plan.stints.filter((s) => s.user === u).flatMap((s) => s.presence.filter((p) => p.iv.disconnect).map((p) => p.left.ms));
    const back = plan.injections.filter((x) => x.type === 'disconnect' && x.peer === u.index && x.rejoin_after_s).length;
    if (!back) continue;
    drops.sort((a, b) => a - b);
    const joins = plan.stints.filter((s) => s.user === u).flatMap((s) => s.presence.map((p) => p.joined.ms)).sort((a, b) => a - b);
    const rejoins = drops.map((t) => joins.find((j) => j > t)).filter((j) => j !== undefined);
    out.push({ user_id: u.user_id, name: u.name, peer_ids: plan.stints.filter((s) => s.user === u).map((s) => s.peer_id),
      disconnect_ms: drops, rejoin_ms: rejoins, cycles: back });
  }
  return out;
}

/** Events written without session_id, and how an analyzer can tell which session they belong to. */
function sessionlessEvents(plan) {
  const out = [];
  for (const e of plan.errorEvents) {
    if (!SESSIONLESS_TYPES.includes(e.shape.type)) continue;
    out.push({ source: 'events', type: e.shape.type, peer_id: (e.stint ?? e.ghost).peer_id, time_ms: e.time.ms,
      session_id: plan.ids.session_id, attach_by: e.stint ? 'peer_id' : 'time' });
  }
  for (const g of plan.ghosts.filter((x) => x.inj.type === 'join_refused'))
    out.push({ source: 'webhooks', type: 'peer.join.failure', peer_id: g.peer_id, time_ms: g.time.ms,
      session_id: plan.ids.session_id, attach_by: 'time' });
  return out.sort((a, b) => a.time_ms - b.time_ms);
}

function buildTruth(plan) {
  const { spec, ids } = plan;
  // a session-level issue (peer_id "") is on every peer it lists
  const withIssue = new Set(plan.expected.flatMap((e) => (e.peer_id ? [e.peer_id] : e.peers)));
  // which peers' agent is visible in the inputs (only error events carry one)
  const agentKnown = new Set(plan.events.filter((e) => e.data && e.data.agent).map((e) => e.data.peer_id));
  const peerInfo = (peer_id, user, extra) => {
    const known = agentKnown.has(peer_id);
    const a = known ? user.agent : {};
    const b = known ? browserOf(user.agent) : { browser: null, browser_version: null };
    return {
      peer_id, name: user.name, user_id: user.user_id, role: user.role,
      browser: b.browser, browser_version: b.browser_version, os: a.os ?? null, os_version: a.os_version ?? null,
      sdk: a.sdk ?? null, sdk_version: a.sdk_version ?? null, framework: a.framework ?? null, device_model: a.device_model ?? null,
      ...extra, clean: !withIssue.has(peer_id),
    };
  };
  const peers = plan.stints.map((s) => peerInfo(s.peer_id, s.user, {
    joined: true, joined_ms: s.joined.ms, left_ms: s.left.ms, end_reason: s.reason,
    presence: s.presence.map((p) => ({ joined_ms: p.joined.ms, left_ms: p.left.ms, end_reason: p.reason })),
    publishes: publishedTracks(s) > 0, published_tracks: publishedTracks(s), user_index: s.user.index,
    track_ids: { audio: s.audioTrack, video: s.videoTrack, screen: s.screens.map((x) => x.track_id) },
    screen_shares: s.screens.map((x) => ({ track_id: x.track_id, start_ms: x.from.ms, end_ms: x.to.ms })),
    mutes: s.mutes.map((x) => ({ kind: x.kind, start_ms: x.from.ms, end_ms: x.to.ms })),
    samples: s.ks.length,
  }));
  for (const g of plan.ghosts)
    peers.push(peerInfo(g.peer_id, g.user, { joined: false, joined_ms: null, left_ms: null, end_reason: null, presence: [],
      publishes: false, published_tracks: 0, user_index: g.user.index, track_ids: { audio: null, video: null, screen: [] },
      screen_shares: [], mutes: [], samples: 0 }));
  const expected = [...plan.expected].sort((a, b) => a.start_ms - b.start_ms || a.code.localeCompare(b.code));
  return {
    scenario: spec.scenario, seed: spec.seed, session_id: ids.session_id, room_id: ids.room_id,
    spacing_ms: plan.spacing, start_ms: plan.sessionStart, end_ms: plan.sessionEnd, layout: spec.peerStatsLayout,
    meetings: computeMeetings(peers),
    peers,
    expected_issues: expected,
    forbidden_issues: plan.forbidden,
    allowed_issues: plan.allowed,
    error_events: plan.errorEvents.map((e) => ({ type: e.shape.type, peer_id: (e.stint ?? e.ghost).peer_id,
      time_ms: e.time.ms, action: e.shape.action, is_terminal: e.shape.is_terminal, error_code: e.shape.error_code,
      error_name: e.shape.error_name, has_session_id: !SESSIONLESS_TYPES.includes(e.shape.type) }))
      .sort((a, b) => a.time_ms - b.time_ms),
    sessionless_events: sessionlessEvents(plan),
    rejoin_cycles: rejoinCycles(plan),
    webhook_deliveries: plan.history?.truth ?? null,
    thresholds: THRESHOLDS,
  };
}

// ------------------------------------------------------------- files ---------

function eventPages(events) {
  const total = events.length;
  const size = total > 100 ? 100 : Math.max(1, Math.ceil(total / 2));
  const pages = [];
  for (let i = 0; i < total || i === 0; i += size) pages.push(events.slice(i, i + size));
  return pages.map((evs, n) => ({
    limit: size, total, next: n < pages.length - 1 ? Buffer.from(`${evs[evs.length - 1].id}:${(n + 1) * size}`).toString('base64url') : '',
    events: evs,
  }));
}

/** { truth, files: [{ name, chunks() }] } — nothing big is built until chunks() is iterated. */
export function streamSession(spec) {
  const plan = planSession(spec);
  const files = [];
  const layout = plan.spec.peerStatsLayout;
  if (layout === 'per-peer') {
    for (const s of plan.stints)
      files.push({ name: `peer-stats-${s.peer_id}.json`, *chunks() { yield JSON.stringify(peerStatsDoc(plan, s)); } });
  } else if (layout === 'array') {
    files.push({ name: 'peer-stats.json', *chunks() {
      yield '[';
      for (let i = 0; i < plan.stints.length; i++) yield (i ? ',' : '') + JSON.stringify(peerStatsDoc(plan, plan.stints[i]));
      yield ']';
    } });
  } else {
    files.push({ name: 'peer-stats.ndjson', *chunks() {
      for (const s of plan.stints) yield JSON.stringify(peerStatsDoc(plan, s)) + '\n';
    } });
  }
  const doc = JSON.stringify(plan.sessionDoc);
  files.push({ name: 'session.json', *chunks() { yield doc; } });
  eventPages(plan.events).forEach((p, n) => {
    const text = JSON.stringify(p);
    files.push({ name: `events-page-${n + 1}.json`, *chunks() { yield text; } });
  });
  const hooks = plan.webhooks.map((w) => JSON.stringify(w)).join('\n') + '\n';
  files.push({ name: 'webhooks.ndjson', *chunks() { yield hooks; } });
  (plan.history?.docs ?? []).forEach((d, n) => {
    const text = JSON.stringify(d);
    files.push({ name: `webhook-history-${n + 1}.json`, *chunks() { yield text; } });
  });
  plan.truth.input_files = files.map((f) => f.name);
  return { truth: plan.truth, files, plan };
}

/** { files: [{name, text}], truth } — everything in memory. */
export function generateSession(spec) {
  const { truth, files } = streamSession(spec);
  return { truth, files: files.map((f) => ({ name: f.name, text: [...f.chunks()].join('') })) };
}

const OUR_FILE = /^(peer-stats.*\.(json|ndjson)|session\.json|events-page-\d+\.json|webhooks\.ndjson|webhook-history-\d+\.json)$/;

/** Write DIR/input/<files> and DIR/truth.json. Returns [{name, bytes}]. */
export function writeSession(dir, result) {
  const input = path.join(dir, 'input');
  if (fs.existsSync(input)) {
    const stray = fs.readdirSync(input).filter((f) => !OUR_FILE.test(f));
    if (stray.length) throw new Error(`${input} holds files this generator did not write (${stray.slice(0, 3).join(', ')}); refusing to overwrite`);
    for (const f of fs.readdirSync(input)) fs.unlinkSync(path.join(input, f));
  }
  fs.mkdirSync(input, { recursive: true });
  const written = [];
  for (const f of result.files) {
    const p = path.join(input, f.name);
    const fd = fs.openSync(p, 'w');
    let bytes = 0;
    try {
      const parts = f.text !== undefined ? [f.text] : f.chunks();
      for (const c of parts) bytes += fs.writeSync(fd, c);
    } finally { fs.closeSync(fd); }
    written.push({ name: f.name, bytes });
  }
  const truthText = JSON.stringify(result.truth, null, 2) + '\n';
  fs.writeFileSync(path.join(dir, 'truth.json'), truthText);
  written.push({ name: '../truth.json', bytes: Buffer.byteLength(truthText) });
  return written;
}

// ---------------------------------------------------------- scenarios --------

const names = (list) => list.map((n) => ({ name: n }));

export const SCENARIOS = {
  sample: {
    about: '6 peers, 15 min, 10 s: loss_burst, high_rtt, downlink_loss, low_bitrate_layers, failed_publish, late joiner, disconnect; one clean peer',
    build: (o) => ({
      scenario: 'sample', seed: o.seed ?? 20240502, minutes: 15, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-05-02T10:00:00Z', room_name: 'product-sync', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [
        { name: 'Aisha Khan', role: 'host', agent: 0, screens: [{ at_min: 6, minutes: 2.5 }] },
        { name: 'Ben Carter', agent: 2 },
        { name: 'Chen Wei', agent: 1 },
        { name: 'Dana Levi', agent: 3 },
        { name: 'Elif Yılmaz', agent: 4 },
        { name: 'Femi Adeyemi', agent: 5, join_min: 2, mutes: [{ at_min: 4, minutes: 1 }] },
      ],
      injections: [
        { type: 'loss_burst', peer: 0, at_min: 3, minutes: 2 },
        { type: 'high_rtt', peer: 1, at_min: 6, minutes: 2 },
        { type: 'failed_publish', peer: 1, at_min: 10 },
        { type: 'downlink_loss', peer: 2, at_min: 9, minutes: 2 },
        { type: 'low_bitrate_layers', peer: 3, at_min: 12, minutes: 1.5 },
        { type: 'disconnect', peer: 4, at_min: 7 },
      ],
    }),
  },
  'ten-peers': {
    about: '10 peers, 10 min: loss_burst, high_rtt, freezes, jitter, concealment, low_fps, connect_retry, failed_publish; native SDKs; a hostile name',
    build: (o) => ({
      scenario: 'ten-peers', seed: o.seed ?? 1010, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-06-11T15:30:00Z', room_name: 'all-hands', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [
        { name: 'Gita Sharma', role: 'host', agent: 0 },
        { name: 'Hugo Martin', agent: 1 },
        { name: 'Ines Duarte', agent: 2 },
        { name: 'Jonas Berg', agent: 3 },
        { name: 'Kenji Sato', agent: 4 },
        { name: 'Lena Fischer', agent: 5 },
        { name: 'Mateo Rossi', agent: 6, join_min: 1.5 },
        { name: 'Nadia Haddad', agent: 7, mutes: [{ at_min: 2, minutes: 1 }] },
        { name: 'Oscar Nilsson', agent: 8, leave_min: 7 },
        { name: 'Mallory <img src=x onerror=alert(1)>', agent: 9, screens: [{ at_min: 5, minutes: 3 }] },
      ],
      injections: [
        { type: 'loss_burst', peer: 1, at_min: 0.5, minutes: 1.5 },
        { type: 'high_rtt', peer: 2, at_min: 1, minutes: 2 },
        { type: 'freezes', peer: 3, at_min: 3, minutes: 1.5 },
        { type: 'jitter', peer: 0, at_min: 3.5, minutes: 1.5 },
        { type: 'concealment', peer: 4, at_min: 5.5, minutes: 1.5 },
        { type: 'low_fps', peer: 5, at_min: 8, minutes: 1.5 },
        { type: 'connect_retry', peer: 6 },
        { type: 'failed_publish', peer: 7, at_min: 6, error: 'publish_ice_disconnected' },
      ],
    }),
  },
  clean: {
    about: '4 peers (--peers), 10 min (--minutes), nothing injected',
    build: (o) => ({
      scenario: o.scenario ?? 'clean', seed: o.seed ?? 4242, minutes: o.minutes ?? 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-07-01T08:00:00Z', room_name: 'standup', peers: o.peers ?? 4, peerStatsLayout: o.layout ?? 'per-peer',
    }),
  },
  'broadcast-uplink-loss': {
    about: '1 host publishing audio+video, 5 viewers publishing nothing, host loss_burst for 3 min',
    build: (o) => ({
      scenario: 'broadcast-uplink-loss', seed: o.seed ?? 777, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-08-20T17:00:00Z', room_name: 'webinar', broadcast: true, peers: 6, peerStatsLayout: o.layout ?? 'per-peer',
      injections: [{ type: 'loss_burst', peer: 0, at_min: 4, minutes: 3 }],
    }),
  },
  'spacing-30s': {
    about: '5 peers, 20 min, 30 s spacing: loss_burst, jitter, concealment',
    build: (o) => ({
      scenario: 'spacing-30s', seed: o.seed ?? 3030, minutes: 20, spacing_ms: 30000,
      start: '2024-09-03T12:00:00Z', room_name: 'design-review', peers: 5, peerStatsLayout: o.layout ?? 'per-peer',
      injections: [
        { type: 'loss_burst', peer: 0, at_min: 3, minutes: 3 },
        { type: 'jitter', peer: 1, at_min: 8, minutes: 3 },
        { type: 'concealment', peer: 2, at_min: 13, minutes: 3 },
      ],
    }),
  },
  'break-5min': {
    about: '3 users, 15 min; everyone leaves for 5 min and comes back with new peer ids: one meeting',
    build: (o) => ({
      scenario: 'break-5min', seed: o.seed ?? 505, minutes: 15, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-10-07T09:00:00Z', room_name: 'workshop', peers: 3, gaps: [{ at_min: 5, minutes: 5 }], peerStatsLayout: o.layout ?? 'per-peer',
    }),
  },
  'break-15min': {
    about: '3 users, 25 min; everyone leaves for 15 min and comes back: two meetings',
    build: (o) => ({
      scenario: 'break-15min', seed: o.seed ?? 1515, minutes: 25, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-10-08T09:00:00Z', room_name: 'workshop', peers: 3, gaps: [{ at_min: 5, minutes: 15 }], peerStatsLayout: o.layout ?? 'per-peer',
    }),
  },
  'screen-share': {
    about: '3 peers, 10 min; one shares its screen at ~5 fps for 8 min; clean',
    build: (o) => ({
      scenario: 'screen-share', seed: o.seed ?? 5005, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-11-12T14:00:00Z', room_name: 'demo', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [{ name: 'Priya Nair', role: 'host', agent: 0, screens: [{ at_min: 1, minutes: 8 }] }, { name: 'Quentin Moreau' }, { name: 'Rosa Jiménez' }],
    }),
  },
  layers: {
    about: '4 peers, 10 min: low_bitrate_layers on one sender, low_fps on another',
    build: (o) => ({
      scenario: 'layers', seed: o.seed ?? 3131, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2024-12-02T16:00:00Z', room_name: 'pairing', peers: 4, peerStatsLayout: o.layout ?? 'per-peer',
      injections: [
        { type: 'low_bitrate_layers', peer: 1, at_min: 2, minutes: 2 },
        { type: 'low_fps', peer: 2, at_min: 6, minutes: 2 },
      ],
    }),
  },
  failures: {
    about: '7 users, 10 min: failed_publish (terminal ICE failure), failed_subscribe, connect_retry, disconnect (+rejoin, new peer id), disconnect (+rejoin, same peer id), join failed (terminal, then retried), join refused by the server (peer.join.failure); 3 failed webhook deliveries',
    build: (o) => ({
      scenario: 'failures', seed: o.seed ?? 4004, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-01-15T11:00:00Z', room_name: 'support-call', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [{ role: 'host' }, { agent: 5 }, { join_min: 1 }, {}, {}, {}, {}].map((p, i) => ({ ...p, name: defaultName(i + 20) })),
      injections: [
        { type: 'failed_publish', peer: 1, at_min: 3, error: 'publish_ice_failed' },
        { type: 'connect_retry', peer: 2 },
        { type: 'disconnect', peer: 3, at_min: 6, rejoin_after_s: 40 },
        { type: 'join_failed', peer: 4, at_min: 2, retry_after_s: 50 },
        { type: 'disconnect', peer: 5, at_min: 4, rejoin_after_s: 30, same_peer_id: true },
        { type: 'join_refused', peer: 6, at_min: 1, retry_after_s: 40 },
        { type: 'failed_subscribe', peer: 0, at_min: 8 },
      ],
      webhook_history: {
        failures: [
          { event: 'peer.join.success', user: 2, reason: 'timeout' },
          { event: 'peer.leave.success', user: 3, reason: 'timeout' },
          { event: 'session.close.success', reason: 'timeout' },
        ],
      },
    }),
  },
  attribution: {
    about: '6 peers, 13 min: (a) high RTT on a sender while a receiver conceals audio from everyone; (b) a receiver\'s freezes just after a sender\'s jitter ended; (c) a sender\'s loss burst that receivers see',
    build: (o) => ({
      scenario: 'attribution', seed: o.seed ?? 1919, minutes: 13, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-02-03T09:30:00Z', room_name: 'attribution', peerStatsLayout: o.layout ?? 'per-peer',
      // phases: the receiver of (b) samples 2 s after the grid, the jittery sender 2.4 s, so its
      // first freeze comes ~8 s (less than one window) after the sender's last jitter sample
      peers: [{ role: 'host', agent: 0 }, { agent: 1 }, { agent: 2, phase_ms: 2400 }, { agent: 3, phase_ms: 400 }, { agent: 4 }, { agent: 9 }]
        .map((p, i) => ({ ...p, name: defaultName(i + 4) })),
      injections: [
        // (a) same window: the sender's RTT explains nothing the receiver's own concealment shows
        { type: 'high_rtt', peer: 0, at_min: 2, minutes: 2 },
        { type: 'concealment', peer: 1, at_min: 2, minutes: 2 },
        // (b) the receiver's freezes start one sample window after the sender's audio jitter ended
        { type: 'jitter', peer: 2, at_min: 5, minutes: 1.5 },
        { type: 'freezes', peer: 3, at_min: 6.5, minutes: 1.5 },
        // (c) a sender's loss: receivers' loss, concealment and freezes are the sender's uplink
        { type: 'loss_burst', peer: 4, at_min: 9.5, minutes: 2 },
      ],
    }),
  },
  'attribution-pair': {
    about: 'one-to-one call, 13 min, the attribution cases with a single sender: (a) high RTT + the receiver\'s own concealment, (b) the receiver\'s freezes one window after the sender\'s jitter, (c) a loss burst',
    build: (o) => ({
      scenario: 'attribution-pair', seed: o.seed ?? 2020, minutes: 13, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-02-04T14:00:00Z', room_name: 'one-on-one', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [{ name: defaultName(12), role: 'host', agent: 3, phase_ms: 2400 }, { name: defaultName(13), agent: 1, phase_ms: 400 }],
      injections: [
        // every breach the receiver has comes from the one sender: nothing but causality keeps them the receiver's
        { type: 'high_rtt', peer: 0, at_min: 2, minutes: 2 },
        { type: 'concealment', peer: 1, at_min: 2, minutes: 2 },
        { type: 'jitter', peer: 0, at_min: 5, minutes: 1.5 },
        { type: 'freezes', peer: 1, at_min: 6.5, minutes: 1.5 },
        { type: 'loss_burst', peer: 0, at_min: 9.5, minutes: 2 },
      ],
    }),
  },
  rejoins: {
    about: '4 users, 12 min: one drops and comes back 3 times under the same peer id, one 3 times with a new peer id each time',
    build: (o) => ({
      scenario: 'rejoins', seed: o.seed ?? 3333, minutes: 12, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-03-10T16:00:00Z', room_name: 'flaky-wifi', peerStatsLayout: o.layout ?? 'per-peer',
      peers: [{ role: 'host', agent: 0 }, { agent: 5 }, { agent: 6 }, { agent: 2 }].map((p, i) => ({ ...p, name: defaultName(i + 8) })),
      injections: [
        { type: 'disconnect', peer: 1, at_min: 2, rejoin_after_s: 30, same_peer_id: true },
        { type: 'disconnect', peer: 1, at_min: 4.5, rejoin_after_s: 20, same_peer_id: true },
        { type: 'disconnect', peer: 1, at_min: 7, rejoin_after_s: 40, same_peer_id: true },
        { type: 'disconnect', peer: 2, at_min: 3, rejoin_after_s: 30 },
        { type: 'disconnect', peer: 2, at_min: 5.5, rejoin_after_s: 25 },
        { type: 'disconnect', peer: 2, at_min: 8, rejoin_after_s: 45 },
      ],
    }),
  },
  'detections-media': {
    about: '7 peers, 17 min, one case per media detection of issue 19 item 6: low received fps (a receiver, from every sender; one sender, at every receiver), nothing received, low received audio MOS, bitrate collapse; one clean peer',
    detections: true,
    build: (o) => ({
      scenario: 'detections-media', seed: o.seed ?? 1906, minutes: 17, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-04-07T13:00:00Z', room_name: 'detections', peerStatsLayout: o.layout ?? 'per-peer', detections: true,
      peers: [{ role: 'host', agent: 0 }, { agent: 1 }, { agent: 2 }, { agent: 3 }, { agent: 4 }, { agent: 9 }, { agent: 5 }]
        .map((p, i) => ({ ...p, name: defaultName(i + 14) })),
      injections: [
        // receiver 1 shows 4-6 fps of every camera (its decoder or CPU): its downlink
        { type: 'low_received_fps', peer: 1, at_min: 1.5, minutes: 2 },
        // sender 2 sends 28-30 fps, every receiver gets 4-6: the sender's stream on the way (uplink, listing them)
        { type: 'low_fps_forwarded', peer: 2, at_min: 4.5, minutes: 2 },
        // receiver 3 gets fps 0 and bitrate 0 from sender 0's camera while sender 0 sends
        { type: 'nothing_received', peer: 3, from: 0, at_min: 7.5, minutes: 1.5 },
        // receiver 4 hears every sender with 6-10 % loss and 14.5-18 % concealment: MOS < 3.1
        { type: 'low_received_mos', peer: 4, at_min: 10, minutes: 2 },
        // sender 5's camera at 20-28 % of its own median (>= 350 kbps, above 150), fps as usual
        { type: 'bitrate_collapse', peer: 5, at_min: 13, minutes: 2 },
      ],
    }),
  },
  'session-degradation': {
    about: '6 users, 10 min: every present peer (5) loses 8-15 % both ways at 4-6 min (a media server failing); a late joiner; then one sender\'s own loss burst (one to blame: no degradation)',
    detections: true,
    build: (o) => ({
      scenario: 'session-degradation', seed: o.seed ?? 1966, minutes: 10, spacing_ms: o.spacing_ms ?? 10000,
      start: '2025-04-08T10:00:00Z', room_name: 'all-down', peerStatsLayout: o.layout ?? 'per-peer', detections: true,
      peers: [{ role: 'host', agent: 0 }, { agent: 1 }, { agent: 6 }, { agent: 3 }, { agent: 4 }, { agent: 2, join_min: 7 }]
        .map((p, i) => ({ ...p, name: defaultName(i + 2) })),
      injections: [
        { type: 'shared_loss', at_min: 4, minutes: 2 },
        { type: 'loss_burst', peer: 1, at_min: 7.5, minutes: 1.5 },
      ],
    }),
  },
  'array-layout': {
    about: 'the clean scenario with all peer-stats in one JSON array file',
    build: (o) => ({ ...SCENARIOS.clean.build({ ...o, scenario: 'array-layout' }), peerStatsLayout: 'array' }),
  },
  'ndjson-layout': {
    about: 'the clean scenario with peer-stats as NDJSON (one document per line)',
    build: (o) => ({ ...SCENARIOS.clean.build({ ...o, scenario: 'ndjson-layout' }), peerStatsLayout: 'ndjson' }),
  },
  webinar: {
    about: '150 peers (4 on stage, --peers), 20 min (--minutes): a webinar; 6 viewers fail to join at 8 min and join 30 s later, stage loss and RTT, viewers\' downlink problems',
    build: (o) => webinarSpec({ peers: o.peers ?? 150, minutes: o.minutes ?? 20, seed: o.seed ?? 150, joinBurst: { at_min: 8, count: 6 }, scenario: 'webinar' }),
  },
  bench: {
    about: 'big session for benchmarks: --peers (40) x --minutes (60), everyone subscribed to everyone, mixed injections',
    bench: true,
    build: (o) => benchSpec(o),
  },
};

/** Scenarios written by fixtures.mjs (everything but bench and the detection scenarios). */
export const FIXTURE_SCENARIOS = Object.keys(SCENARIOS).filter((n) => !SCENARIOS[n].bench && !SCENARIOS[n].detections);
/**
 * Scenarios whose truth expects the codes of issue 19 item 6 (provisional): written by
 * `fixtures.mjs --detections` only, until the engine reports those codes.
 */
export const DETECTION_SCENARIOS = Object.keys(SCENARIOS).filter((n) => SCENARIOS[n].detections);

/** opts: seed, peers, minutes, spacing_ms, layout, detections (expect the issue 19 item 6 codes everywhere). */
export function scenarioSpec(name, opts = {}) {
  const sc = SCENARIOS[name];
  if (!sc) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const spec = sc.build(opts);
  return opts.detections ? { ...spec, detections: true } : spec;
}

/**
 * A webinar: a few peers on stage publish audio + camera (the host also shares a
 * screen for 10 minutes), everybody else is a `viewer-realtime` who publishes
 * nothing and receives the stage. Viewers arrive over the first 10 minutes, 10 %
 * leave early; injected problems on stage and at viewers, failed joins (the
 * benchmark's scale session, bench/gen-webinar.mjs, and the `webinar` scenario).
 */
export function webinarSpec({ peers: N = 500, minutes = 30, stage = 4, seed = 500, joinBurst = null, scenario = 'bench-webinar' } = {}) {
  if (N < stage + 2) throw new Error(`a webinar needs more than ${stage + 1} peers`);
  if (minutes < 20) throw new Error('a webinar needs at least 20 minutes');
  const r = rngFor(seed, 'webinar');
  const peers = [];
  for (let i = 0; i < N; i++) {
    const onStage = i < stage;
    const p = {
      name: defaultName(i),
      role: i === 0 ? 'host' : onStage ? 'panelist' : 'viewer-realtime',
      audio: onStage,
      video: onStage,
    };
    if (!onStage) {
      p.join_min = r2(r.uniform(0.1, Math.min(10, minutes * 0.3)));
      if (r.next() < 0.1) p.leave_min = r2(r.uniform(minutes * 0.5, minutes - 1));
    }
    peers.push(p);
  }
  peers[0].screens = [{ at_min: 5, minutes: 10 }];
  const viewer = (k) => stage + 1 + Math.floor((k * (N - stage - 2)) / 12);  // spread over the audience
  const at = (f) => Math.round(minutes * f * 2) / 2;
  // Receiver-side problems first, the stage's uplink loss (seen by every receiver) later.
  const injections = [
    { type: 'downlink_loss', peer: viewer(1), at_min: at(0.2), minutes: 2 },
    { type: 'freezes', peer: viewer(3), at_min: at(0.3), minutes: 2 },
    { type: 'concealment', peer: viewer(5), at_min: at(0.4), minutes: 2 },
    { type: 'downlink_loss', peer: viewer(7), at_min: at(0.5), minutes: 2 },
    { type: 'high_rtt', peer: 2 % stage, at_min: at(0.6), minutes: 2 },
    { type: 'loss_burst', peer: 1 % stage, at_min: at(0.75), minutes: 2 },
    { type: 'connect_retry', peer: viewer(9) },
    { type: 'join_failed', peer: viewer(11), at_min: Math.max(0.05, peers[viewer(11)].join_min - 0.05), retry_after_s: 30 },
  ];
  // joinBurst {at_min, count}: that many viewers (the last ones) fail to join at
  // about the same time and join on their retry 30 s later.
  for (let k = 0; k < (joinBurst?.count ?? 0); k++) {
    const peer = N - 1 - k;
    peers[peer].join_min = joinBurst.at_min + 0.5;
    delete peers[peer].leave_min;
    injections.push({ type: 'join_failed', peer, at_min: joinBurst.at_min, retry_after_s: 30 });
  }
  for (const inj of injections) {
    const p = peers[inj.peer];
    const join = p.join_min ?? 0.4;
    const leave = p.leave_min ?? minutes - 0.3;
    if (inj.minutes && !(inj.at_min >= join + 0.5 && inj.at_min + inj.minutes <= leave - 0.5)) {
      // keep the injection inside the viewer's stay
      p.join_min = Math.min(join, r2(inj.at_min - 1));
      delete p.leave_min;
    }
  }
  return {
    scenario, seed, minutes, spacing_ms: 10000, start: '2024-05-07T16:00:00Z', room_name: 'webinar',
    peerStatsLayout: 'per-peer', peers, injections,
  };
}

function benchSpec(o) {
  const N = o.peers ?? 40, minutes = o.minutes ?? 60, spacing = o.spacing_ms ?? 10000, seed = o.seed ?? 9000;
  const r = rngFor(seed, 'bench');
  if (N < 2) throw new Error('bench needs at least 2 peers');
  const peers = Array.from({ length: N }, (_, i) => ({ name: defaultName(i), role: i === 0 ? 'host' : 'guest' }));
  const nLate = Math.floor(N / 10), nEarly = Math.floor(N / 10);
  const order = Array.from({ length: N - 1 }, (_, i) => i + 1).sort(() => r.next() - 0.5);
  const late = order.slice(0, nLate), early = order.slice(nLate, nLate + nEarly);
  const clean = new Set(order.slice(nLate + nEarly, nLate + nEarly + Math.max(1, Math.floor(N / 4))));
  const room = minutes >= 12;
  for (const i of late) peers[i].join_min = r2(r.uniform(2, Math.max(2.5, minutes * 0.3)));
  for (const i of early) peers[i].leave_min = r2(r.uniform(Math.max(minutes * 0.6, minutes - 20), minutes - 2));
  const present = (i, a, b) => {
    const j = peers[i].join_min ?? 0.4, l = peers[i].leave_min ?? minutes - 0.3;
    return a >= j + 0.5 && b <= l - 0.5;
  };
  const injections = [];
  const fits = (inj) => injections.every((x) => !injectionsConflict(x, inj));
  const candidates = order.filter((i) => !clean.has(i)).concat([0]);
  if (room) {
    // presence-changing events first
    const dis = candidates.find((i) => !late.includes(i) && !early.includes(i));
    if (dis !== undefined && N > 3) injections.push({ type: 'disconnect', peer: dis, at_min: r2(minutes * 0.45), rejoin_after_s: 30 });
    const jf = late.find((i) => !clean.has(i));
    if (jf !== undefined) injections.push({ type: 'join_failed', peer: jf, at_min: r2(peers[jf].join_min - 1), retry_after_s: 60 });
    const cr = late.find((i) => i !== jf && !clean.has(i));
    if (cr !== undefined) injections.push({ type: 'connect_retry', peer: cr, at_min: peers[cr].join_min });
    const gone = (i, a, b) => injections.some((x) => x.type === 'disconnect' && x.peer === i && a < x.at_min + 1.5 && b > x.at_min - 1);
    const media = ['loss_burst', 'high_rtt', 'jitter', 'downlink_loss', 'freezes', 'concealment', 'low_bitrate_layers', 'low_fps'];
    const perType = Math.max(1, Math.round(minutes / 20));
    for (let round = 0; round < perType; round++) {
      for (const type of media) {
        for (let attempt = 0; attempt < 80; attempt++) {
          const peer = r.pick(candidates);
          const dur = r.pick(spacing >= 30000 ? [2.5, 3] : [1.5, 2, 3]);
          const at = Math.round(r.uniform(1, minutes - dur - 1) * 2) / 2;
          const inj = { type, peer, at_min: at, minutes: dur };
          if (!present(peer, at, at + dur) || gone(peer, at, at + dur) || !fits(inj)) continue;
          injections.push(inj);
          break;
        }
      }
    }
    const fp = candidates.find((i) => !late.includes(i) && !early.includes(i) && i !== dis);
    for (let attempt = 0; fp !== undefined && attempt < 80; attempt++) {
      const inj = { type: 'failed_publish', peer: fp, at_min: Math.round(r.uniform(2, minutes - 2) * 2) / 2 };
      if (fits(inj) && !gone(fp, inj.at_min, inj.at_min)) { injections.push(inj); break; }
    }
    // screen shares and mutes on clean peers
    const cl = [...clean].filter((i) => !late.includes(i) && !early.includes(i));
    if (cl[0] !== undefined) peers[cl[0]].screens = [{ at_min: r2(minutes * 0.2), minutes: Math.min(10, minutes * 0.3) }];
    if (cl[1] !== undefined) peers[cl[1]].mutes = [{ at_min: r2(minutes * 0.5), minutes: 2 }];
  }
  return {
    scenario: 'bench', seed, minutes, spacing_ms: spacing, start: '2024-05-06T13:00:00Z', room_name: 'town-hall',
    peerStatsLayout: o.layout ?? 'per-peer', peers, injections,
  };
}
