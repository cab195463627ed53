// Worker-thread host for a local FC-style function (plain JS so it needs no loader to start).
// Loads the handler module once (TypeScript through tsx's register API), runs the initializer once,
// then runs invocations as FC's Node.js runtime does (fcContract.mjs: the styles, result conversion
// and error shape).
// Messages to the parent: ready | initError | log {id, line} | result {id, ok, body | errorType+error}.
import { parentPort, workerData } from 'node:worker_threads';
import { register as registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { callStyled, errorBody, failureOf, toBytes } from './fcContract.mjs';

const { modulePath, handlerName, initializerName, tsxApi, packageRoot } = workerData;

// When the function's own node_modules has no 'sls-trigger' (a scaffolded project before npm
// install, or a template inside this repository), resolve it to the running package, the way an FC
// layer provides a library. A function that installed its own copy keeps it.
const fallbackHooks = `
let root;
export async function initialize(data) { root = data.root; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && (specifier === 'sls-trigger' || specifier.startsWith('sls-trigger/'))) {
      return next(specifier, { ...context, parentURL: root });
    }
    throw e;
  }
}`;
let current = '';

function stamp(requestId, level, args) {
  const t = new Date().toISOString().replace('T', ' ').replace('Z', '');
  return `${t} ${requestId} [${level}] ${format(...args)}`;
}

function emit(line) {
  parentPort.postMessage({ type: 'log', id: current, line });
}

for (const [method, level] of [
  ['log', 'info'],
  ['info', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['debug', 'debug'],
]) {
  console[method] = (...args) => emit(stamp(current, level, args));
}
process.stdout.write = (chunk) => {
  for (const line of String(chunk).split('\n')) if (line !== '') emit(line);
  return true;
};

function loggerFor(requestId) {
  const l = {};
  for (const level of ['debug', 'info', 'warn', 'error']) l[level] = (...args) => emit(stamp(requestId, level, args));
  l.log = l.info;
  return l;
}

/** The first place in the user's code an error's stack names (file:line:column), skipping Node's and loaders' frames. */
function userFrame(err) {
  for (const m of String(err.stack ?? '').matchAll(/(?:^|[\s(])(?:file:\/\/)?(\/[^\s():]+):(\d+)(?::(\d+))?/gm)) {
    if (m[1].includes('/node_modules/') || m[1].endsWith('/localWorker.mjs')) continue;
    return `${m[1]}:${m[2]}${m[3] ? `:${m[3]}` : ''}`;
  }
  return undefined;
}

/**
 * A module that throws while it is imported (a JSON.parse of an unset variable, a syntax error, a
 * missing import) says which file failed and where: the bare message ('"undefined" is not valid
 * JSON') named neither.
 */
async function importUserModule() {
  try {
    return await import(pathToFileURL(modulePath).href);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const at = userFrame(err);
    const failure = new Error(`loading ${modulePath} failed${at ? ` at ${at}` : ''}: ${err.name}: ${err.message}`);
    failure.name = err.name;
    failure.stack = err.stack;
    throw failure;
  }
}

async function load() {
  if (tsxApi) {
    const { register } = await import(tsxApi);
    register();
  }
  registerHooks('data:text/javascript,' + encodeURIComponent(fallbackHooks), import.meta.url, { data: { root: packageRoot } });
  const mod = await importUserModule();
  const pick = (name) => mod[name] ?? mod.default?.[name];
  const handler = pick(handlerName);
  if (typeof handler !== 'function') throw new Error(`Handler '${handlerName}' missing on module '${modulePath}'`);
  const initializer = initializerName ? pick(initializerName) : undefined;
  if (initializerName && typeof initializer !== 'function')
    throw new Error(`Initializer '${initializerName}' missing on module '${modulePath}'`);
  return { handler, initializer };
}

let fn;
let initDone = false;

parentPort.on('message', async (msg) => {
  if (msg.type !== 'invoke') return;
  current = msg.context.requestId;
  const context = { ...msg.context, logger: loggerFor(current) };
  try {
    if (!initDone && fn.initializer) {
      try {
        await callStyled(fn.initializer, [context]);
      } catch (x) {
        const { error } = failureOf(x);
        parentPort.postMessage({ type: 'result', id: msg.id, ok: false, errorType: 'InitializationError', error });
        return;
      }
    }
    initDone = true;
    const value = await callStyled(fn.handler, [Buffer.from(msg.event), context]);
    parentPort.postMessage({ type: 'result', id: msg.id, ok: true, body: toBytes(value) });
  } catch (x) {
    parentPort.postMessage({ type: 'result', id: msg.id, ok: false, ...failureOf(x) });
  }
});

try {
  fn = await load();
  parentPort.postMessage({ type: 'ready' });
} catch (e) {
  parentPort.postMessage({ type: 'initError', error: errorBody(e, false) });
}
