import '@atlaskit/css-reset';
import './bosun.css';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { PageContext, PageName } from '../api/boot-context';
import { BootContextError } from '../api/boot-context-error';
import { createApiClient, type ApiClient } from '../api/create-api-client';
import { loadPageHost } from '../host/load-page-host';
import type { PageHost } from '../host/page-host';
import { ErrorBoundary } from './ErrorBoundary';
import { ErrorMessage } from './ErrorMessage';
import { resolveAtlaskitFlags } from './resolve-atlaskit-flags';

export interface PageDeps {
  context: PageContext;
  api: ApiClient;
}

const THEME_TIMEOUT_MS = 1500;

// Tokens (colors, fonts, spacing) come from theme CSS that setGlobalTheme loads on demand.
// Wait for it briefly so the first paint is themed, but never let a slow theme block the page.
const loadTheme = (): Promise<void> =>
  Promise.race([
    setGlobalTheme({ colorMode: 'light' }).then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => setTimeout(resolve, THEME_TIMEOUT_MS)),
  ]);

const toPageContent = async (host: PageHost, page: PageName, renderPage: (deps: PageDeps) => ReactNode): Promise<ReactNode> => {
  try {
    const { token, context } = await host.loadBootContext(page);
    if (context.page !== page) {
      throw new BootContextError(`this is the ${page} page but the server sent context for ${context.page}`);
    }
    const api = createApiClient({ token, fetch: host.fetch });
    return renderPage({ context, api });
  } catch (error) {
    return <ErrorMessage error={error} />;
  }
};

/** Boots one module page in its host (Connect or Forge): theme, boot context, API client, frame resizing, render into #root. */
export const mountPage = async (page: PageName, renderPage: (deps: PageDeps) => ReactNode): Promise<void> => {
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('Bosun pages need a <div id="root"> to render into');
  resolveAtlaskitFlags();
  const host = await loadPageHost();
  const [content] = await Promise.all([toPageContent(host, page, renderPage), loadTheme()]);
  host.watchContentSize(rootElement);
  createRoot(rootElement).render(
    <StrictMode>
      <ErrorBoundary>{content}</ErrorBoundary>
    </StrictMode>,
  );
};
