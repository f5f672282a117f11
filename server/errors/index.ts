export { isBosunError, toBosunError } from './error-fields';
export type { BosunError, ErrorClassifier, ErrorFields } from './error-fields';
export { PermanentError } from './permanent-error';
export { RetryableError } from './retryable-error';
