import type { BootContext } from './boot-context';
import { BootContextError } from './boot-context-error';
import { parsePageContext } from './parse-page-context';

/** The slice of Document we read, so tests can pass a tiny fake. */
export interface BootDocument {
  querySelector(selectors: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
}

/**
 * Reads the session token and page context that the page route injected into <head>.
 * Call once at boot; throws BootContextError when either is missing or malformed.
 */
export const readBootContext = (doc: BootDocument): BootContext => {
  const token = doc.querySelector('meta[name="bosun-session"]')?.getAttribute('content')?.trim();
  if (!token) throw new BootContextError('The session token (meta bosun-session) is missing');
  const json = doc.querySelector('script#bosun-context')?.textContent;
  if (!json || json.trim() === '') throw new BootContextError('The page context (script bosun-context) is missing');
  return { token, context: parsePageContext(json) };
};
