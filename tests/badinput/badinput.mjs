// The hostile-input generator shared by the three bad-input suites (CLI, npm
// package, dashboard). Every variant is made from real-shaped 100ms exports
// written by scripts/gen/fixtures.mjs (the `clean` and `sample` scenarios), so
// the same bytes go through all three front ends of the one engine.
//
//   const base = makeBase();                 // generates the fixtures into a temp dir
//   const variants = makeVariants(base);     // [{id, category, files, sources, expect, note}]
//   const inputs = inputsFor(base, v, i);    // good companions + the variant's files, in order
//   const problems = reportProblems(report, inputs, names, base, v);   // [] when the report is right
//
// A variant replaces the base files named in `sources` (by base name) with its
// own `files`; every other file of the `clean` session stays beside it as a
// good companion, which must always come out `ok` and analyzed, whatever the
// hostile file did. `expect` is what the docs promise for the variant itself:
// 'rejected' (docs/INPUTS.md says so), 'accepted' (ok or repaired), 'not-ok'
// (rejected, or repaired with a warning: never silently accepted), or 'any'
// (either, as long as it is clean: no crash, a valid report, a message naming
// the file when it is rejected). Optional fields: `where` (the JSON pointer of
// the edit: a rejection must point at it or above it), `invariants` (['times']:
// sessions stay under a day and tracks inside their session), `alone` (no good
// companions), `sessions` (session ids the report must hold).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { mulberry32 } from '../../scripts/gen/lib.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const BUILD = process.env.CALLSIGHT_BUILD_DIR ? path.resolve(process.env.CALLSIGHT_BUILD_DIR) : path.join(ROOT, 'build');
export const CLI = process.env.CALLSIGHT_CLI || path.join(BUILD, 'native', 'callsight');
/** JSONTestSuite (test_parsing), beside the repository; may be absent. */
export const JSON_TEST_SUITE = path.resolve(ROOT, '..', 'shared', 'testdata', 'json-test-suite', 'test_parsing');
export const SEED = Number(process.env.BADINPUT_SEED ?? 20240701);
/** Several hundred bit-flipped files. */
export const BITFLIPS = Number(process.env.BADINPUT_BITFLIPS ?? 300);

/**
 * Engine bugs found by these suites, kept failing as `todo` until the engine is
 * fixed (then delete the entry, and its repro file). `match(variant)` selects the
 * variants concerned. The lead engineer owns core/; these suites never patch it.
 */
export const KNOWN_BUGS = [
  // { id, match(variant) -> bool, todo: 'engine bug: ...', repro: 'tests/badinput/repro/...' }
  // Fixed and retired: the CLI now lists a too-large file in report.inputs;
  // implausible timestamps and spans over 12 h are rejected; lone surrogates are
  // rejected the same way everywhere; a wrong-typed id is named at /peer_id.
  // Their repro files live on in tests/fuzz/regressions/badinput/.
]

export function knownBug(v) {
  return KNOWN_BUGS.find((b) => b.match(v)) ?? null;
}

/**
 * A private copy of the CLI for this run (removed at exit), so that a rebuild of
 * build/native/ while the suite runs cannot change or break the binary under it.
 */
let cliCopy = null;
export function stableCli() {
  if (cliCopy) return cliCopy;
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run scripts/build first`);
  const dir = tempDir('cli-bin');
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (let attempt = 0; ; attempt++) {
    const copy = path.join(dir, `callsight-${attempt}`);
    fs.copyFileSync(CLI, copy);
    fs.chmodSync(copy, 0o755);
    try {
      execFileSync(copy, ['--version'], { stdio: 'ignore' });
      cliCopy = copy;
      return copy;
    } catch (e) {
      if (attempt >= 20) throw new Error(`${CLI} does not run: ${e.message}`);
      execFileSync('sleep', ['0.5']); // being rebuilt: try again
    }
  }
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `callsight-badinput-${prefix}-`));
}

// ------------------------------------------------------------------ base ----

/**
 * Generates the `clean` and `sample` scenarios into a temp dir and reads them.
 * Returns {dir, clean, sample, cleanSession, sampleSession, remove()}, where
 * clean/sample are [{name (base name), path, data (Buffer)}] sorted by name.
 */
export function makeBase() {
  const dir = tempDir('base');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'gen', 'fixtures.mjs'), dir, 'clean', 'sample'], { stdio: 'ignore' });
  const read = (scenario) => {
    const input = path.join(dir, scenario, 'input');
    return fs.readdirSync(input).sort().map((name) => {
      const p = path.join(input, name);
      return { name, path: p, data: fs.readFileSync(p) };
    });
  };
  const clean = read('clean');
  const sample = read('sample');
  const truth = (scenario) => JSON.parse(fs.readFileSync(path.join(dir, scenario, 'truth.json'), 'utf8'));
  return {
    dir,
    clean,
    sample,
    cleanSession: truth('clean').session_id,
    sampleSession: truth('sample').session_id,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The peer id of a peer-stats file (null for other kinds). */
function peerIdOf(file) {
  if (!file.name.startsWith('peer-stats-')) return null;
  return JSON.parse(file.data.toString('utf8')).peer_id;
}

/**
 * The files of one run for a variant: the good companions (every `clean` file
 * the variant does not replace) and the variant's own files. Odd variants put
 * the hostile files first, even ones last. Each entry: {name, data, role:
 * 'good'|'bad', peerId?}. `name` is a base name; suites that need paths map it.
 */
export function inputsFor(base, v, index = 0) {
  const sources = new Set(v.sources);
  const good = v.alone ? [] : base.clean
    .filter((f) => !sources.has(f.name))
    .map((f) => ({ name: f.name, data: f.data, role: 'good', peerId: peerIdOf(f) }));
  const bad = v.files.map((f) => ({ name: f.name, data: f.data, role: 'bad' }));
  return index % 2 ? [...bad, ...good] : [...good, ...bad];
}

// ------------------------------------------------------- JSON surgery ----

const clone = (x) => structuredClone(x);

/** Every path (array of keys / indices) to a value of `doc`, the root excluded, in document order. */
export function positions(doc, prefix = [], out = []) {
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push([...prefix, i]);
      positions(v, [...prefix, i], out);
    });
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      out.push([...prefix, k]);
      positions(v, [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(doc, p) {
  let node = doc;
  for (const k of p.slice(0, -1)) node = node[k];
  return node;
}

function setAt(doc, p, value) {
  parentOf(doc, p)[p[p.length - 1]] = value;
}

export const pointer = (p) => p.map((k) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/**
 * Serializes `doc` with raw byte edits: each edit is one of
 *   {path, raw}            the value at path becomes the raw bytes (a JSON token or garbage)
 *   {path, after: raw}     a raw `"key": value` member (or array element) is inserted after
 *                          the member / element at path (duplicate keys, invalid keys)
 * `raw` is a string (UTF-8) or a Buffer (any bytes). Returns a Buffer.
 */
export function render(doc, edits = [], { ndjsonDocs = null } = {}) {
  const d = clone(doc);
  const raws = [];
  const mark = (raw) => {
    raws.push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'utf8'));
    return `@@RAW${raws.length - 1}@@`;
  };
  // Insertions first (they rebuild objects), then value replacements.
  for (const e of edits.filter((x) => x.after !== undefined)) {
    const parent = parentOf(d, e.path);
    const key = e.path[e.path.length - 1];
    const m = mark(e.after);
    if (Array.isArray(parent)) {
      parent.splice(key + 1, 0, m);
    } else {
      const entries = Object.entries(parent);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of entries) {
        parent[k] = v;
        if (k === key) parent[m] = 0;
      }
    }
  }
  for (const e of edits.filter((x) => x.raw !== undefined)) setAt(d, e.path, mark(e.raw));
  const text = ndjsonDocs ? d.map((x) => JSON.stringify(x)).join('\n') + '\n' : JSON.stringify(d);
  // Replace the placeholders: `"@@RAWn@@":0` (an inserted member), `"@@RAWn@@"` (a value).
  const parts = [];
  const re = /"@@RAW(\d+)@@"(:0)?/g;
  let last = 0;
  for (let m; (m = re.exec(text)); ) {
    parts.push(Buffer.from(text.slice(last, m.index), 'utf8'), raws[Number(m[1])]);
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

const parseNdjson = (buf) => buf.toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

/** A small peer-stats document: 2 samples per series, one subscriber track of each kind. */
function smallPeerStats(doc) {
  const d = clone(doc);
  const cut = (track) => {
    for (const [k, v] of Object.entries(track.time_series)) if (Array.isArray(v)) track.time_series[k] = v.slice(0, 2);
  };
  for (const side of ['publisher', 'subscriber']) {
    for (const kind of ['video', 'audio']) {
      let tracks = d[side]?.[kind] ?? [];
      if (side === 'subscriber') tracks = tracks.slice(0, 1);
      tracks.forEach(cut);
      if (d[side]) d[side][kind] = tracks;
    }
  }
  return d;
}

// -------------------------------------------------------------- variants ----

/** The raw number tokens put where numbers belong, and what the docs promise for them. */
export const NUMBERS = [
  ['1e999', 'rejected'], // out of range (docs/INPUTS.md)
  ['-1e999', 'rejected'],
  ['1.8e308', 'rejected'], // just above DBL_MAX
  ['0', 'any'],
  ['-0', 'any'],
  ['18446744073709551616', 'any'], // 2^64
  ['1e-400', 'any'], // underflows
  ['123456789012345678901234567890', 'any'],
  ['4.9e-324', 'any'],
  ['-1', 'any'],
  // not JSON numbers at all
  ['NaN', 'rejected'],
  ['Infinity', 'rejected'],
  ['-Infinity', 'rejected'],
  ['0x10', 'rejected'],
  ['01', 'rejected'],
  ['1.', 'rejected'],
  ['.5', 'rejected'],
  ['+1', 'rejected'],
  ['1e', 'rejected'],
];

/** Values of other types where a sample or a timestamp belongs: non-numeric samples are rejected. */
export const NOT_NUMBERS = ['"12"', '"abc"', '""', 'true', 'false', '{"v":1}', '[1]', '[]', '{}'];

/** Byte sequences that are not UTF-8. */
export const BAD_UTF8 = [
  ['ff', Buffer.from([0xff])],
  ['fe', Buffer.from([0xfe])],
  ['lone-continuation', Buffer.from([0x80])],
  ['overlong-slash', Buffer.from([0xc0, 0xaf])],
  ['overlong-nul', Buffer.from([0xc0, 0x80])],
  ['overlong-3byte', Buffer.from([0xe0, 0x80, 0xaf])],
  ['raw-surrogate', Buffer.from([0xed, 0xa0, 0x80])],
  ['above-10ffff', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ['five-byte', Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])],
  ['truncated', Buffer.from([0xe2, 0x82])],
];

/** JSON escapes that are valid JSON but not valid Unicode text (or odd text). */
export const ODD_ESCAPES = [
  ['lone-high-surrogate', '\\ud800'],
  ['lone-low-surrogate', '\\udc00'],
  ['reversed-pair', '\\udc00\\ud800'],
  ['high-then-letter', '\\ud800A'],
  ['nul', '\\u0000'],
  ['rtl-override', '\\u202e'],
];

/**
 * Makes every variant. Deterministic for a seed. Each variant:
 * {id, category, files: [{name, data}], sources: [base names replaced], expect, note, sessions?}
 */
export function makeVariants(base, { seed = SEED, bitflips = BITFLIPS, jsonTestSuite = JSON_TEST_SUITE } = {}) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const byName = (prefix) => base.clean.find((f) => f.name.startsWith(prefix));
  const P = byName('peer-stats-');
  const S = byName('session.json');
  const E = byName('events-page-1');
  const W = byName('webhooks.ndjson');
  const pDoc = JSON.parse(P.data.toString('utf8'));
  const sDoc = JSON.parse(S.data.toString('utf8'));
  const eDoc = JSON.parse(E.data.toString('utf8'));
  const wDocs = parseNdjson(W.data);
  const smallP = smallPeerStats(pDoc);
  const smallE = { ...clone(eDoc), events: eDoc.events.slice(0, 3) };

  const variants = [];
  const ids = new Set();
  const add = (category, tag, source, data, expect, note, ext) => {
    const stem = `${category}-${tag}`.replace(/[^\w.-]+/g, '_');
    let id = stem;
    for (let n = 2; ids.has(id); n++) id = `${stem}-${n}`;
    ids.add(id);
    const name = `${id}${ext ?? (source.name.endsWith('.ndjson') ? '.ndjson' : '.json')}`;
    const v = { id, category, files: [{ name, data }], sources: [source.name], expect, note };
    variants.push(v);
    return v;
  };

  // --- truncated at many points ---------------------------------------------
  const truncations = [
    [P, 40],
    [S, 12],
    [E, 12],
    [W, 12],
  ];
  for (const [file, n] of truncations) {
    const len = file.data.length;
    const cuts = new Set([0, 1, 2, len - 1, len - 2]);
    for (let i = 1; i < n; i++) cuts.add(Math.floor((i * len) / n));
    while (cuts.size < n + 5) cuts.add(int(len));
    const text = file.data;
    const whole = text.toString('utf8').trimEnd().length;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      if (cut >= len) continue;
      const data = text.subarray(0, cut);
      let expect = cut < whole ? 'rejected' : 'accepted';
      if (file === W && cut > 0) {
        // NDJSON cut at the end of a line is a shorter, valid file.
        const s = data.toString('utf8');
        const lastLine = s.slice(s.lastIndexOf('\n') + 1);
        const complete = lastLine.trim() === '' || W.data.toString('utf8').split('\n').includes(lastLine);
        expect = complete ? 'any' : 'rejected';
      }
      add('truncated', `${file.name.replace(/\..*$/, '').slice(0, 16)}-${cut}`, file, Buffer.from(data), expect, `${file.name} cut at byte ${cut} of ${len}`);
    }
  }

  // --- bit flips (seeded) ----------------------------------------------------
  const flipSources = [P, P, P, P, P, S, E, W];
  for (let i = 0; i < bitflips; i++) {
    const file = flipSources[i % flipSources.length];
    const data = Buffer.from(file.data);
    const flips = 1 + int(3);
    const where = [];
    for (let k = 0; k < flips; k++) {
      const at = int(data.length);
      const bit = int(8);
      data[at] ^= 1 << bit;
      where.push(`${at}.${bit}`);
    }
    add('bitflip', `${i}`, file, data, 'any', `${file.name} with bit(s) ${where.join(', ')} flipped`);
  }

  // --- repeated blocks -------------------------------------------------------
  for (let i = 0; i < 24; i++) {
    const file = [P, P, S, E, W][i % 5];
    const len = file.data.length;
    const a = int(len);
    const b = Math.min(len, a + 1 + int(i % 3 === 0 ? 4000 : 200));
    const times = 1 + int(i % 4 === 0 ? 50 : 3);
    const block = file.data.subarray(a, b);
    const data = Buffer.concat([file.data.subarray(0, b), ...Array(times).fill(block), file.data.subarray(b)]);
    add('repeated', `block-${i}`, file, data, 'any', `${file.name}: bytes ${a}-${b} repeated ${times} more time(s)`);
  }
  {
    // Every series twice over: the timestamps go backwards in the middle.
    const d = clone(pDoc);
    for (const side of ['publisher', 'subscriber'])
      for (const kind of ['video', 'audio'])
        for (const t of d[side][kind]) for (const [k, v] of Object.entries(t.time_series)) t.time_series[k] = [...v, ...v];
    add('repeated', 'series-twice', P, Buffer.from(JSON.stringify(d)), 'rejected', 'every time series of a peer-stats repeated: timestamps go backwards');
    // The same document twice in one file (NDJSON), and glued together on one line.
    add('repeated', 'doc-twice-ndjson', P, Buffer.concat([P.data, Buffer.from('\n'), P.data, Buffer.from('\n')]), 'any', 'the same peer-stats document twice, as NDJSON', '.ndjson');
    add('repeated', 'doc-twice-glued', P, Buffer.concat([P.data, P.data]), 'rejected', 'two JSON documents glued on one line');
    // Events repeated are counted once: the page stays good.
    add('repeated', 'events-twice', E, Buffer.from(JSON.stringify({ ...eDoc, events: [...eDoc.events, ...eDoc.events] })), 'accepted', 'every event of a page twice');
    add('repeated', 'webhooks-twice', W, Buffer.concat([W.data, W.data]), 'accepted', 'every webhook line twice');
    add('repeated', 'tracks-x200', P, render(pDoc, [{ path: ['publisher', 'audio'], raw: JSON.stringify(Array(200).fill(pDoc.publisher.audio[0])) }]), 'any', 'one audio track listed 200 times');
  }

  // --- numbers where numbers belong ------------------------------------------
  const audio = pDoc.publisher.audio[0].time_series;
  const numberPlaces = [
    ['audio-bitrate-0', ['publisher', 'audio', 0, 'time_series', 'bitrate', 0]],
    ['video-fps-mid', ['publisher', 'video', 0, 'time_series', 'fps', Math.floor(pDoc.publisher.video[0].time_series.fps.length / 2)]],
    ['sub-video-bitrate-2', ['subscriber', 'video', 0, 'time_series', 'bitrate', 2]],
    ['sub-audio-loss-0', ['subscriber', 'audio', 0, 'time_series', 'packet_loss_percent', 0]],
    ['ts-first', ['publisher', 'audio', 0, 'time_series', 'timestamps', 0]],
    ['ts-mid', ['publisher', 'audio', 0, 'time_series', 'timestamps', Math.floor(audio.timestamps.length / 2)]],
    ['ts-last', ['publisher', 'audio', 0, 'time_series', 'timestamps', audio.timestamps.length - 1]],
  ];
  for (const [place, p] of numberPlaces) {
    for (const [token, expect] of NUMBERS) {
      const v = add('number', `${place}-${token}`, P, render(pDoc, [{ path: p, raw: token }]), expect, `${pointer(p)} = ${token}`);
      v.where = pointer(p);
      // A timestamp that is accepted must keep the session a plausible length.
      if (place.startsWith('ts-')) v.invariants = ['times'];
    }
    for (const token of NOT_NUMBERS) {
      add('type', `${place}-${token}`, P, render(pDoc, [{ path: p, raw: token }]), 'rejected', `${pointer(p)} = ${token} (not a number)`).where = pointer(p);
    }
  }
  // Sample timestamps far from all the others (the platform caps sessions at 12 h):
  // they must not turn a 10-minute call into one of decades without a word.
  const tsAt = (i) => ['publisher', 'audio', 0, 'time_series', 'timestamps', i];
  const lastTs = audio.timestamps.length - 1;
  for (const [tag, i, token] of [
    ['first-0', 0, '0'],
    ['first-1', 0, '1'],
    ['first-2001', 0, '1000000000000'],
    ['first-2023', 0, String(audio.timestamps[0] - 365 * 86400000)],
    ['last-2100', lastTs, '4102444800000'],
    ['last-2^53', lastTs, '9007199254740992'],
  ]) {
    const v = add('epoch', tag, P, render(pDoc, [{ path: tsAt(i), raw: token }]), 'not-ok', `${pointer(tsAt(i))} = ${token}, far from the other samples`);
    v.invariants = ['times'];
  }
  {
    const v = add('epoch', 'alone-first-0', P, render(pDoc, [{ path: tsAt(0), raw: '0' }]), 'not-ok', `${pointer(tsAt(0))} = 0, the file alone`);
    v.invariants = ['times'];
    v.alone = true;
  }

  // Other types where strings, arrays and objects belong.
  const typePlaces = [
    [P, pDoc, ['peer_id'], ['42', 'true', '[]', '{"a":1}', '1e999']],
    [P, pDoc, ['session_id'], ['42', 'false', '["x"]']],
    [P, pDoc, ['publisher', 'video', 0, 'track_id'], ['7', '{}', 'true']],
    [P, pDoc, ['publisher', 'video', 0, 'rid'], ['1', '[]', '{"h":1}']],
    [P, pDoc, ['publisher', 'video', 0, 'time_series', 'fps'], ['"x"', '1', 'true', '{"0":1}']],
    [P, pDoc, ['publisher', 'video', 0, 'time_series'], ['"x"', '[]', '3']],
    [P, pDoc, ['publisher'], ['"x"', '[]', '1']],
    [P, pDoc, ['publisher', 'audio'], ['"x"', '{}', '0']],
    [S, sDoc, ['peers'], ['"x"', '1', 'true']],
    [S, sDoc, ['id'], ['1', '{}', '[]']],
    [S, sDoc, ['peers', Object.keys(sDoc.peers)[0], 'joined_at'], ['0', '"yesterday"', '"2024-13-45T99:99:99Z"', '"0001-01-01T00:00:00Z"', '"2024-07-01T08:00:02.3234567891234Z"']],
    [E, eDoc, ['events'], ['{}', '"x"', '7']],
    [E, eDoc, ['events', 0, 'timestamp'], ['1719820802000', '"nope"', 'null', '[]']],
    [E, eDoc, ['events', 0, 'data'], ['"x"', '[]', '1']],
  ];
  for (const [file, doc, p, tokens] of typePlaces) {
    for (const token of tokens) {
      const v = add('type', `${pointer(p).slice(1).slice(-30)}-${token}`, file, render(doc, [{ path: p, raw: token }]), 'any', `${file.name} ${pointer(p)} = ${token}`);
      // `events` makes the kind: without it the document is of no known kind (pointer "").
      if (pointer(p) !== '/events') v.where = pointer(p);
    }
  }

  // --- null, [] and {} in every position (small files) ------------------------
  for (const [file, doc, tag] of [[P, smallP, 'peer-stats'], [E, smallE, 'events']]) {
    add('small', tag, file, Buffer.from(JSON.stringify(doc)), 'accepted', `the small ${tag} file the null/empty variants start from`);
    const ps = positions(doc);
    for (const [token, category] of [['null', 'null'], ['[]', 'empty-array'], ['{}', 'empty-object']]) {
      if (file === E && token !== 'null') continue;
      for (const p of ps) {
        add(category, `${tag}${pointer(p)}`, file, render(doc, [{ path: p, raw: token }]), 'any', `small ${tag}, ${pointer(p)} = ${token}`);
      }
    }
  }
  for (const p of positions(sDoc)) add('null', `session${pointer(p)}`, S, render(sDoc, [{ path: p, raw: 'null' }]), 'any', `session.json ${pointer(p)} = null`);
  // Whole documents that are empty containers.
  for (const [tag, data] of [['array', '[]'], ['object', '{}'], ['nested', '[[],{}]'], ['publisher-empty', JSON.stringify({ ...pDoc, publisher: {}, subscriber: {} })]]) {
    add('empty-doc', tag, P, Buffer.from(data), tag === 'publisher-empty' ? 'any' : 'rejected', `the whole file is ${data.slice(0, 40)}`);
  }

  // --- invalid UTF-8 in names, ids and keys -----------------------------------
  const firstPeer = Object.keys(sDoc.peers)[0];
  const wJoin = wDocs.findIndex((d) => d.type === 'peer.join.success');
  const utf8Places = [
    ['peer-name', S, sDoc, ['peers', firstPeer, 'name'], false],
    ['session-id', S, sDoc, ['id'], false],
    ['peer-id', P, pDoc, ['peer_id'], false],
    ['track-id', P, pDoc, ['publisher', 'audio', 0, 'track_id'], false],
    ['user-name', W, wDocs, [wJoin, 'data', 'user_name'], true],
    ['key', P, pDoc, ['publisher', 'audio', 0, 'time_series', 'bitrate'], false, true],
    ['key', S, sDoc, ['peers', firstPeer], false, true],
  ];
  for (const [tag, file, doc, p, ndjson, asKey] of utf8Places) {
    const str = (bytes) => Buffer.concat([Buffer.from('"x'), bytes, Buffer.from('y"')]);
    const edit = (bytes) => (asKey ? { path: p, after: Buffer.concat([str(bytes), Buffer.from(':1')]) } : { path: p, raw: str(bytes) });
    const opts = ndjson ? { ndjsonDocs: true } : {};
    // Where a rejection must point: at the string or above it (NDJSON: within its line's document).
    const where = asKey ? undefined : pointer(ndjson ? p.slice(1) : p);
    for (const [bad, bytes] of BAD_UTF8) {
      add('utf8', `${file.name.slice(0, 10)}-${tag}-${bad}`, file, render(doc, [edit(bytes)], opts), 'rejected', `${file.name} ${tag} ${pointer(p)} with bytes ${bytes.toString('hex')}`).where = where;
    }
    for (const [odd, esc] of ODD_ESCAPES) {
      // Text that is not Unicode (lone surrogates) must not pass unremarked: rejected,
      // or repaired with a warning. NUL and RTL override are valid text.
      // (An unknown key is ignored whatever it holds.)
      const expect = /surrogate|pair|high-then/.test(odd) && !asKey ? 'not-ok' : 'any';
      add('utf8', `${file.name.slice(0, 10)}-${tag}-${odd}`, file, render(doc, [edit(Buffer.from(esc))], opts), expect, `${file.name} ${tag} ${pointer(p)} with the escape ${esc}`).where = where;
    }
  }
  // Encodings and byte order marks.
  add('utf8', 'bom', P, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), P.data]), 'any', 'a UTF-8 byte order mark before the document');
  add('utf8', 'utf16le', P, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(P.data.toString('utf8'), 'utf16le')]), 'rejected', 'the document in UTF-16LE');
  add('utf8', 'nul-after', P, Buffer.concat([P.data, Buffer.from([0])]), 'rejected', 'a NUL byte after the document');
  add('utf8', 'nul-inside', P, Buffer.from(P.data.toString('latin1').replace('"publisher"', '"publ\0isher"'), 'latin1'), 'rejected', 'a raw NUL byte inside a key');
  add('utf8', 'garbage-after', P, Buffer.concat([P.data, Buffer.from(' x')]), 'rejected', 'garbage after the document');
  add('utf8', 'crlf-ndjson', W, Buffer.from(W.data.toString('utf8').replace(/\n/g, '\r\n')), 'accepted', 'webhooks NDJSON with CRLF line ends');
  add('utf8', 'blank-lines-ndjson', W, Buffer.from(W.data.toString('utf8').replace(/\n/g, '\n\n  \n')), 'any', 'webhooks NDJSON with blank lines');
  add('utf8', 'whitespace-only', S, Buffer.from(' \n\t\r\n '), 'rejected', 'only whitespace');
  add('utf8', 'empty', S, Buffer.alloc(0), 'rejected', 'an empty file');
  add('utf8', 'long-name', S, render(sDoc, [{ path: ['peers', firstPeer, 'name'], raw: JSON.stringify('N'.repeat(4 << 20)) }]), 'any', 'a peer name of 4 MiB');

  // --- duplicate keys ---------------------------------------------------------
  const ts = ['publisher', 'audio', 0, 'time_series'];
  const dups = [
    ['ts-fps-same', P, pDoc, [...ts, 'bitrate'], `"bitrate":${JSON.stringify(audio.bitrate)}`],
    ['ts-bitrate-shorter', P, pDoc, [...ts, 'bitrate'], `"bitrate":${JSON.stringify(audio.bitrate.slice(1))}`],
    ['ts-bitrate-strings', P, pDoc, [...ts, 'bitrate'], `"bitrate":${JSON.stringify(audio.bitrate.map(String))}`],
    ['ts-timestamps-reversed', P, pDoc, [...ts, 'timestamps'], `"timestamps":${JSON.stringify([...audio.timestamps].reverse())}`],
    ['top-peer-id', P, pDoc, ['peer_id'], '"peer_id":"another-peer"'],
    ['top-session-id', P, pDoc, ['session_id'], '"session_id":"another-session"'],
    ['top-publisher', P, pDoc, ['publisher'], '"publisher":{"video":[],"audio":[]}'],
    ['session-id', S, sDoc, ['id'], '"id":"another-session"'],
    ['session-peer', S, sDoc, ['peers', firstPeer], `${JSON.stringify(firstPeer)}:${JSON.stringify({ ...sDoc.peers[firstPeer], name: 'Twin' })}`],
    ['events-events', E, eDoc, ['events'], '"events":[]'],
  ];
  for (const [tag, file, doc, p, member] of dups) add('duplicate-key', tag, file, render(doc, [{ path: p, after: member }]), 'any', `${file.name}: ${member.slice(0, 60)} repeated after ${pointer(p)}`);

  // --- deep nesting -----------------------------------------------------------
  const N = 100000;
  add('deep', 'arrays-open', P, Buffer.from('['.repeat(N)), 'rejected', `${N} [ never closed`);
  add('deep', 'arrays-closed', P, Buffer.from('['.repeat(N) + ']'.repeat(N)), 'rejected', `${N} nested arrays`);
  add('deep', 'objects-open', P, Buffer.from('{"a":'.repeat(N)), 'rejected', `${N} {"a": never closed`);
  add('deep', 'objects-closed', P, Buffer.from('{"a":'.repeat(N) + '1' + '}'.repeat(N)), 'rejected', `${N} nested objects`);
  add('deep', 'mixed-closed', P, Buffer.from('[{"a":'.repeat(N / 2) + 'null' + '}]'.repeat(N / 2)), 'rejected', `${N} alternating arrays and objects`);
  const nest = (depth, open, close, leaf = '1') => open.repeat(depth) + leaf + close.repeat(depth);
  add('deep', 'in-sample', P, render(pDoc, [{ path: [...ts, 'bitrate', 0], raw: nest(N, '[', ']') }]), 'rejected', `a sample that is ${N} nested arrays`);
  add('deep', 'in-peer-id', P, render(pDoc, [{ path: ['peer_id'], raw: nest(N, '{"a":', '}') }]), 'rejected', `a peer_id that is ${N} nested objects`);
  add('deep', 'extra-40', P, render(pDoc, [{ path: ['peer_id'], after: `"extra":${nest(39, '[', ']')}` }]), 'rejected', 'an unknown key nested 41 levels deep (limit 32)');
  add('deep', 'extra-32', P, render(pDoc, [{ path: ['peer_id'], after: `"extra":${nest(31, '[', ']')}` }]), 'accepted', 'an unknown key reaching exactly 32 levels (the limit)');
  add('deep', 'extra-33', P, render(pDoc, [{ path: ['peer_id'], after: `"extra":${nest(32, '[', ']')}` }]), 'rejected', 'an unknown key reaching 33 levels (one past the limit)');
  add('deep', 'ndjson-line', W, Buffer.concat([W.data, Buffer.from(nest(N, '[', ']') + '\n')]), 'rejected', 'webhooks NDJSON with one deeply nested line at the end');

  // --- hostile file names -----------------------------------------------------
  for (const [tag, name] of [
    ['markup', '<img src=x onerror=alert(1)> "q" \'a\'.json'],
    ['spaces', '  leading and trailing  .json'],
    ['unicode', 'données Élif 🎥 ‮gnp.json'],
    ['dash', '--not-an-option.json'],
  ]) {
    variants.push({
      id: `filename-${tag}`,
      category: 'filename',
      files: [{ name, data: Buffer.from('{"peer_id": "p1", "session_id": ') }],
      sources: [],
      expect: 'rejected',
      note: `a broken file named ${JSON.stringify(name)}`,
    });
  }

  // --- files of two sessions in one run ----------------------------------------
  variants.push({
    id: 'mixed-sessions-all',
    category: 'mixed',
    files: base.sample.map((f) => ({ name: `sample-${f.name}`, data: f.data })),
    sources: [],
    expect: 'accepted',
    sessions: [base.cleanSession, base.sampleSession],
    note: 'every file of the `sample` session beside every file of the `clean` one',
  });
  variants.push({
    id: 'mixed-sessions-peer-stats',
    category: 'mixed',
    files: base.sample.filter((f) => f.name.startsWith('peer-stats-')).map((f) => ({ name: `sample-${f.name}`, data: f.data })),
    sources: [],
    expect: 'accepted',
    sessions: [base.cleanSession, base.sampleSession],
    note: 'the peer-stats of the `sample` session beside the `clean` session',
  });
  variants.push({
    id: 'mixed-sessions-one-array',
    category: 'mixed',
    files: [{
      name: 'both-sessions.json',
      data: Buffer.from(JSON.stringify([JSON.parse(base.sample.find((f) => f.name.startsWith('peer-stats-')).data), pDoc])),
    }],
    sources: [P.name],
    expect: 'accepted',
    sessions: [base.cleanSession, base.sampleSession],
    note: 'one array holding peer-stats of both sessions',
  });
  variants.push({
    id: 'mixed-sessions-with-bad',
    category: 'mixed',
    files: [
      ...base.sample.map((f) => ({ name: `sample-${f.name}`, data: f.data })),
      { name: 'broken.json', data: Buffer.from(P.data.subarray(0, 500)) },
    ],
    sources: [],
    expect: 'any',
    sessions: [base.cleanSession, base.sampleSession],
    note: 'two sessions and one truncated file',
  });

  // --- JSONTestSuite (sampled by the dashboard; the CLI and package suites run it elsewhere) ---
  if (fs.existsSync(jsonTestSuite)) {
    for (const name of fs.readdirSync(jsonTestSuite).filter((n) => n.endsWith('.json')).sort()) {
      variants.push({
        id: `jsts-${name.replace(/\.json$/, '')}`,
        category: 'json-test-suite',
        files: [{ name, data: fs.readFileSync(path.join(jsonTestSuite, name)) }],
        sources: [],
        expect: 'rejected', // valid JSON or not, none is a 100ms export
        note: `JSONTestSuite ${name}`,
      });
    }
  }
  return variants;
}

// ---------------------------------------------------------------- checks ----

const STATUSES = new Set(['ok', 'rejected', 'repaired']);

/**
 * What is wrong with a report of `inputs` (from inputsFor; `names` are the
 * names the front end was given, in the same order). [] when all is well.
 */
export function reportProblems(report, inputs, names, base, v) {
  const out = [];
  if (!report || typeof report !== 'object') return ['no report'];
  if (report.schema_version !== 2) out.push(`schema_version ${report.schema_version}`);
  if (report.error) out.push(`report.error: ${report.error}`);
  if (!Array.isArray(report.inputs) || !Array.isArray(report.sessions)) return [...out, 'report without inputs[] / sessions[]'];
  if (report.inputs.length !== inputs.length) out.push(`${report.inputs.length} inputs reported for ${inputs.length} given`);
  inputs.forEach((inp, i) => {
    const r = report.inputs[i];
    if (!r) return;
    if (r.name !== names[i]) out.push(`input ${i} is named ${JSON.stringify(r.name)}, not ${JSON.stringify(names[i])}`);
    if (!STATUSES.has(r.status)) out.push(`${inp.name}: status ${JSON.stringify(r.status)}`);
    if (!Array.isArray(r.messages)) out.push(`${inp.name}: no messages[]`);
    for (const m of r.messages ?? []) {
      if (typeof m.message !== 'string' || !m.message.startsWith(`${names[i]}: `)) out.push(`${inp.name}: a message does not start with the file name: ${JSON.stringify(m.message)?.slice(0, 200)}`);
      if (typeof m.text !== 'string' || !m.text.trim()) out.push(`${inp.name}: a message without text`);
    }
    if (r.status === 'rejected' && !(r.messages ?? []).some((m) => m.level === 'error')) out.push(`${inp.name}: rejected without an error message`);
    if (inp.role === 'good' && r.status !== 'ok') out.push(`the good file ${inp.name} beside the bad one came out ${r.status}: ${(r.messages ?? []).map((m) => m.message).join(' | ').slice(0, 300)}`);
    if (inp.role === 'bad' && v.expect === 'rejected' && r.status !== 'rejected') out.push(`${inp.name} should be rejected (${v.note}) but is ${r.status}`);
    if (inp.role === 'bad' && r.status === 'rejected' && v.where) {
      // The message points at the bad value, or at an object or array holding it.
      const ptrs = (r.messages ?? []).filter((m) => m.level === 'error').map((m) => m.pointer);
      if (!ptrs.some((q) => q && (q === v.where || v.where.startsWith(`${q}/`)))) out.push(`${inp.name}: no error points at ${v.where} or above it (pointers: ${JSON.stringify(ptrs)}; ${(r.messages ?? []).map((m) => m.text).join(' | ').slice(0, 200)})`);
    }
    if (inp.role === 'bad' && v.expect === 'not-ok' && r.status === 'ok') out.push(`${inp.name} is accepted without a word (${v.note}): it should be rejected, or repaired with a warning`);
    if (inp.role === 'bad' && v.expect === 'accepted' && r.status === 'rejected') out.push(`${inp.name} should be accepted (${v.note}) but is rejected: ${(r.messages ?? []).map((m) => m.message).join(' | ').slice(0, 300)}`);
  });
  // The good files are analyzed: their session is there, with their peers.
  const clean = report.sessions.find((s) => s.session_id === base.cleanSession);
  if (!inputs.some((i) => i.role === 'good')) {
    // a variant alone: nothing to find
  } else if (!clean) out.push(`the session of the good files (${base.cleanSession}) is missing`);
  else {
    const peers = new Set((clean.peers ?? []).map((p) => p.peer_id));
    for (const inp of inputs) if (inp.role === 'good' && inp.peerId && !peers.has(inp.peerId)) out.push(`peer ${inp.peerId} of the good file ${inp.name} is missing`);
  }
  if (v.invariants?.includes('times')) out.push(...timeProblems(report));
  for (const id of v.sessions ?? []) if (!report.sessions.some((s) => s.session_id === id)) out.push(`session ${id} is missing`);
  return out;
}

const HOUR = 3600000;
const iso = (ms) => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));

/** Sessions last at most 12 h (the platform caps them); tracks lie within their session. */
function timeProblems(report) {
  const out = [];
  for (const s of report.sessions) {
    if (!(s.duration_ms <= 24 * HOUR)) out.push(`session ${s.session_id} lasts ${(s.duration_ms / HOUR).toFixed(0)} h (${iso(s.start_ms)} to ${iso(s.end_ms)}); the platform caps sessions at 12 h`);
    if (s.peers?.length && !s.meetings?.length) out.push(`session ${s.session_id} has ${s.peers.length} peer(s) but no meeting`);
    for (const p of s.peers ?? []) {
      for (const t of p.tracks ?? []) {
        if (t.start_ms !== null && t.start_ms < s.start_ms - 12 * HOUR) out.push(`track ${t.key} of ${p.peer_id} starts ${iso(t.start_ms)}, long before its session (${iso(s.start_ms)})`);
        if (t.end_ms !== null && t.end_ms > s.end_ms + 12 * HOUR) out.push(`track ${t.key} of ${p.peer_id} ends ${iso(t.end_ms)}, long after its session (${iso(s.end_ms)})`);
      }
    }
  }
  return out;
}

/** Is `buf` valid UTF-8? */
export function isUtf8(buf) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** Counts of variants per category, for the logs. */
export function summary(variants) {
  const c = {};
  for (const v of variants) c[v.category] = (c[v.category] ?? 0) + 1;
  return Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ');
}
