#!/usr/bin/env node
// A tiny static file server for the callsight dashboard (no dependencies).
//
//   node web/serve.mjs [DIR] [--port N] [--host H]
//
// DIR defaults to build/site (relative to the repository). The port is PORT from
// the environment, else --port, else 8080; 0 picks a free port. Prints the URL
// ("callsight dashboard: http://127.0.0.1:8080/") once listening. Serves only
// files under DIR, with correct MIME types (application/wasm for the engine) and
// the same Content-Security-Policy the page declares in its <meta> tag.
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function securityHeaders() {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

// Resolves a URL path to a file under root, or null when it escapes root.
function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

export function createStaticServer(rootDir) {
  const root = path.resolve(rootDir);
  return createServer(async (req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : text + '\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'method not allowed');
    }
    const urlPath = (req.url || '/').split('?')[0].split('#')[0];
    let file = resolveUnder(root, urlPath);
    if (!file) return send(403, 'forbidden');
    try {
      let st = await fs.stat(file);
      if (st.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { ...securityHeaders(), Location: urlPath + '/' });
          return res.end();
        }
        file = path.join(file, 'index.html');
        st = await fs.stat(file);
      }
      if (!st.isFile()) return send(404, 'not found');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': mimeOf(file),
        'Content-Length': st.size,
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      send(404, 'not found');
    }
  });
}

function parseArgs(argv) {
  const out = { dir: null, port: null, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') out.port = argv[++i];
    else if (a.startsWith('--port=')) out.port = a.slice(7);
    else if (a === '--host') out.host = argv[++i];
    else if (a.startsWith('--host=')) out.host = a.slice(7);
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else out.dir = a;
  }
  return out;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve.mjs: ${e.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node web/serve.mjs [DIR] [--port N] [--host H]   (PORT env overrides; default 8080)');
    return;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.resolve(args.dir || path.join(here, '..', 'build', 'site'));
  try {
    if (!(await fs.stat(dir)).isDirectory()) throw new Error();
  } catch {
    console.error(`serve.mjs: ${dir} is not a directory (build the site first: scripts/build)`);
    process.exit(2);
  }
  const portText = process.env.PORT || args.port || '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: invalid port ${portText}`);
    process.exit(2);
  }
  const server = createStaticServer(dir);
  server.on('error', (e) => {
    console.error(`serve.mjs: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, args.host, () => {
    const addr = server.address();
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    console.log(`callsight dashboard: http://${host}:${addr.port}/`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
