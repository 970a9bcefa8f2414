// `callsight/client`: only the page side of the Worker (does not load the engine).
export {
  createWorkerClient,
  CallsightConfigError,
  CallsightInputError,
} from './index.js';
export type {
  AnalyzeOptions,
  InputData,
  InputFile,
  Progress,
  Report,
  Series,
  SeriesOptions,
  WorkerClient,
  WorkerClientOptions,
} from './index.js';
