// FC's Node.js handler contract, once, in plain JS so both the worker host (localWorker.mjs, which
// must start without a loader) and the in-process invoker (inProcess.ts) use it: the context object,
// the (event, context, callback) and async styles, FC's result conversion and its error body.

/** The context FC passes: request id, STS credentials, function, service, region, account. */
export function fcContext(o) {
  return {
    requestId: o.requestId,
    credentials: o.credentials,
    function: { name: o.functionName, handler: o.handler, memory: o.memoryMB ?? 512, timeout: Math.ceil(o.timeoutMs / 1000) },
    service: { name: o.serviceName ?? 'local', logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' },
    region: o.region ?? 'local',
    accountId: o.accountId ?? 'local',
  };
}

/** FC's error body; an unhandled throw in a callback-style handler is typed `FunctionUnhandledError: <name>`. */
export function errorBody(e, unhandledInCallbackStyle = false) {
  if (typeof e === 'string') return { errorMessage: e };
  const err = e instanceof Error ? e : new Error(String(e));
  const type = err.name || 'Error';
  return {
    errorMessage: err.message,
    errorType: unhandledInCallbackStyle ? `FunctionUnhandledError: ${type}` : type,
    stackTrace: String(err.stack || '').split('\n'),
  };
}

/** FC's result conversion: a Buffer as it is, nothing as empty, an object as JSON, anything else as text. */
export function toBytes(result) {
  if (Buffer.isBuffer(result)) return result;
  if (result === undefined || result === null) return Buffer.alloc(0);
  if (typeof result === 'object') return Buffer.from(JSON.stringify(result));
  return Buffer.from(String(result));
}

/**
 * Calls a handler or initializer in its style: with one more parameter than `args` it is the
 * callback style. Rejects with `{handled, err, callbackStyle}`: `handled` when the callback got the
 * error (HandledInvocationError), else a throw (UnhandledInvocationError).
 */
export function callStyled(fn, args) {
  if (fn.length > args.length) {
    return new Promise((resolve, reject) => {
      try {
        fn(...args, (err, value) => (err ? reject({ handled: true, err }) : resolve(value)));
      } catch (err) {
        reject({ handled: false, err, callbackStyle: true });
      }
    });
  }
  return Promise.resolve()
    .then(() => fn(...args))
    .catch((err) => Promise.reject({ handled: false, err }));
}

/** The outcome of a rejection from callStyled: FC's error type and body. */
export function failureOf(x) {
  const wrapped = x !== null && typeof x === 'object' && 'err' in x;
  const err = wrapped ? x.err : x;
  return {
    errorType: wrapped && x.handled ? 'HandledInvocationError' : 'UnhandledInvocationError',
    error: errorBody(err, wrapped && x.callbackStyle),
  };
}
