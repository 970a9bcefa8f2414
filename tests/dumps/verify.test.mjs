// verify.mjs on a committed recording and on damaged copies of it: each damage
// must be refused, naming what is wrong.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { verifyRecording } from './verify.mjs';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/dumps');
const made = [];

async function copyOf(name) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'callsight-verify-'));
  made.push(dir);
  await fs.cp(path.join(DATA, name), dir, { recursive: true });
  return dir;
}

async function editTruth(dir, edit) {
  const file = path.join(dir, 'truth.json');
  const truth = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(truth);
  await fs.writeFile(file, JSON.stringify(truth));
}

after(async () => {
  for (const dir of made) await fs.rm(dir, { recursive: true, force: true });
});

test('the committed recordings verify', async () => {
  for (const name of await fs.readdir(DATA)) await verifyRecording(path.join(DATA, name));
});

test('a missing or damaged file is refused', async () => {
  const gone = await copyOf('clean');
  await fs.rm(path.join(gone, 'rtcstats.gz'));
  await assert.rejects(verifyRecording(gone), /rtcstats\.gz: missing/);
  const plain = await copyOf('clean');
  const file = path.join(plain, 'webrtc-internals.json.gz');
  await fs.writeFile(file, zlib.gunzipSync(await fs.readFile(file)));
  await assert.rejects(verifyRecording(plain), /not gzip/);
});

test('a dump without the call\'s connections or stats is refused', async () => {
  const dir = await copyOf('freeze');
  const file = path.join(dir, 'webrtc-internals.json.gz');
  const dump = JSON.parse(zlib.gunzipSync(await fs.readFile(file)));
  dump.PeerConnections = {};
  await fs.writeFile(file, zlib.gzipSync(JSON.stringify(dump)));
  await assert.rejects(verifyRecording(dir), /no PeerConnections/);
});

test('a truth time outside the dump\'s stats is refused', async () => {
  const late = await copyOf('freeze');
  await editTruth(late, (t) => {
    t.injected[1].to += 60000;
  });
  await assert.rejects(verifyRecording(late), /outside the dumps' stats/);
  const long = await copyOf('clean');
  await editTruth(long, (t) => {
    t.call.end += 20000;
  });
  await assert.rejects(verifyRecording(long), /do not cover the call/);
});

test('a logged failure far from the dump\'s own entry is refused', async () => {
  for (const [name, kind] of [['gum-failure', 'gum-failure'], ['signalling-errors', 'sdp-error'], ['connection-failure', 'connection-failed']]) {
    const dir = await copyOf(name);
    await editTruth(dir, (t) => {
      t.expect.find((e) => e.kind === kind).at -= 10000;
    });
    await assert.rejects(verifyRecording(dir), new RegExp(`${kind} entries .* are not within 2 s`), name);
  }
});

test('an rtcstats dump whose getStats lines stop early is refused', async () => {
  const dir = await copyOf('clean');
  const file = path.join(dir, 'rtcstats.gz');
  const lines = zlib.gunzipSync(await fs.readFile(file)).toString('utf8').split('\n');
  // Keep the lines up to the 20th getStats (10 s of two connections).
  let seen = 0;
  const cut = lines.findIndex((l) => l.startsWith('["getStats"') && ++seen === 20);
  await fs.writeFile(file, zlib.gzipSync(lines.slice(0, cut + 1).join('\n')));
  await assert.rejects(verifyRecording(dir), /rtcstats getStats lines .* do not cover the call/);
});
