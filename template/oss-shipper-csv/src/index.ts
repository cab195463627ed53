// Ships each shard range the SLS log trigger hands it to OSS as one CSV object, as Alibaba's Java
// OssShipperCsv template does: processData only turns records into CSV text, and finish uploads
// the whole range once. The object name carries the shard and both cursors, so a retried range
// overwrites its object; a failed range is retried whole (nothing of it was uploaded).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHandler, type ProcessContext } from 'sls-trigger/runtime';
import { compress, csvText, objectName, type CompressType, type CsvOptions } from './csv.js';
import { ossClient, type OssTarget } from './oss.js';
import parameterSchema from './parameter.schema.json' with { type: 'json' };

interface Parameter {
  target: OssTarget & {
    ossBucket: string;
    ossPrefix?: string;
    ossPostfix?: string;
    ossDateFormat?: string;
    ossTimeZone?: string;
  };
  transform: Partial<CsvOptions> & { columnNames: string[]; compressType?: CompressType | ''; enableHeader?: boolean };
}

/** The Java template's default object directory pattern. */
const DEFAULT_DATE_FORMAT = 'yyyy/MM/dd/HH/mm';

/** CSV chunks of the invocation in progress, by its context (one per invocation, also when concurrent). */
const chunks = new WeakMap<ProcessContext<Parameter>, string[]>();

function csvOptions(t: Parameter['transform']): CsvOptions {
  return {
    columnNames: t.columnNames,
    delimiterChar: t.delimiterChar ?? ',',
    quoteChar: t.quoteChar ?? '"',
    escapeChar: t.escapeChar ?? t.quoteChar ?? '"',
    nullColumnValue: t.nullColumnValue ?? '',
  };
}

async function upload(ctx: ProcessContext<Parameter>): Promise<void> {
  const { target, transform } = ctx.parameter;
  const text = (chunks.get(ctx) ?? []).join('');
  chunks.delete(ctx);
  // an empty trigger has no rows: the Java template still uploaded an empty object; nothing is sent here
  if (text === '') return void ctx.logger.info('no rows: nothing uploaded');
  const type = transform.compressType || 'none';
  const body = compress(text, type);
  const key = objectName({
    prefix: target.ossPrefix ?? '',
    dateFormat: target.ossDateFormat ?? DEFAULT_DATE_FORMAT,
    timeZone: target.ossTimeZone ?? 'UTC',
    postfix: target.ossPostfix ?? '.csv',
    cursorTime: ctx.cursorTime,
    shardId: ctx.shardId,
    beginCursor: ctx.beginCursor,
    endCursor: ctx.endCursor,
  });
  await ossClient(target, ctx.credentials).send(new PutObjectCommand({ Bucket: target.ossBucket, Key: key, Body: body }));
  ctx.count('uploadedObjects');
  ctx.count('uploadedBytes', body.length);
  ctx.logger.info(`uploaded oss://${target.ossBucket}/${key}`, { bytes: body.length, compressType: type });
}

export const handler = createHandler<Parameter>(
  (batch, ctx) => {
    const t = ctx.parameter.transform;
    const own = chunks.get(ctx);
    const header = own === undefined && t.enableHeader === true;
    const text = csvText(batch.records(), csvOptions(t), header);
    if (own) own.push(text);
    else chunks.set(ctx, [text]);
    return true;
  },
  { parameterSchema, batchSize: 1000, finish: upload },
);
