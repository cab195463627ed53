// sls-trigger: the public API.
export * from './runtime/index.js';
export * from './trigger/index.js';
export * from './client/index.js';
export { startLogHub, DEFAULT_ACCESS_KEY, LogHubMetrics, type LogHub, type LogHubOptions, type AccessKey } from './loghub/index.js';
export { startConsole, type ConsoleOptions, type ConsoleServer } from './console/index.js';
export * from './errors/index.js';
export { chooseCredentials, CHAIN_ENV, type CredentialChoice, type ChainOptions } from './env/credentialChain.js';
export { CompressType, lz4Implementation, type LogGroup, type Log, type LogTag, type LogContent, FastLogGroup } from './codec/index.js';
