// callsight: the engine in WebAssembly, for Node (the package's "node" entry;
// browsers and bundles for them get browser.js, which names nothing here).
//
//   import { createEngine } from 'callsight';
//   const engine = await createEngine();          // threaded: up to 4 threads
//   const report = await engine.analyze([{ name: 'peer-stats.json', data: bytes }]);
//
// The threaded build in node/ (CommonJS, with its worker-thread script), unless
// told otherwise: then the single-threaded build, as browsers run it. Gzip
// files are decompressed with node:zlib.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { gunzip as zlibGunzip } from 'node:zlib';

import { createEngineWith, loadModule, output } from './index.js';

export { CallsightConfigError, CallsightInputError, CallsightTableError } from './errors.js';
export { createWorkerClient } from './client.js';

/** The threaded build; null when the options ask for the single-threaded one. */
async function loadThreadedModule({ wasmBinary, wasmUrl, threads }) {
  if (wasmBinary || wasmUrl !== undefined || threads === 1) return null;
  const create = createRequire(import.meta.url)('./node/engine.cjs');
  const binary = await readFile(new URL('./node/engine.wasm', import.meta.url));
  const module = await create({ ...output, wasmBinary: binary });
  // The pool's worker threads must not keep the process alive.
  for (const worker of module.PThread.unusedWorkers) worker.unref();
  return module;
}

async function loadNodeModule(options = {}) {
  return (await loadThreadedModule(options)) ?? loadModule(options);
}

/**
 * Decompresses gzip data with node:zlib (every member of a multi-member file):
 * the bytes, or null once they would pass `cap` (zlib stops there).
 */
function gunzip(bytes, cap) {
  return new Promise((resolve, reject) => {
    zlibGunzip(bytes, { maxOutputLength: cap }, (error, plain) => {
      if (!error) resolve(plain);
      else if (error.code === 'ERR_BUFFER_TOO_LARGE') resolve(null);
      else reject(new Error(`zlib: ${error.message}`));
    });
  });
}

/** Loads the WebAssembly engine. */
export function createEngine(options) {
  return createEngineWith(loadNodeModule, options, gunzip);
}
