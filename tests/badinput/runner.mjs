// Shared plumbing of the bad-input suites: writing variants to disk, a pool for
// concurrent runs, per-category test bodies that collect failures and keep known
// engine bugs as `todo` subtests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { knownBug } from './badinput.mjs';

/** Writes every file of every variant under dir/<variant id>/; returns Map(variant id -> [paths]). */
export function writeVariants(variants, dir) {
  const out = new Map();
  for (const v of variants) {
    const vdir = path.join(dir, v.id);
    fs.mkdirSync(vdir, { recursive: true });
    out.set(v.id, v.files.map((f) => {
      const p = path.join(vdir, f.name);
      fs.writeFileSync(p, f.data);
      return p;
    }));
  }
  return out;
}

/** Runs fn over items with at most `limit` in flight; resolves with the results in order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const PARALLEL = Math.max(2, Math.min(8, (os.availableParallelism?.() ?? os.cpus().length)));

/**
 * The body of one category's test: checks every variant with `check(v, i)` (which
 * resolves with a list of problems), fails with the first few, and runs the
 * variants of a known engine bug as `todo` subtests (reported, not failing).
 */
export async function checkCategory(t, variants, check, { limit = PARALLEL, indexOf = (v) => 0 } = {}) {
  const bugs = variants.filter((v) => knownBug(v));
  const plain = variants.filter((v) => !knownBug(v));
  const results = await pool(plain, limit, async (v) => ({ v, problems: await check(v, indexOf(v)) }));
  // One todo subtest per known bug: fails (without failing the suite) while the bug is there.
  const groups = new Map();
  for (const v of bugs) {
    const bug = knownBug(v);
    if (!groups.has(bug)) groups.set(bug, []);
    groups.get(bug).push(v);
  }
  for (const [bug, vs] of groups) {
    await t.test(`${bug.id}: ${vs.length} variant(s), repro ${bug.repro}`, { todo: bug.todo }, async () => {
      const results = await pool(vs, limit, async (v) => ({ v, problems: await check(v, indexOf(v)) }));
      const failed = results.filter((r) => r.problems.length);
      if (failed.length) {
        throw new Error(`${failed.length} of ${vs.length} still fail:\n${failed.map((r) => `- ${r.v.id}: ${r.problems.slice(0, 2).join(' / ')}`).join('\n')}`);
      }
    });
  }
  // Outcomes (problems.outcome: 'rejected' | 'accepted'), to show the suite is not vacuous.
  const outcomes = {};
  for (const r of results) if (r.problems.outcome) outcomes[r.problems.outcome] = (outcomes[r.problems.outcome] ?? 0) + 1;
  const failed = results.filter((r) => r.problems.length);
  if (failed.length) {
    const lines = failed.slice(0, 12).map((r) => `- ${r.v.id} (${r.v.note}):\n    ${r.problems.slice(0, 4).join('\n    ')}`);
    throw new Error(`${failed.length} of ${variants.length} variants failed:\n${lines.join('\n')}${failed.length > 12 ? '\n…' : ''}`);
  }
  const seen = Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(', ');
  t.diagnostic(`${plain.length} variants clean${seen ? ` (${seen})` : ''}${bugs.length ? `, ${bugs.length} known engine bug(s) as todo` : ''}`);
}

/** Groups variants by category, in first-seen order. */
export function byCategory(variants) {
  const m = new Map();
  for (const v of variants) {
    if (!m.has(v.category)) m.set(v.category, []);
    m.get(v.category).push(v);
  }
  return m;
}
