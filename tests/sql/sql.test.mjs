// docs/TABLES.md's DDL and summary queries, run on a real DuckDB and a real
// ClickHouse 18.16 over the tables of a generated fleet, answer what
// `callsight fleet --format json` answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TABLE_NAMES, readDocSql, withSince } from './doc.mjs';
import { BREAKDOWN_DIMENSIONS, EXPECTED, compareRows } from './expected.mjs';
import { clickhouseEngine, openClickHouse, openDuckDB } from './engines.mjs';

const CLI = process.env.CALLSIGHT_CLI || path.join(ROOT, 'build/native/callsight');
const SESSIONS = 300;
const SEED = 22;
const doc = readDocSql();
const timings = {};

let work;  // temporary folder: fleet/, tables/, bad-<n>/
let summary;
let sinceDay;  // the fleet's fourth day, and the summary from it on
let summarySince;

function timed(name, fn) {
  const t = performance.now();
  const result = fn();
  timings[name] = Math.round(performance.now() - t);
  return result;
}

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: build it first (scripts/build)`);
  work = mkdtempSync(path.join(os.tmpdir(), 'callsight-sql-'));
  const fleet = path.join(work, 'fleet');
  const tables = path.join(work, 'tables');
  timed('generate_ms', () =>
    execFileSync('node', [path.join(ROOT, 'scripts/gen/fleet.mjs'), '--sessions', `${SESSIONS}`, '--seed', `${SEED}`, '--out', fleet], { stdio: 'ignore' }),
  );
  timed('tables_ms', () => execFileSync(CLI, ['analyze', '--tables', tables, path.join(fleet, 'sessions')], { stdio: 'ignore' }));
  summary = JSON.parse(timed('fleet_ms', () => execFileSync(CLI, ['fleet', tables, '--format', 'json'], { encoding: 'utf8' })));
  assert.equal(summary.sessions, SESSIONS);
  sinceDay = summary.days[3].day;
  summarySince = JSON.parse(execFileSync(CLI, ['fleet', tables, '--since', sinceDay, '--format', 'json'], { encoding: 'utf8' }));
  assert.ok(summarySince.sessions > 0 && summarySince.sessions < SESSIONS, `--since ${sinceDay} keeps ${summarySince.sessions} sessions`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  console.log(`timings (ms): ${JSON.stringify(timings)}`);
});

// Copies of the tables with one bad participants row, each of which the load
// must refuse naming the row: an integer column holding text (the engine's
// DDL refuses it), and a column the DDL does not have.
const BAD_ROWS = {
  'text in an integer column': (row) => ({ ...row, issue_count: 'several' }),
  'a column the DDL does not have': (row) => ({ ...row, several: 1 }),
};

function tablesWithBadRow(kind) {
  const bad = path.join(work, `bad-${Object.keys(BAD_ROWS).indexOf(kind)}`);
  mkdirSync(bad, { recursive: true });
  for (const t of TABLE_NAMES) copyFileSync(path.join(work, 'tables', `${t}.ndjson`), path.join(bad, `${t}.ndjson`));
  const file = path.join(bad, 'participants.ndjson');
  const rows = readFileSync(file, 'utf8').split('\n');
  const row = BAD_ROWS[kind](JSON.parse(rows[5]));
  rows[5] = JSON.stringify(row);
  writeFileSync(file, rows.join('\n'));
  return { dir: bad, line: 6, peer: row.peer_id };
}

function assertNamesBadRow(error, bad) {
  assert.match(error.message, /participants\.ndjson/);
  assert.match(error.message, new RegExp(`line ${bad.line}: .*"peer_id":"${bad.peer}".*"?several`));
  return true;
}

test('docs/TABLES.md: both DDL blocks and a check for every query', () => {
  assert.ok(doc.ddl.duckdb, 'no <!-- sql:duckdb:ddl --> block');
  assert.ok(doc.ddl.clickhouse, 'no <!-- sql:clickhouse:ddl --> block');
  assert.deepEqual([...doc.queries.keys()].sort(), Object.keys(EXPECTED).sort(), 'the doc queries and the checks differ');
  assert.ok(doc.since.sessions && doc.since.other, 'no <!-- sql:since sessions --> or <!-- sql:since other --> block');
});

// The doc's queries (`breakdown` once per dimension) on `engineRef.engine`,
// over all the sessions and, through the doc's --since subqueries, over those
// of SINCE_DAY and later.
function queryTests(engineRef) {
  for (const filtered of [false, true]) {
    for (const name of doc.queries.keys()) {
      const variants = name === 'breakdown' ? BREAKDOWN_DIMENSIONS : [null];
      for (const dimension of variants) {
        const label = `${name}${dimension ? ` (${dimension})` : ''}${filtered ? ' --since' : ''}`;
        test(`query ${label}`, async () => {
          let sql = doc.queries.get(name);
          if (dimension) sql = sql.replace(/\bbrowser\b/g, dimension);
          if (filtered) sql = withSince(sql, doc.since, sinceDay);
          let rows;
          const t = performance.now();
          try {
            rows = await engineRef.engine.rows(sql);
            engineRef.queries_ms = (engineRef.queries_ms ?? 0) + (performance.now() - t);
          } catch (e) {
            assert.fail(`${engineRef.engine.name} fails query ${label}: ${e.message}\n${sql}`);
          }
          const want = EXPECTED[name](filtered ? summarySince : summary, dimension);
          compareRows(`${engineRef.engine.name} query ${label}${filtered ? ` ${sinceDay}` : ''}`, rows, want);
        });
      }
    }
  }
}

describe('DuckDB', () => {
  const ref = {};
  before(async () => {
    ref.engine = await openDuckDB(doc.ddl.duckdb);
    const t = performance.now();
    await ref.engine.load(path.join(work, 'tables'));
    timings.duckdb_load_ms = Math.round(performance.now() - t);
  });
  after(() => {
    timings.duckdb_queries_ms = Math.round(ref.queries_ms ?? 0);
    ref.engine?.close();
  });
  test('the version docs/TABLES.md names', async () => {
    const [{ v }] = await ref.engine.rows('SELECT version() AS v');
    assert.ok(doc.text.includes(`DuckDB ${v.replace(/^v/, '')} (`), `docs/TABLES.md does not say it was tested on DuckDB ${v}`);
  });
  queryTests(ref);
  for (const kind of Object.keys(BAD_ROWS)) {
    test(`a row with ${kind} fails the load, named`, async () => {
      const bad = tablesWithBadRow(kind);
      const other = await openDuckDB(doc.ddl.duckdb);
      await assert.rejects(other.load(bad.dir), (e) => assertNamesBadRow(e, bad));
      other.close();
    });
  }
});

describe('ClickHouse 18.16', () => {
  const ref = {};
  const chTimings = {};
  before(async () => {
    ref.engine = await openClickHouse(doc.ddl.clickhouse, chTimings);
    await ref.engine.load(path.join(work, 'tables'));
  });
  after(async () => {
    chTimings.queries_ms = Math.round(ref.queries_ms ?? 0);
    for (const [k, v] of Object.entries(chTimings)) timings[`clickhouse_${k}`] = v;
    if (ref.engine) {
      const t = performance.now();
      await ref.engine.close();
      timings.clickhouse_stop_ms = Math.round(performance.now() - t);
    }
  });
  test('the server is 18.16 or later, the version docs/TABLES.md names', async () => {
    const [{ v }] = await ref.engine.rows('SELECT version() AS v');
    const [major, minor] = v.split('.').map(Number);
    assert.ok(major > 18 || (major === 18 && minor >= 16), `ClickHouse ${v}`);
    assert.ok(doc.text.includes(`ClickHouse ${v} (`), `docs/TABLES.md does not say it was tested on ClickHouse ${v}`);
  });
  queryTests(ref);
  Object.keys(BAD_ROWS).forEach((kind, index) => {
    test(`a row with ${kind} fails the load, named`, async () => {
      const bad = tablesWithBadRow(kind);
      await ref.engine.server.query(`CREATE DATABASE bad${index}`);
      // The same loader and DDL, on the tables of another database.
      const engine = clickhouseEngine(ref.engine.server, doc.ddl.clickhouse, `bad${index}`);
      await assert.rejects(engine.load(bad.dir), (e) => assertNamesBadRow(e, bad));
    });
  });
});
