import { readBootContext } from '../api/read-boot-context';
import { watchContentSize } from './ap';
import type { PageHost } from './page-host';

/** Connect: the page route put the session token and context in <head>; the API is same-origin. */
export const createConnectHost = (): PageHost => ({
  kind: 'connect',
  loadBootContext: async () => readBootContext(document),
  fetch: (input, init) => window.fetch(input, init),
  watchContentSize,
});
