import Button from '@atlaskit/button/default/button';
import type { ApiClient } from '../api/create-api-client';
import { useConnectFlow } from './use-connect-flow';

export interface ConnectButtonProps {
  api: ApiClient;
  label: string;
  onConnected: () => void;
  disabledReason?: string;
}

/** Starts the OAuth flow in a window and tells the page when it is done. */
export const ConnectButton = ({ api, label, onConnected, disabledReason }: ConnectButtonProps) => {
  const { state, start } = useConnectFlow(api, onConnected);
  return (
    <div className="bosun-section">
      <div className="bosun-inline">
        <Button appearance="primary" testId="connect-bitbucket" isDisabled={Boolean(disabledReason)} onClick={() => void start()}>
          {label}
        </Button>
        {disabledReason ? <span className="bosun-subtle">{disabledReason}</span> : null}
      </div>
      {state.status === 'waiting' ? (
        <span className="bosun-subtle" data-testid="connect-waiting">
          Finish in the Bitbucket window.{' '}
          <a className="bosun-link" href={state.url} target="_blank" rel="noopener noreferrer">
            Open it again
          </a>
        </span>
      ) : null}
      {state.status === 'failed' ? (
        <span className="bosun-subtle" role="alert" data-testid="connect-failed">
          {state.message}
        </span>
      ) : null}
    </div>
  );
};
