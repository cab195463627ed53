// The trigger config's JSON Schema (config.ts parses with it and checks its types against it).
// Type only here; ranges are checked in num() so the message names the field and the range.
const numeric = { type: ['integer', 'string'], pattern: '^[0-9]+$', 'x-message': 'must be a whole number' };
const identifier = { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', 'x-message': 'must be the name of an exported function' };

const name = { type: 'string', minLength: 1, maxLength: 128 };

/** A {project, logstore} reference (LogstoreRef): the schedule log's and the process log's logstore. */
const logstoreRef = {
  type: 'object',
  additionalProperties: false,
  required: ['project', 'logstore'],
  properties: { project: name, logstore: name },
} as const;

export const jobConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceConfig', 'jobConfig', 'logConfig', 'target'],
  properties: {
    jobName: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$', 'x-message': 'must be 1 to 128 letters, digits, _ or -' },
    endpoint: { type: 'string', minLength: 1 },
    project: name,
    sourceArn: {
      type: 'string',
      pattern: '^acs:log:[^:]*:[^:]*:project/[^/]+$',
      'x-message': 'must look like acs:log:<region>:<account id>:project/<project>',
    },
    credentials: {
      type: 'object',
      additionalProperties: false,
      required: ['accessKeyId', 'accessKeySecret'],
      properties: { accessKeyId: name, accessKeySecret: { type: 'string', minLength: 1 }, securityToken: { type: 'string' } },
    },
    sourceConfig: {
      type: 'object',
      additionalProperties: false,
      required: ['logstore'],
      properties: {
        logstore: name,
        startTime: {
          anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^([0-9]+|begin|latest)$' }, { type: 'null' }],
          'x-message': 'must be "begin", "latest" or unix seconds',
        },
      },
    },
    jobConfig: {
      type: 'object',
      additionalProperties: false,
      required: ['triggerInterval'],
      properties: {
        triggerInterval: { ...numeric, 'x-message': 'must be a whole number of seconds (1..600)' },
        maxRetryTime: { ...numeric, 'x-message': 'must be a whole number of retries (0..100)' },
      },
    },
    functionParameter: { type: 'object' },
    logConfig: logstoreRef,
    enable: { type: 'boolean' },
    target: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'module'],
          properties: {
            type: { const: 'local' },
            module: { type: 'string', minLength: 1 },
            handler: identifier,
            initializer: identifier,
            functionName: name,
            processLog: logstoreRef,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'accountId', 'region', 'serviceName', 'functionName'],
          properties: {
            type: { const: 'fc' },
            accountId: name,
            region: name,
            serviceName: name,
            functionName: name,
            qualifier: name,
            endpoint: { type: 'string' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'accountId', 'region', 'functionName'],
          properties: {
            type: { const: 'fc3' },
            accountId: name,
            region: name,
            functionName: name,
            qualifier: name,
            endpoint: { type: 'string' },
          },
        },
      ],
    },
    concurrency: { type: 'integer', minimum: 1, maximum: 256 },
    invocationTimeoutSeconds: numeric,
    onRetriesExhausted: { enum: ['block', 'skip', 'deadLetter'] },
    onCheckpointExpired: { enum: ['skipToOldest', 'park'] },
    deadLetter: {
      type: 'object',
      additionalProperties: false,
      properties: {
        project: name,
        logstore: name,
        dir: { type: 'string', minLength: 1 },
        includeData: { type: 'boolean' },
        maxDataBytes: numeric,
      },
    },
    bisectOnError: { type: 'boolean' },
    maxRecordAgeSeconds: numeric,
    heartbeatIntervalSeconds: numeric,
    dataLossWarningSeconds: numeric,
    windowGraceMs: numeric,
    drainBacklog: { type: 'boolean' },
    pollIntervalMs: numeric,
    batchingWindowMs: numeric,
    maxBatchGroups: numeric,
  },
} as const;
