// The peak wasm heap, seen from outside the package. The package does not
// expose its WebAssembly.Memory, so the benchmark wraps the two standard calls
// the Emscripten glue makes, WebAssembly.instantiate and instantiateStreaming,
// and keeps every Memory the instances export, or import (the threaded Node
// build creates its shared Memory in JavaScript), in globalThis.__benchMemories.
// A Memory never shrinks: its byteLength after an analysis is that analysis's
// peak (the initial heap included).
//
// keepWasmMemories is self-contained on purpose: bench/browser.mjs hands it to
// playwright's Worker.evaluate (it runs in the dashboard's Worker), and
// bench/engine-node.mjs calls it in Node before importing the package.

/** Installs the wrap once per realm; returns the (live) list of Memories. */
export function keepWasmMemories() {
  const g = globalThis;
  if (g.__benchMemories) return g.__benchMemories;
  const memories = [];
  g.__benchMemories = memories;
  for (const fn of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[fn];
    if (typeof orig !== 'function') continue;
    WebAssembly[fn] = async function (...args) {
      const result = await orig.apply(this, args);
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      const imported = Object.values(args[1] ?? {}).flatMap((m) => Object.values(m ?? {}));
      for (const v of [...Object.values(instance?.exports ?? {}), ...imported]) {
        if (v instanceof WebAssembly.Memory && !memories.includes(v)) memories.push(v);
      }
      return result;
    };
  }
  return memories;
}
