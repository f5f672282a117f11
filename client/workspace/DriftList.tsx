import Button from '@atlaskit/button/default/button';
import Lozenge from '@atlaskit/lozenge/lozenge';
import { useEffect, useState } from 'react';
import type { TemplateBindingView, TemplatePreviewView } from '../../server/web/api/template-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { ErrorMessage } from '../components/ErrorMessage';
import { toRelativeTime } from '../components/format-date';
import { Section } from '../components/Section';
import { TemplateProgress } from '../components/TemplateProgress';
import { useBusyAction } from '../components/use-busy-action';
import { useTemplateProgress } from '../components/use-template-progress';
import { TemplatePreviewList } from './TemplatePreviewList';
import { toSlug } from './workspace-columns';

export interface DriftListProps {
  api: ApiClient;
  bindings: TemplateBindingView[];
  onFinished: () => void;
}

/**
 * Repositories whose settings differ from their template (found by the scheduled check or a stopped
 * apply), with what differs; "Fix" previews the re-apply of that one repository, then applies it once confirmed.
 */
export const DriftList = ({ api, bindings, onFinished }: DriftListProps) => {
  const drifted = bindings.filter((b) => b.status !== 'in-sync');
  const [fixing, setFixing] = useState<{ binding: TemplateBindingView; preview: TemplatePreviewView } | null>(null);
  const [batchId, setBatchId] = useState<string | null>(null);
  const { busy, error, setError, run } = useBusyAction();
  const { progress } = useTemplateProgress(api, batchId ? { batchId } : null, () => {
    setFixing(null);
    onFinished();
  });
  const [checking, setChecking] = useState<string | null>(null);
  const [checked, setChecked] = useState<string | null>(null);

  // The check reads every bound repository from Bitbucket: follow its job, then show what it found.
  useEffect(() => {
    if (!checking) return undefined;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const view = await api.getDriftCheck(checking);
        if (!live) return;
        if (view.state === 'done' || view.state === 'failed') {
          setChecking(null);
          setChecked(view.state === 'done' ? `Checked ${view.checked ?? 0} repositories: ${view.drifted ?? 0} differ.` : `The check failed: ${view.message ?? 'see the audit log'}.`);
          onFinished();
          return;
        }
        timer = setTimeout(() => void poll(), 1000);
      } catch (err) {
        if (live) {
          setChecking(null);
          setError(err);
        }
      }
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, checking, onFinished]);

  const onCheck = () =>
    run(async () => {
      setChecked(null);
      setChecking((await api.checkDriftNow()).jobId);
    });
  const onFix = (binding: TemplateBindingView) =>
    run(async () => {
      setBatchId(null);
      setFixing({ binding, preview: await api.previewTemplate(binding.template, [toSlug(binding.fullName)]) });
    });
  const onConfirm = () =>
    run(async () => {
      if (!fixing) return;
      const accepted = await api.applyTemplate(fixing.binding.template, [toSlug(fixing.binding.fullName)], createIdempotencyKey());
      setBatchId(accepted.batchId);
    });

  return (
    <Section title="Drift" aside={<Lozenge appearance={drifted.length > 0 ? 'moved' : 'success'}>{`${drifted.length} differ`}</Lozenge>} testId="drift-list">
      <span className="bosun-inline">
        <Button testId="drift-check-now" isDisabled={busy || checking !== null} onClick={() => void onCheck()}>
          {checking ? 'Checking…' : 'Check now'}
        </Button>
        <span className="bosun-subtle" data-testid="drift-checked">
          {checked ?? 'Bosun also checks every 6 hours.'}
        </span>
      </span>
      {drifted.length === 0 ? (
        <span className="bosun-subtle" data-testid="drift-none">
          Every repository that follows a template matches it{bindings.length > 0 ? '' : ' (none follows one yet)'}.
        </span>
      ) : (
        <ul className="bosun-list">
          {drifted.map((b) => (
            <li key={b.fullName} className="bosun-list__item" data-testid="drift-repo" data-repo={b.fullName}>
              <span className="bosun-list__text">
                <span>
                  <strong>{b.fullName}</strong> <span className="bosun-subtle">({b.template}, checked {toRelativeTime(b.checkedAt)})</span>
                </span>
                <span className="bosun-subtle">{b.pending.join('; ') || b.error}</span>
              </span>
              <Button testId={`drift-fix-${toSlug(b.fullName)}`} isDisabled={busy} onClick={() => void onFix(b)}>
                Fix
              </Button>
            </li>
          ))}
        </ul>
      )}
      {fixing && !batchId ? (
        <div data-testid="drift-fix-preview">
          <TemplatePreviewList preview={fixing.preview} testId="drift-preview" />
          <Button testId="drift-fix-confirm" appearance="warning" isDisabled={busy} onClick={() => void onConfirm()}>
            Apply {fixing.binding.template} to {fixing.binding.fullName}
          </Button>
        </div>
      ) : null}
      {progress ? <TemplateProgress progress={progress} testId="drift-progress" /> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </Section>
  );
};
