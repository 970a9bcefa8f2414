// Builds the static site (see build.sh): bundles the app and its CSS with
// esbuild, copies index.html, the engine package's Worker + WebAssembly, and the
// bundled sample session.
//   node web/build.mjs --package DIR --out DIR [--samples DIR] [--dev]
import * as esbuild from 'esbuild';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(WEB);

function args() {
  const out = { package: null, out: path.join(ROOT, 'build', 'site'), samples: path.join(ROOT, 'samples', 'sample-session'), dev: false };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--package') out.package = path.resolve(a[++i]);
    else if (a[i] === '--out') out.out = path.resolve(a[++i]);
    else if (a[i] === '--samples') out.samples = path.resolve(a[++i]);
    else if (a[i] === '--dev') out.dev = true;
    else throw new Error(`unknown argument ${a[i]}`);
  }
  if (!out.package) throw new Error('--package DIR is required');
  return out;
}

// Resolves the engine package's entry points ("." and subpaths like "./client")
// from its package.json "exports", else main/module, else dist/<name>.js.
async function packageInfo(pkgDir) {
  let pkg = {};
  try {
    pkg = JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8'));
  } catch {
    /* no package.json: fall back to dist/ */
  }
  const pick = (e) => {
    if (!e) return null;
    if (typeof e === 'string') return e;
    if (Array.isArray(e)) return e.map(pick).find(Boolean) || null;
    for (const k of ['browser', 'import', 'module', 'default']) {
      const v = e[k] && pick(e[k]);
      if (v) return v;
    }
    return null;
  };
  const exportsMap =
    pkg.exports && typeof pkg.exports === 'object' && !Array.isArray(pkg.exports) && Object.keys(pkg.exports).some((k) => k.startsWith('.'))
      ? pkg.exports
      : { '.': pkg.exports };
  const resolve = async (sub) => {
    const key = sub ? `./${sub}` : '.';
    let rel = pick(exportsMap[key]);
    if (!rel && !sub) rel = (typeof pkg.browser === 'string' ? pkg.browser : null) || pkg.module || pkg.main || 'dist/index.js';
    if (!rel && sub) rel = `dist/${sub}.js`;
    const file = path.resolve(pkgDir, rel);
    await fs.access(file).catch(() => {
      throw new Error(`the engine package ${pkgDir} has no ${path.relative(pkgDir, file)} (is it built? wasm/build.sh)`);
    });
    return file;
  };
  return { name: pkg.name || 'callsight', resolve, entry: await resolve('') };
}

// Copies the files `filter(name)` accepts, and the folders `filter(name, true)`
// accepts (all of them without a filter).
async function copyDir(from, to, filter) {
  await fs.mkdir(to, { recursive: true });
  const copied = [];
  for (const ent of await fs.readdir(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    const dst = path.join(to, ent.name);
    if (ent.isDirectory()) {
      if (!filter || filter(ent.name, true)) copied.push(...(await copyDir(src, dst, filter)).map((n) => `${ent.name}/${n}`));
    } else if (ent.isFile() && (!filter || filter(ent.name))) {
      await fs.copyFile(src, dst);
      copied.push(ent.name);
    }
  }
  return copied;
}

async function main() {
  const opt = args();
  const entry = await packageInfo(opt.package);
  const distDir = path.dirname(entry.entry);
  for (const need of ['worker.js', 'engine.wasm']) {
    try {
      await fs.access(path.join(distDir, need));
    } catch {
      throw new Error(`the engine package has no ${need} next to its entry (${distDir})`);
    }
  }

  await fs.rm(opt.out, { recursive: true, force: true });
  await fs.mkdir(opt.out, { recursive: true });

  // Imports of the engine package ("callsight", "callsight/client") resolve into it.
  const engineAlias = {
    name: 'callsight-package',
    setup(build) {
      const names = new Set(['callsight', entry.name]);
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        const [scope, ...rest] = args.path.split('/');
        if (!names.has(scope)) return undefined;
        return { path: await entry.resolve(rest.join('/')) };
      });
    },
  };
  const common = {
    bundle: true,
    minify: !opt.dev,
    sourcemap: 'linked',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    logLevel: 'warning',
    legalComments: 'linked',
  };
  await esbuild.build({
    ...common,
    entryPoints: { app: path.join(WEB, 'src', 'main.js') },
    outdir: opt.out,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    plugins: [engineAlias],
  });
  await esbuild.build({
    ...common,
    entryPoints: { app: path.join(WEB, 'src', 'style.css') },
    outdir: opt.out,
    nodePaths: [path.join(WEB, 'node_modules')],
  });
  await fs.copyFile(path.join(WEB, 'src', 'index.html'), path.join(opt.out, 'index.html'));
  await fs.copyFile(path.join(WEB, 'src', 'favicon.svg'), path.join(opt.out, 'favicon.svg'));

  // The engine: the package's Worker, its WebAssembly and whatever they import;
  // not node/ and node.js, the threaded build and its entry, which only Node loads.
  const engineOut = path.join(opt.out, 'engine');
  await fs.rm(engineOut, { recursive: true, force: true });
  const engineFiles = await copyDir(distDir, engineOut,
    (n, dir) => (dir ? n !== 'node' : n !== 'node.js' && /\.(m?js|wasm|map|json)$/.test(n) && !n.endsWith('.d.ts')));

  // The sample session.
  const sampleOut = path.join(opt.out, 'sample');
  const files = (await copyDir(opt.samples, sampleOut, (n) => !n.startsWith('.'))).filter((n) => !n.includes('/')).sort();
  await fs.writeFile(
    path.join(sampleOut, 'index.json'),
    JSON.stringify({ name: path.basename(opt.samples), files: files.filter((n) => n !== 'index.json') }, null, 2) + '\n',
  );

  const size = async (f) => (await fs.stat(path.join(opt.out, f))).size;
  console.log(
    `site: ${path.relative(process.cwd(), opt.out) || '.'} (app.js ${Math.round((await size('app.js')) / 1024)} KiB, app.css ${Math.round((await size('app.css')) / 1024)} KiB, engine/ ${engineFiles.length} files, sample/ ${files.length} files)`,
  );
}

main().catch((e) => {
  console.error(`web build: ${e.message || e}`);
  process.exit(1);
});
