import { PermanentError } from '../errors';
import type { ZodError } from 'zod';

export class RequestValidationError extends PermanentError<'REQUEST_INVALID'> {
  constructor(message: string) {
    super('REQUEST_INVALID', 400, message);
  }

  static fromZod(what: string, error: ZodError): RequestValidationError {
    const detail = error.issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
    return new RequestValidationError(`Invalid ${what}: ${detail}`);
  }
}

export class NotFoundError extends PermanentError<'NOT_FOUND'> {
  constructor(message: string) {
    super('NOT_FOUND', 404, message);
  }
}

/** What a malformed request is answered with: always a 4xx the sender can fix. */
export interface MalformedRequest {
  status: 400 | 413 | 415;
  code: 'BODY_INVALID' | 'BODY_TOO_LARGE' | 'BODY_ENCODING_INVALID' | 'BODY_ENCODING_UNSUPPORTED' | 'BODY_CHARSET_UNSUPPORTED' | 'URL_INVALID';
  message: string;
}

/** The fields body-parser (via http-errors) and Express's param decoding put on their errors. */
interface HttpClientError {
  status: number;
  type?: unknown;
  code?: unknown;
  expose?: unknown;
}

function isHttpClientError(err: unknown): err is HttpClientError {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Classifies what body-parser and Express throw before a handler runs (bad JSON, a Content-Encoding
 * the body does not match, an unknown charset, a path that is not valid percent-encoding), so that
 * none of it is answered as Bosun's own failure. Null when `err` is not such an error.
 */
export function toMalformedRequest(err: unknown): MalformedRequest | null {
  if (!isHttpClientError(err)) return null;
  // Express 4 marks a path parameter it cannot decode with status 400 on a URIError.
  if (err instanceof URIError) return { status: 400, code: 'URL_INVALID', message: 'The URL is not valid percent-encoded UTF-8' };
  switch (err.type) {
    case 'entity.too.large':
    case 'parameters.too.many':
      return { status: 413, code: 'BODY_TOO_LARGE', message: 'The request body is too large' };
    case 'encoding.unsupported':
      return { status: 415, code: 'BODY_ENCODING_UNSUPPORTED', message: 'The request body\'s Content-Encoding is not supported; send it uncompressed, gzip or deflate' };
    case 'charset.unsupported':
      return { status: 415, code: 'BODY_CHARSET_UNSUPPORTED', message: 'The request body\'s charset is not supported; send UTF-8' };
    case 'entity.parse.failed':
      return { status: 400, code: 'BODY_INVALID', message: 'The request body is not valid JSON' };
    default:
      break;
  }
  // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR…), wrapped by body-parser with status 400 and no type.
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return { status: 400, code: 'BODY_ENCODING_INVALID', message: 'The request body does not match its Content-Encoding (it is not valid gzip or deflate)' };
  }
  // Anything else body-parser refuses (aborted, length mismatch): http-errors marks it expose.
  if (err.expose === true) return { status: 400, code: 'BODY_INVALID', message: 'The request body could not be read' };
  return null;
}
