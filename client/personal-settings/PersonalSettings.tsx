import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import SectionMessage from '@atlaskit/section-message/message';
import type { PersonalSettingsView } from '../../server/web/api/contracts';
import { PageShell } from '../components/PageShell';
import { Section } from '../components/Section';

export interface PersonalSettingsProps {
  view: PersonalSettingsView;
}

// OAuth is a separate issue: until it lands the button is shown but disabled.
const ConnectButton = ({ label }: { label: string }) => (
  <div className="bosun-inline">
    <Button appearance="primary" isDisabled testId="connect-bitbucket">
      {label}
    </Button>
    <span className="bosun-subtle" data-testid="connect-coming-soon">
      Coming soon
    </span>
  </div>
);

const Connection = ({ connection }: { connection: PersonalSettingsView['connection'] }) => {
  switch (connection.status) {
    case 'connected':
      return (
        <div className="bosun-inline">
          <Lozenge appearance="success">Connected</Lozenge>
          <span>
            Bosun acts as <strong>{connection.displayName ?? 'your Bitbucket account'}</strong> when you ask it to.
          </span>
        </div>
      );
    case 'needs_reconnect':
      return (
        <SectionMessage appearance="warning" title="Reconnect your Bitbucket account">
          <div className="bosun-section">
            <p>
              Bosun can no longer act as {connection.displayName ?? 'you'}: the authorization expired or was revoked.
              Reconnect to keep using actions that run as you.
            </p>
            <ConnectButton label="Reconnect your Bitbucket account" />
          </div>
        </SectionMessage>
      );
    case 'not_connected':
      return (
        <div className="bosun-section">
          <div className="bosun-inline">
            <Lozenge appearance="default">Not connected</Lozenge>
            <span className="bosun-subtle">
              Connect your account so Bosun can merge, comment and approve as you, not as the app.
            </span>
          </div>
          <ConnectButton label="Connect your Bitbucket account" />
        </div>
      );
  }
};

/** A user's own Bosun settings: who they are and whether their Bitbucket account is connected. */
export const PersonalSettings = ({ view }: PersonalSettingsProps) => (
  <PageShell testId="personal-settings" title="Your Bosun settings" subtitle={view.workspaceSlug ?? undefined}>
    <Section title="You">
      <dl className="bosun-facts">
        <dt>Account ID</dt>
        <dd className="bosun-mono">{view.viewer.accountId ?? '—'}</dd>
        <dt>User UUID</dt>
        <dd className="bosun-mono">{view.viewer.uuid ?? '—'}</dd>
      </dl>
    </Section>
    <Section title="Bitbucket account">
      <div data-testid="connection-status" data-status={view.connection.status}>
        <Connection connection={view.connection} />
      </div>
    </Section>
  </PageShell>
);
