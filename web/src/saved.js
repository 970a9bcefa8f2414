// Sessions the user saved on this device: IndexedDB database "callsight",
// object store "sessions", created by the first "Save" and by nothing else
// (listing never creates it). And the session being viewed: database
// "callsight-current" holds the files of the last analysis, so that a reload
// shows it again (replaced by the next files, deleted by "Forget"). Nothing
// here touches the network.
//
// A record: { id, name, tags: [string], kind: 'files' | 'report', saved_ms,
//   bytes, files?: [{ name, blob }] (kind 'files': the inputs as dropped, analyzed
//   again on opening), report?: object (kind 'report': the engine's report as
//   it was; no chart series), config?: the settings the report was made with }.
const DB = 'callsight';
const STORE = 'sessions';
const CURRENT_DB = 'callsight-current';
const CURRENT_STORE = 'files';
const CURRENT_KEY = 'current';
// Files beyond this many bytes are not kept for a reload (a fleet's folder).
const CURRENT_MAX_BYTES = 512 * 1024 * 1024;

// Whether the browser has IndexedDB at all (private modes may not).
export function savedAvailable() {
  return typeof indexedDB !== 'undefined' && indexedDB !== null;
}

// Whether the database exists, without creating it (indexedDB.databases();
// where the browser lacks it, opening is the only way to know).
async function exists(name = DB) {
  if (!savedAvailable()) return false;
  if (typeof indexedDB.databases !== 'function') return true;
  const list = await indexedDB.databases();
  return list.some((d) => d.name === name);
}

function open(name = DB) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () =>
      name === DB ? req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true }) : req.result.createObjectStore(CURRENT_STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error || new Error('the browser refused its storage'));
    req.onblocked = () => reject(new Error('the storage is busy in another tab'));
  });
}

// Runs fn(store) in one transaction; resolves with the value of the request
// fn returns once the transaction has completed.
async function withStore(mode, fn, name = DB) {
  const db = await open(name);
  const store = name === DB ? STORE : CURRENT_STORE;
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = fn(tx.objectStore(store));
      tx.oncomplete = () => resolve(req ? req.result : undefined);
      tx.onerror = () => reject(tx.error || new Error('the browser refused its storage'));
      tx.onabort = () => reject(tx.error || new Error('the browser refused its storage (full?)'));
    });
  } finally {
    db.close();
  }
}

// Tags from text: comma-separated, trimmed, each once, none empty.
export function parseTags(text) {
  return [...new Set(String(text || '').split(',').map((t) => t.trim()).filter(Boolean))];
}

// Every saved session, newest first, without the files' or report's bulk.
export async function listSaved() {
  if (!(await exists())) return [];
  const all = await withStore('readonly', (s) => s.getAll());
  return all
    .map(({ id, name, tags, kind, saved_ms, bytes, files }) => ({ id, name, tags, kind, saved_ms, bytes, fileCount: Array.isArray(files) ? files.length : 0 }))
    .sort((a, b) => b.saved_ms - a.saved_ms || b.id - a.id);
}

// One saved session, whole (null when there is none with that id).
export async function getSaved(id) {
  if (!(await exists())) return null;
  return (await withStore('readonly', (s) => s.get(id))) || null;
}

// Saves a session: `files` ([{file, name}], kept as Blobs) when kind is
// 'files', else `report`. Resolves with the new record's id.
export async function saveSession({ name, tags, kind, files, report, config }) {
  const record = { name: String(name || 'Untitled session'), tags: parseTags(Array.isArray(tags) ? tags.join(',') : tags), kind, saved_ms: Date.now(), config: config || null };
  if (kind === 'files') {
    record.files = files.map((f) => ({ name: f.name, blob: f.file }));
    record.bytes = files.reduce((n, f) => n + (f.file?.size || 0), 0);
  } else {
    record.report = report;
    record.bytes = new Blob([JSON.stringify(report)]).size;
  }
  return withStore('readwrite', (s) => s.add(record));
}

// Changes a saved session's name and/or tags.
export async function updateSaved(id, { name, tags }) {
  const record = await getSaved(id);
  if (!record) throw new Error('that saved session is gone');
  if (name !== undefined) record.name = String(name).trim() || record.name;
  if (tags !== undefined) record.tags = parseTags(Array.isArray(tags) ? tags.join(',') : tags);
  await withStore('readwrite', (s) => s.put(record));
  return record;
}

export async function deleteSaved(id) {
  if (!(await exists())) return;
  await withStore('readwrite', (s) => s.delete(id));
}

// A saved record's files as the intake's list ([{file, name}]).
export function savedFiles(record) {
  return (record.files || []).map((f) => ({ file: new File([f.blob], f.name.split('/').pop()), name: f.name }));
}

// Keeps the files of the session being viewed ([{file, name}]) for a reload,
// in place of the last ones. Resolves false when the browser refused or they
// are too big (nothing is kept then).
export async function keepCurrent(files) {
  if (!savedAvailable()) return false;
  const bytes = files.reduce((n, f) => n + (f.file?.size || 0), 0);
  try {
    if (bytes > CURRENT_MAX_BYTES) {
      await forgetCurrent();
      return false;
    }
    const record = { files: files.map((f) => ({ name: f.name, blob: f.file })), bytes, kept_ms: Date.now() };
    await withStore('readwrite', (s) => s.put(record, CURRENT_KEY), CURRENT_DB);
    return true;
  } catch {
    return false;
  }
}

// The kept files as the intake's list, or null when none are kept.
export async function keptCurrent() {
  try {
    if (!(await exists(CURRENT_DB))) return null;
    const record = await withStore('readonly', (s) => s.get(CURRENT_KEY), CURRENT_DB);
    return record && Array.isArray(record.files) && record.files.length ? savedFiles(record) : null;
  } catch {
    return null;
  }
}

// Deletes the kept files (the whole database "callsight-current").
export function forgetCurrent() {
  return new Promise((resolve) => {
    if (!savedAvailable()) return resolve();
    const req = indexedDB.deleteDatabase(CURRENT_DB);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
