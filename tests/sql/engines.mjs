// DuckDB (in memory) and ClickHouse (a server of its own) behind one shape:
//   load(tablesDir)  creates the tables with the doc's DDL and loads every row;
//                    a row an engine rejects fails it, with the row named
//   rows(sql)        the answer as objects
//   close()
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startClickHouse } from '../../scripts/lib/clickhouse.mjs';
import { TABLE_NAMES, createdTable, statements } from './doc.mjs';

function lines(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

function checkTables(ddl, engine) {
  const created = statements(ddl).map(createdTable);
  if (created.join() !== TABLE_NAMES.join()) {
    throw new Error(`the ${engine} DDL creates ${created.join(', ')}, not ${TABLE_NAMES.join(', ')}`);
  }
}

// Every row names the columns of the table's DDL, in its order (DuckDB's
// read_json reads a missing column as null and drops an unknown one; a
// ClickHouse insert fills a missing one with its default).
function checkRowColumns(engine, table, columns, all) {
  const want = JSON.stringify(columns);
  all.forEach((line, i) => {
    const got = JSON.stringify(Object.keys(JSON.parse(line)));
    if (got !== want) {
      throw new Error(`${engine}: ${table}.ndjson line ${i + 1}: ${line}\n  has the columns ${got}, the DDL ${want}`);
    }
  });
}

// ------------------------------------------------------------------ DuckDB --

export async function openDuckDB(ddl) {
  checkTables(ddl, 'DuckDB');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const rows = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson();

  // The doc's statement reads 'tables/<table>.ndjson'; this reads `file`.
  const reading = (statement, file) => statement.replace(/'tables\/\w+\.ndjson'/, `'${file}'`);

  // The first row of `file` that the statement's read_json rejects alone.
  async function firstRejectedRow(statement, file) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'callsight-duckdb-row-'));
    try {
      const select = statement.replace(/^CREATE TABLE \w+ AS /, '');
      const all = lines(file);
      for (let i = 0; i < all.length; ++i) {
        const one = path.join(scratch, 'row.ndjson');
        writeFileSync(one, `${all[i]}\n`);
        try {
          await rows(reading(select, one));  // every column, so each is cast
        } catch (e) {
          return `line ${i + 1}: ${all[i]}\n  DuckDB: ${e.message}`;
        }
      }
      return '(no single row is rejected)';
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  async function load(tablesDir) {
    for (const statement of statements(ddl)) {
      const table = createdTable(statement);
      const file = path.join(tablesDir, `${table}.ndjson`);
      try {
        await connection.run(reading(statement, file));
      } catch (e) {
        throw new Error(`DuckDB rejects ${table}.ndjson: ${e.message}\n  ${await firstRejectedRow(statement, file)}`);
      }
      const all = lines(file);
      const columns = (await rows(`DESCRIBE ${table}`)).map((c) => c.column_name);
      checkRowColumns('DuckDB', table, columns, all);
      const [{ n }] = await rows(`SELECT count(*) AS n FROM ${table}`);
      if (Number(n) !== all.length) throw new Error(`DuckDB loaded ${n} rows of ${table}.ndjson, it has ${all.length}`);
    }
  }

  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  return { name: 'DuckDB', load, rows, close };
}

// -------------------------------------------------------------- ClickHouse --

// Starts a server of its own; close() stops it and removes its folder.
export async function openClickHouse(ddl, timings = {}) {
  const t = performance.now();
  const server = await startClickHouse();
  timings.start_ms = Math.round(performance.now() - t);
  const engine = clickhouseEngine(server, ddl, 'default', timings);
  return { ...engine, close: () => server.stop() };
}

// The tables of `database` (which must exist) on a running `server`.
export function clickhouseEngine(server, ddl, database, timings = {}) {
  checkTables(ddl, 'ClickHouse');
  const query = (sql, body, settings = {}) => server.query(sql, body, { database, ...settings });
  const settings = { output_format_json_quote_64bit_integers: '0' };
  const rows = async (sql) => {
    const text = await query(`${sql.trim().replace(/;$/, '')} FORMAT JSONEachRow`, '', settings);
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  };

  // The first row of `table` that ClickHouse rejects alone (the table has the
  // rows before it in it then: only called on the way to a failure).
  async function firstRejectedRow(table, all) {
    for (let i = 0; i < all.length; ++i) {
      try {
        await query(`INSERT INTO ${table} FORMAT JSONEachRow`, `${all[i]}\n`);
      } catch (e) {
        return `line ${i + 1}: ${all[i]}\n  ${e.message}`;
      }
    }
    return '(no single row is rejected)';
  }

  async function load(tablesDir) {
    const t = performance.now();
    for (const statement of statements(ddl)) await query(statement);
    for (const table of TABLE_NAMES) {
      const file = path.join(tablesDir, `${table}.ndjson`);
      const all = lines(file);
      checkRowColumns('ClickHouse', table, (await rows(`DESCRIBE TABLE ${table}`)).map((c) => c.name), all);
      try {
        await query(`INSERT INTO ${table} FORMAT JSONEachRow`, readFileSync(file));
      } catch (e) {
        throw new Error(`ClickHouse rejects ${table}.ndjson: ${e.message}\n  ${await firstRejectedRow(table, all)}`);
      }
      const [{ n }] = await rows(`SELECT count(*) AS n FROM ${table}`);
      if (Number(n) !== all.length) throw new Error(`ClickHouse loaded ${n} rows of ${table}.ndjson, it has ${all.length}`);
    }
    timings.load_ms = Math.round(performance.now() - t);
  }

  return { name: 'ClickHouse', load, rows, server, close: async () => {} };
}
