// JSON Schema pieces the job config and the target registry share.

export const identifier = {
  type: 'string',
  pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$',
  'x-message': 'must be the name of an exported function',
};

export const name = { type: 'string', minLength: 1, maxLength: 128 };

/** A {project, logstore} reference (LogstoreRef): the schedule log's and the process log's logstore. */
export const logstoreRef = {
  type: 'object',
  additionalProperties: false,
  required: ['project', 'logstore'],
  properties: { project: name, logstore: name },
} as const;
