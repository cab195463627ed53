// The one table of SLS error codes, used by the client (reply -> error) and the embedded LogHub
// (error -> reply). Code strings are the service's own. Statuses and their sources: docs/error-codes.md;
// where no source gives one, the status below is our choice and is marked "chosen" in
// docs/error-codes.md. `retriable` = a client may send the same request again unchanged.

export interface ErrorCodeInfo {
  readonly httpStatus: number;
  readonly retriable: boolean;
  readonly message: string;
}

export const ErrorCodes = {
  // request / auth
  RequestTimeExpired: { httpStatus: 400, retriable: false, message: 'Request time has expired' },
  InvalidDateFormat: { httpStatus: 400, retriable: false, message: 'Date header is not RFC 822' },
  MissingAPIVersion: { httpStatus: 400, retriable: false, message: 'x-log-apiversion is required' },
  InvalidAPIVersion: { httpStatus: 400, retriable: false, message: 'x-log-apiversion is not supported' },
  MissingBodyRawSize: { httpStatus: 400, retriable: false, message: 'x-log-bodyrawsize is required with a compressed body' },
  InvalidBodyRawSize: { httpStatus: 400, retriable: false, message: 'x-log-bodyrawsize is invalid' },
  InvalidCompressType: { httpStatus: 400, retriable: false, message: 'x-log-compresstype is unsupported' },
  InvalidContentType: { httpStatus: 400, retriable: false, message: 'Content-Type is not supported here' },
  InvalidContentMD5: { httpStatus: 400, retriable: false, message: 'Content-MD5 does not match the body' },
  PostBodyInvalid: { httpStatus: 400, retriable: false, message: 'The request body is not valid JSON object.' },
  PostBodyTooLarge: { httpStatus: 413, retriable: false, message: 'The request body is too large' },
  PostBodyUncompressError: { httpStatus: 400, retriable: false, message: 'The request body cannot be decompressed' },
  InvalidLogSize: { httpStatus: 400, retriable: false, message: 'The log group is too large' },
  InvalidTimestamp: { httpStatus: 400, retriable: false, message: 'A log time is invalid' },
  InvalidKey: { httpStatus: 400, retriable: false, message: 'A log key is invalid' },
  InvalidEncoding: { httpStatus: 400, retriable: false, message: 'The body is not a valid LogGroup' },
  ParameterInvalid: { httpStatus: 400, retriable: false, message: 'A parameter is invalid' },
  InvalidParameter: { httpStatus: 400, retriable: false, message: 'A parameter is invalid' },
  SignatureNotMatch: { httpStatus: 401, retriable: false, message: 'The signature does not match' },
  Unauthorized: { httpStatus: 401, retriable: false, message: 'The AccessKeyId is unauthorized.' },
  RequestNotSupported: { httpStatus: 404, retriable: false, message: 'The request is not supported' },
  NotSupported: { httpStatus: 400, retriable: false, message: 'The operation is not supported' },
  MethodNotAllowed: { httpStatus: 405, retriable: false, message: 'The method is not allowed here' },
  BadRequest: { httpStatus: 400, retriable: false, message: 'The request is not well-formed HTTP' },
  RequestHeaderTooLarge: { httpStatus: 431, retriable: false, message: 'The request headers are too large' },
  // resources
  ProjectAlreadyExist: { httpStatus: 400, retriable: false, message: 'Project already exist' },
  ProjectNotExist: { httpStatus: 404, retriable: false, message: 'The Project does not exist' },
  ProjectInfoInvalid: { httpStatus: 400, retriable: false, message: 'The project info is invalid' },
  LogStoreAlreadyExist: { httpStatus: 400, retriable: false, message: 'logstore already exists' },
  LogStoreNotExist: { httpStatus: 404, retriable: false, message: 'logstore does not exist' },
  LogStoreInfoInvalid: { httpStatus: 400, retriable: false, message: 'logstore info is invalid' },
  ShardNotExist: { httpStatus: 404, retriable: false, message: 'shard does not exist' },
  ShardReadOnly: { httpStatus: 400, retriable: false, message: 'shard is read only' },
  InvalidCursor: { httpStatus: 400, retriable: false, message: 'cursor is invalid' },
  // consumer groups
  ConsumerGroupAlreadyExist: { httpStatus: 400, retriable: false, message: 'consumer group already exist' },
  ConsumerGroupNotExist: { httpStatus: 404, retriable: false, message: 'consumer group does not exist' },
  ConsumerGroupQuotaExceed: { httpStatus: 400, retriable: false, message: 'consumer group quota exceed' },
  ConsumerNotExist: { httpStatus: 400, retriable: false, message: 'consumer does not exist' },
  ConsumerNotMatch: { httpStatus: 400, retriable: false, message: 'consumer does not hold this shard' },
  NotExistConsumerWithBody: { httpStatus: 400, retriable: false, message: 'non-exist consumer with non-empty body of heartbeat message' },
  // quotas and service
  WriteQuotaExceed: { httpStatus: 403, retriable: true, message: 'Write Quota Exceed' },
  ReadQuotaExceed: { httpStatus: 403, retriable: true, message: 'Read Quota Exceed' },
  ShardWriteQuotaExceed: { httpStatus: 403, retriable: true, message: 'Shard Write Quota Exceed' },
  ShardReadQuotaExceed: { httpStatus: 403, retriable: true, message: 'Shard Read Quota Exceed' },
  ExceedQuota: { httpStatus: 403, retriable: true, message: 'Quota exceeded' },
  InternalServerError: { httpStatus: 500, retriable: true, message: 'Internal server error' },
  ServerBusy: { httpStatus: 503, retriable: true, message: 'Server is busy' },
  RequestTimeout: { httpStatus: 500, retriable: true, message: 'Request timed out' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ErrorCodes;

export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ErrorCodes, code);
}

export function codeInfo(code: string): ErrorCodeInfo | undefined {
  return isKnownCode(code) ? ErrorCodes[code] : undefined;
}
