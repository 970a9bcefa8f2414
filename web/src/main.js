// Entry point of the dashboard. The engine runs in a Web Worker: the npm
// package's worker.js + engine.wasm, copied next to this bundle under engine/.
// Only the package's small Worker client is bundled here.
import { CallsightConfigError, CallsightInputError, createWorkerClient } from 'callsight/client';
import { startApp } from './app.js';

startApp(document.getElementById('app'), {
  createClient: () => createWorkerClient({ workerUrl: new URL('engine/worker.js', document.baseURI) }),
  InputError: CallsightInputError,
  ConfigError: CallsightConfigError,
});
