/** A fetch that wraps the real one and keeps every exchange, for checking against openapi.json. */

export interface RecordedExchange {
  method: string;
  url: URL;
  /** Parsed JSON when the request had a JSON body; undefined without a body. */
  requestBody: unknown;
  /** Null when the request failed before any response (timeout, dropped connection). */
  status: number | null;
  responseHeaders: Headers | null;
  contentType: string | null;
  /** Parsed JSON for JSON responses, the raw text otherwise, undefined for an empty body. */
  responseBody: unknown;
  isJson: boolean;
  error?: string;
}

export interface Recorder {
  fetch: typeof fetch;
  readonly exchanges: RecordedExchange[];
  /** Returns and forgets what was recorded since the last call. */
  take(): RecordedExchange[];
}

function parseRequestBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function createRecorder(inner: typeof fetch = (input, init) => globalThis.fetch(input, init)): Recorder {
  const exchanges: RecordedExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const base = { method, url, requestBody: parseRequestBody(init?.body) };
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      exchanges.push({ ...base, status: null, responseHeaders: null, contentType: null, responseBody: undefined, isJson: false, error: String(error) });
      throw error;
    }
    // Read a copy so the client still gets the untouched body.
    const text = await response.clone().text().catch(() => '');
    const contentType = response.headers.get('content-type');
    const jsonType = contentType !== null && /[/+]json\b/i.test(contentType);
    let responseBody: unknown = text === '' ? undefined : text;
    let isJson = false;
    if (jsonType && text.trim() !== '') {
      try {
        responseBody = JSON.parse(text) as unknown;
        isJson = true;
      } catch {
        // Left as text: validation reports a body that claims JSON but is not.
      }
    }
    exchanges.push({ ...base, status: response.status, responseHeaders: response.headers, contentType, responseBody, isJson });
    return response;
  };
  return {
    fetch: recordingFetch,
    exchanges,
    take: () => exchanges.splice(0),
  };
}
