// The dashboard (build/site) in headless Debian chromium, driven by playwright-core.
//
// dropToOverview(): a fresh page (own browser context) is loaded; the engine's
// Worker is started by the page on load and fetches/compiles the WebAssembly on
// its first request, i.e. inside the measured analysis, as for a user who drops
// files right after opening the page. The files are given to the page's file
// input (#file-input) with setInputFiles; the clock starts at the input's
// `change` event (captured on window, before the app's own listener) and stops
// when the overview is on screen: `.view.overview` inserted into <main>, then
// the next animation frame, then a task after it (the frame was produced).
//
// The page records no performance marks yet (web/src has no performance.mark), so
// the phases are read from the outside, from the page's progress label (a
// MutationObserver stamps every change of its text with performance.now()). When
// the page sets the marks of MARKS below, they are used instead.
//   read      change event -> "Read N MB"          (files -> Uint8Arrays on the page)
//   analyze   "Read N MB" -> "Rendering…"          (postMessage to the Worker, engine
//             load on first use, copy in, parse, analyze, report; the Worker's last
//             progress event, posted just before the report)
//     worker start   "Read" -> first engine progress (includes the wasm compile)
//     ingest         first engine progress -> "Analyzing…" (copy + parse, per file)
//     run            "Analyzing…" -> "Rendering…"  (analysis + report JSON + JSON.parse)
//   render    "Rendering…" -> overview on screen   (structured clone of the report to
//             the page, state, DOM, layout, paint)
// Each stamp is taken at the microtask checkpoint after the change, so a phase
// boundary is late by at most the rest of the task that made it.
//
// The peak wasm heap in the browser is read in the Worker: before the drop, the
// benchmark wraps WebAssembly.instantiate/instantiateStreaming there (via
// playwright's Worker.evaluate) and keeps the instance's Memory export.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { launchChromium } from '../scripts/lib/chromium.mjs';
import { keepWasmMemories } from './wasm-memory.mjs';

/** `node web/serve.mjs SITE --port 0 --host 127.0.0.1`; resolves {base, close}. */
export function serve(root, site) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'web/serve.mjs'), site, '--port', '0', '--host', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '' },
    });
    let out = '';
    let err = '';
    const fail = (e) => reject(new Error(`web/serve.mjs: ${e}${err ? `: ${err.trim()}` : ''}`));
    child.on('error', fail);
    child.on('exit', (code) => fail(`exited with ${code}`));
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/\S+\/)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          base: m[1],
          close: () =>
            new Promise((r) => {
              if (child.exitCode !== null) return r();
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

export async function launch() {
  return launchChromium(chromium);
}

// On the page: the clocks and observers (see the top of this file).
const INSTRUMENT = () => {
  const B = (window.__bench = { t0: null, labels: [], overviewDom: null, overviewPaint: null, longtasks: [], done: false });
  window.addEventListener(
    'change',
    (e) => {
      if (e.target && e.target.id === 'file-input' && B.t0 === null) B.t0 = performance.now();
    },
    true,
  );
  const label = document.querySelector('.progress-label');
  new MutationObserver(() => {
    const t = performance.now();
    const text = label.textContent;
    if (B.labels.at(-1)?.text !== text) B.labels.push({ t, text });
  }).observe(label, { childList: true, characterData: true, subtree: true });
  const main = document.querySelector('main');
  const mo = new MutationObserver(() => {
    if (B.overviewDom === null && main.querySelector('.view.overview')) {
      mo.disconnect();
      B.overviewDom = performance.now();
      requestAnimationFrame(() =>
        setTimeout(() => {
          B.overviewPaint = performance.now();
          B.done = true;
        }, 0),
      );
    }
  });
  mo.observe(main, { childList: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
  } catch {
    B.longtasks = null;
  }
  // Resolves when pred() holds (checked on DOM changes), with the DOM time and
  // the time the next frame was produced.
  window.__benchUntil = (pred) =>
    new Promise((resolve) => {
      const finish = () => {
        const tDom = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve({ tDom, tPaint: performance.now() }), 0));
      };
      if (pred()) return finish();
      const obs = new MutationObserver(() => {
        if (pred()) {
          obs.disconnect();
          finish();
        }
      });
      obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-sort', 'class'] });
    });
};

function blocking(longtasks, from, to) {
  if (!longtasks) return { longest_task_ms: null, total_blocking_ms: null };
  const inside = longtasks.filter((l) => l.start >= from && l.start < to);
  return {
    longest_task_ms: inside.reduce((a, l) => Math.max(a, l.duration), 0),
    total_blocking_ms: inside.reduce((a, l) => a + Math.max(0, l.duration - 50), 0),
  };
}

// Performance marks the page may set (none today; see docs/PERFORMANCE.md). When
// they are there they are used instead of the progress label.
export const MARKS = {
  readEnd: 'callsight:read-end', // every file is in memory on the page (after readFiles)
  engineStart: 'callsight:engine-start', // the first progress event of the Worker arrived
  engineAnalyzing: 'callsight:engine-analyzing', // the 'analyzing' progress event arrived
  reportReceived: 'callsight:report-received', // analyze() resolved on the page (report cloned)
  rendered: 'callsight:rendered', // the view of the new report is in the DOM
};

function phasesOf(B) {
  const d = (a, b) => (a === null || a === undefined || b === null || b === undefined ? null : b - a);
  const mark = (name) => B.marks.filter((m) => m.name === name && m.t >= B.t0).at(0)?.t ?? null;
  if (mark(MARKS.readEnd) !== null && mark(MARKS.reportReceived) !== null) {
    const tRead = mark(MARKS.readEnd);
    const tStart = mark(MARKS.engineStart);
    const tAnalyzing = mark(MARKS.engineAnalyzing);
    const tReport = mark(MARKS.reportReceived);
    return {
      source: 'performance marks',
      total_ms: d(B.t0, B.overviewPaint),
      read_ms: d(B.t0, tRead),
      analyze_ms: d(tRead, tReport),
      worker_start_ms: d(tRead, tStart),
      ingest_ms: d(tStart, tAnalyzing),
      engine_run_ms: d(tAnalyzing, tReport),
      render_ms: d(tReport, B.overviewPaint),
      overview_in_dom_ms: d(B.t0, mark(MARKS.rendered) ?? B.overviewDom),
      ...blocking(B.longtasks, B.t0, B.overviewPaint),
    };
  }
  const at = (re, after = B.t0) => B.labels.find((l) => l.t >= after && re.test(l.text))?.t ?? null;
  const tRead = at(/^Read \d/);
  const tEngine = tRead === null ? null : at(/ of \d+ files\)$/, tRead);
  const tAnalyzing = at(/^Analyzing/);
  const tRendering = at(/^Rendering/);
  return {
    source: 'progress label',
    total_ms: d(B.t0, B.overviewPaint),
    read_ms: d(B.t0, tRead),
    analyze_ms: d(tRead, tRendering),
    worker_start_ms: d(tRead, tEngine),
    ingest_ms: d(tEngine, tAnalyzing),
    engine_run_ms: d(tAnalyzing, tRendering),
    render_ms: d(tRendering, B.overviewPaint),
    overview_in_dom_ms: d(B.t0, B.overviewDom),
    ...blocking(B.longtasks, B.t0, B.overviewPaint),
  };
}

/** One fresh page: load, drop `files` (paths), wait for the overview. Leaves the page open. */
export async function dropToOverview(browser, base, files, { timeoutMs = 180000 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
  const workerSeen = page.waitForEvent('worker', { timeout: 30000 });
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('#file-input', { state: 'attached' });
  const worker = page.workers()[0] ?? (await workerSeen);
  // In the Worker: keep the Memory of the engine's instance.
  await worker.evaluate(keepWasmMemories);
  await page.evaluate(INSTRUMENT);
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => window.__bench.done || document.querySelector('.notice.error'), null, { timeout: timeoutMs, polling: 100 });
  const B = await page.evaluate(() => ({
    ...window.__bench,
    marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('callsight:')).map((m) => ({ name: m.name, t: m.startTime })),
  }));
  if (!B.done) {
    const text = await page.evaluate(() => document.querySelector('.notice.error')?.textContent);
    throw new Error(`the dashboard showed an error instead of the overview: ${text}`);
  }
  const heap = await worker.evaluate(() => globalThis.__benchMemories?.at(-1)?.buffer.byteLength ?? null).catch(() => null);
  return { context, page, worker, phases: phasesOf(B), wasm_heap_bytes: heap, errors };
}

/** Interactions on the Participants table (after dropToOverview on a big session). */
export async function participants(page) {
  return page.evaluate(async () => {
    const until = window.__benchUntil;
    const out = {};
    const lt = () => window.__bench.longtasks;
    const block = (from, to) => {
      const l = lt();
      if (!l) return { longest_task_ms: null, total_blocking_ms: null };
      const inside = l.filter((x) => x.start >= from && x.start < to);
      return { longest_task_ms: inside.reduce((a, x) => Math.max(a, x.duration), 0), total_blocking_ms: inside.reduce((a, x) => a + Math.max(0, x.duration - 50), 0) };
    };
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await frame();
    const tStart = performance.now();

    // 1. Tab -> table with rows on screen.
    let t0 = performance.now();
    document.querySelector('.tab[data-view="peers"]').click();
    let r = await until(() => document.querySelector('.view.peers .vt-body-row'));
    out.open_table_ms = r.tPaint - t0;
    const table = document.querySelector('.view.peers .vtable');
    const vp = table.querySelector('.vt-viewport');
    const rows = Number(table.getAttribute('aria-rowcount')) - 1;
    out.rows = rows;
    out.rows_in_dom = vp.querySelectorAll('.vt-body-row').length;
    await frame();

    // 2. Jump to the end: the last row rendered and painted.
    t0 = performance.now();
    vp.scrollTop = vp.scrollHeight;
    r = await until(() => vp.querySelector(`.vt-body-row[data-index="${rows - 1}"]`));
    out.jump_to_end_ms = r.tPaint - t0;
    out.rows_in_dom_at_end = vp.querySelectorAll('.vt-body-row').length;
    vp.scrollTop = 0;
    await frame();
    await frame();

    // 3. Scroll top -> bottom, 400 px (10 rows) per animation frame.
    const frames = [];
    t0 = performance.now();
    await new Promise((resolve) => {
      let last = null;
      const step = (ts) => {
        if (last !== null) frames.push(ts - last);
        last = ts;
        if (vp.scrollTop + vp.clientHeight >= vp.scrollHeight - 1) return resolve();
        vp.scrollTop += 400;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    await frame();
    const t1 = performance.now();
    const sorted = [...frames].sort((a, b) => a - b);
    out.scroll = {
      ms: t1 - t0,
      frames: frames.length,
      mean_frame_ms: frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length),
      p95_frame_ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? null,
      max_frame_ms: sorted.at(-1) ?? null,
      last_row_rendered: !!vp.querySelector(`.vt-body-row[data-index="${rows - 1}"]`),
      ...block(t0, t1),
    };
    vp.scrollTop = 0;
    await frame();

    // 4. Sort by name (click the column heading) -> painted.
    const btn = [...table.querySelectorAll('.vt-sort')].find((b) => /^Name/.test(b.textContent));
    t0 = performance.now();
    btn.click();
    r = await until(() => btn.closest('[role="columnheader"]').getAttribute('aria-sort') !== 'none');
    out.sort_ms = r.tPaint - t0;
    await frame();

    // 5. Open the first participant: its view, then its first chart drawn (scrolled into
    //    view right after the view is painted; series downsampled by the Worker).
    t0 = performance.now();
    vp.querySelector('.vt-body-row[data-index="0"]').click();
    r = await until(() => document.querySelector('.view.peer'));
    out.open_participant_ms = r.tPaint - t0;
    // The charts load when they scroll into view: bring the first one into view.
    document.querySelector('.view.peer .chart-card')?.scrollIntoView({ block: 'center' });
    const chart = await Promise.race([
      until(() => document.querySelector('.view.peer .uplot')),
      new Promise((res) => setTimeout(() => res(null), 15000)),
    ]);
    out.first_chart_ms = chart ? chart.tPaint - t0 : null;
    out.whole = block(tStart, performance.now());
    return out;
  });
}
