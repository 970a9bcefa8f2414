// `callsight fetch` and `analyze --session` against a local stand-in of the
// 100ms API (server.mjs) serving generator sessions. The real API is never
// contacted: every run passes --api http://127.0.0.1:PORT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSession, scenarioSpec, writeSession } from '../../scripts/gen/lib.mjs';
import { loadSession, startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = process.env.CALLSIGHT_CLI || join(root, 'build/native/callsight');
const TOKEN = 'mgmt-token-SECRET-7f3a9c';
const ACCESS_KEY = 'access-key-4b2e';
const APP_SECRET = 'app-secret-SECRET-d41d8cd98f';
let tmp, gen;

// No HMS_* of the caller's environment leaks into a run; quick retries.
function env(extra) {
  const e = { ...process.env, CALLSIGHT_FETCH_BACKOFF_SECONDS: '0.05', ...extra };
  for (const k of ['HMS_MANAGEMENT_TOKEN', 'HMS_ACCESS_KEY', 'HMS_APP_SECRET']) if (!(k in (extra ?? {}))) delete e[k];
  return e;
}

// Runs the CLI (asynchronously: the server runs in this process).
function run(args, extra = { HMS_MANAGEMENT_TOKEN: TOKEN }) {
  return new Promise((resolvePromise, reject) => {
    import('node:child_process').then(({ spawn }) => {
      const p = spawn(cli, args, { env: env(extra) });
      let stdout = '', stderr = '';
      p.stdout.on('data', (d) => { stdout += d; });
      p.stderr.on('data', (d) => { stderr += d; });
      p.on('error', reject);
      p.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    });
  });
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()).sort();
}
const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, '.callsight-fetch.json'), 'utf8'));

// Every secret appears nowhere: not in the outputs, not in any file written.
function assertNoSecret(result, dir, secrets) {
  for (const s of secrets) {
    assert.ok(!result.stdout.includes(s), 'a secret on stdout');
    assert.ok(!result.stderr.includes(s), 'a secret on stderr');
    for (const f of filesUnder(dir)) assert.ok(!readFileSync(join(dir, f), 'latin1').includes(s), `a secret in ${f}`);
  }
}

// Each file the manifest lists equals, byte for byte, what the server sent for its request.
function assertFilesAsSent(dir, server) {
  const m = manifestOf(dir);
  let checked = 0;
  for (const e of m.requests.filter((e) => e.bytes > 0 && !e.skipped)) {
    const sent = server.state.sent.get(e.request);
    assert.ok(sent, `the server sent nothing for ${e.request}`);
    assert.ok(readFileSync(join(dir, e.file)).equals(sent), `${e.file} differs from what was sent`);
    checked++;
  }
  return checked;
}

// A report without what names the files: the list of inputs and each event's
// `source` (the same events come in other files, under other names).
function withoutFileNames(report) {
  delete report.inputs;
  const strip = (v) => {
    if (Array.isArray(v)) v.forEach(strip);
    else if (v && typeof v === 'object') {
      if (typeof v.source === 'string' && v.source.endsWith('.json')) delete v.source;  // a file, not a track's source
      Object.values(v).forEach(strip);
    }
  };
  strip(report);
  return report;
}
async function reportOf(files) {
  const r = await run(['analyze', ...files], {});
  assert.equal(r.status, 0, r.stderr);
  return withoutFileNames(JSON.parse(r.stdout));
}
const apiFiles = (scenario) => readdirSync(join(gen, scenario, 'input'))
  .filter((f) => f !== 'webhooks.ndjson')  // pushed to the customer's server; no API gives them
  .map((f) => join(gen, scenario, 'input', f));

before(() => {
  assert.ok(existsSync(cli), `CLI not built at ${cli}`);
  tmp = mkdtempSync(join(tmpdir(), 'callsight-fetch-'));
  gen = join(tmp, 'gen');
  writeSession(join(gen, 'attribution'), generateSession(scenarioSpec('attribution')));
  writeSession(join(gen, 'clean'), generateSession(scenarioSpec('clean')));
  writeSession(join(gen, 'sample'), generateSession(scenarioSpec('sample')));
  writeSession(join(gen, 'break-5min'), generateSession(scenarioSpec('break-5min')));
  // The webhook history is kept 30 days: this one happened two days ago.
  const recent = new Date(Date.now() - 2 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeSession(join(gen, 'failures'), generateSession({ ...scenarioSpec('failures'), start: recent }));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('fetch --session writes what the API sent, and its analysis equals the generator files\'', async () => {
  const s = loadSession(join(gen, 'attribution'));
  const server = await startServer({ sessions: [s], token: TOKEN, pageCap: 7 });
  try {
    const out = join(tmp, 'attribution');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`peer-stats ${s.peerStats.size}/${s.peerStats.size}`));
    const m = manifestOf(out);
    assert.equal(m.complete, true);
    assert.equal(m.session_id, s.id);
    assert.equal(m.room_id, s.room_id);
    assert.ok(m.requests.every((e) => e.status === 200 && e.attempts === 1));
    const pages = filesUnder(out).filter((f) => f.startsWith('events-page-'));
    assert.equal(pages.length, Math.ceil(s.events.length / 7), 'events in pages of 7');
    assert.equal(filesUnder(out).filter((f) => f.startsWith('peer-stats-')).length, s.peerStats.size);
    const peerEvents = filesUnder(out).filter((f) => f.startsWith('events-peer-'));
    assert.equal(peerEvents.length, s.peerStats.size, 'one page of each peer\'s session-less event types');
    assert.equal(assertFilesAsSent(out, server), 1 + s.peerStats.size + pages.length + peerEvents.length);
    assert.match(m.webhook_history, /30 days/);  // a session of 2025: history no longer kept
    assert.deepEqual(await reportOf(filesUnder(out).map((f) => join(out, f)).filter((f) => !f.includes('.callsight'))),
      await reportOf(apiFiles('attribution')));
    assertNoSecret(r, out, [TOKEN]);

    // A re-run asks for nothing: every file is complete.
    const asked = server.state.requests.length;
    const again = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(server.state.requests.length, asked, 'a re-run made requests');
    assert.ok(manifestOf(out).requests.every((e) => e.skipped));
  } finally { await server.close(); }
});

test('events without a session_id come from the peers\' own listings', async () => {
  // `sample` has a client.disconnected without session_id, which a session_id filter misses.
  const s = loadSession(join(gen, 'sample'));
  assert.ok(s.events.some((e) => !e.data.session_id));
  const server = await startServer({ sessions: [s], token: TOKEN });
  try {
    const out = join(tmp, 'sample');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(r.status, 0, r.stderr);
    const all = filesUnder(out).filter((f) => !f.startsWith('.')).map((f) => join(out, f));
    const want = await reportOf(apiFiles('sample'));
    assert.deepEqual(await reportOf(all), want);
    // Without the peers' listings the analysis would differ: the test above can fail.
    assert.notDeepEqual(await reportOf(all.filter((f) => !f.includes('events-peer-'))), want);
  } finally { await server.close(); }
});

test('a minted token (HMS_ACCESS_KEY, HMS_APP_SECRET) is accepted and never shown', async () => {
  const s = loadSession(join(gen, 'clean'));
  const server = await startServer({ sessions: [s], accessKey: ACCESS_KEY, secret: APP_SECRET });
  try {
    const out = join(tmp, 'minted');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url],
      { HMS_ACCESS_KEY: ACCESS_KEY, HMS_APP_SECRET: APP_SECRET });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(server.state.requests.every((q) => q.status === 200));
    assert.ok(server.state.tokensSeen.size >= 1);
    assertNoSecret(r, out, [APP_SECRET, ...server.state.tokensSeen]);
    // A token signed with another secret is refused: 401, explained, exit 2.
    const wrong = await run(['fetch', '--session', s.id, '--out', join(tmp, 'wrong'), '--api', server.url],
      { HMS_ACCESS_KEY: ACCESS_KEY, HMS_APP_SECRET: 'not-the-secret' });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /the management token was refused/);
    assert.ok(!wrong.stderr.includes('not-the-secret'));
  } finally { await server.close(); }
});

test('429, 500, a slow answer and a dropped connection are retried', async () => {
  const s = loadSession(join(gen, 'clean'));
  const server = await startServer({ sessions: [s], token: TOKEN, pageCap: 5 });
  const peers = [...s.peerStats.keys()];
  server.state.faults.push(
    { match: /^\/v2\/sessions\//, kind: 'drop', times: 1 },
    { match: /^\/v2\/analytics\/events\?room_id=[^&]*&session_id=(?!.*start=)/, kind: '429', times: 2 },
    { match: new RegExp(`peer_id=${peers[0]}`), kind: '500', times: 1 },
    { match: new RegExp(`peer_id=${peers[1]}`), kind: 'slow', times: 1 },
  );
  try {
    const out = join(tmp, 'faults');
    const t0 = Date.now();
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url, '--timeout', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - t0 >= 2000, 'Retry-After: 1 was not honoured twice');
    const m = manifestOf(out);
    const entry = (re) => m.requests.find((e) => re.test(e.request));
    assert.equal(entry(/^\/v2\/sessions\//).attempts, 2);
    assert.equal(entry(/^\/v2\/analytics\/events\?room_id=[^&]*&session_id=(?!.*start=)/).attempts, 3);
    assert.equal(entry(new RegExp(`peer-stats\\?peer_id=${peers[0]}`)).attempts, 2);
    assert.equal(entry(new RegExp(`peer-stats\\?peer_id=${peers[1]}`)).attempts, 2);
    assert.ok(server.state.faults.every((f) => f.times === 0));
    assertFilesAsSent(out, server);
    assertNoSecret(r, out, [TOKEN]);
  } finally { await server.close(); }
});

test('one failing peer is reported, the others are fetched, and the exit status is 2', async () => {
  const s = loadSession(join(gen, 'clean'));
  const server = await startServer({ sessions: [s], token: TOKEN });
  const [bad, ...good] = [...s.peerStats.keys()];
  server.state.faults.push({ match: new RegExp(`peer_id=${bad}`), kind: '401', times: 100 });
  try {
    const out = join(tmp, 'one-bad');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`peer-stats of peer ${bad}: the management token was refused`));
    for (const p of good) assert.ok(existsSync(join(out, `peer-stats-${p}.json`)));
    assert.ok(!existsSync(join(out, `peer-stats-${bad}.json`)));
    assert.equal(manifestOf(out).complete, false);
    assert.deepEqual(filesUnder(out).filter((f) => f.includes('.part-')), [], 'a half file was left');
    // The next run fetches only the missing peer.
    server.state.faults.length = 0;
    const before = server.state.requests.length;
    const again = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(server.state.requests.slice(before).map((q) => q.path), [
      `/v2/analytics/peer-stats?peer_id=${bad}&session_id=${s.id}`,
      `/v2/analytics/events?room_id=${s.room_id}&peer_id=${bad}&type=client.connect.failed&type=client.disconnected&limit=100`,
    ]);
  } finally { await server.close(); }
});

test('a 400 is explained with the API\'s message, and a token it echoes is not shown', async () => {
  const s = loadSession(join(gen, 'clean'));
  const server = await startServer({ sessions: [s], token: TOKEN });
  const peer = [...s.peerStats.keys()][1];
  server.state.faults.push({ match: new RegExp(`peer-stats\\?peer_id=${peer}`), kind: 'echo400', times: 1 });
  try {
    const out = join(tmp, 'echo');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the API refused the request \(HTTP 400\): bad request with Bearer <the management token>/);
    assertNoSecret(r, out, [TOKEN]);
  } finally { await server.close(); }
});

test('an unknown session is a 404 explained in one sentence', async () => {
  const server = await startServer({ sessions: [loadSession(join(gen, 'clean'))], token: TOKEN });
  try {
    const r = await run(['fetch', '--session', 'no-such-session', '--out', join(tmp, 'none'), '--api', server.url]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the session: not found \(HTTP 404\)/);
  } finally { await server.close(); }
});

test('the webhook delivery history is paged and saved as sent', async () => {
  const s = loadSession(join(gen, 'failures'));
  assert.ok(s.hooks.length > 10);
  const server = await startServer({ sessions: [s], token: TOKEN, pageCap: 8 });
  try {
    const out = join(tmp, 'failures');
    const r = await run(['fetch', '--session', s.id, '--out', out, '--api', server.url]);
    assert.equal(r.status, 0, r.stderr);
    const m = manifestOf(out);
    assert.equal(m.webhook_history, 'fetched');
    const pages = filesUnder(out).filter((f) => f.startsWith('webhook-history-'));
    assert.equal(pages.length, Math.ceil(s.hooks.length / 8));
    const got = pages.flatMap((f) => JSON.parse(readFileSync(join(out, f), 'utf8')).events.map((e) => e.event_id));
    assert.deepEqual(got, s.hooks.map((h) => h.event_id));
    assertFilesAsSent(out, server);
    const a = await run(['analyze', ...filesUnder(out).filter((f) => !f.startsWith('.')).map((f) => join(out, f))], {});
    assert.equal(a.status, 0, a.stderr);  // the history pages are inputs the engine reads
    assert.ok(JSON.parse(a.stdout).inputs.some((i) => i.name.includes('webhook-history-') && i.status === 'ok'));
  } finally { await server.close(); }
});

test('fetch --room --since --until: every session of the room in the period', async () => {
  const room = 'room-of-three';
  const sessions = ['clean', 'break-5min', 'attribution'].map((n) => loadSession(join(gen, n), room));
  const created = sessions.map((s) => s.session.created_at).sort();
  const server = await startServer({ sessions, token: TOKEN });
  try {
    const out = join(tmp, 'room');
    const r = await run(['fetch', '--room', room, '--since', created[0].slice(0, 10),
      '--until', created[1].slice(0, 10), '--out', out, '--api', server.url]);
    assert.equal(r.status, 0, r.stderr);
    const want = sessions.filter((s) => s.session.created_at <= created[1].slice(0, 10) + 'T23:59:59.999Z').map((s) => s.id).sort();
    const folders = readdirSync(out).filter((f) => statSync(join(out, f)).isDirectory()).sort();
    assert.deepEqual(folders, want);
    for (const f of folders) assert.equal(manifestOf(join(out, f)).complete, true);
    assert.ok(server.state.requests.some((q) => /^\/v2\/sessions\?room_id=room-of-three&active=false&after=/.test(q.path)));
    // The folder is the fleet tables' input as it is (the list pages too).
    const tables = join(tmp, 'room-tables');
    const t = await run(['analyze', '--tables', tables, out], {});
    assert.equal(t.status, 0, t.stderr);
    const rows = readFileSync(join(tables, 'sessions.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.session_id).sort(), want);
  } finally { await server.close(); }
});

test('analyze --session fetches into the cache and analyzes in one step', async () => {
  const s = loadSession(join(gen, 'attribution'));
  const server = await startServer({ sessions: [s], token: TOKEN });
  try {
    const cache = join(tmp, 'cache');
    const r = await run(['analyze', '--session', s.id, '--api', server.url],
      { HMS_MANAGEMENT_TOKEN: TOKEN, XDG_CACHE_HOME: cache });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(cache, 'callsight', s.id, 'session.json')));
    assert.deepEqual(withoutFileNames(JSON.parse(r.stdout)), await reportOf(apiFiles('attribution')));
    assertNoSecret(r, cache, [TOKEN]);
    const text = await run(['analyze', '--session', s.id, '--api', server.url, '--format', 'text'],
      { HMS_MANAGEMENT_TOKEN: TOKEN, XDG_CACHE_HOME: cache });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(s.id));
    // A peer that cannot be fetched: the rest is analyzed, and the exit status is 2.
    const bad = [...s.peerStats.keys()][0];
    server.state.faults.push({ match: new RegExp(`peer-stats\\?peer_id=${bad}`), kind: '500', times: 100 });
    const partial = await run(['analyze', '--session', s.id, '--api', server.url],
      { HMS_MANAGEMENT_TOKEN: TOKEN, XDG_CACHE_HOME: join(tmp, 'cache2') });
    assert.equal(partial.status, 2);
    assert.match(partial.stderr, new RegExp(`peer-stats of peer ${bad}: the API failed \\(HTTP 500\\) on every attempt`));
    const report = JSON.parse(partial.stdout);
    assert.equal(report.sessions[0].session_id, s.id);
  } finally { await server.close(); }
});

test('the stand-in API is strict: required parameters and cursors are checked', async () => {
  const s = loadSession(join(gen, 'attribution'));
  const server = await startServer({ sessions: [s], token: TOKEN, pageCap: 5 });
  const get = async (path, auth = TOKEN) => (await fetch(server.url + path, { headers: { authorization: `Bearer ${auth}` } })).status;
  try {
    assert.equal(await get(`/v2/analytics/peer-stats?session_id=${s.id}`), 400);
    assert.equal(await get(`/v2/analytics/events?session_id=${s.id}&type=track.add.success`), 400);
    assert.equal(await get(`/v2/analytics/events?room_id=${s.room_id}`), 400);
    assert.equal(await get(`/v2/analytics/events?room_id=${s.room_id}&type=track.add.success&limit=101`), 400);
    assert.equal(await get(`/v2/analytics/events?room_id=${s.room_id}&type=track.add.success&start=made-up`), 400);
    assert.equal(await get(`/v2/sessions/${s.id}`, 'wrong'), 401);
    assert.equal(await get(`/v2/sessions/${s.id}`), 200);
  } finally { await server.close(); }
});

test('usage errors', async () => {
  assert.equal((await run(['fetch'])).status, 2);
  assert.equal((await run(['fetch', '--session', 'a', '--room', 'b'])).status, 2);
  assert.equal((await run(['fetch', '--session', 'a', '--since', '2025-01-01'])).status, 2);
  assert.equal((await run(['fetch', '--room', 'a', '--since', 'yesterday'])).status, 2);
  assert.equal((await run(['fetch', '--session', 'a', '--api', 'ftp://x'])).status, 2);
  const none = await run(['fetch', '--session', 'a', '--api', 'http://127.0.0.1:9'], {});
  assert.equal(none.status, 2);
  assert.match(none.stderr, /HMS_MANAGEMENT_TOKEN/);
});
