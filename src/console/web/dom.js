// Small DOM and fetch helpers for the console's page (app.js).
const token = document.querySelector('meta[name="console-token"]').content;

export const $ = (sel, root = document) => root.querySelector(sel);
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

/** GET a JSON endpoint; a failure names the endpoint (the console may have stopped, or answered an error). */
export async function getJson(path) {
  let r;
  try {
    r = await fetch(path);
  } catch (e) {
    throw new Error(`${path}: the console did not answer (${e.message}); is it still running?`);
  }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(`${path}: ${body.error ?? `${r.status} ${r.statusText}`}`);
  return body;
}

export async function postJson(path, body) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-console-token': token },
    body: JSON.stringify(body),
  });
  const out = await r.json();
  if (!r.ok) throw new Error(out.error ?? r.statusText);
  return out;
}

export const time = (s) => (s ? new Date(s * 1000).toLocaleString() : '—');
export const statusCell = (s) => el('span', { class: `status-${s}` }, s);
/** A cursor by the last digits of the position it encodes (base64 of a decimal), as the CLI prints it. */
export const shortCursor = (c) => {
  try {
    const n = atob(c);
    return /^\d+$/.test(n) ? `…${n.slice(-6)}` : c;
  } catch {
    return c ?? '';
  }
};
