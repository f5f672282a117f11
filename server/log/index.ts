export { createLogger, redact } from './logger';
export type { Logger, LogLevel, LogMeta, LoggerOptions, PinoBacked } from './logger';
