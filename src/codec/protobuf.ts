// SLS LogGroup protobuf (proto2). Field numbers checked against the official SDK .proto files
// (aliyun-log-go-sdk log.proto, aliyun-log-python-sdk log_logs.proto, aliyun-log-java-sdk Logs.java,
// aliyun-log-nodejs-sdk lib/sls.proto) -- see docs/protocol-notes.md.
//
//   Log          { required uint32 Time = 1; repeated Content Contents = 2; optional fixed32 Time_ns = 4 }
//   Log.Content  { required string Key = 1; required string Value = 2 }
//   LogTag       { required string Key = 1; required string Value = 2 }
//   LogGroup     { repeated Log Logs = 1; optional string Reserved = 2; optional string Topic = 3;
//                  optional string Source = 4; optional string MachineUUID = 5; repeated LogTag LogTags = 6 }
//   LogGroupList { repeated LogGroup logGroupList = 1 }
//
// protobufjs is the schema, the encoder and the reference decoder; the read path uses fastDecode.ts.
import protobuf from 'protobufjs';
import { CodecError, CodecErrorKind } from './errors.js';
import type { LogGroup } from './types.js';

const kv = {
  fields: {
    key: { id: 1, type: 'string', rule: 'required' },
    value: { id: 2, type: 'string', rule: 'required' },
  },
};

const schema = {
  nested: {
    sls: {
      nested: {
        Content: kv,
        LogTag: kv,
        Log: {
          fields: {
            time: { id: 1, type: 'uint32', rule: 'required' },
            contents: { id: 2, type: 'Content', rule: 'repeated' },
            timeNs: { id: 4, type: 'fixed32', rule: 'optional' },
          },
        },
        LogGroup: {
          fields: {
            logs: { id: 1, type: 'Log', rule: 'repeated' },
            reserved: { id: 2, type: 'string', rule: 'optional' },
            topic: { id: 3, type: 'string', rule: 'optional' },
            source: { id: 4, type: 'string', rule: 'optional' },
            machineUUID: { id: 5, type: 'string', rule: 'optional' },
            logTags: { id: 6, type: 'LogTag', rule: 'repeated' },
          },
        },
        LogGroupList: {
          fields: { logGroupList: { id: 1, type: 'LogGroup', rule: 'repeated' } },
        },
      },
    },
  },
};

/** Built once per process; protobufjs types are immutable after resolveAll(). */
function buildTypes() {
  const root = protobuf.Root.fromJSON(schema);
  root.resolveAll();
  return {
    LogGroup: root.lookupType('sls.LogGroup'),
    LogGroupList: root.lookupType('sls.LogGroupList'),
  };
}
const types = buildTypes();

export const LogGroupType = types.LogGroup;
export const LogGroupListType = types.LogGroupList;

/** Encodes one LogGroup (the PutLogs body before compression). */
export function encodeLogGroup(group: LogGroup): Uint8Array {
  return LogGroupType.encode(group as unknown as protobuf.Message).finish();
}

/** Encodes a LogGroupList (the PullLogs body before compression). */
export function encodeLogGroupList(groups: LogGroup[]): Uint8Array {
  return LogGroupListType.encode({ logGroupList: groups } as unknown as protobuf.Message).finish();
}

const toObjectOptions = { longs: Number, arrays: true, defaults: false } as const;

function normalize(o: Record<string, unknown>): LogGroup {
  return o as unknown as LogGroup;
}

/** Reference decoder (protobufjs), used by tests and as the benchmark baseline. */
export function decodeLogGroupReference(bytes: Uint8Array): LogGroup {
  try {
    return normalize(LogGroupType.toObject(LogGroupType.decode(bytes), toObjectOptions));
  } catch (e) {
    throw new CodecError(CodecErrorKind.Malformed, `invalid LogGroup: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Reference decoder (protobufjs) for a PullLogs body. */
export function decodeLogGroupListReference(bytes: Uint8Array): LogGroup[] {
  try {
    const list = LogGroupListType.toObject(LogGroupListType.decode(bytes), toObjectOptions);
    return ((list.logGroupList ?? []) as Record<string, unknown>[]).map(normalize);
  } catch (e) {
    throw new CodecError(CodecErrorKind.Malformed, `invalid LogGroupList: ${(e as Error).message}`, undefined, { cause: e });
  }
}
