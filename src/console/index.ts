export { startConsole, type ConsoleOptions, type ConsoleServer } from './server.js';
export type { ConsoleDeps } from './api.js';
export { History, type LagSample, type IntervalTotals, type DurationPoint, type Sample } from './history.js';
export { TOKEN_HEADER } from './security.js';
