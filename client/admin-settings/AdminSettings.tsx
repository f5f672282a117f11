import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge/lozenge';
import type { ReactNode } from 'react';
import type { AdminSettingsView } from '../../server/web/api/contracts';
import { toDateTime, toEpochMillis, toRelativeTime } from '../components/format-date';
import { PageShell } from '../components/PageShell';
import { Section } from '../components/Section';
import type { ApiClient } from '../api/create-api-client';
import { LiveMirrorStatus, MirrorStatus } from './MirrorStatus';

export interface AdminSettingsProps {
  view: AdminSettingsView;
  /** The audit log section, under the others; omitted in read-only renders. */
  auditLog?: ReactNode;
  /** The automation policy editor, above the audit log; omitted in read-only renders. */
  policy?: ReactNode;
  /** CI integrations (create, rotate, delete), under the OAuth setup; omitted in read-only renders. */
  ci?: ReactNode;
  /** Reads the sync progress and budget again while the page is open; omitted in read-only renders. */
  liveApi?: Pick<ApiClient, 'getAdminSettings'>;
}

const deliveriesHead = {
  cells: [
    { key: 'event', content: 'Event', isSortable: true, width: 30 },
    { key: 'request', content: 'Request UUID', isSortable: false, width: 40 },
    { key: 'attempt', content: 'Attempt', isSortable: true, width: 10 },
    { key: 'received', content: 'Received', isSortable: true, width: 20 },
  ],
};

const Fact = ({ label, children }: { label: string; children: ReactNode }) => (
  <>
    <dt>{label}</dt>
    <dd>{children ?? <span className="bosun-subtlest">Unknown</span>}</dd>
  </>
);

const ExternalLink = ({ href }: { href: string }) => (
  <a className="bosun-link" href={href} target="_blank" rel="noopener noreferrer">
    {href}
  </a>
);

/** Workspace admin settings: the installation, its scopes and webhooks, recent deliveries, then the audit log. */
export const AdminSettings = ({ view, auditLog, policy, ci, liveApi }: AdminSettingsProps) => {
  const { tenant, descriptorUrl, scopes, webhookEvents, recentDeliveries } = view;
  const rows = recentDeliveries.map((delivery) => ({
    key: `delivery-${delivery.requestUuid}-${delivery.attempt}`,
    cells: [
      { key: delivery.eventKey, content: <span className="bosun-chip">{delivery.eventKey}</span> },
      { key: delivery.requestUuid, content: <span className="bosun-mono">{delivery.requestUuid}</span> },
      { key: delivery.attempt, content: delivery.attempt },
      {
        key: toEpochMillis(delivery.receivedAt),
        content: <span title={toDateTime(delivery.receivedAt)}>{toRelativeTime(delivery.receivedAt)}</span>,
      },
    ],
  }));
  return (
    <PageShell
      testId="admin-settings"
      title="Bosun settings"
      subtitle={tenant.workspaceName ?? tenant.workspaceSlug ?? 'This workspace'}
    >
      <Section title="Installation">
        <dl className="bosun-facts">
          <Fact label="Workspace">{tenant.workspaceName}</Fact>
          <Fact label="Workspace slug">
            {tenant.workspaceSlug ? <span className="bosun-mono">{tenant.workspaceSlug}</span> : null}
          </Fact>
          <Fact label="Installed">
            <span title={toDateTime(tenant.installedAt)}>
              {toDateTime(tenant.installedAt)} ({toRelativeTime(tenant.installedAt)})
            </span>
          </Fact>
          <Fact label="Installed by">{tenant.installedBy}</Fact>
          <Fact label="Base URL">
            <ExternalLink href={tenant.baseUrl} />
          </Fact>
          <Fact label="Descriptor URL">
            <ExternalLink href={descriptorUrl} />
          </Fact>
        </dl>
      </Section>

      {view.mirror ? liveApi ? <LiveMirrorStatus api={liveApi} initial={view.mirror} /> : <MirrorStatus mirror={view.mirror} /> : null}

      <Section title="Scopes" aside={<span className="bosun-subtle">{scopes.length}</span>} testId="scopes">
        {scopes.length === 0 ? (
          <span className="bosun-subtle">No scopes granted.</span>
        ) : (
          <div className="bosun-inline">
            {scopes.map((scope) => (
              <Lozenge key={scope} appearance="new">
                {scope}
              </Lozenge>
            ))}
          </div>
        )}
      </Section>

      <Section
        title="Webhook events"
        aside={<span className="bosun-subtle">{webhookEvents.length}</span>}
        testId="webhook-events"
      >
        {webhookEvents.length === 0 ? (
          <span className="bosun-subtle">Bosun subscribes to no webhook events.</span>
        ) : (
          <div className="bosun-inline">
            {webhookEvents.map((event) => (
              <span key={event} className="bosun-chip">
                {event}
              </span>
            ))}
          </div>
        )}
      </Section>

      <Section title="People acting as themselves (OAuth)" testId="oauth-setup">
        <p className="bosun-subtle">
          {view.oauth.configured
            ? 'An OAuth consumer is configured: people can connect their own Bitbucket account from their Bosun personal settings.'
            : 'No OAuth consumer is configured yet. In Bitbucket, open Workspace settings → OAuth consumers → Add consumer, then give Bosun its Key and Secret (BITBUCKET_OAUTH_CLIENT_ID / BITBUCKET_OAUTH_CLIENT_SECRET).'}
        </p>
        <dl className="bosun-facts">
          <Fact label="Callback URL">
            <span className="bosun-mono" data-testid="oauth-callback-url">{view.oauth.callbackUrl}</span>
          </Fact>
          <Fact label="Permissions to tick">
            <span className="bosun-inline">
              {view.oauth.scopesToTick.map((scope) => (
                <span key={scope} className="bosun-chip">
                  {scope}
                </span>
              ))}
            </span>
          </Fact>
        </dl>
      </Section>

      {ci}

      <Section title="Recent webhook deliveries">
        <DynamicTable
          testId="webhook-deliveries"
          label="Recent webhook deliveries"
          head={deliveriesHead}
          rows={rows}
          rowsPerPage={10}
          defaultSortKey="received"
          defaultSortOrder="DESC"
          emptyView={<span className="bosun-subtle">No webhook has arrived yet.</span>}
        />
      </Section>

      {policy}
      {auditLog}
    </PageShell>
  );
};
