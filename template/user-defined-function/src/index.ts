// The skeleton ETL function: replace processData with your own processing.
// processData gets one page of the shard range at a time. Return true when the batch is handled
// ("shipped"), false to skip it (counted, not an error), throw to fail the invocation so the
// trigger retries the same range.
import { createHandler, createInitializer } from 'sls-trigger/runtime';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  countField?: string;
  dropTopics?: string[];
}

export const initialize = createInitializer(async (context) => {
  // Runs once per instance before the first invocation: open connections, load config here.
  console.log(`initializing ${context.function?.name ?? 'function'}`);
});

export const handler = createHandler<Parameter>(
  async (batch, ctx) => {
    const drop = ctx.parameter.dropTopics ?? [];
    if (drop.length > 0 && batch.groups.every((g) => drop.includes(g.topic ?? ''))) return false;
    const field = ctx.parameter.countField ?? 'status';
    const counts: Record<string, number> = {};
    for (const record of batch.records()) {
      const v = record[field] ?? '(none)';
      counts[v] = (counts[v] ?? 0) + 1;
    }
    ctx.logger.info(`processed ${batch.logCount} logs`, { [field]: counts });
    return true;
  },
  { parameterSchema },
);
