import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';

/** An error shaped as body-parser's (http-errors): toMalformedRequest classifies it the same way. */
export class BodyError extends Error {
  readonly expose = true;
  constructor(readonly status: 400 | 413, readonly type: string, message: string) {
    super(message);
  }
}

/** The text each body read here was parsed from (after its BOM): bodies read by express.json have none. */
const bodyTexts = new WeakMap<object, string>();

/**
 * The JSON text this request's body was parsed from, when this reader parsed it (not express.json):
 * a store that keeps part of the body as text can cut it from here instead of stringifying it again.
 */
export const bodyTextOf = (req: object): string | undefined => bodyTexts.get(req);

/** Exactly `application/json`, optionally `; charset=utf-8`: what Bitbucket sends. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * express.json for the common case without its per-request machinery (type-is and media-typer
 * parsing, iconv decoding, raw-body's stream bookkeeping: ~8% of the intake's CPU per delivery,
 * profiled under bench/webhook-intake.ts). A plain, uncompressed `application/json` UTF-8 body is
 * read and parsed here with the same rules (limit, strict: an object or array, empty is `{}`) and
 * the same errors; any other Content-Type, Content-Encoding or charset goes to express.json itself.
 */
export function createJsonBody(options: { limitBytes: number }): RequestHandler {
  const full = express.json({ limit: options.limitBytes });
  return (req, res, next) => {
    if (!isPlainJsonRequest(req)) return full(req, res, next);
    readPlainJsonBody(req, options.limitBytes, (err, body, text) => {
      if (err) return next(err);
      req.body = body;
      if (text) bodyTexts.set(req, text);
      next();
    });
  };
}

/**
 * Whether this body is read here: plain `application/json` UTF-8, uncompressed, with a length or chunks
 * (without either there is no body at all, and body-parser leaves {} through its own path).
 */
export function isPlainJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  const encoding = req.headers['content-encoding'];
  const plain = type !== undefined && PLAIN_JSON.test(type) && (encoding === undefined || encoding.toLowerCase() === 'identity');
  return plain && !(req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined);
}

/**
 * Reads and parses a plain JSON body (isPlainJsonRequest) with body-parser's rules and errors; `done` is
 * called once, with the parsed body and the text it was parsed from (after a BOM), or with the error.
 */
export function readPlainJsonBody(req: IncomingMessage, limitBytes: number, done: (err: BodyError | null, body?: unknown, text?: string) => void): void {
  const declared = req.headers['content-length'];
  const length = declared === undefined ? null : Number(declared);
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const detach = () => {
    settled = true;
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('aborted', onAborted);
    req.removeListener('error', onError);
  };
  const fail = (err: BodyError) => {
    detach();
    // Read off the rest of the request before answering, as body-parser does.
    if (req.complete || req.destroyed) return done(err);
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      done(err);
    };
    req.once('end', answer);
    req.once('close', answer);
    req.resume();
  };
  function onData(chunk: Buffer) {
    if (settled) return;
    received += chunk.length;
    if (received > limitBytes) return fail(new BodyError(413, 'entity.too.large', 'request entity too large'));
    chunks.push(chunk);
  }
  function onAborted() {
    detach();
    done(new BodyError(400, 'request.aborted', 'request aborted'));
  }
  function onError() {
    detach();
    done(new BodyError(400, 'request.error', 'The request body could not be read'));
  }
  function onEnd() {
    detach();
    if (length !== null && received !== length) {
      return done(new BodyError(400, 'request.size.invalid', 'request size did not match content length'));
    }
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8');
    // A leading BOM is stripped by body-parser's decoder.
    const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    let body: unknown;
    try {
      body = parseStrict(json);
    } catch {
      return done(new BodyError(400, 'entity.parse.failed', 'The request body is not valid JSON'));
    }
    done(null, body, json.length > 0 ? json : undefined);
  }
  if (length !== null && length > limitBytes) return fail(new BodyError(413, 'entity.too.large', 'request entity too large'));
  req.on('data', onData);
  req.once('end', onEnd);
  req.once('aborted', onAborted);
  req.once('error', onError);
}

/** body-parser's strict mode: an empty body is {}, anything but an object or array is refused. */
function parseStrict(body: string): unknown {
  if (body.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw new SyntaxError('strict violation');
  return JSON.parse(body) as unknown;
}
