// What require('sls-trigger/...') finds on a Node without require() of ES modules (before 20.19 and
// 22.12, or with --no-experimental-require-module): the package is ESM only. Where Node can
// require() ES modules it takes the "module-sync" entry instead and this never runs.
'use strict';
throw Object.assign(
  new Error(
    "sls-trigger is an ES module: use `import { createHandler } from 'sls-trigger/runtime'` (or `await import(...)`), " +
      'run Node >= 20.19 or >= 22.12 where require() loads ES modules, or keep a CommonJS handler and bundle it with `sls-trigger build` ' +
      '(the bundle inlines sls-trigger, so FC needs no require() of it).',
  ),
  { code: 'ERR_SLS_TRIGGER_ESM_ONLY' },
);
