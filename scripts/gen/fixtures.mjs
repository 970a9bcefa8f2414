#!/usr/bin/env node
// Write every test scenario to OUTDIR/<scenario>/{input/,truth.json}.
//   node scripts/gen/fixtures.mjs [--detections] OUTDIR [SCENARIO...]
// --detections also writes DETECTION_SCENARIOS, and every truth then expects (not only
// allows) the provisional codes of issue 19 item 6 (today this moves `rejoins`'
// repeated_rejoins from allowed_issues to expected_issues).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DETECTION_SCENARIOS, FIXTURE_SCENARIOS, scenarioSpec, streamSession, writeSession } from './lib.mjs';

/**
 * Write the given scenarios (default: all fixtures; with detections, the detection scenarios too).
 * Returns [{name, dir, files, bytes, ms, truth}].
 */
export function writeFixtures(outDir, names = null, { detections = false } = {}) {
  const list = names ?? (detections ? [...FIXTURE_SCENARIOS, ...DETECTION_SCENARIOS] : FIXTURE_SCENARIOS);
  const out = [];
  for (const name of list) {
    const t0 = performance.now();
    const dir = path.join(outDir, name);
    const result = streamSession(scenarioSpec(name, { detections }));
    const written = writeSession(dir, result);
    const bytes = written.filter((w) => !w.name.startsWith('..')).reduce((a, w) => a + w.bytes, 0);
    out.push({ name, dir, files: written.length - 1, bytes, ms: performance.now() - t0, truth: result.truth });
  }
  return out;
}

function main() {
  const all = process.argv.slice(2);
  const detections = all.includes('--detections');
  const args = all.filter((a) => a !== '--detections');
  if (!args.length || args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(`usage: node scripts/gen/fixtures.mjs [--detections] OUTDIR [SCENARIO...]\n\n` +
      `scenarios: ${FIXTURE_SCENARIOS.join(', ')}\n` +
      `--detections: also ${DETECTION_SCENARIOS.join(', ')}; every truth expects the issue 19 item 6 codes\n`);
    return args.length ? 0 : 2;
  }
  const [outDir, ...names] = args;
  const known = detections ? [...FIXTURE_SCENARIOS, ...DETECTION_SCENARIOS] : FIXTURE_SCENARIOS;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    const hint = unknown.some((n) => DETECTION_SCENARIOS.includes(n)) ? ' (detection scenarios need --detections)' : '';
    process.stderr.write(`fixtures: unknown scenario(s) ${unknown.join(', ')}${hint}\n`);
    return 2;
  }
  const t0 = performance.now();
  let res;
  try { res = writeFixtures(outDir, names.length ? names : null, { detections }); } catch (e) {
    process.stderr.write(`fixtures: ${e.stack || e.message}\n`);
    return 1;
  }
  for (const r of res) {
    const t = r.truth;
    process.stdout.write(`${r.name.padEnd(22)} ${String(t.peers.length).padStart(2)} peer ids  ${t.meetings.length} meeting(s)  ` +
      `${String(t.expected_issues.length).padStart(2)} expected issues  ${String(r.files).padStart(2)} files  ` +
      `${(r.bytes / 1024).toFixed(0).padStart(5)} KiB  ${r.ms.toFixed(0).padStart(4)} ms  ${r.dir}\n`);
  }
  process.stdout.write(`${res.length} scenarios in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  return 0;
}

import { pathToFileURL } from 'node:url';
if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) process.exitCode = main();
