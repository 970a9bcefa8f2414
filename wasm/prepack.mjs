// `npm pack` / `npm publish` in wasm/ run this first (package.json "prepack"),
// and it stops them: wasm/ is the template of the npm package, without the
// engine (dist/), so packing it here would give a package that cannot run.
// wasm/build.sh builds the real package in build/wasm/package/ (with the
// project version and without this script) and packs it.
console.error(`callsight: not packed: wasm/ is the template of the npm package, without the engine (dist/).
Build and pack the package with wasm/build.sh (or scripts/build); it writes
build/wasm/callsight-<version>.tgz, the file to publish:
  npm publish build/wasm/callsight-<version>.tgz`);
process.exit(1);
