// Security of the dashboard (SPEC §6, SECURITY.md): the Content-Security-Policy is
// enforced (no inline script, no eval, nothing sent to another origin, checked
// by a second server that counts what reaches it); hostile strings in every field
// the page shows (peer names, user ids, roles, peer / session / room / track ids,
// error names and messages, agent fields, leave reasons, file names) are rendered
// as text in every view and run nothing; the page requests only its own files;
// nothing is stored unless the user saves settings; the report export works
// offline (a Blob download).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { generateSession, scenarioSpec } from '../../scripts/gen/lib.mjs';
import { SITE, clickTab, launch, openPage, scrollThrough, startServer } from './helpers.mjs';

// ------------------------------------------------------ the hostile session --

const pw = (n) => `window.__pwned=${n}`;
// Each peer gets other payloads; each payload sets a distinct window.__pwned if it ever runs.
const PEER_IDS = [
  `<img src=x onerror=${pw(11)}>`,
  `"><svg onload=${pw(12)}>`,
  `javascript:${pw(13)}`,
  '__proto__',
  `../../#/settings?x=<b>1</b>&s=9`,
  `</script><script>${pw(14)}</script>`,
];
const NAMES = [
  `Aisha <img src=x onerror=${pw(21)}>`,
  `Ben "><svg onload=${pw(22)}>`,
  `javascript:${pw(23)}`,
  `=HYPERLINK("http://evil.invalid/","x") <script>${pw(24)}</script>`,
  `Elif '><iframe srcdoc="<script>parent.__pwned=25</script>">`,
  `Femi <a href="javascript:${pw(26)}">link</a>`,
];
const USER_IDS = [`<img src=x onerror=${pw(31)}>-u`, `"><svg onload=${pw(32)}>-u`, `javascript:${pw(33)}-u`, 'constructor', `<iframe src=javascript:${pw(34)}>-u`, `{{constructor.constructor('${pw(35)}')()}}`];
const ROLES = { host: `<b onmouseover=${pw(41)}>host</b>`, guest: `guest<img src=x onerror=${pw(42)}>` };
const SESSION_ID = `"><svg onload=${pw(51)}>`;
const ROOM_ID = `javascript:${pw(52)}//room`;
const ROOM_NAME = `<img src=x onerror=${pw(53)}>`;
const TRACK = (i) => `<img src=x onerror=${pw(60 + (i % 10))}>-track-${i}`;
const ERROR_NAME = (orig) => `"><svg onload=${pw(71)}>${orig}`;
const ERROR_MESSAGE = (orig) => `<img src=x onerror=${pw(72)}> ${orig}`;
const AGENT = {
  os: (v) => `<img src=x onerror=${pw(81)}>${v}`,
  os_version: () => `"><svg onload=${pw(82)}>`,
  sdk_version: () => `javascript:${pw(83)}`,
  framework: () => `<script>${pw(84)}</script>`,
  device_model: (v) => v.replace(/^([^_]+)_/, `$1<img src=x onerror=${pw(85)}>_`),
};
const LEAVE_REASON = `<img src=x onerror=${pw(91)}>`;
const FILE_NAME = (name, i) => `${[`<img src=x onerror=${pw(101)}>`, `"><svg onload=${pw(102)}>`, `javascript:${pw(103)}`][i % 3]}${name}`;
const BROKEN_FILE = `<img src=x onerror=${pw(104)}> broken.json`;

/** The `sample` scenario with every displayed string replaced by a payload. */
function hostileSession() {
  const { files, truth } = generateSession(scenarioSpec('sample'));
  const map = new Map([
    [truth.session_id, SESSION_ID],
    [truth.room_id, ROOM_ID],
  ]);
  const peers = truth.peers.map((p, i) => {
    map.set(p.peer_id, PEER_IDS[i]);
    map.set(p.name, NAMES[i]);
    map.set(p.user_id, USER_IDS[i]);
    const tracks = [p.track_ids.audio, p.track_ids.video, ...p.track_ids.screen].filter(Boolean);
    for (const t of tracks) if (!map.has(t)) map.set(t, TRACK(map.size));
    // agent: whether an error event of this peer carries its agent (only those do, as in 100ms exports)
    return { id: PEER_IDS[i], name: NAMES[i], userId: USER_IDS[i], role: ROLES[p.role], tracks: tracks.map((t) => map.get(t)), clientRequest: p.end_reason === 'client request', agent: p.os !== null };
  });
  const errorNames = new Set();
  const errorMessages = new Set();
  const fix = (key, v) => {
    if (typeof v !== 'string') return v;
    if (map.has(v)) return map.get(v);
    if (key === 'role' && ROLES[v]) return ROLES[v];
    if (key === 'room_name') return ROOM_NAME;
    if (key === 'reason' && v === 'client request') return LEAVE_REASON;
    if (key === 'error_name') {
      errorNames.add(ERROR_NAME(v));
      return ERROR_NAME(v);
    }
    if (key === 'error_message') {
      errorMessages.add(ERROR_MESSAGE(v));
      return ERROR_MESSAGE(v);
    }
    if (AGENT[key]) return AGENT[key](v);
    return v;
  };
  // Null-prototype objects: a key "__proto__" stays an ordinary key.
  const walk = (x, key) => {
    if (Array.isArray(x)) return x.map((v) => walk(v, key));
    if (x && typeof x === 'object') {
      const out = Object.create(null);
      for (const [k, v] of Object.entries(x)) out[map.get(k) ?? k] = walk(v, k);
      return out;
    }
    return fix(key, x);
  };
  const out = files.map((f, i) => {
    const text = f.name.endsWith('.ndjson')
      ? f.text.split('\n').filter(Boolean).map((l) => JSON.stringify(walk(JSON.parse(l)))).join('\n') + '\n'
      : JSON.stringify(walk(JSON.parse(f.text)));
    return { name: FILE_NAME(f.name, i), mimeType: 'application/json', buffer: Buffer.from(text) };
  });
  out.push({ name: BROKEN_FILE, mimeType: 'application/json', buffer: Buffer.from(`{"peer_id": "${PEER_IDS[0].replace(/"/g, '\\"')}", `) });
  return { files: out, peers, errorNames: [...errorNames], errorMessages: [...errorMessages], fileNames: out.map((f) => f.name) };
}

// ------------------------------------------------------------------ checks --

let srv;
let browser;
let siteFiles;
let agentCardsShown = 0;
before(async () => {
  srv = await startServer();
  browser = await launch();
  siteFiles = new Set();
  const list = async (dir, rel = '') => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await list(path.join(dir, e.name), `${rel}${e.name}/`);
      else siteFiles.add(`${rel}${e.name}`);
    }
  };
  await list(SITE);
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

/** Every request went to a file of the site (an <img src=x> would ask for /x). */
function onlySiteFiles(watch) {
  const origin = new URL(srv.base).origin;
  for (const u of watch.requests) {
    if (u.startsWith('blob:') || u.startsWith('data:')) continue;
    assert.ok(u.startsWith(`${origin}/`), `a request left the site: ${u}`);
    const p = decodeURIComponent(new URL(u).pathname).replace(/^\//, '') || 'index.html';
    assert.ok(siteFiles.has(p), `a request for something the site does not have: ${u}`);
  }
}

/** Nothing from the input became markup, ran, or opened a dialog. */
async function nothingRan(page, watch, where) {
  const r = await page.evaluate(() => {
    const app = document.querySelector('#app');
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: window.__pwned,
      made: [...app.querySelectorAll('img, iframe, object, embed, frame, script, style, link, meta, base')].map((el) => el.outerHTML.slice(0, 120)),
      handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 120)),
      badUrls: all
        .flatMap((el) => ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].map((n) => [n, el.getAttribute(n)]))
        .filter(([n, v]) => v !== null && (n === 'srcdoc' || /^\s*(javascript|data|vbscript):/i.test(v) || (n !== 'href' && /^\s*\w+:/.test(v))))
        .map(([n, v]) => `${n}=${v}`.slice(0, 120)),
      // Links are fragments of this page (or blob downloads).
      links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#') && !h.startsWith('blob:')),
      bolds: app.querySelectorAll('b, svg[onload], a[href^="javascript"]').length,
    };
  });
  assert.equal(r.pwned, undefined, `${where}: a payload ran (window.__pwned = ${r.pwned})`);
  assert.deepEqual(r.made, [], `${where}: an element was made from input text`);
  assert.deepEqual(r.handlers, [], `${where}: inline event handlers`);
  assert.deepEqual(r.badUrls, [], `${where}: script or foreign URLs in attributes`);
  assert.deepEqual(r.links, [], `${where}: links that are not fragments`);
  assert.equal(r.bolds, 0, `${where}: markup from input`);
  assert.deepEqual(watch.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(watch.pageErrors, [], `${where}: a script error`);
  onlySiteFiles(watch);
}

const textOf = (page, sel = 'body') => page.evaluate((s) => document.querySelector(s)?.textContent ?? '', sel);
const waitView = (page, v) => page.waitForFunction((x) => document.body.dataset.view === x, v, { timeout: 20000 });

async function storage(page) {
  return page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    idb: indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [],
    caches: typeof caches === 'undefined' ? [] : await caches.keys(),
    cookie: document.cookie,
    workers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
  }));
}

describe('hostile strings in every displayed field', () => {
  const hostile = hostileSession();
  let page;
  let watch;
  let context;

  before(async () => {
    ({ page, watch, context } = await openPage(browser, srv.base));
    await page.addInitScript(() => {
      window.alert = window.confirm = window.prompt = () => {
        window.__pwned = 'dialog';
      };
    });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    await page.setInputFiles('#file-input', hostile.files);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
  });
  after(async () => {
    await context?.close();
  });

  it('the hostile session is analyzed: every peer, with its payloads as ids and names', async () => {
    const notice = await textOf(page, '#rejected-files');
    assert.ok(notice.includes(BROKEN_FILE), 'the broken file is named, as text');
    for (const name of hostile.fileNames.slice(0, -1)) assert.ok(!notice.includes(`${name} — rejected`), `${name} is not rejected`);
    assert.match(await textOf(page, '.overview .facts'), /Participants\s*6/);
    await nothingRan(page, watch, 'after the drop');
  });

  it('overview: session id, room id and names are text', async () => {
    await clickTab(page, 'overview');
    const facts = await textOf(page, '.overview .facts');
    assert.ok(facts.includes(SESSION_ID), 'session id');
    assert.ok(facts.includes(ROOM_ID), 'room id');
    const labels = await page.$$eval('.tl-label', (els) => els.map((e) => e.textContent));
    for (const p of hostile.peers) assert.ok(labels.includes(p.name), `timeline label ${p.name}`);
    await scrollThrough(page);
    await nothingRan(page, watch, 'overview');
  });

  it('participants: names, roles and agent fields are text; the filter takes markup as text', async () => {
    await clickTab(page, 'peers');
    const names = await page.$$eval('.vt-body-row .peer-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual([...names].sort(), hostile.peers.map((p) => p.name).sort());
    const table = await textOf(page, '.view.peers');
    assert.ok(table.includes('<img src=x onerror=window.__pwned=81>'), 'OS as text');
    await page.fill('#peer-filter', '<svg onload=window.__pwned=22>');
    await page.waitForFunction(() => document.querySelectorAll('.vt-body-row').length === 1, null, { timeout: 5000 }).catch(() => {});
    assert.deepEqual(await page.$$eval('.vt-body-row .peer-name', (els) => els.map((e) => e.textContent)), [NAMES[1]], 'the filter matches the markup as text');
    await page.fill('#peer-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('.vt-body-row').length === 6);
    await nothingRan(page, watch, 'participants');
  });

  for (let i = 0; i < 6; i++) {
    it(`participant detail of peer ${i} (id ${JSON.stringify(PEER_IDS[i])}): card, charts and event log are text`, async () => {
      await clickTab(page, 'peers');
      await page.locator('.vt-body-row .peer-name', { hasText: NAMES[i] }).first().click();
      await waitView(page, 'peer');
      const p = hostile.peers[i];
      assert.equal(await page.textContent('h1'), p.name, 'title');
      const card = await textOf(page, '.view.peer .facts');
      assert.ok(card.includes(p.id), 'peer id');
      assert.ok(card.includes(p.userId), 'user id');
      assert.ok(card.includes(p.role), 'role');
      if (p.clientRequest) assert.ok(card.includes(LEAVE_REASON), 'leave reason');
      // agent fields: only what the report carries, as text (the report reads agents from the error events it lists)
      if (card.includes('OS')) {
        assert.ok(p.agent, 'an OS only for a peer whose agent is in the inputs');
        assert.ok(card.includes('<img src=x onerror=window.__pwned=81>'), 'OS');
        assert.ok(card.includes('"><svg onload=window.__pwned=82>') || card.includes('javascript:window.__pwned=83') || card.includes('<script>window.__pwned=84</script>'), 'agent fields');
        agentCardsShown++;
      }
      // the route survives ids with / # ? in them
      assert.equal(await page.evaluate(() => document.body.dataset.view), 'peer');
      await scrollThrough(page);
      await page.waitForFunction(() => document.querySelectorAll('.chart-card .uplot').length >= 2, null, { timeout: 20000 });
      const body = await textOf(page, '.view.peer');
      for (const t of p.tracks) assert.ok(body.includes(t.slice(0, 8)), `track id ${t} (shortened) shown`);
      await nothingRan(page, watch, `peer ${i}`);
    });
  }

  it('agent fields were shown on at least one participant card', () => {
    assert.ok(agentCardsShown >= 1, `agent fields shown for ${agentCardsShown} peers`);
  });

  it('issues: peer names in rows and filters are text', async () => {
    await clickTab(page, 'issues');
    const opts = await page.$$eval('#issue-peer option', (o) => o.map((x) => x.textContent));
    const withIssues = hostile.peers.filter((p) => opts.includes(p.name));
    assert.ok(withIssues.length >= 4, `peers offered in the filter: ${opts.join(' | ')}`);
    const rows = await textOf(page, '.view.issues');
    assert.ok(hostile.peers.some((p) => rows.includes(p.name)), 'names in the issue rows');
    await page.selectOption('#issue-peer', { label: withIssues[0].name });
    await page.waitForFunction(() => document.querySelectorAll('.issues .vt-body-row').length >= 1);
    await nothingRan(page, watch, 'issues');
  });

  it('sender vs receiver: every sender and receiver, names as text', async () => {
    await clickTab(page, 'compare');
    const senders = await page.$$eval('#compare-from option', (o) => o.map((x) => [x.value, x.textContent]));
    assert.ok(senders.length >= 5);
    for (const [value, label] of senders) {
      assert.ok(hostile.peers.some((p) => p.id === value && p.name === label), `option ${label}`);
      await page.selectOption('#compare-from', value);
      await page.waitForFunction(() => document.querySelector('#compare-to'));
      const to = await page.$$eval('#compare-to option', (o) => o.map((x) => x.value));
      await page.selectOption('#compare-to', to[0]);
      await page.waitForFunction(([f, t]) => document.querySelector('.view.compare h2')?.textContent.startsWith(f) && document.querySelector('.view.compare h2').textContent.endsWith(t),
        [label, hostile.peers.find((p) => p.id === to[0]).name]);
    }
    await scrollThrough(page);
    await nothingRan(page, watch, 'compare');
  });

  it('errors: error names, messages, file names and the rejected file are text', async () => {
    await clickTab(page, 'errors');
    const view = await textOf(page, '.view.errors');
    assert.ok(hostile.errorNames.length >= 2 && hostile.errorMessages.length >= 2);
    // the error events the report lists (a disconnect's error is an issue, not an error event)
    const names = hostile.errorNames.filter((n) => view.includes(n));
    const messages = hostile.errorMessages.filter((m) => view.includes(m));
    assert.ok(names.length >= 1, `error names shown: ${names.length}`);
    assert.ok(messages.length >= 1, `error messages shown: ${messages.length}`);
    for (const f of hostile.fileNames) assert.ok(view.includes(f), `file name ${f}`);
    await nothingRan(page, watch, 'errors');
  });

  it('looking keeps only the files being viewed (for a reload); settings are stored only when saved', async () => {
    // The app keeps the files shown for a reload without waiting for the storage.
    for (let i = 0; i < 100 && !(await storage(page)).idb.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await storage(page), { local: [], session: [], idb: ['callsight-current'], caches: [], cookie: '', workers: 0 });
    assert.deepEqual(await context.cookies(), []);
    await clickTab(page, 'settings');
    await page.fill('#th-rtt_ms-warning', '250');
    await page.click('#settings-save');
    await page.waitForFunction(() => /analyzed again/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    const after = await storage(page);
    assert.deepEqual(after.local, ['callsight.config.v1'], 'only the saved settings');
    assert.deepEqual({ ...after, local: [] }, { local: [], session: [], idb: ['callsight-current'], caches: [], cookie: '', workers: 0 });
    const saved = await page.evaluate(() => localStorage.getItem('callsight.config.v1'));
    assert.doesNotMatch(saved, /pwned|<img|svg/, 'no input text in the stored settings');
    await page.click('#settings-reset');
    await page.waitForFunction(() => /Defaults restored/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    assert.deepEqual((await storage(page)).local, [], 'reset removes them');
    await nothingRan(page, watch, 'settings');
  });

  it('exports work offline (Blob downloads) and keep the strings as data', async () => {
    await clickTab(page, 'settings');
    const before = watch.requests.length;
    await context.setOffline(true);
    try {
      const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      assert.match(json.url(), /^blob:/);
      const report = JSON.parse(await fs.readFile(await json.path(), 'utf8'));
      const s = report.sessions.find((x) => x.session_id === SESSION_ID);
      assert.ok(s, 'the hostile session id, unchanged');
      assert.equal(s.room_id, ROOM_ID);
      assert.deepEqual(s.peers.map((p) => p.name).sort(), [...NAMES].sort());
      assert.deepEqual(s.peers.map((p) => p.peer_id).sort(), [...PEER_IDS].sort());
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-issues')]);
      const text = await fs.readFile(await csv.path(), 'utf8');
      assert.ok(text.includes(`'=HYPERLINK(`), 'a name starting with = is exported with a leading apostrophe, not as a formula');
      assert.doesNotMatch(text, /(^|,)=HYPERLINK/m);
      const [breaches] = await Promise.all([page.waitForEvent('download'), page.click('#export-breaches')]);
      assert.match(await fs.readFile(await breaches.path(), 'utf8'), /^session_id,/);
    } finally {
      await context.setOffline(false);
    }
    assert.deepEqual(watch.requests.slice(before).filter((u) => !u.startsWith('blob:')), [], 'no request while exporting');
    await nothingRan(page, watch, 'exports');
  });
});

describe('content security policy', () => {
  let other; // another origin that counts every request reaching it
  let hits;
  before(async () => {
    hits = [];
    other = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
      res.end('window.__pwned = "remote script"');
    });
    other.on('upgrade', (req, socket) => {
      hits.push(`UPGRADE ${req.url}`);
      socket.destroy();
    });
    await new Promise((r) => other.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await new Promise((r) => other.close(r));
  });

  it('an injected inline script, inline handler, eval and javascript: URL do not run', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const r = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = "inline script"';
      document.body.append(s);
      const div = document.createElement('div');
      div.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__pwned=\'handler\'" onload="window.__pwned=\'handler\'">';
      document.body.append(div);
      const b = document.createElement('button');
      b.setAttribute('onclick', 'window.__pwned = "onclick"');
      document.body.append(b);
      b.click();
      const a = document.createElement('a');
      a.href = 'javascript:window.__pwned="javascript url"';
      document.body.append(a);
      a.click();
      // Code run by page.evaluate itself may eval (DevTools allows it); a task of the
      // page's own event loop may not.
      const inTask = (fn) => new Promise((res) => setTimeout(() => {
        try {
          fn();
          res('ran');
        } catch (e) {
          res(e.name);
        }
      }, 0));
      const evalBlocked = (await inTask(() => (0, eval)('window.__pwned = "eval"'))) === 'EvalError';
      const fnBlocked = (await inTask(() => new Function('window.__pwned = "Function"')())) === 'EvalError';
      setTimeout('window.__pwned = "setTimeout string"', 0);
      await new Promise((res) => setTimeout(res, 300));
      return { pwned: window.__pwned, evalBlocked, fnBlocked };
    });
    assert.equal(r.pwned, undefined, `ran: ${r.pwned}`);
    assert.ok(r.evalBlocked, 'eval is refused');
    assert.ok(r.fnBlocked, 'new Function is refused');
    assert.deepEqual(watch.dialogs, []);
    await context.close();
  });

  it('nothing reaches another origin: fetch, XHR, beacon, WebSocket, EventSource, image, script, frame, form, worker', async (t) => {
    const { page, watch, context } = await openPage(browser, srv.base);
    const far = `http://127.0.0.1:${other.address().port}`;
    // Chromium reports CSP-blocked requests as requests that failed; none may get a response.
    const failed = [];
    const answered = [];
    page.on('requestfailed', (req) => failed.push(req.url()));
    page.on('response', (res) => {
      if (res.url().startsWith(far)) answered.push(res.url());
    });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const r = await page.evaluate(async (far) => {
      const out = {};
      // Each attempt answers: its result, 'blocked (...)' when it throws or fails, or
      // 'no answer' when nothing happens within 2 s (also: nothing was loaded).
      const attempt = async (name, fn) => {
        try {
          out[name] = String(await Promise.race([fn(), new Promise((res) => setTimeout(() => res('no answer'), 2000))]));
        } catch (e) {
          out[name] = `blocked (${e?.name ?? e})`;
        }
      };
      await attempt('fetch', async () => (await fetch(`${far}/fetch`)).status);
      await attempt('fetch no-cors', async () => (await fetch(`${far}/no-cors`, { mode: 'no-cors' })).type);
      await attempt('xhr', () => new Promise((res, rej) => {
        const x = new XMLHttpRequest();
        x.open('GET', `${far}/xhr`);
        x.onload = () => res(x.status);
        x.onerror = () => rej(new Error('xhr error'));
        x.send();
      }));
      await attempt('beacon', () => navigator.sendBeacon(`${far}/beacon`, 'x'));
      await attempt('websocket', () => new Promise((res, rej) => {
        const ws = new WebSocket(`${far.replace('http', 'ws')}/ws`);
        ws.onopen = () => res('open');
        ws.onerror = () => rej(new Error('ws error'));
      }));
      await attempt('eventsource', () => new Promise((res, rej) => {
        const es = new EventSource(`${far}/events`);
        es.onopen = () => res('open');
        es.onerror = () => {
          es.close();
          rej(new Error('es error'));
        };
      }));
      await attempt('image', () => new Promise((res, rej) => {
        const img = new Image();
        img.onload = () => res('loaded');
        img.onerror = () => rej(new Error('img error'));
        img.src = `${far}/img.png`;
      }));
      await attempt('script', () => new Promise((res, rej) => {
        const s = document.createElement('script');
        s.src = `${far}/script.js`;
        s.onload = () => res('loaded');
        s.onerror = () => rej(new Error('script error'));
        document.head.append(s);
      }));
      await attempt('stylesheet', () => new Promise((res, rej) => {
        const l = document.createElement('link');
        l.rel = 'stylesheet';
        l.href = `${far}/style.css`;
        l.onload = () => res('loaded');
        l.onerror = () => rej(new Error('css error'));
        document.head.append(l);
      }));
      await attempt('iframe', () => new Promise((res) => {
        const f = document.createElement('iframe');
        f.src = `${far}/frame`;
        document.body.append(f);
        setTimeout(() => res('appended'), 500);
      }));
      await attempt('worker', () => new Promise((res, rej) => {
        // A blob worker is allowed (worker-src blob:) and inherits the page's policy.
        const code = `fetch(${JSON.stringify(`${far}/from-worker`)}).then(() => postMessage('sent'), (e) => postMessage('blocked ' + e.name))`;
        const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        w.onmessage = (e) => res(e.data);
        w.onerror = (e) => rej(new Error(`worker error ${e.message}`));
      }));
      await attempt('form', () => new Promise((res) => {
        const f = document.createElement('form');
        f.action = `${far}/form`;
        f.method = 'post';
        document.body.append(f);
        f.submit();
        setTimeout(() => res('submitted'), 500);
      }));
      await new Promise((res) => setTimeout(res, 500));
      return { out, pwned: window.__pwned, href: location.href };
    }, far);
    t.diagnostic(JSON.stringify(r.out));
    assert.equal(r.pwned, undefined);
    assert.equal(new URL(r.href).origin, new URL(srv.base).origin, 'the page did not navigate away');
    for (const k of ['fetch', 'fetch no-cors', 'xhr', 'websocket', 'eventsource', 'image', 'script', 'stylesheet']) assert.match(r.out[k], /^(blocked|no answer)/, `${k}: ${r.out[k]}`);
    assert.match(r.out.worker, /blocked|no answer/, `worker: ${r.out.worker}`);
    assert.deepEqual(hits, [], 'no request reached the other origin');
    assert.deepEqual(answered, [], 'no response came from the other origin');
    for (const u of watch.offOrigin) assert.ok(failed.includes(u), `${u} was attempted and not blocked`);
    await context.close();
  });

  it('the CSP arrives in the header and in the page, and the worker is under it too', async () => {
    const res = await fetch(srv.base);
    const header = res.headers.get('content-security-policy');
    assert.match(header, /default-src 'self'/);
    assert.match(header, /connect-src 'self'/);
    const tokens = header.split(/[;\s]+/);
    assert.ok(!tokens.includes("'unsafe-inline'") && !tokens.includes("'unsafe-eval'"), header);
    const html = await res.text();
    assert.ok(html.includes(`content="${header}"`), 'the same policy in the <meta> tag');
    const worker = await fetch(new URL('engine/worker.js', srv.base));
    assert.equal(worker.headers.get('content-security-policy'), header, 'the worker script is served under the same policy');
  });
});
