export { startConsole, type ConsoleOptions, type ConsoleServer } from './server.js';
export type { ConsoleDeps } from './api.js';
export { History, type LagSample, type IntervalTotals, type DurationPoint, type Sample, type SeriesDelta } from './history.js';
export { TOKEN_HEADER } from './security.js';
export { checkOperatorSecret, SECRET_ENV, MIN_SECRET_LENGTH, SESSION_COOKIE } from './operatorAuth.js';
export { startProbeServer, probeAnswer, LoopWatch, type ProbeServer, type ProbeSources } from './probes.js';
