import SectionMessage from '@atlaskit/section-message/message';
import type { ConnectPrompt } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { ConnectButton } from './ConnectButton';

const TEXT: Record<ConnectPrompt['reason'], { title: string; button: string }> = {
  not_connected: { title: 'Connect your Bitbucket account', button: 'Connect your Bitbucket account' },
  needs_reconnect: { title: 'Reconnect your Bitbucket account', button: 'Reconnect' },
  missing_scopes: { title: 'Bosun needs more permissions', button: 'Reconnect with more permissions' },
};

/** Shown instead of a generic error when an action must run as the viewer. */
export const ConnectPromptMessage = ({ prompt, message, api, onConnected }: { prompt: ConnectPrompt; message: string; api: ApiClient; onConnected: () => void }) => {
  const text = TEXT[prompt.reason];
  return (
    <div data-testid="connect-prompt" data-reason={prompt.reason}>
      <SectionMessage appearance="information" title={text.title}>
        <div className="bosun-section">
          <p>{message}</p>
          {prompt.requiredScopes.length > 0 ? <p className="bosun-subtle">Needs: {prompt.requiredScopes.join(', ')}</p> : null}
          <ConnectButton api={api} label={text.button} onConnected={onConnected} />
        </div>
      </SectionMessage>
    </div>
  );
};
