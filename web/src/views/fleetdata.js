// What the Fleet view shows and how it gets it: dropped files are either the
// fleet tables (sessions.ndjson, participants.ndjson, ... as `callsight
// analyze --tables` writes them), summarized by the engine at once, or a
// folder of many sessions, each session folder analyzed alone in the worker
// (only its table rows are kept, so the page holds one session's analysis at a
// time plus the rows), then summarized from those rows. The engine computes
// the summary (`engine.fleet()`, the JSON of `callsight fleet --format json`);
// nothing here counts anything of it.
import { arr } from '../report.js';

const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];
const TABLE_FILE = /^(sessions|participants|issues|breaches|errors)\.ndjson(\.gz)?$/;

// A drop of files in at least this many folders is a fleet of sessions; fewer
// are analyzed together, one report with a session picker, as before.
export const FLEET_MIN_FOLDERS = 3;

const baseName = (name) => String(name).split('/').pop();
const folderOf = (name) => {
  const s = String(name);
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : s.slice(0, i);
};

// Whether the files ([{file, name}]) are fleet tables: each named
// "<table>.ndjson" (or .ndjson.gz), sessions.ndjson among them.
export function isTableDrop(list) {
  return list.length > 0 && list.every((x) => TABLE_FILE.test(baseName(x.name))) && list.some((x) => /^sessions\./.test(baseName(x.name)));
}

// The files grouped by the folder that holds them ([{folder, files}], in
// the drop's order), or null when they lie in fewer than FLEET_MIN_FOLDERS
// folders (one session's export, or a few analyzed together).
export function sessionFolders(list) {
  const byFolder = new Map();
  for (const x of list) {
    const f = folderOf(x.name);
    if (!byFolder.has(f)) byFolder.set(f, []);
    byFolder.get(f).push(x);
  }
  if (byFolder.size < FLEET_MIN_FOLDERS) return null;
  return [...byFolder].map(([folder, files]) => ({ folder, files }));
}

// Groups (indexes) that share a session id, as connected components: a
// session whose files lie in several folders is analyzed from all of them.
function componentsOf(idsByGroup) {
  const parent = idsByGroup.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map();
  idsByGroup.forEach((ids, i) => {
    for (const id of ids) {
      if (owner.has(id)) parent[find(i)] = find(owner.get(id));
      else owner.set(id, i);
    }
  });
  const comps = new Map();
  idsByGroup.forEach((_, i) => {
    const r = find(i);
    if (!comps.has(r)) comps.set(r, []);
    comps.get(r).push(i);
  });
  return [...comps.values()];
}

// Analyzes one group's files in the worker: {ids, rows} (rows: the tables'
// NDJSON text of its sessions), or {ids: [], reason} when it gave none.
async function analyzeGroup(run, files) {
  let report;
  try {
    report = await run.analyze(files);
  } catch (e) {
    if (!run.isRejection(e) || !e.report) return { ids: [], reason: e?.message || String(e) };
    report = e.report; // some files rejected: the others' sessions still count
  }
  const ids = arr(report?.sessions).map((s) => s.session_id);
  if (!ids.length) return { ids, reason: 'no session in these files' };
  return { ids, rows: await run.client().tableRows() };
}

// Runs the folders one at a time (then again, together, the folders that
// share a session): {groups, rows, skipped}. run: {analyze(files), client(),
// isRejection(e), progress(text, done, total)}.
async function analyzeFolders(folders, run) {
  const results = [];
  for (const [i, g] of folders.entries()) {
    run.progress(`Analyzing session folder ${i + 1} of ${folders.length}: ${g.folder || '(top folder)'}`, i, folders.length);
    results.push(await analyzeGroup(run, g.files));
  }
  const groups = [];
  for (const comp of componentsOf(results.map((r) => r.ids))) {
    const files = comp.flatMap((i) => folders[i].files);
    const folder = comp.map((i) => folders[i].folder || '(top folder)').join(', ');
    let result = results[comp[0]];
    if (comp.length > 1) {
      run.progress(`Analyzing a session spread over ${comp.length} folders: ${folder}`);
      result = await analyzeGroup(run, files);
    }
    groups.push({ folder, files, ...result });
  }
  return groups;
}

// The rows of the groups as the five tables' texts.
function joinRows(groups) {
  const out = {};
  for (const t of TABLES) out[t] = groups.map((g) => g.rows?.[t] || '').join('');
  return out;
}

// A folder of sessions: {summary, source: 'folders', groups, sessionGroup,
// skipped}, or null when it held fewer than two sessions (then it is analyzed
// as one drop). sessionGroup maps a session id to its group's files.
export async function fleetOfFolders(folders, run) {
  const groups = await analyzeFolders(folders, run);
  const withRows = groups.filter((g) => g.rows);
  const sessions = new Set(withRows.flatMap((g) => g.ids));
  if (sessions.size < 2) return null;
  run.progress('Summarizing the fleet…');
  const summary = await run.client().fleet(joinRows(withRows));
  const sessionGroup = new Map();
  for (const g of withRows) for (const id of g.ids) sessionGroup.set(id, g.files);
  const skipped = groups.filter((g) => !g.rows).map((g) => ({ folder: g.folder, reason: g.reason }));
  return { summary, source: 'folders', folders: folders.length, sessionGroup, skipped };
}

// Fleet tables: {summary, source: 'tables', names}. inputs: [{name, data}] read.
export async function fleetOfTables(inputs, run) {
  run.progress('Summarizing the fleet tables…');
  const names = inputs.map((x) => baseName(x.name));
  const summary = await run.client().fleet(inputs.map((x) => ({ name: baseName(x.name), data: x.data })));
  return { summary, source: 'tables', names, sessionGroup: new Map(), skipped: [] };
}
