// callsight: the engine in WebAssembly, for browsers, Web Workers and bundlers
// (the package's "browser" and "default" entry; Node gets node.js).
//
//   import { createEngine } from 'callsight';
//   const engine = await createEngine();
//   const report = await engine.analyze([{ name: 'peer-stats.json', data: bytes }]);
//
// The single-threaded build (engine.js/engine.wasm): this entry and what it
// imports name no file of node/, so bundles hold only what browsers run. Gzip
// files are decompressed with the runtime's DecompressionStream.
import { createEngineWith, loadModule } from './index.js';

export { CallsightConfigError, CallsightInputError, CallsightTableError } from './errors.js';
export { createWorkerClient } from './client.js';

// Compressed input goes into the DecompressionStream this many bytes at a
// time, as the stream asks for it: a chunk gives at most about 1000 times its
// size (deflate's limit), so a crafted file never fills memory past the cap.
const INPUT_CHUNK = 16 * 1024;

/**
 * Decompresses gzip data with the runtime's DecompressionStream, read in
 * chunks: the bytes, or null (and the stream cancelled) once they would pass
 * `cap`.
 */
async function gunzip(bytes, cap) {
  let offset = 0;
  const input = new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + INPUT_CHUNK));
      offset += INPUT_CHUNK;
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const plain = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    plain.set(chunk, at);
    at += chunk.byteLength;
  }
  return plain;
}

/** Loads the WebAssembly engine. */
export function createEngine(options) {
  return createEngineWith(loadModule, options, gunzip);
}
