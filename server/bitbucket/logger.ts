/** The logging port the client writes to. Messages are static; details go in `meta`. */
export interface BitbucketLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Identifies the work a request belongs to in every log line. */
export interface BitbucketRequestContext {
  tenant?: string;
  deliveryId?: string;
}

const ignore = (): void => undefined;

/** A logger that drops everything, used when none is injected. */
export function createSilentLogger(): BitbucketLogger {
  return { debug: ignore, info: ignore, warn: ignore, error: ignore };
}
