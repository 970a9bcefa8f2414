// Reads the SQL of docs/TABLES.md: each ```sql block preceded by a marker
// comment `<!-- sql:KIND [NAME] ... -->` (KIND `duckdb:ddl`,
// `clickhouse:ddl` or `query`), so the tests run exactly what the doc shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TABLES_DOC = path.join(ROOT, 'docs/TABLES.md');
export const TABLE_NAMES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];

const MARKED_BLOCK = /<!-- sql:([a-z:]+)(?: ([a-z_]+))?[^>]*-->\s*\n```sql\n([\s\S]*?)\n```/g;

// { ddl: { duckdb: text, clickhouse: text }, queries: Map(name -> text),
//   since: { sessions: text, other: text }, text: the whole doc }.
export function readDocSql(file = TABLES_DOC) {
  const text = readFileSync(file, 'utf8');
  const ddl = {};
  const since = {};
  const queries = new Map();
  for (const [, kind, name, sql] of text.matchAll(MARKED_BLOCK)) {
    if (kind === 'since') {
      since[name] = sql;
    } else if (kind === 'query') {
      if (!name) throw new Error(`${file}: a sql:query marker without a name`);
      if (queries.has(name)) throw new Error(`${file}: two queries named ${name}`);
      queries.set(name, sql);
    } else {
      const engine = kind.replace(/:ddl$/, '');
      if (ddl[engine]) throw new Error(`${file}: two ${kind} blocks`);
      ddl[engine] = sql;
    }
  }
  return { ddl, queries, since, text };
}

// `sql` with each `FROM <table>` replaced by the doc's --since subquery for
// `day` (its `FROM sessions` block for sessions, the other block, with its
// table name replaced, for the others).
export function withSince(sql, since, day) {
  const tables = TABLE_NAMES.join('|');
  return sql.replace(new RegExp(`\\bFROM (${tables})\\b`, 'g'), (_, table) => {
    const block = table === 'sessions' ? since.sessions : since.other.replace(/\bparticipants\b/g, table);
    return block.replace(/'DAY'/g, `'${day}'`);
  });
}

// The statements of a block, without their `;` (no `;` inside strings in
// these blocks).
export function statements(sql) {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// The table a CREATE TABLE statement creates.
export function createdTable(statement) {
  const m = /^CREATE TABLE (\w+)/.exec(statement);
  return m ? m[1] : null;
}
