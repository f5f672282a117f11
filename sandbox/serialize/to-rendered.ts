import { escapeHtml } from '../host/escape-html';
import type { Flavor } from './api-context';

/** Bitbucket's rendered markup object; the spec forbids `type` inside it, webhooks carry `type: "rendered"`. */
export function toRendered(raw: string, flavor: Flavor): Record<string, string> {
  const html = raw ? raw.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p.trim())}</p>`).join('\n') : '';
  const base = { raw, markup: 'markdown', html };
  return flavor === 'webhook' ? { type: 'rendered', ...base } : base;
}
