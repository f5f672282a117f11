import type { FetchLike } from '../api/create-api-client';

/** What `invokeRemote` takes and resolves to (@forge/bridge's InvokeRemoteInput and RemoteInvokeResponse). */
export interface RemoteCall {
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
}
export type InvokeRemote = (call: RemoteCall) => Promise<unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const NO_BODY = new Set([204, 205, 304]);

const toHeaders = (value: unknown): Headers => {
  const headers = new Headers();
  if (!isRecord(value)) return headers;
  for (const [name, v] of Object.entries(value)) {
    // The bridge joins multi-valued headers with commas; accept arrays too.
    if (typeof v === 'string') headers.set(name, v);
    else if (Array.isArray(v)) headers.set(name, v.map(String).join(','));
  }
  return headers;
};

/**
 * The API client's fetch over Forge Remote: every call goes through `invokeRemote` (Forge adds the
 * FIT and the tokens; the page's own Authorization header is dropped, Forge would replace it), and
 * Forge's `{status, headers, body}` becomes a Response the client reads as it reads Bosun's own.
 */
export const toForgeFetch = (invoke: InvokeRemote): FetchLike => async (input, init) => {
  const headers = Object.fromEntries(Object.entries(init.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  let body: unknown;
  if (init.body !== undefined) {
    try {
      body = JSON.parse(init.body);
    } catch {
      throw new TypeError('Forge Remote calls carry JSON bodies only');
    }
  }
  const answer = await invoke({ path: input, method: init.method, headers, ...(body !== undefined ? { body } : {}) });
  if (!isRecord(answer) || typeof answer.status !== 'number' || answer.status < 200 || answer.status > 599) {
    return new Response(JSON.stringify({ error: { code: 'FORGE_NO_ANSWER', message: 'Forge did not pass on Bosun\'s answer' } }), {
      status: 502,
      headers: { 'Content-Type': 'application/json' },
    });
  }
  const responseHeaders = toHeaders(answer.headers);
  const hasBody = answer.body !== undefined && answer.body !== null && !NO_BODY.has(answer.status);
  if (hasBody && !responseHeaders.has('content-type')) responseHeaders.set('Content-Type', 'application/json');
  return new Response(hasBody ? JSON.stringify(answer.body) : null, { status: answer.status, headers: responseHeaders });
};
