#!/usr/bin/env node
// Generate one synthetic browser stats dump (scripts/gen/dumps.mjs). See --help.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DUMP_DEFAULTS, rtcstatsDumpChunks, webrtcInternalsDump } from './dumps.mjs';

const HELP = `usage: node scripts/gen/dump.mjs --kind KIND --out FILE [options]

Writes one dump in the layout Chromium 156 downloads from chrome://webrtc-internals:
  --kind webrtc-internals   "Download the webrtc-internals dump" (JSON; Chrome 117+
                            layout with per-stat -timestamp series)
  --kind rtcstats           "Download the rtcstats dump" (file format 3, one getStats
                            report per connection and second)

options:
  --out FILE          output file (required); "-" for stdout
  --seed S            PRNG seed (number or string; default ${DUMP_DEFAULTS.seed}); same seed => same bytes
  --connections N     RTCPeerConnections (default ${DUMP_DEFAULTS.connections})
  --received M        received tracks, audio and video alternating, spread over
                      the connections (default ${DUMP_DEFAULTS.received})
  --sent K            sent tracks, audio and video alternating, on the first
                      connection (default ${DUMP_DEFAULTS.sent})
  --samples S         stats samples, one a second (default ${DUMP_DEFAULTS.samples}: Chrome's
                      webrtc-internals cap)
  --minutes M         the same as --samples 60*M
  --gzip              gzip the file, as Chromium 156 downloads it
  -h, --help          this text

examples:
  node scripts/gen/dump.mjs --kind webrtc-internals --out /tmp/wi.json
  node scripts/gen/dump.mjs --kind rtcstats --connections 1 --received 2 --minutes 60 --out /tmp/rtcstats.txt
`;

function parseArgs(argv) {
  const o = { spec: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number ≥ 0`);
      return v;
    };
    if (a === '-h' || a === '--help') o.help = true;
    else if (a === '--kind') o.kind = argv[++i];
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--gzip') o.gzip = true;
    else if (a === '--seed') o.spec.seed = /^\d+$/.test(argv[i + 1]) ? Number(argv[++i]) : argv[++i];
    else if (a === '--connections') o.spec.connections = num();
    else if (a === '--received') o.spec.received = num();
    else if (a === '--sent') o.spec.sent = num();
    else if (a === '--samples') o.spec.samples = num();
    else if (a === '--minutes') o.spec.minutes = num();
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  return o;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return void process.stdout.write(HELP);
  if (!['webrtc-internals', 'rtcstats'].includes(o.kind)) throw new Error('--kind webrtc-internals|rtcstats is required');
  if (!o.out) throw new Error('--out FILE is required');
  const chunks = o.kind === 'webrtc-internals' ? [webrtcInternalsDump(o.spec)] : rtcstatsDumpChunks(o.spec);
  if (o.out !== '-') fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  const fd = o.out === '-' ? 1 : fs.openSync(o.out, 'w');
  const gz = o.gzip ? zlib.createGzip() : null;
  const parts = [];
  let bytes = 0;
  for (const c of chunks) {
    bytes += Buffer.byteLength(c);
    if (gz) parts.push(Buffer.from(c));
    else fs.writeSync(fd, c);
  }
  if (gz) fs.writeSync(fd, zlib.gzipSync(Buffer.concat(parts)));
  if (fd !== 1) fs.closeSync(fd);
  process.stderr.write(`${o.kind} dump: ${(bytes / 1e6).toFixed(1)} MB${o.gzip ? ' (gzipped)' : ''} -> ${o.out}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`dump: ${e.message}\n`);
  process.exit(2);
}
