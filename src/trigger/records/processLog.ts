// Process logs under the local invoker: the function's own lines (console, context.logger) go to the
// function's log logstore (its s.yaml logConfig), with FC's execution-log field names
// (functionName, serviceName, qualifier, versionId, message; topic = service name), plus the task.
import type { LogClient } from '../../client/index.js';

export interface ProcessLogMeta {
  readonly requestId: string;
  readonly taskId: string;
  readonly shardId: number;
  readonly jobName: string;
}

export class ProcessLog {
  constructor(
    private readonly client: LogClient,
    private readonly at: { project: string; logstore: string },
    private readonly functionName: string,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  async write(lines: readonly string[], meta: ProcessLogMeta, timeSeconds: number): Promise<void> {
    if (lines.length === 0) return;
    const logs = lines.map((message) => ({
      time: timeSeconds,
      contents: [
        { key: 'functionName', value: this.functionName },
        { key: 'serviceName', value: 'local' },
        { key: 'qualifier', value: 'LATEST' },
        { key: 'versionId', value: '' },
        { key: 'message', value: message },
        { key: 'request_id', value: meta.requestId },
        { key: 'task_id', value: meta.taskId },
        { key: 'shard_id', value: String(meta.shardId) },
        { key: 'job_name', value: meta.jobName },
      ],
    }));
    try {
      await this.client.putLogs({ ...this.at, logGroup: { logs, topic: 'local', source: 'sls-trigger', logTags: [] } });
    } catch (e) {
      this.onError(e);
    }
  }
}
