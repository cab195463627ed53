// startLogHub's option bag, checked before anything starts (additionalProperties: false), so a
// misspelt option fails naming itself.
import { compile } from '../validate/schema.js';
import { LIMITS_SCHEMA } from './limits.js';

const anything = {};

export const checkLogHubOptions = compile<unknown>(
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      port: { type: 'integer', minimum: 0, maximum: 65535 },
      host: { type: 'string', minLength: 1 },
      dataDir: { type: 'string', minLength: 1 },
      memory: { type: 'boolean' },
      store: anything,
      anonymous: { type: 'boolean' },
      accessKeys: {
        type: 'array',
        items: {
          type: 'object',
          required: ['accessKeyId', 'accessKeySecret'],
          properties: {
            accessKeyId: { type: 'string' },
            accessKeySecret: { type: 'string' },
            securityToken: { type: 'string' },
            expiration: { type: 'string' },
          },
        },
      },
      accessKeysFile: { type: 'string', minLength: 1 },
      limits: LIMITS_SCHEMA,
      now: anything,
      ttlIntervalMs: { type: 'number', minimum: 0 },
      fsync: { type: 'boolean' },
      segmentBytes: { type: 'integer', minimum: 1 },
      journalCompactBytes: { type: 'integer', minimum: 1 },
      maxOpenFiles: { type: 'integer', minimum: 2 },
      bareHosts: { type: 'array', items: { type: 'string' } },
      onRequest: anything,
      onWarning: anything,
      metrics: anything,
    },
  },
  'startLogHub options',
);
