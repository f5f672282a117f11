import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import SectionMessage from '@atlaskit/section-message/message';
import { useState } from 'react';
import type { ConnectionView, PersonalSettingsView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { ConnectButton } from '../components/ConnectButton';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageShell } from '../components/PageShell';
import { Section } from '../components/Section';
import { UserAvatar } from '../components/UserAvatar';

export interface PersonalSettingsProps {
  view: PersonalSettingsView;
  api: ApiClient;
  reload: () => void;
}

const NOT_CONFIGURED = 'A workspace admin must first set up the Bitbucket OAuth consumer (Bosun admin settings).';

const Profile = ({ connection }: { connection: ConnectionView }) => (
  <div className="bosun-section" data-testid="connected-profile">
    <UserAvatar
      user={{ uuid: '', accountId: null, displayName: connection.displayName ?? 'You', nickname: connection.nickname, avatarUrl: connection.avatarUrl }}
    />
    <dl className="bosun-facts">
      <dt>Bitbucket account</dt>
      <dd data-testid="connected-name">{connection.displayName}</dd>
      <dt>Nickname</dt>
      <dd className="bosun-mono">{connection.nickname ?? '—'}</dd>
      <dt>Email</dt>
      <dd>{connection.email ?? '—'}</dd>
      <dt>Permissions</dt>
      <dd>
        <span className="bosun-inline">
          {connection.scopes.map((s) => (
            <Lozenge key={s} appearance="new">
              {s}
            </Lozenge>
          ))}
        </span>
      </dd>
    </dl>
  </div>
);

/** After a disconnect: one state, not connected, with where to revoke Bosun in Bitbucket too. */
const Disconnected = ({ revokeUrl, reload }: { revokeUrl: string; reload: () => void }) => (
  <div className="bosun-section">
    <div className="bosun-inline">
      <Lozenge appearance="default">Not connected</Lozenge>
    </div>
    <SectionMessage appearance="success" title="Disconnected">
      <p data-testid="disconnected">
        Bosun deleted your tokens. To revoke its access in Bitbucket too, open{' '}
        <a className="bosun-link" href={revokeUrl} target="_blank" rel="noopener noreferrer" data-testid="revoke-link">
          App authorizations
        </a>
        .
      </p>
      <Button onClick={reload}>Done</Button>
    </SectionMessage>
  </div>
);

const Disconnect = ({ api, onDisconnected }: { api: ApiClient; onDisconnected: (revokeUrl: string) => void }) => {
  const [state, setState] = useState<{ status: 'idle' | 'busy' } | { status: 'error'; error: unknown }>({ status: 'idle' });
  return (
    <div className="bosun-section">
      <Button
        appearance="subtle"
        testId="disconnect-bitbucket"
        isDisabled={state.status === 'busy'}
        onClick={() => {
          setState({ status: 'busy' });
          api.disconnect().then(
            (result) => onDisconnected(result.revokeUrl),
            (error: unknown) => setState({ status: 'error', error }),
          );
        }}
      >
        Disconnect
      </Button>
      {state.status === 'error' ? <ErrorMessage error={state.error} /> : null}
    </div>
  );
};

const Connection = ({ view, api, reload, revokeUrl, onDisconnected }: PersonalSettingsProps & { revokeUrl: string | null; onDisconnected: (revokeUrl: string) => void }) => {
  const { connection } = view;
  if (view.actsAsYouWith === 'forge-user-token') {
    // Forge sends Bosun the person's own token with each action they start (x-forge-oauth-user): nothing to connect or store.
    return (
      <div className="bosun-section" data-testid="forge-user-token">
        <div className="bosun-inline">
          <Lozenge appearance="success">Acts as you</Lozenge>
          <span>
            Bitbucket sends Bosun your token with each action you start here (Approve as me, Ask Bosun), and Bosun acts as you with it for
            that action only. Bosun keeps no token of yours, so there is nothing to connect or disconnect.
          </span>
        </div>
      </div>
    );
  }
  const disabledReason = view.oauthConfigured ? undefined : NOT_CONFIGURED;
  if (revokeUrl !== null) return <Disconnected revokeUrl={revokeUrl} reload={reload} />;
  switch (connection.status) {
    case 'connected':
      return (
        <div className="bosun-section">
          <div className="bosun-inline">
            <Lozenge appearance="success">Connected</Lozenge>
            <span>
              Bosun acts as <strong>{connection.displayName ?? 'your Bitbucket account'}</strong> when you ask it to.
            </span>
          </div>
          <Profile connection={connection} />
          <Disconnect api={api} onDisconnected={onDisconnected} />
        </div>
      );
    case 'needs_reconnect':
      return (
        <SectionMessage appearance="warning" title="Reconnect your Bitbucket account">
          <div className="bosun-section" data-testid="needs-reconnect">
            <p>
              Bosun can no longer act as {connection.displayName ?? 'you'}: the authorization expired or was revoked. Reconnect to keep
              using actions that run as you.
            </p>
            <ConnectButton api={api} label="Reconnect your Bitbucket account" onConnected={reload} disabledReason={disabledReason} />
          </div>
        </SectionMessage>
      );
    case 'not_connected':
      return (
        <div className="bosun-section">
          <div className="bosun-inline">
            <Lozenge appearance="default">Not connected</Lozenge>
            <span className="bosun-subtle">Connect your account so Bosun can merge, comment and approve as you, not as the app.</span>
          </div>
          <ConnectButton api={api} label="Connect your Bitbucket account" onConnected={reload} disabledReason={disabledReason} />
        </div>
      );
  }
};

/** A user's own Bosun settings: who they are and their Bitbucket connection. */
export const PersonalSettings = (props: PersonalSettingsProps) => {
  // Set once a disconnect succeeded: the page then shows that one state until it reloads.
  const [revokeUrl, setRevokeUrl] = useState<string | null>(null);
  const status = props.view.actsAsYouWith === 'forge-user-token' ? 'forge' : revokeUrl !== null ? 'not_connected' : props.view.connection.status;
  return (
    <PageShell testId="personal-settings" title="Your Bosun settings" subtitle={props.view.workspaceSlug ?? undefined}>
      <Section title="You">
        <dl className="bosun-facts">
          <dt>Account ID</dt>
          <dd className="bosun-mono">{props.view.viewer.accountId ?? '—'}</dd>
          <dt>User UUID</dt>
          <dd className="bosun-mono">{props.view.viewer.uuid ?? '—'}</dd>
        </dl>
      </Section>
      <Section title="Bitbucket account">
        <div data-testid="connection-status" data-status={status}>
          <Connection {...props} revokeUrl={revokeUrl} onDisconnected={setRevokeUrl} />
        </div>
      </Section>
    </PageShell>
  );
};
