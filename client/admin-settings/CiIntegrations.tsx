import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import Textfield from '@atlaskit/textfield/text-field';
import { useCallback, useEffect, useState } from 'react';
import type { CiIntegrationView, CiIntegrationWithSecretView, CiProviderName } from '../../server/web/api/ci-integration-views';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDateTime, toRelativeTime } from '../components/format-date';
import { Section } from '../components/Section';
import { CI_PROVIDER_LABELS, toCiFormProblem, toDeliveryAppearance } from './to-ci-integration-text';

export interface CiIntegrationsProps {
  api: Pick<ApiClient, 'listCiIntegrations' | 'createCiIntegration' | 'rotateCiIntegration' | 'deleteCiIntegration'>;
}

const PROVIDERS = Object.keys(CI_PROVIDER_LABELS) as CiProviderName[];

/** The secret, shown once after a create or a rotate: Bosun keeps only its sealed form. */
const SecretOnce = ({ shown, onDone }: { shown: CiIntegrationWithSecretView; onDone: () => void }) => (
  <div className="bosun-card" data-testid="ci-secret-once">
    <strong>Copy the secret of {shown.name} now: Bosun shows it only this once.</strong>
    <dl className="bosun-facts">
      <dt>Endpoint URL</dt>
      <dd>
        <span className="bosun-mono" data-testid="ci-secret-endpoint">{shown.endpointUrl}</span>
      </dd>
      <dt>Secret</dt>
      <dd>
        <span className="bosun-mono" data-testid="ci-secret-value">{shown.secret}</span>
      </dd>
    </dl>
    <span className="bosun-subtle">Ready to paste into {CI_PROVIDER_LABELS[shown.provider]}:</span>
    <pre className="bosun-mono" data-testid="ci-secret-snippet">{shown.snippet}</pre>
    <span>
      <Button testId="ci-secret-done" onClick={onDone}>
        I have copied it
      </Button>
    </span>
  </div>
);

const IntegrationItem = ({
  integration,
  busy,
  onRotate,
  onDelete,
}: {
  integration: CiIntegrationView;
  busy: boolean;
  onRotate: () => void;
  onDelete: () => void;
}) => {
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="bosun-list__item" data-testid="ci-integration" data-id={integration.id} data-provider={integration.provider}>
      <div className="bosun-list__text">
        <div className="bosun-inline">
          <strong data-testid="ci-integration-name">{integration.name}</strong>
          <span className="bosun-chip">{CI_PROVIDER_LABELS[integration.provider]}</span>
          <span className="bosun-subtle">{integration.repository ?? 'any repository'}</span>
        </div>
        <span className="bosun-mono" data-testid="ci-integration-endpoint">{integration.endpointUrl}</span>
        <span className="bosun-subtlest" title={toDateTime(integration.rotatedAt ?? integration.createdAt)}>
          {integration.rotatedAt ? `secret rotated ${toRelativeTime(integration.rotatedAt)}` : `created ${toRelativeTime(integration.createdAt)}`}
        </span>
        {integration.lastDeliveries.length === 0 ? (
          <span className="bosun-subtle" data-testid="ci-deliveries-none">No delivery yet.</span>
        ) : (
          <ul className="bosun-list" data-testid="ci-deliveries">
            {integration.lastDeliveries.map((d) => (
              <li key={`${d.receivedAt}-${d.statusKey ?? ''}-${d.outcome}`} className="bosun-inline" data-testid="ci-delivery" data-outcome={d.outcome}>
                <Lozenge appearance={toDeliveryAppearance(d.outcome)}>{d.outcome}</Lozenge>
                <span className="bosun-subtle">{d.reason ?? [d.repository, d.commit?.slice(0, 12), d.statusKey].filter(Boolean).join(' · ')}</span>
                <span className="bosun-subtlest" title={toDateTime(d.receivedAt)}>{toRelativeTime(d.receivedAt)}</span>
              </li>
            ))}
          </ul>
        )}
        <details>
          <summary className="bosun-subtle">Snippet for {CI_PROVIDER_LABELS[integration.provider]}</summary>
          <pre className="bosun-mono" data-testid="ci-integration-snippet">{integration.snippet}</pre>
        </details>
      </div>
      <div className="bosun-inline bosun-fixed">
        <Button testId="ci-integration-rotate" appearance="subtle" isDisabled={busy} onClick={onRotate}>
          Rotate secret
        </Button>
        {confirming ? (
          <>
            <Button testId="ci-integration-delete-confirm" appearance="danger" isDisabled={busy} onClick={onDelete}>
              Delete {integration.name}
            </Button>
            <Button testId="ci-integration-delete-cancel" appearance="subtle" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button testId="ci-integration-delete" appearance="subtle" isDisabled={busy} onClick={() => setConfirming(true)}>
            Delete
          </Button>
        )}
      </div>
    </li>
  );
};

/**
 * Admin settings: the CI systems that post build results to Bosun. Each has its endpoint and a ready-to-paste
 * snippet; its secret appears once, when created or rotated. The server checks the viewer is a workspace admin.
 */
export const CiIntegrations = ({ api }: CiIntegrationsProps) => {
  const [integrations, setIntegrations] = useState<CiIntegrationView[] | null>(null);
  const [provider, setProvider] = useState<CiProviderName>('generic');
  const [name, setName] = useState('');
  const [repository, setRepository] = useState('');
  const [shown, setShown] = useState<CiIntegrationWithSecretView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => setIntegrations((await api.listCiIntegrations()).integrations), [api]);
  useEffect(() => {
    load().catch(setError);
  }, [load]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onCreate = () => {
    const formProblem = toCiFormProblem(name, repository);
    setProblem(formProblem);
    if (formProblem) return;
    void act(async () => {
      const created = await api.createCiIntegration({ provider, name: name.trim(), repository: repository.trim() || null });
      setShown(created);
      setName('');
      setRepository('');
    });
  };

  return (
    <Section title="CI integrations" aside={<span className="bosun-subtle">{integrations?.length ?? ''}</span>} testId="ci-integrations">
      <p className="bosun-subtle">
        A CI system posts its build results to its integration&apos;s endpoint, signed with the integration&apos;s secret; Bosun
        turns them into build statuses and Code Insights reports on the commit.
      </p>
      {shown ? <SecretOnce shown={shown} onDone={() => setShown(null)} /> : null}
      <div className="bosun-filters">
        <div className="bosun-field">
          <label htmlFor="ci-provider">CI system</label>
          <select id="ci-provider" data-testid="ci-provider" className="bosun-select" value={provider} onChange={(e) => setProvider(e.target.value as CiProviderName)}>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {CI_PROVIDER_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="bosun-field">
          <label htmlFor="ci-name">Name</label>
          <Textfield id="ci-name" testId="ci-name" isCompact placeholder="Jenkins on ci.acme.test" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        </div>
        <div className="bosun-field">
          <label htmlFor="ci-repository">Repository (optional)</label>
          <Textfield id="ci-repository" testId="ci-repository" isCompact placeholder="acme/web" value={repository} onChange={(e) => setRepository(e.currentTarget.value)} />
        </div>
      </div>
      <span>
        <Button testId="ci-create" appearance="primary" isDisabled={busy} onClick={onCreate}>
          Create integration
        </Button>
      </span>
      {problem ? (
        <span className="bosun-danger" data-testid="ci-form-problem">
          {problem}
        </span>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {integrations === null ? (
        <span className="bosun-subtle">Loading CI integrations…</span>
      ) : integrations.length === 0 ? (
        <span className="bosun-subtle" data-testid="ci-integrations-none">No CI integration yet.</span>
      ) : (
        <ul className="bosun-list">
          {integrations.map((integration) => (
            <IntegrationItem
              key={integration.id}
              integration={integration}
              busy={busy}
              onRotate={() => void act(async () => setShown(await api.rotateCiIntegration(integration.id)))}
              onDelete={() =>
                void act(async () => {
                  await api.deleteCiIntegration(integration.id);
                  if (shown?.id === integration.id) setShown(null);
                })
              }
            />
          ))}
        </ul>
      )}
    </Section>
  );
};
