import Lozenge from '@atlaskit/lozenge/lozenge';
import type { MirrorStatusView } from '../../server/web/api/contracts';
import type { ApiClient } from '../api/create-api-client';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { Section } from '../components/Section';
import { useLiveMirrorStatus } from './use-live-mirror-status';

const SYNC_LOZENGE = {
  running: { appearance: 'inprogress', label: 'Syncing' },
  done: { appearance: 'success', label: 'In sync' },
  deferred: { appearance: 'moved', label: 'Waiting for budget' },
  failed: { appearance: 'removed', label: 'Failed' },
} as const;

const toCredentialLabel = (credential: string) => (credential === 'installation' ? 'Bosun (installation)' : `Person ${credential.replace(/^user:/, '')}`);

/** Bitbucket's hourly request budget per credential, what spent it, and the mirror's sync progress. */
export const MirrorStatus = ({ mirror }: { mirror: MirrorStatusView }) => {
  const { sync, budget } = mirror;
  return (
    <>
      <Section
        title="Workspace sync"
        testId="mirror-sync"
        aside={sync ? <Lozenge appearance={SYNC_LOZENGE[sync.state].appearance}>{SYNC_LOZENGE[sync.state].label}</Lozenge> : null}
      >
        {sync ? (
          <dl className="bosun-facts">
            <dt>Repositories</dt>
            <dd data-testid="mirror-sync-progress">
              {sync.repositoriesDone} of {sync.repositoriesTotal}
            </dd>
            <dt>Build statuses still to fetch</dt>
            <dd>{sync.statusesPending} pull requests</dd>
            <dt>Last reconciled</dt>
            <dd>{sync.lastSweepAt ? <span title={toDateTime(sync.lastSweepAt)}>{toRelativeTime(sync.lastSweepAt)}</span> : 'not yet'}</dd>
            {sync.message ? (
              <>
                <dt>Note</dt>
                <dd>{sync.message}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <span className="bosun-subtle">Bosun starts copying this workspace within a minute of being installed.</span>
        )}
      </Section>
      <Section title="Bitbucket request budget (last hour)" testId="mirror-budget">
        {budget.length === 0 ? (
          <span className="bosun-subtle">No requests to Bitbucket in the last hour.</span>
        ) : (
          <ul className="bosun-list">
            {budget.map((c) => (
              <li key={c.credential} className="bosun-list__text" data-testid="budget-credential" data-remaining={c.remaining}>
                <strong>{toCredentialLabel(c.credential)}</strong>
                <span>
                  {c.remaining} of {c.limit} left · people {c.byLane.people}, automation {c.byLane.automation}, sync {c.byLane.sync}
                  {c.pausedUntil ? ` · automation paused until ${toDateTime(c.pausedUntil)}` : ''}
                </span>
                <span className="bosun-subtle">
                  {c.byPurpose.slice(0, 5).map((p) => `${p.purpose} ${p.count}`).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
};

/** The same, read again while the page is open: a long sync's progress and the budget move as they change. */
export const LiveMirrorStatus = ({ api, initial }: { api: Pick<ApiClient, 'getAdminSettings'>; initial: MirrorStatusView }) => (
  <MirrorStatus mirror={useLiveMirrorStatus(api, initial)} />
);
