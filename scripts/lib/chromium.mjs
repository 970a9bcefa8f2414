// How every headless Chromium run of this project starts the browser: the
// benchmark (bench/browser.mjs) and the browser tests (tests/web, tests/wasm,
// tests/badinput). One place for the executable and the flags, so a test and
// the benchmark always measure the same browser.
//
// Playwright is passed in (each of those folders installs its own
// playwright-core), so this module needs no dependencies.
import fs from 'node:fs';

/** Debian's chromium: $CHROMIUM_PATH if set, else the first that exists, else null. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => fs.existsSync(p)) ?? null;
}

/** Headless in a container: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]);

/**
 * Launches headless Chromium with the project's flags.
 * @param chromium playwright-core's `chromium` BrowserType.
 * @param executablePath defaults to chromiumPath(); throws when none is found.
 */
export function launchChromium(chromium, executablePath = chromiumPath()) {
  if (!executablePath) {
    throw new Error('chromium not found: apt-get install chromium, or set CHROMIUM_PATH');
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}
