// A worker thread holding ONE engine of the installed npm package for all the
// variants of package.test.mjs. In a worker so that the test can stop it if an
// analysis never returns (a synchronous hang in WebAssembly would block the
// test's own event loop and its timers).
//
// Messages in: {type: 'init', loader, goodFiles, goodExpected}
//              {type: 'analyze', seq, files: [{name, data}], checkGood}
//              {type: 'huge', seq, kind: 'uint8array'|'arraybuffer', bytes}
// Messages out: {seq, outcome: 'resolved', report} | {seq, outcome: 'input-error', messages, report, message}
//               | {seq, outcome: 'other-error', name, message, stack}, plus `good` when checkGood:
//               {matches, detail} (a good analysis right after, compared with the CLI's report).
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

let callsight;
let engine;
let goodFiles;
let goodExpected; // the CLI's stdout for goodFiles, re-serialized

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at char ${i}: package ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs CLI ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

async function analyze(files) {
  try {
    const report = await engine.analyze(files);
    return { outcome: 'resolved', report };
  } catch (e) {
    if (e instanceof callsight.CallsightInputError) {
      return { outcome: 'input-error', messages: e.messages, report: e.report, message: e.message, name: e.name };
    }
    return { outcome: 'other-error', name: e?.name, message: String(e?.message ?? e), stack: String(e?.stack ?? '') };
  }
}

async function checkGood() {
  const r = await analyze(goodFiles);
  if (r.outcome !== 'resolved') return { matches: false, detail: `the good files did not resolve: ${r.outcome} ${r.message ?? ''}` };
  const got = JSON.stringify(r.report);
  return got === goodExpected ? { matches: true } : { matches: false, detail: firstDifference(got, goodExpected) };
}

// One message at a time: a good analysis always runs right after its variant.
let chain = Promise.resolve();
parentPort.on('message', (msg) => {
  chain = chain.then(() => handle(msg));
});

async function handle(msg) {
  try {
    if (msg.type === 'init') {
      const { load } = await import(pathToFileURL(msg.loader).href);
      callsight = await load('callsight');
      engine = await callsight.createEngine();
      goodFiles = msg.goodFiles;
      goodExpected = msg.goodExpected;
      parentPort.postMessage({ seq: 0, outcome: 'ready', version: engine.version });
      return;
    }
    if (msg.type === 'analyze') {
      const result = await analyze(msg.files);
      if (msg.checkGood) result.good = await checkGood();
      parentPort.postMessage({ seq: msg.seq, ...result });
      return;
    }
    if (msg.type === 'huge') {
      // Zero pages that are never touched: allocating them costs no memory; copying would.
      const rss0 = process.memoryUsage().rss;
      const buf = msg.kind === 'arraybuffer' ? new ArrayBuffer(msg.bytes) : new Uint8Array(msg.bytes);
      const t0 = performance.now();
      const result = await analyze([{ name: 'huge.json', data: buf }, ...goodFiles]);
      result.ms = performance.now() - t0;
      result.rssGrowth = process.memoryUsage().rss - rss0;
      result.good = await checkGood();
      parentPort.postMessage({ seq: msg.seq, ...result });
      return;
    }
    if (msg.type === 'huge-string') {
      // The largest string V8 allows, of 3-byte characters: its UTF-8 form is over the limit.
      const rss0 = process.memoryUsage().rss;
      const text = '€'.repeat(msg.chars);
      const t0 = performance.now();
      const result = await analyze([{ name: 'huge-string.json', data: text }, ...goodFiles]);
      result.ms = performance.now() - t0;
      result.rssGrowth = process.memoryUsage().rss - rss0;
      result.good = await checkGood();
      parentPort.postMessage({ seq: msg.seq, ...result });
    }
  } catch (e) {
    parentPort.postMessage({ seq: msg.seq ?? 0, outcome: 'worker-failure', message: String(e?.stack ?? e) });
  }
}
