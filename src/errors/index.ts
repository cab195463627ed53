export * from './codes.js';
export * from './errors.js';
export { wholeNumberIn } from './wholeNumber.js';
