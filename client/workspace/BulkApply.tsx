import Button from '@atlaskit/button/default/button';
import SectionMessage from '@atlaskit/section-message/message';
import { useState } from 'react';
import type { TemplateListView, TemplatePreviewView } from '../../server/web/api/template-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { TemplateProgress } from '../components/TemplateProgress';
import { useBusyAction } from '../components/use-busy-action';
import { useTemplateProgress } from '../components/use-template-progress';
import { previewInChunks } from './preview-in-chunks';
import { TemplatePreviewList } from './TemplatePreviewList';
import { toSlug } from './workspace-columns';

export interface BulkApplyProps {
  api: ApiClient;
  templates: TemplateListView;
  /** Slugs ticked in the table. */
  selected: string[];
  onFinished: () => void;
  onClearSelection: () => void;
}

const nameOf = (t: { template: unknown }) => String((t.template as { name?: unknown }).name);

/**
 * Apply a template to the repositories ticked in the table: a preview first (per repository, what
 * would change), then an explicit confirmation, then the progress of the jobs (done, failed, remaining,
 * and whether the batch waits for the rate budget).
 */
export const BulkApply = ({ api, templates, selected, onFinished, onClearSelection }: BulkApplyProps) => {
  const names = templates.templates.map(nameOf);
  const [template, setTemplate] = useState('');
  const [preview, setPreview] = useState<{ key: string; view: TemplatePreviewView } | null>(null);
  const [batchId, setBatchId] = useState<string | null>(null);
  const { busy, error, run } = useBusyAction();
  const { progress, error: progressError } = useTemplateProgress(api, batchId ? { batchId } : null, () => onFinished());
  const chosen = template || names[0] || '';
  // A preview is for one template and one selection: changing either asks for a new one.
  const key = `${chosen}|${selected.join(',')}`;
  const current = preview?.key === key ? preview.view : null;
  const toChange = current ? current.repositories.filter((r) => r.changes.length > 0).map((r) => toSlug(r.fullName)) : [];

  const onPreview = () =>
    run(async () => {
      setBatchId(null);
      setPreview({ key, view: await previewInChunks(api, chosen, selected) });
    });
  const onApply = () =>
    run(async () => {
      const accepted = await api.applyTemplate(chosen, toChange, createIdempotencyKey());
      setPreview(null);
      onClearSelection();
      setBatchId(accepted.batchId);
    });

  return (
    <Section title="Apply a template" testId="bulk-apply">
      {names.length === 0 ? (
        <span className="bosun-subtle">No template yet: create one in Bosun settings.</span>
      ) : (
        <>
          <div className="bosun-filters">
            <div className="bosun-field">
              <label htmlFor="bulk-template">Template</label>
              <select id="bulk-template" data-testid="bulk-template" className="bosun-select" value={chosen} onChange={(e) => setTemplate(e.target.value)}>
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <span className="bosun-subtle" data-testid="bulk-selected">
            {selected.length === 0 ? 'Tick repositories in the table above.' : `${selected.length} selected: ${selected.join(', ')}`}
          </span>
          <span>
            <Button testId="bulk-preview" isDisabled={busy || selected.length === 0} onClick={() => void onPreview()}>
              Preview changes
            </Button>
          </span>
        </>
      )}
      {current ? (
        <>
          <TemplatePreviewList preview={current} />
          {toChange.length > 0 ? (
            <SectionMessage appearance="warning" title={`Apply ${chosen} to ${toChange.length} repositor${toChange.length === 1 ? 'y' : 'ies'}?`}>
              <p>Bosun will make the changes listed above, one job per repository, each in the audit log. What is already in place is left alone.</p>
              <Button testId="bulk-confirm" appearance="warning" isDisabled={busy} onClick={() => void onApply()}>
                Apply to {toChange.length} repositor{toChange.length === 1 ? 'y' : 'ies'}
              </Button>
            </SectionMessage>
          ) : (
            <span className="bosun-subtle" data-testid="bulk-nothing">
              Nothing to apply: every selected repository already matches.
            </span>
          )}
        </>
      ) : null}
      {progress ? <TemplateProgress progress={progress} testId="bulk-progress" /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {progressError ? <ErrorMessage error={progressError} /> : null}
    </Section>
  );
};
