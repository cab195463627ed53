export * from './config.js';
export * from './event.js';
export * from './scheduler.js';
export * from './scheduleLog.js';
export * from './status.js';
export * from './clock.js';
export * from './invokers/index.js';
export { ValidationError } from './schema.js';
export * from './sYaml.js';
