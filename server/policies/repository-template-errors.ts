export class TemplateConflictError extends Error {
  readonly code = 'TEMPLATE_CONFLICT' as const;
  readonly httpStatus = 409;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(readonly template: string, readonly storedVersion: number) {
    super(`The template ${template} changed meanwhile (now version ${storedVersion}); reload and edit again.`);
    this.name = 'TemplateConflictError';
  }
}

export class TemplateNotFoundError extends Error {
  readonly code = 'TEMPLATE_NOT_FOUND' as const;
  readonly httpStatus = 404;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor(readonly template: string) {
    super(`There is no repository template named ${template}.`);
    this.name = 'TemplateNotFoundError';
  }
}

export class TemplateBatchNotFoundError extends Error {
  readonly code = 'TEMPLATE_BATCH_NOT_FOUND' as const;
  readonly httpStatus = 404;
  readonly retryable = false;
  readonly retryAfterMs = null;
  constructor() {
    super('There is no such bulk apply in this workspace.');
    this.name = 'TemplateBatchNotFoundError';
  }
}
