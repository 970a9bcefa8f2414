// The page side of the callsight Worker: the same analyze()/series() as the
// engine, run in a Web Worker (./worker.js) so the page never blocks.
//
//   import { createWorkerClient } from 'callsight';
//   const client = createWorkerClient();
//   const report = await client.analyze(files, { onProgress });
//
// Protocol (structured clone), each request carrying an id:
//   page -> worker  {id, type: 'analyze', files: [{name, data}], config}
//                   {id, type: 'series', args: [sessionId, peerId, trackKey, metric, opts]}
//                   {id, type: 'tableRows'}
//                   {id, type: 'fleet', tables, since}
//   worker -> page  {id, type: 'progress', progress}
//                   {id, type: 'result', value}
//                   {id, type: 'error', error: {name, message, messages?, report?}}
// ArrayBuffers travel as transfers (no copy): an ArrayBuffer given as input data
// is detached afterwards. Strings are encoded to UTF-8 here, off the worker's path.
import { CallsightConfigError, CallsightInputError, CallsightTableError } from './errors.js';

const encoder = new TextEncoder();

/** An Error rebuilt from its structured-clone form. */
export function reviveError(e) {
  if (e?.name === 'CallsightInputError') {
    const err = new CallsightInputError(e.messages, e.report);
    err.message = e.message;
    return err;
  }
  if (e?.name === 'CallsightConfigError') return new CallsightConfigError(e.message);
  if (e?.name === 'CallsightTableError') return new CallsightTableError(e.message);
  const err = new (e?.name === 'TypeError' ? TypeError : e?.name === 'RangeError' ? RangeError : Error)(
    e?.message ?? String(e));
  return err;
}

/** An Error in a form that survives postMessage. */
export function serializeError(e) {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const out = { name: e.name, message: e.message };
  if (e instanceof CallsightInputError) {
    out.messages = e.messages;
    out.report = e.report;
  }
  return out;
}

export function createWorkerClient(options = {}) {
  let worker = options.worker;
  if (!worker) {
    if (typeof Worker !== 'function') {
      throw new Error('callsight: createWorkerClient() needs Web Workers (use createEngine() in Node)');
    }
    worker = options.workerUrl !== undefined
      ? new Worker(options.workerUrl, { type: 'module' })
      // Written out so that bundlers (Vite, webpack 5, Parcel) emit the worker.
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  }
  const pending = new Map();  // id -> {resolve, reject, onProgress}
  let nextId = 1;
  let failure = null;         // set when the worker is gone

  const failAll = (error) => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.addEventListener('message', ({ data }) => {
    const p = pending.get(data?.id);
    if (!p) return;
    if (data.type === 'progress') {
      p.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    if (data.type === 'result') p.resolve(data.value);
    else p.reject(reviveError(data.error));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault?.();
    failAll(new Error(`callsight: the worker failed: ${event.message ?? 'could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => failAll(new Error('callsight: a worker message could not be read')));

  const request = (message, transfer, onProgress) => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      try {
        worker.postMessage({ id, ...message }, transfer);
      } catch (e) {
        pending.delete(id);
        reject(e);
      }
    });
  };

  return {
    analyze(files, opts = {}) {
      if (!Array.isArray(files)) return Promise.reject(new TypeError('callsight: analyze() takes an array of {name, data}'));
      const transfer = [];
      const out = files.map((f) => {
        let data = f?.data;
        if (typeof data === 'string') {
          data = encoder.encode(data);
          transfer.push(data.buffer);
        } else if (data instanceof ArrayBuffer && !transfer.includes(data)) {
          transfer.push(data);
        }
        return { name: f?.name, data };
      });
      let config = opts.config;
      if (config !== undefined && config !== null && typeof config !== 'string') config = JSON.stringify(config);
      return request({ type: 'analyze', files: out, config }, transfer, opts.onProgress);
    },
    series(sessionId, peerId, trackKey, metric, opts = {}) {
      return request({ type: 'series', args: [sessionId, peerId, trackKey, metric, { maxPoints: opts.maxPoints }] }, []);
    },
    tableRows() {
      return request({ type: 'tableRows' }, []);
    },
    fleet(tables, opts = {}) {
      // Table data travels as the engine takes it; ArrayBuffers are transferred.
      const transfer = [];
      const take = (data) => {
        if (data instanceof ArrayBuffer && !transfer.includes(data)) transfer.push(data);
        return data;
      };
      const out = Array.isArray(tables)
        ? tables.map((f) => ({ name: f?.name, data: take(f?.data) }))
        : tables && typeof tables === 'object'
          ? Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, take(v)]))
          : tables;
      return request({ type: 'fleet', tables: out, since: opts.since }, transfer);
    },
    terminate() {
      worker.terminate();
      failAll(new Error('callsight: the worker was terminated'));
    },
  };
}

export { CallsightConfigError, CallsightInputError, CallsightTableError } from './errors.js';
