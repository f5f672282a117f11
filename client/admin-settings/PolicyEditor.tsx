import Button from '@atlaskit/button/default/button';
import { useEffect, useState } from 'react';
import type { PolicyPreviewView, WorkspacePolicyView } from '../../server/web/api/policy-views';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { useBusyAction } from '../components/use-busy-action';
import { parsePolicyDraft, POLICY_RULES, toPolicyText, toRuleMode, withRuleMode, type RuleModeValue } from './to-policy-draft';

export interface PolicyEditorProps {
  api: ApiClient;
}

const MODES: { value: RuleModeValue; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'dry-run', label: 'Dry run (record only)' },
  { value: 'on', label: 'On' },
];

/** Workspace policy: each rule's mode, the policy as JSON, a preview on current PRs, then save. */
export const PolicyEditor = ({ api }: PolicyEditorProps) => {
  const [stored, setStored] = useState<WorkspacePolicyView | null>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<PolicyPreviewView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useBusyAction();

  useEffect(() => {
    let live = true;
    api.getWorkspacePolicy().then(
      (view) => {
        if (!live) return;
        setStored(view);
        setText(toPolicyText(view.layer));
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const draft = parsePolicyDraft(text);
  // A new action's outcome replaces the last one's message.
  const act = (action: () => Promise<void>) => {
    setMessage(null);
    return run(action);
  };
  const onPreview = () =>
    act(async () => {
      if (!draft.ok) return;
      setPreview(await api.previewWorkspacePolicy(draft.layer));
    });
  const onSave = () =>
    act(async () => {
      if (!draft.ok || !stored) return;
      const saved = await api.saveWorkspacePolicy(draft.layer, stored.version);
      setStored(saved);
      setText(toPolicyText(saved.layer));
      setMessage(`Saved (version ${saved.version}).`);
    });

  if (!stored) return error ? <ErrorMessage error={error} /> : null;
  return (
    <Section title="Automation policy">
      <span className="bosun-subtle">
        Rules start in dry run: they record what they would do in the audit log and change nothing until switched on.
      </span>
      <ul className="bosun-list" data-testid="policy-rules">
        {POLICY_RULES.map((rule) => (
          <li key={rule.key} className="bosun-list__item">
            <label className="bosun-list__main" htmlFor={`policy-mode-${rule.key}`}>
              {rule.label}
            </label>
            <select
              id={`policy-mode-${rule.key}`}
              data-testid={`policy-mode-${rule.key}`}
              disabled={!draft.ok}
              value={draft.ok ? toRuleMode(draft.layer, rule.key) : 'dry-run'}
              onChange={(e) => draft.ok && setText(toPolicyText(withRuleMode(draft.layer, rule.key, e.target.value as RuleModeValue)))}
            >
              {MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ul>
      <textarea
        data-testid="policy-text"
        aria-label="Workspace policy (JSON)"
        className="bosun-mono"
        rows={12}
        style={{ width: '100%' }}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {!draft.ok ? <span className="bosun-subtle" data-testid="policy-draft-error">{draft.message}</span> : null}
      <div className="bosun-inline">
        <Button testId="policy-preview" isDisabled={!draft.ok || busy} onClick={() => void onPreview()}>
          Preview on current pull requests
        </Button>
        <Button testId="policy-save" appearance="primary" isDisabled={!draft.ok || busy} onClick={() => void onSave()}>
          Save policy
        </Button>
      </div>
      {message ? <span data-testid="policy-saved">{message}</span> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {preview ? (
        <div data-testid="policy-preview-result">
          <span className="bosun-subtle">
            Read {preview.scanned.pullRequests} open pull requests in {preview.scanned.repositories} repositories
            {preview.truncated ? ' (the most recently updated ones)' : ''}: {preview.changes.length} would change.
          </span>
          <ul className="bosun-list">
            {preview.changes.map((c) => (
              <li key={`${c.repository}#${c.id}`} className="bosun-list__item" data-testid="policy-preview-change">
                <span className="bosun-list__text">
                  <span>
                    {c.repository} #{c.id} {c.title}
                  </span>
                  <span className="bosun-subtle">
                    {c.after.length || c.before.length ? `Policy checks failing: ${c.before.join(', ') || 'none'} → ${c.after.join(', ') || 'none'}. ` : ''}
                    {c.stale ? `Stale rule would ${c.stale}${c.staleExecutes ? '' : ' (dry run: recorded only)'}.` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Section>
  );
};
