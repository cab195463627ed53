// FC's Node.js calling conventions: a handler is called (event, context) async, or (event, context,
// callback); an initializer (context) or (context, callback). Both styles are honoured.
import type { FcContextLike, FcHandler, HandlerResult } from './types.js';

/** An FC handler around `run`: two declared parameters, so runtimes take the async style; a callback passed anyway is honoured. */
export function fcHandler(run: (event: unknown, context: FcContextLike) => Promise<HandlerResult>): FcHandler {
  return async function handler(event: unknown, context: FcContextLike, ...rest: Array<(err: unknown, result?: unknown) => void>) {
    const callback = rest[0];
    try {
      const result = await run(event, context ?? {});
      callback?.(null, result);
      return result;
    } catch (e) {
      if (callback) {
        callback(e);
        return undefined as unknown as HandlerResult;
      }
      throw e;
    }
  };
}

/** An FC initializer (`exports.initialize`) from an async function. */
export function createInitializer(fn: (context: FcContextLike) => void | Promise<void>) {
  return async function initialize(context: FcContextLike, callback?: (err: unknown) => void): Promise<void> {
    try {
      await fn(context);
      callback?.(null);
    } catch (e) {
      if (!callback) throw e;
      callback(e);
    }
  };
}
