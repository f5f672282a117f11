/** A failed state change or lookup, carrying the HTTP status Bitbucket would answer with. */
export class SandboxError extends Error {
  readonly code = 'SANDBOX_ERROR' as const;
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
