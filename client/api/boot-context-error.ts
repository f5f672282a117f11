/** The page was served without a usable session token or context (not through Bosun's page route). */
export class BootContextError extends Error {
  readonly code = 'boot_context_invalid';

  constructor(message: string) {
    super(message);
    this.name = 'BootContextError';
  }
}
