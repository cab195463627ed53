// Imported first by benchmarks: `--lz4 js` selects lz4's pure-JS codec (SLS_TRIGGER_LZ4=js) before
// the codec module is evaluated, to measure what a project without the native addon gets.
const i = process.argv.indexOf('--lz4');
if (i >= 0) {
  const which = process.argv[i + 1];
  if (which !== 'js' && which !== 'native') throw new Error(`--lz4 must be js or native, got ${JSON.stringify(which)}`);
  if (which === 'js') process.env.SLS_TRIGGER_LZ4 = 'js';
}
export {};
