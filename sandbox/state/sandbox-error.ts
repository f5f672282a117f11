/** A failed state change or lookup, carrying the HTTP status Bitbucket would answer with. */
export class SandboxError extends Error {
  readonly code = 'SANDBOX_ERROR' as const;
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
    /** error.data in Bitbucket's error body (Pipelines puts a machine-readable `key` there) */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
