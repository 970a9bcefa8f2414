// callsight: the engine in WebAssembly, the part the package's two entries share.
//
// The entries (package.json "exports" ".") are thin shells over this module and
// differ only in how they load the Emscripten module:
//   browser.js  browsers, Web Workers, bundlers, any runtime but Node (the
//               "browser" and "default" conditions): engine.js/engine.wasm, the
//               single-threaded build, loaded by loadModule() below;
//   node.js     Node (the "node" condition): the threaded build in node/, whose
//               worker threads share the heap and read files and analyze tracks
//               on every core (see wasm/CMakeLists.txt); else loadModule().
// So a browser bundle holds nothing of node/. engine.js/engine.wasm are the C++
// core with the embind binding of wasm/src/binding.cpp; this module is the
// JavaScript API behind the entries' createEngine().
//
// The engine reads plain bytes only: a file that starts as gzip data does
// (1f 8b) is decompressed here first, with the entry's decompressor (node.js:
// node:zlib; browser.js: DecompressionStream), and the report's input says
// "compression": "gzip".
import createCallsightModule from './engine.js';
import { CallsightConfigError, CallsightInputError, CallsightTableError } from './errors.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Node-only imports, by specifiers in variables: bundlers leave them alone.
const importNode = (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
/** The bytes of a file: URL (Node's fetch cannot load those). */
const readFileUrl = async (url) => (await importNode('node:fs/promises')).readFile(url);

// The glue prints nothing in normal operation; keep stray output off stdout.
export const output = {
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
};

/** Threads an instance may use: its pool of worker threads plus the caller's. */
function threadsOf(module, wanted) {
  const available = 1 + (module.PThread?.unusedWorkers.length ?? 0);
  return Math.max(1, Math.min(available, wanted ?? available));
}

/** The single-threaded build (engine.js/engine.wasm), in any runtime. */
export async function loadModule(options = {}) {
  const { wasmBinary, wasmUrl } = options;
  const moduleArgs = { ...output };
  if (wasmBinary) {
    moduleArgs.wasmBinary = wasmBinary;
  } else {
    const url = wasmUrl !== undefined
      ? new URL(wasmUrl, globalThis.location?.href)
      : new URL('./engine.wasm', import.meta.url);
    if (isNode) {
      if (url.protocol === 'file:') {
        moduleArgs.wasmBinary = await readFileUrl(url);
      } else {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`callsight: cannot load ${url}: HTTP ${response.status}`);
        moduleArgs.wasmBinary = await response.arrayBuffer();
      }
    } else {
      moduleArgs.locateFile = (path) => (path.endsWith('.wasm') ? url.href : path);
    }
  }
  return createCallsightModule(moduleArgs);
}

/**
 * An engine on the Emscripten module load(options) gives (an entry's
 * createEngine): load is called again to replace an instance that trapped.
 * gunzip(bytes, cap) is the entry's decompressor: it resolves to the
 * decompressed bytes, or to null as soon as they would be more than `cap`
 * bytes, and rejects with an Error saying what is wrong with damaged data.
 */
export async function createEngineWith(load, options = {}, gunzip = undefined) {
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError('callsight: threads must be a whole number, at least 1');
  }
  const module = await load(options);
  return new Engine(module, options, load, gunzip);
}

// -------------------------------------------------------------- gzip --

/** Whether bytes start as gzip data does (1f 8b). Strings are never gzip. */
const isGzip = (data) => data instanceof Uint8Array && data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;

// The most a compressed file may expand to, as the native CLI has it
// (core/cli/gunzip.h): the larger of 64 MiB and 200 times its size, never
// more than the largest file the engine reads.
const GUNZIP_FLOOR = 64 * 1024 * 1024;
const GUNZIP_RATIO = 200;
const gunzipCap = (compressedBytes, maxFileBytes) =>
  Math.min(Math.max(GUNZIP_FLOOR, GUNZIP_RATIO * compressedBytes), maxFileBytes);

/** "1234 bytes", or "64 MiB (67108864 bytes)" from one MiB up, as the CLI says it. */
function bytesText(n) {
  const exact = `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  if (n < 2 ** 20) return exact;
  const unit = n >= 2 ** 30 ? `${+(n / 2 ** 30).toPrecision(4)} GiB` : `${+(n / 2 ** 20).toPrecision(4)} MiB`;
  return `${unit} (${exact})`;
}

/** Why a compressed file was not decompressed, in the CLI's words where they are the same. */
function tooLargeText(compressedBytes, cap) {
  return `the gzip data expands to more than ${bytesText(cap)}, the most callsight decompresses ` +
    `from a file of ${bytesText(compressedBytes)} (the larger of ${bytesText(GUNZIP_FLOOR)} and ` +
    `${GUNZIP_RATIO} times the compressed size, and never more than the largest file the engine reads)`;
}

/**
 * The file's bytes for the engine: {data} plain (decompressed when gzip, with
 * compression 'gzip'), or {reason} when it could not be decompressed.
 */
async function plainBytes(gunzip, data, maxFileBytes) {
  if (!isGzip(data)) return { data, compression: '' };
  if (!gunzip) return { data, compression: '' };  // the engine says it must be decompressed
  const cap = gunzipCap(data.byteLength, maxFileBytes);
  let plain;
  try {
    plain = await gunzip(data, cap);
  } catch (e) {
    const why = String(e?.message ?? e).replace(/\.$/, '');
    return { compression: 'gzip', reason: `the gzip data is damaged or cut short (${why})` };
  }
  if (plain === null) return { compression: 'gzip', reason: tooLargeText(data.byteLength, cap) };
  return { data: plain, compression: 'gzip' };
}

const encoder = new TextEncoder();

/** The bytes of binary InputData; strings stay strings (encoded into the heap). */
function toBytes(data) {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);  // other views
}

/** Progress counts bytes; for strings, their length (exact for ASCII, which exports are). */
const sizeOf = (data) => (typeof data === 'string' ? data.length : data.byteLength);

/**
 * The heap's bytes, current: memory grows in calls (malloc, reading, analysis),
 * and in the threaded build on any thread, which the glue's HEAPU8 does not see.
 */
function heapU8(module) {
  return module.wasmMemory ? new Uint8Array(module.wasmMemory.buffer) : module.HEAPU8;
}

const decoder = new TextDecoder();

/** The text of UTF-8 bytes in the heap (TextDecoder takes no view of shared memory). */
function decodeHeap(bytes) {
  return decoder.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());
}

/**
 * The report of the last run. It comes in parts, each a JSON text (never whole
 * in the heap): the head, the report with its sessions' peers, breaches,
 * issues and events empty, then those lists' elements in order. Each part is
 * parsed here while the engine's other threads write the next ones.
 */
function readReport(native) {
  let report;
  let failure;
  const written = native.writeReportParts((session, list, bytes) => {
    if (failure) return;
    try {
      const value = JSON.parse(decodeHeap(bytes));
      if (session < 0) {
        report = value;
      } else {
        const into = report.sessions[session][list];
        for (const element of value) into.push(element);
      }
    } catch (e) {
      failure = e;  // thrown once the engine is done (an exception must not cross it)
    }
  });
  if (failure) throw failure;
  throwIfFailed(written);
  return report;
}

/**
 * The error for a failed status of the engine ({code, message}, code one of
 * Status::CodeId in core/include/callsight/status.h): a bad config is a
 * CallsightConfigError, anything else an Error.
 */
function errorOf({ code, message }) {
  switch (code) {
    case 'invalid_argument':
      return new CallsightConfigError(`callsight: config: ${message}`);
    case 'internal':
      return new Error(`callsight: internal: ${message}`);
    default:
      return new Error(`callsight: ${message}`);
  }
}

/** The fleet tables, in the engine's order (FleetTable in core/include/callsight/fleet.h). */
export const FLEET_TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];

/**
 * The five tables' data by table name from fleet()'s argument: an object
 * keyed by table name, or files [{name, data}] named "<table>.ndjson" (any
 * folder; ".gz" when gzip-compressed). Throws a TypeError for anything else.
 */
function tablesByName(tables) {
  const out = {};
  if (Array.isArray(tables)) {
    checkFiles(tables);
    for (const { name, data } of tables) {
      const table = /(?:^|[\\/])([a-z]+)\.ndjson(?:\.gz)?$/.exec(name)?.[1];
      if (!FLEET_TABLES.includes(table)) {
        throw new TypeError(`callsight: '${name}' is not a fleet table (${FLEET_TABLES.map((t) => `${t}.ndjson`).join(', ')})`);
      }
      if (out[table] !== undefined) throw new TypeError(`callsight: two ${table}.ndjson tables given`);
      out[table] = data;
    }
  } else if (tables && typeof tables === 'object') {
    for (const [table, data] of Object.entries(tables)) {
      if (!FLEET_TABLES.includes(table)) throw new TypeError(`callsight: '${table}' is not a fleet table`);
      if (data === undefined || data === null) continue;
      if (!(typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data))) {
        throw new TypeError(`callsight: the ${table} table must be a Uint8Array, an ArrayBuffer or a string`);
      }
      out[table] = data;
    }
  } else {
    throw new TypeError('callsight: fleet() takes the tables as [{name, data}] or {sessions, participants, ...}');
  }
  if (out.sessions === undefined) throw new TypeError('callsight: fleet() needs the sessions table (sessions.ndjson)');
  return out;
}

function throwIfFailed(status) {
  if (status.code !== 'ok') throw errorOf(status);
}

/** Copies a file into the engine's heap: [ptr, length], ptr 0 when out of memory. */
function copyIn(module, data) {
  if (typeof data === 'string') {
    // Encode straight into the heap; that works at the first try for ASCII text.
    const ptr = module._malloc(Math.max(data.length, 1)) >>> 0;
    if (ptr === 0) return [0, data.length];
    const { read, written } = encoder.encodeInto(data, heapU8(module).subarray(ptr, ptr + data.length));
    if (read === data.length) return [ptr, written];
    module._free(ptr);
    data = encoder.encode(data);  // non-ASCII: encode, then copy
  }
  const ptr = module._malloc(Math.max(data.byteLength, 1)) >>> 0;
  if (ptr !== 0) heapU8(module).set(data, ptr);  // read after malloc: memory may have grown
  return [ptr, data.byteLength];
}

function checkFiles(files) {
  if (!Array.isArray(files)) throw new TypeError('callsight: analyze() takes an array of {name, data}');
  for (const f of files) {
    if (!f || typeof f.name !== 'string') throw new TypeError('callsight: every input needs a name (string)');
    const d = f.data;
    if (!(typeof d === 'string' || d instanceof ArrayBuffer || ArrayBuffer.isView(d))) {
      throw new TypeError(`callsight: data of input '${f.name}' must be a Uint8Array, an ArrayBuffer or a string`);
    }
  }
}

function configText(config) {
  if (config === undefined || config === null) return '';
  if (typeof config === 'string') return config;
  if (typeof config === 'object') return JSON.stringify(config);
  throw new TypeError('callsight: config must be an object or a JSON string');
}

class Engine {
  #module;   // the Emscripten module; null after a trap (reloaded on the next analyze)
  #native;   // its Engine (wasm/src/binding.cpp)
  #load;     // options => a new Emscripten module
  #gunzip;   // (bytes, cap) => decompressed bytes | null (see createEngineWith)
  #options;
  #disposed = false;
  #version;
  #threads = 1;
  // The analysis running: the next waits for it (decompression awaits between
  // the native calls of one analysis, which another must not interleave).
  #running = Promise.resolve();

  constructor(module, options, load, gunzip) {
    this.#module = module;
    this.#load = load;
    this.#gunzip = gunzip;
    this.#options = { ...options };
    this.#native = this.#newNative(module);
    this.#version = module.Engine.version();
  }

  /** The engine version (the report's generator.version). */
  get version() {
    return this.#version;
  }

  /** Threads an analysis uses: 1, or more with the threaded Node build. */
  get threads() {
    return this.#threads;
  }

  async analyze(files, options = {}) {
    this.#checkLive();
    checkFiles(files);
    const config = configText(options.config);
    const onProgress = typeof options.onProgress === 'function' ? options.onProgress : () => {};
    const previous = this.#running;
    let done;
    this.#running = new Promise((resolve) => { done = resolve; });
    try {
      await previous;
      return await this.#analyzeAlone(files, config, onProgress);
    } finally {
      done();
    }
  }

  async #analyzeAlone(files, config, onProgress) {
    this.#checkLive();
    if (!this.#module) {
      // A previous call trapped: start again from a fresh instance.
      const module = await this.#load(this.#options);
      this.#checkLive();
      this.#module = module;
      this.#native = this.#newNative(module);
    }
    const module = this.#module;
    const native = this.#native;
    try {
      return await this.#analyze(module, native, files, config, onProgress);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        // An abort or trap: this instance may be inconsistent, drop it (and
        // its worker threads, in the threaded build).
        this.#module.PThread?.terminateAllThreads();
        this.#module = null;
        this.#native = null;
        throw new Error(`callsight: the engine failed (${e.message}); it is reloaded on the next analyze`, { cause: e });
      }
      try {
        native.abandon();  // drop the files read so far; keep the last results
      } catch {
        // keep the original error
      }
      throw e;
    }
  }

  async #analyze(module, native, files, config, onProgress) {
    native.begin();
    if (config) throwIfFailed(native.checkConfig(config));
    const inputs = files.map((f) => ({ name: f.name, data: toBytes(f.data) }));
    const sizes = inputs.map((f) => sizeOf(f.data));
    const filesTotal = inputs.length;
    const bytesTotal = sizes.reduce((a, b) => a + b, 0);
    const maxFileBytes = module.Engine.maxFileBytes();
    let bytesDone = 0;
    for (const [i, { name, data: given }] of inputs.entries()) {
      const progress = { file: name, filesDone: i, filesTotal, bytesDone, bytesTotal };
      onProgress({ phase: 'reading', ...progress });
      const { data, compression, reason } = sizes[i] > maxFileBytes
        ? { data: given, compression: '' }  // rejected by its size below, not decompressed
        : await plainBytes(this.#gunzip, given, maxFileBytes);
      this.#checkLive();  // disposed while decompressing
      if (reason !== undefined) {
        throwIfFailed(native.addUnread(name, sizes[i], reason, compression));
        bytesDone += sizes[i];
        continue;
      }
      const size = sizeOf(data);
      // A file over the limit is not copied: the engine rejects it by its size.
      const [ptr, len] = size > maxFileBytes ? [0, size] : copyIn(module, data);
      if (ptr === 0 && len <= maxFileBytes) {
        throw new Error(`callsight: out of memory reading '${name}' (${len} bytes)`);
      }
      onProgress({ phase: 'parsing', ...progress });
      throwIfFailed(native.addFile(name, ptr, Math.min(len, 0xffffffff), compression));  // frees ptr
      bytesDone += sizes[i];
    }
    onProgress({ phase: 'analyzing', filesDone: filesTotal, filesTotal, bytesDone, bytesTotal });
    throwIfFailed(native.run(config));
    const report = readReport(native);
    onProgress({ phase: 'done', filesDone: filesTotal, filesTotal, bytesDone, bytesTotal });
    if (report.inputs.some((i) => i.status === 'rejected')) {
      const messages = report.inputs
        .filter((i) => i.status !== 'ok')
        .flatMap((i) => i.messages.map((m) => m.message));
      throw new CallsightInputError(messages, report);
    }
    return report;
  }

  series(sessionId, peerId, trackKey, metric, opts = {}) {
    this.#checkLive();
    const maxPoints = opts.maxPoints ?? Infinity;
    if (!(maxPoints >= 2)) throw new RangeError('callsight: maxPoints must be at least 2');
    if (!this.#native) throw new Error('callsight: no analysis: the last analyze failed');
    const args = [sessionId, peerId, trackKey, metric];
    if (!args.every((a) => typeof a === 'string')) {
      throw new TypeError('callsight: series(sessionId, peerId, trackKey, metric) takes strings');
    }
    const out = this.#native.series(...args, Math.floor(Math.min(maxPoints, 1e9)));
    if (out.code) throw errorOf(out);
    return out;
  }

  /**
   * The fleet tables' rows of the last analysis (the rows `callsight analyze
   * --tables` writes for the same files): {sessions, participants, issues,
   * breaches, errors}, each that table's NDJSON text (one JSON object a line).
   */
  tableRows() {
    this.#checkLive();
    if (!this.#native) throw new Error('callsight: no analysis: the last analyze failed');
    const out = this.#native.tableRows();
    if (out.code) throw errorOf(out);
    return out;
  }

  /**
   * The fleet summary of the tables (the JSON of `callsight fleet --format
   * json`, parsed): tables as files [{name, data}] named "<table>.ndjson" or
   * as {sessions, participants, issues, breaches, errors}; sessions is
   * required, a missing other table has no rows. options.since ("YYYY-MM-DD")
   * keeps the sessions that started that day or later. A bad row or since
   * throws a CallsightTableError. Independent of analyze(): it may run
   * between two analyses and keeps their results.
   */
  async fleet(tables, options = {}) {
    this.#checkLive();
    const byName = tablesByName(tables);
    const since = options.since ?? '';
    if (typeof since !== 'string') throw new TypeError('callsight: since must be a string, "YYYY-MM-DD"');
    const previous = this.#running;
    let done;
    this.#running = new Promise((resolve) => { done = resolve; });
    try {
      await previous;
      return await this.#fleetAlone(byName, since);
    } finally {
      done();
    }
  }

  async #fleetAlone(byName, since) {
    const plain = {};
    for (const table of FLEET_TABLES) {
      const given = byName[table];
      if (given === undefined) continue;
      const { data, reason } = await plainBytes(this.#gunzip, toBytes(given), Infinity);
      if (reason !== undefined) throw new CallsightTableError(`callsight: ${table}.ndjson: ${reason}`);
      plain[table] = data;
    }
    this.#checkLive();
    if (!this.#module) throw new Error('callsight: the engine failed; analyze() reloads it');
    const module = this.#module;
    const pairs = FLEET_TABLES.map(() => [0, 0]);
    try {
      for (const [i, table] of FLEET_TABLES.entries()) {
        if (plain[table] === undefined) continue;
        pairs[i] = copyIn(module, plain[table]);
        if (pairs[i][0] === 0) throw new Error(`callsight: out of memory reading the ${table} table`);
      }
    } catch (e) {
      for (const [ptr] of pairs) if (ptr) module._free(ptr);
      throw e;
    }
    const out = module.Engine.fleet(pairs, since);  // frees every pointer
    if (out.code === 'invalid_argument') throw new CallsightTableError(`callsight: ${out.message}`);
    throwIfFailed(out);
    return JSON.parse(out.json);
  }

  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#native?.delete();
    this.#module?.PThread?.terminateAllThreads();
    this.#native = null;
    this.#module = null;
  }

  #newNative(module) {
    this.#threads = threadsOf(module, this.#options.threads);
    return new module.Engine(this.#threads);
  }

  #checkLive() {
    if (this.#disposed) throw new Error('callsight: the engine was disposed');
  }
}
