// `callsight/worker`: the Web Worker script of the package. It exports nothing;
// start it as a module worker and talk to it with createWorkerClient():
//
//   import { createWorkerClient } from 'callsight';
//   const worker = new Worker(new URL('callsight/worker', import.meta.url), { type: 'module' });
//   const client = createWorkerClient({ worker });
export {};
