import { PAGE_NAMES, type PageContext, type PageName } from './boot-context';
import { BootContextError } from './boot-context-error';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPageName = (value: unknown): value is PageName =>
  typeof value === 'string' && (PAGE_NAMES as readonly string[]).includes(value);

const toNullableString = (record: Record<string, unknown>, field: string): string | null => {
  const value = record[field];
  if (value === undefined || value === null) return null;
  // prId may arrive as a number from a lenient server; keep it a string inside the client.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value === '' ? null : value;
  throw new BootContextError(`bosun-context.${field} must be a string or null`);
};

const parseJson = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    throw new BootContextError('bosun-context is not valid JSON');
  }
};

/** Parses and validates the JSON text of <script id="bosun-context">. Throws BootContextError. */
export const parsePageContext = (json: string): PageContext => {
  const raw = parseJson(json);
  if (!isRecord(raw)) throw new BootContextError('bosun-context must be a JSON object');
  if (!isPageName(raw.page)) {
    throw new BootContextError(`bosun-context.page must be one of ${PAGE_NAMES.join(', ')}`);
  }
  if (typeof raw.hostBaseUrl !== 'string' || raw.hostBaseUrl === '') {
    throw new BootContextError('bosun-context.hostBaseUrl must be a non-empty string');
  }
  return {
    page: raw.page,
    repoUuid: toNullableString(raw, 'repoUuid'),
    repoFullName: toNullableString(raw, 'repoFullName'),
    prId: toNullableString(raw, 'prId'),
    userUuid: toNullableString(raw, 'userUuid'),
    accountId: toNullableString(raw, 'accountId'),
    hostBaseUrl: raw.hostBaseUrl,
  };
};
