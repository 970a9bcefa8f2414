// The callsight Web Worker: runs the engine off the page's main thread. Start it
// with createWorkerClient() (./client.js), which speaks its protocol, or yourself:
//   new Worker(new URL('callsight/worker', import.meta.url), { type: 'module' })
import { createEngine } from './browser.js';
import { serializeError } from './client.js';

let engine = null;

async function handle({ id, type, files, config, args, tables, since }) {
  engine ??= createEngine();
  const e = await engine;
  if (type === 'analyze') {
    const onProgress = (progress) => self.postMessage({ id, type: 'progress', progress });
    return { value: await e.analyze(files, { config, onProgress }) };
  }
  if (type === 'series') {
    const value = e.series(...args);
    return { value, transfer: [value.t.buffer, value.values.buffer] };
  }
  if (type === 'tableRows') return { value: e.tableRows() };
  if (type === 'fleet') return { value: await e.fleet(tables, { since }) };
  throw new Error(`callsight worker: unknown request '${type}'`);
}

self.addEventListener('message', async ({ data }) => {
  try {
    const { value, transfer } = await handle(data);
    self.postMessage({ id: data.id, type: 'result', value }, transfer ?? []);
  } catch (e) {
    if (engine && !(await engine.then(() => true, () => false))) engine = null;  // retry loading next time
    self.postMessage({ id: data.id, type: 'error', error: serializeError(e) });
  }
});
