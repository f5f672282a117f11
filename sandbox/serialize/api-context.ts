import type { SandboxState } from '../state/types';

/** What serializers need to build absolute links: REST links use apiBaseUrl + /2.0, html links use publicUrl. */
export interface ApiContext {
  state: SandboxState;
  publicUrl: string;
  apiBaseUrl: string;
}

/** 'rest' follows openapi.json strictly; 'webhook' follows the captured webhook payloads (extra type/links fields). */
export type Flavor = 'rest' | 'webhook';

export function toApiUrl(ctx: ApiContext, path: string): string {
  return `${ctx.apiBaseUrl}/2.0${path}`;
}

export function toHtmlUrl(ctx: ApiContext, path: string): string {
  return `${ctx.publicUrl}${path}`;
}

export function toLink(href: string): { href: string } {
  return { href };
}
