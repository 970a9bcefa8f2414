#!/usr/bin/env node
// Generate one synthetic 100ms session export (+ truth.json). See --help.
import { performance } from 'node:perf_hooks';
import { SCENARIOS, scenarioSpec, streamSession, writeSession } from './lib.mjs';

const HELP = `usage: node scripts/gen/generate.mjs --out DIR [options]

Writes DIR/input/* (what a user would download from the 100ms REST API and
webhooks) and DIR/truth.json (the ground truth, outside the input folder).

options:
  --out DIR         output folder (required); DIR/input is replaced if it only
                    holds files this generator writes
  --scenario NAME   one of the scenarios below (default: sample)
  --peers N         number of peers        (bench, clean; default 40 / 4)
  --minutes M       session length         (bench, clean; default 60 / 10)
  --spacing S       sample spacing in seconds: 10 or 30 (default 10; fixed 30
                    for spacing-30s)
  --seed S          PRNG seed (number or string); same seed => same bytes
  --layout L        peer-stats layout: per-peer (one peer-stats-<peer_id>.json
                    per peer, default) | array (one peer-stats.json holding an
                    array) | ndjson (peer-stats.ndjson, one document per line)
  --detections      the truth expects (not only allows) the provisional codes of
                    issue 19 item 6 (the detection scenarios always do)
  --quiet           print only the summary line
  -h, --help        this text

input files written:
  peer-stats-<peer_id>.json   GET /v2/analytics/peer-stats (per peer id)
  session.json                GET /v2/sessions/<id>
  events-page-<n>.json        GET /v2/analytics/events, >= 2 pages
  webhooks.ndjson             webhook events, one per line
  webhook-history-<n>.json    GET /v2/analytics/webhooks, the delivery log (scenarios
                              with a webhook_history spec, e.g. failures)

scenarios:
${Object.entries(SCENARIOS).map(([n, s]) => `  ${n.padEnd(22)} ${s.about}`).join('\n')}

examples:
  node scripts/gen/generate.mjs --out /tmp/s                      # the bundled sample
  node scripts/gen/generate.mjs --scenario bench --peers 40 --minutes 60 --out /tmp/bench
  node scripts/gen/generate.mjs --scenario clean --layout ndjson --out /tmp/c
`;

function parseArgs(argv) {
  const o = {};
  const need = (i) => {
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => (inline !== undefined ? inline : need(i++));
    switch (flag) {
      case '-h': case '--help': o.help = true; break;
      case '--quiet': o.quiet = true; break;
      case '--detections': o.detections = true; break;
      case '--out': o.out = val(); break;
      case '--scenario': o.scenario = val(); break;
      case '--layout': o.layout = val(); break;
      case '--seed': { const v = val(); o.seed = /^\d+$/.test(v) ? Number(v) : v; break; }
      case '--peers': o.peers = Number(val()); if (!Number.isInteger(o.peers) || o.peers < 1) throw new Error('--peers must be a positive integer'); break;
      case '--minutes': o.minutes = Number(val()); if (!(o.minutes > 0)) throw new Error('--minutes must be positive'); break;
      case '--spacing': {
        const s = Number(val());
        if (!(s > 0)) throw new Error('--spacing must be a number of seconds (10 or 30)');
        o.spacing_ms = s >= 1000 ? s : s * 1000;
        break;
      }
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  return o;
}

function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) {
    process.stderr.write(`generate: ${e.message}\n(see --help)\n`);
    return 2;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  if (!o.out) { process.stderr.write('generate: --out DIR is required (see --help)\n'); return 2; }
  const name = o.scenario ?? 'sample';
  if (!SCENARIOS[name]) { process.stderr.write(`generate: unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}\n`); return 2; }
  if (o.layout && !['per-peer', 'array', 'ndjson'].includes(o.layout)) { process.stderr.write(`generate: bad --layout ${o.layout}\n`); return 2; }
  const usesSize = name === 'bench' || name === 'clean' || name.endsWith('-layout');
  if (!usesSize && (o.peers !== undefined || o.minutes !== undefined))
    process.stderr.write(`generate: note: --peers/--minutes are ignored by scenario ${name} (its injections are placed for a fixed cast)\n`);
  const t0 = performance.now();
  let result, written;
  try {
    const spec = scenarioSpec(name, o);
    if (spec.peers && typeof spec.peers === 'number' || Array.isArray(spec.peers)) {
      const n = Array.isArray(spec.peers) ? spec.peers.length : spec.peers;
      const est = n * (n - 1) * ((spec.minutes * 60000) / spec.spacing_ms) * 55;
      if (est > 500e6) process.stderr.write(`generate: warning: about ${(est / 1e9).toFixed(1)} GB of peer-stats will be written\n`);
    }
    result = streamSession(spec);
    written = writeSession(o.out, result);
  } catch (e) {
    process.stderr.write(`generate: ${e.message}\n`);
    return 1;
  }
  const ms = performance.now() - t0;
  const total = written.filter((w) => !w.name.startsWith('..')).reduce((a, w) => a + w.bytes, 0);
  const t = result.truth;
  if (!o.quiet) {
    for (const w of written) process.stdout.write(`  ${w.name.startsWith('..') ? o.out + '/truth.json' : o.out + '/input/' + w.name}  ${w.bytes} bytes\n`);
  }
  process.stdout.write(`${name}: ${t.peers.length} peer ids, ${t.meetings.length} meeting(s), ${t.expected_issues.length} expected issues, ` +
    `${written.length - 1} input files, ${(total / 1e6).toFixed(2)} MB, ${(ms / 1000).toFixed(2)} s -> ${o.out}\n`);
  return 0;
}

process.exitCode = main();
