import type { ZodError } from 'zod';

export class RequestValidationError extends Error {
  readonly code = 'REQUEST_INVALID' as const;
  constructor(message: string) {
    super(message);
    this.name = 'RequestValidationError';
  }

  static fromZod(what: string, error: ZodError): RequestValidationError {
    const detail = error.issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
    return new RequestValidationError(`Invalid ${what}: ${detail}`);
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND' as const;
}
