#!/usr/bin/env node
// Generate a fleet: many 100ms sessions over several days, each in its own
// folder, with known injected problems, and fleet-truth.json saying what a
// fleet summary must find. See --help and scripts/gen/README.md ("Fleets").
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AGENTS, browserOf, generateSession, rngFor } from './lib.mjs';

const HELP = `usage: node scripts/gen/fleet.mjs --out DIR [--sessions N] [--seed S]
                              [--peers MIN-MAX] [--minutes MIN-MAX]

Writes DIR/sessions/<nnn>-<session_id>/* (one folder per session, the files of
generate.mjs) and DIR/fleet-truth.json. DIR/sessions is replaced.

  --sessions N       sessions (default 200), over 7 days
  --seed S           PRNG seed (default 22); same seed => same bytes
  --peers MIN-MAX    peers per session (default 2-12, even odds); given, the
                     count is drawn log-uniformly (most calls small, a few
                     large: with 2-50, half have 10 peers or fewer)
  --minutes MIN-MAX  session length in minutes (default 5-30, even odds; at
                     least 5: the problems are injected in the first 5)
  -h, --help         this text

Injected, known in fleet-truth.json:
  - video_freeze (a receiver's video freezes) is the most common issue:
    15 % of the participants not on Safari, 80 % of those on Safari;
  - Safari suffers it far more than the other browsers (browsers are known only
    for the participants with an error event: 40 % of them get one, a
    failed publish, a failed subscribe or a connection retry);
  - one bad day, when most participants also have a long high RTT.
`;

export const FLEET_DAYS = 7;
export const BAD_DAY_INDEX = 4;
const FIRST_DAY_MS = Date.UTC(2026, 10, 2);
const ROOMS = ['product-sync', 'standup', 'all-hands', 'sales-demo', 'support-desk', 'design-review'];
const ROLES = ['guest', 'guest', 'guest', 'co-host', 'presenter'];
const SAFARI = AGENTS.findIndex((a) => browserOf(a).browser === 'Safari');
const FREEZE_SHARE = { safari: 0.8, other: 0.15 };
const ERROR_SHARE = 0.4;
const BAD_DAY_RTT_SHARE = 0.75;
const ERROR_TYPES = ['failed_publish', 'failed_subscribe', 'connect_retry'];

const day = (i) => new Date(FIRST_DAY_MS + i * 86400000).toISOString().slice(0, 10);
/** The fleet's days, "YYYY-MM-DD"; FLEET_DAY_NAMES[BAD_DAY_INDEX] is the bad day. */
export const FLEET_DAY_NAMES = Array.from({ length: FLEET_DAYS }, (_, i) => day(i));

// Safari one time in five, the other agents evenly otherwise.
function pickAgent(r) {
  if (r.next() < 0.2) return SAFARI;
  const others = AGENTS.map((_, i) => i).filter((i) => i !== SAFARI);
  return others[r.int(0, others.length - 1)];
}

// A whole number from lo to hi, log-uniform: as many below the geometric mean
// as above it.
function logUniformInt(r, lo, hi) {
  return Math.min(hi, Math.floor(Math.exp(Math.log(lo) + r.next() * (Math.log(hi + 1) - Math.log(lo)))));
}

/**
 * The spec of session n of the fleet, and the room id it shares with its room's other sessions.
 * `sizes` ({ peers: [min, max], minutes: [min, max] }, each optional) widens the default
 * 2-12 peers (even odds) and 5-30 minutes; given peers are drawn log-uniformly.
 */
export function fleetSessionSpec(seed, n, sessions, sizes = {}) {
  const r = rngFor(seed, 'fleet', n);
  const dayIndex = Math.floor((n * FLEET_DAYS) / sessions);
  const bad = dayIndex === BAD_DAY_INDEX;
  const minutes = sizes.minutes ? r.int(sizes.minutes[0], sizes.minutes[1]) : r.int(5, 30);
  const count = sizes.peers ? logUniformInt(r, sizes.peers[0], sizes.peers[1]) : r.int(2, 12);
  const startMs = FIRST_DAY_MS + dayIndex * 86400000 + r.int(8 * 60, 18 * 60) * 60000;
  const room = ROOMS[r.int(0, ROOMS.length - 1)];
  const peers = [];
  const injections = [];
  for (let i = 0; i < count; i++) {
    const agent = pickAgent(r);
    peers.push({ agent, role: i === 0 ? 'host' : ROLES[r.int(0, ROLES.length - 1)], leave_min: minutes - 0.3 });
    const freezes = r.next() < (agent === SAFARI ? FREEZE_SHARE.safari : FREEZE_SHARE.other);
    // Freezes at 1-2.5 min, an error event at 3.5 min, the bad day's RTT from 4.5 min.
    if (freezes) injections.push({ type: 'freezes', peer: i, at_min: 1, minutes: 1.5 });
    if (r.next() < ERROR_SHARE) {
      const types = ERROR_TYPES.filter((t) => !(t === 'connect_retry' && (i === 0 || freezes)))
        .filter((t) => !(t === 'failed_subscribe' && count < 2));
      const type = types[r.int(0, types.length - 1)];
      injections.push(type === 'connect_retry' ? { type, peer: i } : { type, peer: i, at_min: 3.5 });
    }
    if (bad && minutes - 1 - 4.5 >= 1 && r.next() < BAD_DAY_RTT_SHARE) {
      injections.push({ type: 'high_rtt', peer: i, at_min: 4.5, minutes: minutes - 1 - 4.5 });
    }
  }
  const spec = { scenario: 'fleet', seed: `${seed}/${n}`, minutes, spacing_ms: 10000,
    start: new Date(startMs).toISOString(), room_name: room, peers, injections };
  const roomId = rngFor(seed, 'room', room).hex(24);
  return { spec, room, roomId, day: day(dayIndex) };
}

export function writeFleet(out, { sessions = 200, seed = 22, peers = null, minutes = null } = {}) {
  const dir = path.join(out, 'sessions');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const list = [];
  for (let n = 0; n < sessions; n++) {
    const { spec, room, roomId, day: d } = fleetSessionSpec(seed, n, sessions, { peers, minutes });
    const { files, truth } = generateSession(spec);
    const sub = path.join(dir, `${String(n).padStart(3, '0')}-${truth.session_id}`);
    fs.mkdirSync(sub);
    // Sessions of one room share its id (the generator draws one per session).
    for (const f of files) fs.writeFileSync(path.join(sub, f.name), f.text.split(truth.room_id).join(roomId));
    list.push({ session_id: truth.session_id, room_id: roomId, room_name: room, day: d,
      peers: truth.peers.length, injections: spec.injections.map((x) => x.type) });
  }
  const truth = {
    seed, sessions, days: FLEET_DAY_NAMES,
    ...(peers ? { peers } : {}), ...(minutes ? { minutes } : {}),
    most_common_issue: 'video_freeze', suffering_browser: 'Safari', bad_day: day(BAD_DAY_INDEX),
    notes: 'browsers are known only for participants with an error event (100ms writes the agent there alone)',
    session_list: list,
  };
  fs.writeFileSync(path.join(out, 'fleet-truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

function main() {
  const argv = process.argv.slice(2);
  const o = { sessions: 200, seed: 22 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const val = () => inline ?? argv[++i];
    if (flag === '-h' || flag === '--help') { process.stdout.write(HELP); return 0; }
    if (flag === '--out') o.out = val();
    else if (flag === '--sessions') o.sessions = Number(val());
    else if (flag === '--seed') { const v = val(); o.seed = /^\d+$/.test(v) ? Number(v) : v; }
    else if (flag === '--peers' || flag === '--minutes') {
      const v = val();
      const m = /^(\d+)-(\d+)$/.exec(v ?? '');
      const lo = m && Number(m[1]), hi = m && Number(m[2]);
      const least = flag === '--peers' ? 2 : 5;
      if (!m || lo < least || hi < lo) {
        process.stderr.write(`fleet: ${flag} must be MIN-MAX with ${least} <= MIN <= MAX, not '${v}'\n`);
        return 2;
      }
      o[flag.slice(2)] = [lo, hi];
    }
    else { process.stderr.write(`fleet: unknown argument ${argv[i]}\n(see --help)\n`); return 2; }
  }
  if (!o.out) { process.stderr.write('fleet: --out DIR is required (see --help)\n'); return 2; }
  if (!Number.isInteger(o.sessions) || o.sessions < 1) { process.stderr.write('fleet: --sessions must be a positive integer\n'); return 2; }
  const t0 = performance.now();
  const truth = writeFleet(o.out, o);
  process.stdout.write(`fleet: ${truth.sessions} sessions over ${truth.days.length} days, ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s -> ${o.out}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) process.exitCode = main();
