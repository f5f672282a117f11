import Button from '@atlaskit/button/default/button';
import { useEffect, useState } from 'react';
import type { PolicyPreviewView, RepositoryPolicyListView, RepositoryPolicyView } from '../../server/web/api/policy-views';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { useBusyAction } from '../components/use-busy-action';
import { parsePolicyDraft, toPolicyText } from './to-policy-draft';

export interface RepositoryPolicyEditorProps {
  api: ApiClient;
}

/**
 * One repository's override over the workspace policy: pick the repository, edit the layer (only
 * what differs), preview it on that repository's open pull requests, save. A bosun.yml on a
 * destination branch still applies on top.
 */
export const RepositoryPolicyEditor = ({ api }: RepositoryPolicyEditorProps) => {
  const [list, setList] = useState<RepositoryPolicyListView | null>(null);
  const [repoUuid, setRepoUuid] = useState('');
  const [stored, setStored] = useState<RepositoryPolicyView | null>(null);
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<PolicyPreviewView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useBusyAction();

  useEffect(() => {
    let live = true;
    api.listRepositoryPolicies().then(
      (view) => live && setList(view),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(() => {
    if (!repoUuid) return;
    let live = true;
    setStored(null);
    setPreview(null);
    setMessage(null);
    api.getRepositoryPolicy(repoUuid).then(
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
  }, [api, repoUuid]);

  const draft = parsePolicyDraft(text);
  // A new action's outcome replaces the last one's message.
  const act = (action: () => Promise<void>) => {
    setMessage(null);
    return run(action);
  };
  const onPreview = () =>
    act(async () => {
      if (draft.ok && repoUuid) setPreview(await api.previewRepositoryPolicy(repoUuid, draft.layer));
    });
  const onSave = () =>
    act(async () => {
      if (!draft.ok || !stored) return;
      const saved = await api.saveRepositoryPolicy(stored.repoUuid, draft.layer, stored.version);
      setStored(saved);
      setText(toPolicyText(saved.layer));
      setMessage(`Saved the override of ${saved.repository} (version ${saved.version}).`);
      setList(await api.listRepositoryPolicies());
    });

  if (!list) return error ? <ErrorMessage error={error} /> : null;
  const overridden = new Set(list.overrides.map((o) => o.repoUuid));
  return (
    <Section title="Repository overrides">
      <span className="bosun-subtle">
        A repository can change any part of the workspace policy; only what is set here differs. A bosun.yml on a pull request&apos;s destination branch applies on top.
      </span>
      <label htmlFor="repo-policy-repo">Repository </label>
      <select id="repo-policy-repo" data-testid="repo-policy-repo" value={repoUuid} onChange={(e) => setRepoUuid(e.target.value)}>
        <option value="">Choose a repository…</option>
        {list.repositories.map((r) => (
          <option key={r.repoUuid} value={r.repoUuid}>
            {r.fullName}
            {overridden.has(r.repoUuid) ? ' (has an override)' : ''}
          </option>
        ))}
      </select>
      {stored ? (
        <>
          <textarea
            data-testid="repo-policy-text"
            aria-label={`Override of ${stored.repository} (JSON)`}
            className="bosun-mono"
            rows={8}
            style={{ width: '100%' }}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          {!draft.ok ? <span className="bosun-subtle">{draft.message}</span> : null}
          <div className="bosun-inline">
            <Button testId="repo-policy-preview" isDisabled={!draft.ok || busy} onClick={() => void onPreview()}>
              Preview on this repository&apos;s pull requests
            </Button>
            <Button testId="repo-policy-save" appearance="primary" isDisabled={!draft.ok || busy} onClick={() => void onSave()}>
              Save override
            </Button>
          </div>
        </>
      ) : null}
      {message ? <span data-testid="repo-policy-saved">{message}</span> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {preview ? (
        <div data-testid="repo-policy-preview-result">
          <span className="bosun-subtle">
            Read {preview.scanned.pullRequests} open pull requests: {preview.changes.length} would change.
          </span>
          <ul className="bosun-list">
            {preview.changes.map((c) => (
              <li key={`${c.repository}#${c.id}`} className="bosun-list__item" data-testid="repo-policy-preview-change">
                <span className="bosun-list__text">
                  <span>
                    #{c.id} {c.title}
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
