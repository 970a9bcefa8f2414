// Shared helpers of the npm package tests: where things are, installing the
// packed tarball as a user would, generated sessions, the native CLI.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD = process.env.CALLSIGHT_BUILD_DIR ?? path.join(ROOT, 'build');
export const CLI = path.join(BUILD, 'native', 'callsight');
export const PACKAGE_DIR = path.join(BUILD, 'wasm', 'package');
// Shared test data lives beside the repository (/work/shared/testdata).
export const JSON_TEST_SUITE = path.resolve(ROOT, '..', 'shared', 'testdata', 'json-test-suite', 'test_parsing');

export function projectVersion() {
  const cmake = fs.readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8');
  return /project\(callsight VERSION ([0-9.]+)/.exec(cmake)[1];
}

export function tarball() {
  const tgz = path.join(BUILD, 'wasm', `callsight-${projectVersion()}.tgz`);
  if (!fs.existsSync(tgz)) throw new Error(`${tgz} is missing: run scripts/build (or wasm/build.sh) first`);
  return tgz;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `callsight-${prefix}-`));
}

/** Installs the packed tarball into a fresh folder (offline: a local file) and
 * returns {dir, importPackage(specifier?)}: imports by package name from there. */
export function installPackage() {
  const dir = tempDir('npm');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }));
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball()], {
    cwd: dir, encoding: 'utf8',
  });
  if (npm.status !== 0) throw new Error(`npm install failed:\n${npm.stdout}\n${npm.stderr}`);
  // A module inside the user's folder, so that `callsight` resolves as it would
  // for the user's own code (node_modules lookup, package "exports").
  const shim = path.join(dir, 'load.mjs');
  fs.writeFileSync(shim, 'export const load = (s) => import(s);\nexport const resolve = (s) => import.meta.resolve(s);\n');
  let loader;
  const get = async () => (loader ??= await import(pathToFileURL(shim).href));
  return {
    dir,
    importPackage: async (specifier = 'callsight') => (await get()).load(specifier),
    resolve: async (specifier) => (await get()).resolve(specifier),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Generates the fixture scenarios into a temp dir: {dir, scenarios: {name: [file paths]}}. */
export function generateFixtures(names = []) {
  const dir = tempDir('fixtures');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'gen', 'fixtures.mjs'), dir, ...names], { stdio: 'ignore' });
  const scenarios = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const input = path.join(dir, name, 'input');
    if (!fs.existsSync(input)) continue;
    scenarios[name] = fs.readdirSync(input).sort().map((f) => path.join(input, f));
  }
  return { dir, scenarios, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function readInputs(paths) {
  return paths.map((p) => ({ name: p, data: fs.readFileSync(p) }));
}

/** Runs the native CLI: {status, report (parsed stdout), stderr lines}. */
export function nativeAnalyze(paths, args = []) {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run scripts/build first`);
  const r = spawnSync(CLI, ['analyze', ...args, ...paths], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return {
    status: r.status,
    report: r.stdout ? JSON.parse(r.stdout) : null,
    stderr: r.stderr.split('\n').filter(Boolean),
  };
}

export function nativeVersion() {
  return execFileSync(CLI, ['--version'], { encoding: 'utf8' }).trim().replace(/^callsight /, '');
}

/** Every file under dir (recursively), as paths relative to it. */
export function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}
