import { PermanentError } from '../errors';
export class TemplateConflictError extends PermanentError<'TEMPLATE_CONFLICT'> {
  constructor(readonly template: string, readonly storedVersion: number) {
    super('TEMPLATE_CONFLICT', 409, `The template ${template} changed meanwhile (now version ${storedVersion}); reload and edit again.`);
  }
}

export class TemplateNotFoundError extends PermanentError<'TEMPLATE_NOT_FOUND'> {
  constructor(readonly template: string) {
    super('TEMPLATE_NOT_FOUND', 404, `There is no repository template named ${template}.`);
  }
}

export class TemplateBatchNotFoundError extends PermanentError<'TEMPLATE_BATCH_NOT_FOUND'> {
  constructor() {
    super('TEMPLATE_BATCH_NOT_FOUND', 404, 'There is no such bulk apply in this workspace.');
  }
}
