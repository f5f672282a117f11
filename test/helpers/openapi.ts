/**
 * Atlassian's openapi.json, read from ../shared at test time (never copied into the repository),
 * compiled once with ajv so that any `#/components/...` reference validates a value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

import { OPENAPI_PATH } from './shared-samples';

export { OPENAPI_PATH };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

export interface OpenApiMediaType {
  schema?: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  requestBody?: { content?: Record<string, OpenApiMediaType>; required?: boolean } | { $ref: string };
  responses?: Record<string, { content?: Record<string, OpenApiMediaType> } | { $ref: string }>;
}

export type OpenApiPathItem = { parameters?: Array<OpenApiParameter | { $ref: string }> } & Partial<
  Record<'get' | 'post' | 'put' | 'delete' | 'patch', OpenApiOperation>
>;

export interface OpenApiDocument {
  paths: Record<string, OpenApiPathItem>;
  components?: Record<string, Record<string, unknown>>;
}

export interface OpenApiSpec {
  doc: OpenApiDocument;
  /** Validates `value` against a schema inside the document named by a local ref (`#/components/schemas/pullrequest`). */
  validateRef(ref: string, value: unknown): ErrorObject[];
  /** Validates against an inline schema taken from the document (its inner refs resolve against the document). */
  validateSchema(schema: Record<string, unknown>, value: unknown): ErrorObject[];
  /** Follows a `{ $ref: '#/…' }` inside the document; other values are returned as they are. */
  resolve<T>(value: T | { $ref: string }): T;
}

const DOC_ID = 'openapi';

function addFormats(ajv: Ajv): void {
  const plugin = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  plugin(ajv);
}

/** Loads and compiles the spec; null when the file is absent (a user's machine without ../shared). */
export function loadOpenApi(path = OPENAPI_PATH): OpenApiSpec | null {
  if (!existsSync(path)) return null;
  const doc = JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  // strict off: the document is OpenAPI, not pure JSON Schema (`example`, `discriminator`, `x-*`…).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // The whole document is one schema so that "#/components/schemas/..." refs resolve inside it.
  ajv.addSchema(doc as unknown as Record<string, unknown>, DOC_ID);
  const byRef = new Map<string, ValidateFunction>();
  const inline = new WeakMap<object, ValidateFunction>();

  const compileRef = (ref: string): ValidateFunction => {
    let validate = byRef.get(ref);
    if (!validate) {
      if (!ref.startsWith('#/')) throw new Error(`only local refs are supported, got ${ref}`);
      validate = ajv.getSchema(`${DOC_ID}${ref}`);
      if (!validate) throw new Error(`openapi.json has no ${ref}`);
      byRef.set(ref, validate);
    }
    return validate;
  };
  const run = (validate: ValidateFunction, value: unknown): ErrorObject[] => (validate(value) ? [] : [...(validate.errors ?? [])]);

  const resolve = <T>(value: T | { $ref: string }): T => {
    let current: unknown = value;
    for (let depth = 0; depth < 10 && typeof current === 'object' && current !== null && '$ref' in current; depth += 1) {
      const ref = String((current as { $ref: string }).$ref);
      current = ref
        .replace(/^#\//, '')
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      if (current === undefined) throw new Error(`openapi.json has no ${ref}`);
    }
    return current as T;
  };

  return {
    doc,
    resolve,
    validateRef: (ref, value) => run(compileRef(ref), value),
    validateSchema(schema, value) {
      if (typeof schema.$ref === 'string' && Object.keys(schema).length === 1) return run(compileRef(schema.$ref), value);
      let validate = inline.get(schema);
      if (!validate) {
        // Inline schemas keep their refs pointing into the document.
        validate = ajv.compile(rebase(schema));
        inline.set(schema, validate);
      }
      return run(validate, value);
    },
  };
}

/** Rewrites `#/components/...` refs of an inline schema to `openapi#/components/...`. */
function rebase(schema: Record<string, unknown>): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${DOC_ID}${value}` : walk(value),
      ]),
    );
  };
  return walk(schema) as Record<string, unknown>;
}

/** One line per ajv error: `/values/0/links/self type must be object {"type":"object"}`. */
export function formatAjvError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.keyword}: ${error.message ?? ''} ${JSON.stringify(error.params)}`;
}

export interface SchemaValidator {
  /** Returns the list of validation errors (empty when valid). */
  validate(schemaName: string, value: unknown): string[];
}

/**
 * Validates against components.schemas.X of Atlassian's openapi.json. Without the spec (a user's
 * own machine; CI always has it, see shared-samples.ts) shape checks pass with a warning, so that
 * the behaviour the same tests assert still runs.
 */
export function loadOpenApiValidator(path = OPENAPI_PATH): SchemaValidator {
  const spec = loadOpenApi(path);
  if (!spec) {
    console.warn(`${path} not found: response shapes are not checked against Atlassian's spec in this run`);
    return { validate: () => [] };
  }
  return {
    validate: (schemaName, value) => spec.validateRef(`#/components/schemas/${schemaName}`, value).map(formatAjvError),
  };
}
