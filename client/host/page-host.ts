import type { BootContext, PageName } from '../api/boot-context';
import type { FetchLike } from '../api/create-api-client';

/**
 * The door to the product around a page: Bitbucket's Connect iframe API (all.js) or Forge's
 * Custom UI bridge (@forge/bridge). Pages never see which one; `loadPageHost` picks it at boot.
 */
export interface PageHost {
  readonly kind: 'connect' | 'forge';
  /** Who and where the page is, and the token its API calls carry (Forge: none, Forge adds the FIT). */
  loadBootContext(page: PageName): Promise<BootContext>;
  /** How the API client reaches Bosun: same-origin fetch (Connect) or Forge Remote (Forge). */
  fetch: FetchLike;
  /** Keeps the host's frame fitted to the page; returns a function that stops watching. */
  watchContentSize(element: HTMLElement): () => void;
}
