/** Base of the mirror's errors; callers branch on the literal `code`. */
export abstract class MirrorError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A view asked for a repository that neither the mirror nor Bitbucket knows for this tenant. */
export class MirrorNotFoundError extends MirrorError {
  readonly code = 'MIRROR_NOT_FOUND' as const;
}
