// A sample of the hostile variants of badinput.mjs dropped on the dashboard
// (build/site, served by web/serve.mjs, headless Debian chromium): one page for
// all of them. After each one the page names every rejected file with its
// message (the CLI's), runs nothing, asks nothing, requests nothing outside the
// site, and stays usable: the good session dropped next renders its overview.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { BUILD, JSON_TEST_SUITE, stableCli, ROOT, knownBug, makeBase, makeVariants, tempDir } from './badinput.mjs';

const SITE = path.join(BUILD, 'site');

const CLI = stableCli();
const base = makeBase();
const all = makeVariants(base);

// The chosen variants: [why, predicate, with the good files beside it?]
const CHOSEN = [
  ['truncated peer-stats', (v) => v.category === 'truncated' && v.id.startsWith('truncated-peer-stats') && v.expect === 'rejected' && /cut at byte [1-9]\d{3,} /.test(v.note), false],
  ['truncated webhooks NDJSON, beside the good files', (v) => v.category === 'truncated' && v.id.startsWith('truncated-webhooks') && v.expect === 'rejected' && /cut at byte [1-9]\d{2,} /.test(v.note), true],
  ['a bit-flipped peer-stats', (v) => v.id === 'bitflip-0', false],
  ['a bit-flipped session, beside the good files', (v) => v.id === 'bitflip-5', true],
  ['1e999 in a sample', (v) => v.id === 'number-audio-bitrate-0-1e999', false],
  ['a string where a sample belongs, beside the good files', (v) => v.id.startsWith('type-video-fps-mid-_abc_'), true],
  ['null publisher', (v) => v.id === 'null-peer-stats_publisher', false],
  ['{} time_series', (v) => v.id === 'empty-object-peer-stats_publisher_video_0_time_series', false],
  ['raw 0xff in a peer name, beside the good files', (v) => v.id.startsWith('utf8-session.js-peer-name-ff'), true],
  ['UTF-16LE', (v) => v.id === 'utf8-utf16le', false],
  ['duplicate peer_id keys', (v) => v.id === 'duplicate-key-top-peer-id', false],
  ['100000 nested arrays', (v) => v.id === 'deep-arrays-closed', false],
  ['100000 unclosed {"a":, beside the good files', (v) => v.id === 'deep-objects-open', true],
  ['a file named like markup', (v) => v.id === 'filename-markup', false],
  ['series repeated: timestamps go backwards', (v) => v.id === 'repeated-series-twice', false],
  ['two sessions and a broken file', (v) => v.id === 'mixed-sessions-with-bad', true],
];
const JSTS = ['n_structure_100000_opening_arrays.json', 'n_structure_open_array_object.json', 'i_string_UTF-16LE_with_BOM.json', 'n_string_invalid_utf8_after_escape.json', 'y_object_duplicated_key.json', 'y_structure_lonely_null.json'];

const chosen = CHOSEN.map(([why, pred, withGood]) => {
  const v = all.find(pred);
  assert.ok(v, `no variant for "${why}": the generator changed`);
  return { why, v, withGood };
});
const haveSuite = fs.existsSync(JSON_TEST_SUITE);
if (haveSuite) {
  for (const name of JSTS) {
    const v = all.find((x) => x.id === `jsts-${name.replace(/\.json$/, '')}`);
    if (v) chosen.push({ why: `JSONTestSuite ${name}`, v, withGood: false });
  }
}

// What the CLI says about the same files: the rejected names and their messages.
const dir = tempDir('web');
function cliVerdict(files) {
  const vdir = fs.mkdtempSync(path.join(dir, 'v-'));
  const paths = files.map((f, i) => {
    const d = path.join(vdir, String(i));
    fs.mkdirSync(d);
    const p = path.join(d, f.name);
    fs.writeFileSync(p, f.data);
    return p;
  });
  const r = spawnSync(CLI, ['analyze', ...paths], { cwd: vdir, maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.signal, null);
  const report = JSON.parse(r.stdout);
  // Names in the CLI are paths; the page gets base names.
  const inputs = report.inputs.map((inp, i) => ({ name: files[i].name, status: inp.status, texts: inp.messages.map((m) => m.text) }));
  return { inputs, sessions: report.sessions.length };
}

let server;
let origin;
let browser;
let context;
let page;
const watch = { offOrigin: [], dialogs: [], pageErrors: [], requests: [] };

before(async () => {
  assert.ok(fs.existsSync(path.join(SITE, 'index.html')), `${SITE} is not built (scripts/build)`);
  const { createStaticServer } = await import(path.join(ROOT, 'web', 'serve.mjs'));
  server = createStaticServer(SITE);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium(chromium);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('request', (req) => {
    const url = req.url();
    watch.requests.push(url);
    if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) watch.offOrigin.push(url);
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => watch.pageErrors.push(String(e?.message ?? e)));
  await page.addInitScript(() => {
    window.alert = window.confirm = window.prompt = () => {
      window.__pwned = 'dialog';
    };
  });
  await page.goto(`${origin}/`);
  await page.waitForSelector('#try-sample');
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  fs.rmSync(dir, { recursive: true, force: true });
  base.remove();
});

const payload = (files) => files.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.data) }));

/** Drops files with the picker and waits until the page has rendered the result. */
async function drop(files) {
  await page.evaluate(() => {
    const main = document.querySelector('#main');
    if (main?.firstElementChild) main.firstElementChild.dataset.stale = '1';
  });
  await page.setInputFiles('#file-input', payload(files));
  await page.waitForFunction(() => {
    const first = document.querySelector('#main')?.firstElementChild;
    return !document.body.classList.contains('busy') && first && !first.dataset.stale;
  }, null, { timeout: 30000 });
}

async function nothingRan() {
  const r = await page.evaluate(() => ({
    pwned: window.__pwned,
    injected: document.querySelectorAll('#app img, #app iframe, #app object, #app embed, script:not([src])').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
  }));
  assert.equal(r.pwned, undefined, 'no script from input ran');
  assert.equal(r.injected, 0, 'no element made from input text');
  assert.equal(r.handlers, 0, 'no inline event handler attribute');
}

async function goodSessionRenders(label) {
  await drop(base.clean.map((f) => ({ name: f.name, data: f.data })));
  assert.equal(await page.evaluate(() => document.body.dataset.view), 'overview', `${label}: the good session renders its overview`);
  assert.equal(await page.locator('#rejected-files').count(), 0, `${label}: no rejection notice left over`);
  const facts = await page.textContent('.overview .facts');
  assert.ok(facts.includes(base.cleanSession), `${label}: the overview shows the good session`);
  assert.match(facts, /Participants\s*4/, `${label}: with its 4 participants`);
}

describe(`hostile files dropped on the dashboard (${chosen.length} chosen variants${haveSuite ? '' : '; JSONTestSuite not found, skipped'})`, () => {
  for (const { why, v, withGood } of chosen) {
    const bug = knownBug(v);
    test(`${why} (${v.id}): the page names the rejected file with its message and stays usable`, bug ? { todo: bug.todo } : {}, async () => {
      const good = withGood ? base.clean.filter((f) => !v.sources.includes(f.name)).map((f) => ({ name: f.name, data: f.data })) : [];
      const files = [...good, ...v.files.map((f) => ({ name: f.name, data: f.data }))];
      const { inputs: verdict, sessions } = cliVerdict(files);
      await drop(files);
      const rejected = verdict.filter((x) => x.status === 'rejected');
      const view = await page.evaluate(() => document.body.dataset.view);
      if (rejected.length) {
        const notice = await page.locator('#rejected-files').textContent({ timeout: 5000 });
        for (const r of rejected) {
          assert.ok(notice.includes(r.name), `the notice names ${r.name}`);
          for (const t of r.texts) assert.ok(notice.includes(t), `the notice shows "${t}"`);
        }
      } else {
        assert.equal(await page.locator('#rejected-files').count(), 0, 'no rejection notice when the CLI rejects nothing');
      }
      // The overview when a session could be built (the good files beside it, at least);
      // else the landing page with the notice.
      if (withGood) assert.equal(view, 'overview', 'the good files beside it are analyzed');
      assert.equal(view, sessions ? 'overview' : 'landing');
      if (sessions) assert.equal(await page.$$eval('#session-select option', (o) => o.length), sessions, 'every session is offered');
      await nothingRan();
      await goodSessionRenders(v.id);
      await nothingRan();
    });
  }

  if (!haveSuite) test('JSONTestSuite files on the dashboard', { skip: `JSONTestSuite not found at ${JSON_TEST_SUITE}` }, () => {});

  test('nothing left the site, no dialog, no script error', () => {
    assert.deepEqual(watch.offOrigin, []);
    assert.deepEqual(watch.dialogs, []);
    assert.deepEqual(watch.pageErrors, []);
    for (const u of watch.requests) {
      if (u.startsWith('blob:') || u.startsWith('data:')) continue;
      const p = decodeURIComponent(new URL(u).pathname).replace(/^\//, '') || 'index.html';
      assert.ok(fs.existsSync(path.join(SITE, p)), `a request for a file the site does not have: ${u}`);
    }
  });
});
