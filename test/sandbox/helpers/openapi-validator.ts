import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const OPENAPI_PATH = '/work/shared/bitbucket/openapi.json';

export interface SchemaValidator {
  /** Returns the list of validation errors (empty when valid). */
  validate(schemaName: string, value: unknown): string[];
}

/** Validates against components.schemas.X of Atlassian's openapi.json; null when the spec file is absent. */
export function loadOpenApiValidator(path = OPENAPI_PATH): SchemaValidator | null {
  if (!existsSync(path)) return null;
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  addFormats(ajv);
  // The whole document is one schema so that "#/components/schemas/..." refs resolve inside it.
  ajv.addSchema(doc, 'openapi');
  return {
    validate(schemaName, value) {
      const validate = ajv.getSchema(`openapi#/components/schemas/${schemaName}`);
      if (!validate) throw new Error(`no schema ${schemaName}`);
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
}
