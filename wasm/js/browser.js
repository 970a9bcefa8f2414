// callsight: the engine in WebAssembly, for browsers, Web Workers and bundlers
// (the package's "browser" and "default" entry; Node gets node.js).
//
//   import { createEngine } from 'callsight';
//   const engine = await createEngine();
//   const report = await engine.analyze([{ name: 'peer-stats.json', data: bytes }]);
//
// The single-threaded build (engine.js/engine.wasm): this entry and what it
// imports name no file of node/, so bundles hold only what browsers run.
import { createEngineWith, loadModule } from './index.js';

export { CallsightConfigError, CallsightInputError } from './errors.js';
export { createWorkerClient } from './client.js';

/** Loads the WebAssembly engine. */
export function createEngine(options) {
  return createEngineWith(loadModule, options);
}
