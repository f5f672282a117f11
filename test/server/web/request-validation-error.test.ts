import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../../server/web/error-handler';
import { toMalformedRequest } from '../../../server/web/request-validation-error';

/** body-parser wraps its failures with http-errors: status, expose, and (mostly) a type. */
const httpError = (status: number, fields: Record<string, unknown>) => Object.assign(new Error('x'), { status, statusCode: status, expose: status < 500, ...fields });

function zlibError(): Error {
  try {
    inflateSync(Buffer.from('not deflate'));
  } catch (err) {
    return err as Error;
  }
  throw new Error('inflate accepted garbage');
}

describe('toMalformedRequest', () => {
  it.each([
    ['a body over the limit', httpError(413, { type: 'entity.too.large' }), 413, 'BODY_TOO_LARGE'],
    ['an unknown Content-Encoding', httpError(415, { type: 'encoding.unsupported' }), 415, 'BODY_ENCODING_UNSUPPORTED'],
    ['an unknown charset', httpError(415, { type: 'charset.unsupported' }), 415, 'BODY_CHARSET_UNSUPPORTED'],
    ['JSON that does not parse', httpError(400, { type: 'entity.parse.failed' }), 400, 'BODY_INVALID'],
    ['a body cut short', httpError(400, { type: 'request.aborted' }), 400, 'BODY_INVALID'],
    ['a body that is not the gzip it claims', Object.assign(zlibError(), { status: 400, statusCode: 400, expose: true }), 400, 'BODY_ENCODING_INVALID'],
    ['a path parameter Express cannot decode', Object.assign(new URIError("Failed to decode param '%ff'"), { status: 400, statusCode: 400 }), 400, 'URL_INVALID'],
  ])('maps %s to a 4xx with a code', (_name, err, status, code) => {
    expect(toMalformedRequest(err)).toMatchObject({ status, code });
    expect(toHttpError(err)).toMatchObject({ status, code });
  });

  it('leaves everything else to the rest of the mapper: plain errors, server-side statuses, a bare URIError', () => {
    expect(toMalformedRequest(new Error('boom'))).toBeNull();
    expect(toMalformedRequest(httpError(500, { type: 'stream.encoding.set' }))).toBeNull();
    expect(toMalformedRequest(new URIError('URI malformed'))).toBeNull();
    expect(toMalformedRequest(null)).toBeNull();
  });
});
