import Button from '@atlaskit/button/default/button';
import Textfield from '@atlaskit/textfield/text-field';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { TemplateListView } from '../../server/web/api/template-views';
import { isApiError, type ApiIssue } from '../api/api-error';
import type { ApiClient } from '../api/create-api-client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { CreateRepositoryForm } from './CreateRepositoryForm';
import { EMPTY_TEMPLATE_DRAFT, isShownIssue, issuesAt, toTemplateBody, toTemplateDraft, type TemplateDraft } from './to-template-draft';

export interface TemplateEditorProps {
  api: ApiClient;
}

const FieldIssues = ({ issues, testId }: { issues: string[]; testId: string }) =>
  issues.length > 0 ? (
    <span className="bosun-danger" data-testid={testId} role="alert">
      {issues.join(' ')}
    </span>
  ) : null;

/** One setting: its label, what it does (the server's help), the input and its problems. */
const Setting = ({ id, label, help, issues, children }: { id: string; label: string; help: string | undefined; issues: string[]; children: ReactNode }) => (
  <div className="bosun-field" data-testid={`template-setting-${id}`}>
    <label htmlFor={`template-${id}`}>{label}</label>
    {help ? <span className="bosun-subtlest">{help}</span> : null}
    {children}
    <FieldIssues issues={issues} testId={`template-issue-${id}`} />
  </div>
);

/**
 * Repository templates: pick one or start a new one, edit each setting with its explanation, save.
 * The server validates; its issues are shown beside the field they name. Below, create a repository
 * from a saved template.
 */
export const TemplateEditor = ({ api }: TemplateEditorProps) => {
  const [view, setView] = useState<TemplateListView | null>(null);
  const [selected, setSelected] = useState<string>('');
  const [draft, setDraft] = useState<TemplateDraft>(EMPTY_TEMPLATE_DRAFT);
  const [issues, setIssues] = useState<ApiIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => setView(await api.getTemplates()), [api]);
  useEffect(() => {
    reload().catch((err: unknown) => setError(err));
  }, [reload]);

  if (!view) return error ? <ErrorMessage error={error} /> : null;
  const help = (key: string) => view.settings.find((s) => s.key === key)?.help;
  const stored = view.templates.find((t) => (t.template as { name?: unknown }).name === selected) ?? null;
  const at = (path: string) => issuesAt(issues, path);
  const set = (patch: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const choose = (name: string) => {
    setSelected(name);
    setIssues([]);
    setMessage(null);
    setError(null);
    const t = view.templates.find((x) => (x.template as { name?: unknown }).name === name);
    setDraft(t ? toTemplateDraft(t.template) : EMPTY_TEMPLATE_DRAFT);
  };
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await action();
    } catch (err) {
      if (isApiError(err) && err.status === 422 && err.issues.length > 0) setIssues(err.issues);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onSave = () =>
    run(async () => {
      setIssues([]);
      const body = toTemplateBody(draft, view.choices.valuedKinds);
      const saved = await api.saveTemplate(body, stored?.version ?? 0);
      setView(saved);
      const now = saved.templates.find((t) => (t.template as { name?: unknown }).name === body.name);
      setSelected(String(body.name));
      if (now) setDraft(toTemplateDraft(now.template));
      setMessage(`Saved ${String(body.name)} (version ${now?.version ?? '?'}).`);
    });
  const onDelete = () =>
    run(async () => {
      if (!stored) return;
      await api.deleteTemplate(selected);
      await reload();
      choose('');
      setMessage(`Deleted ${selected}.`);
    });

  const elsewhere = issues.filter((i) => !isShownIssue(i.path));
  const restrictionIssues = at('settings.branchRestrictions').length > 0 && draft.branchRestrictions.length === 0 ? at('settings.branchRestrictions') : [];

  return (
    <>
      <Section title="Repository templates" testId="template-editor">
        <span className="bosun-subtle">
          A template is a set of repository settings. Leave a setting empty and Bosun neither checks nor changes it; lists add what they name and leave the rest alone.
        </span>
        <div className="bosun-filters">
          <div className="bosun-field">
            <label htmlFor="template-pick">Template</label>
            <select id="template-pick" data-testid="template-pick" className="bosun-select" value={selected} onChange={(e) => choose(e.target.value)}>
              <option value="">New template…</option>
              {view.templates.map((t) => {
                const name = String((t.template as { name?: unknown }).name);
                return (
                  <option key={name} value={name}>
                    {name} (version {t.version})
                  </option>
                );
              })}
            </select>
          </div>
        </div>
        <Setting id="name" label="Name" help="Lower case letters, digits and dashes; how commands and other admins refer to it." issues={at('name')}>
          <Textfield id="template-name" testId="template-name" isCompact value={draft.name} isDisabled={stored !== null} onChange={(e) => set({ name: e.currentTarget.value })} />
        </Setting>
        <Setting id="summary" label="What it is for" help="Shown to admins choosing a template." issues={at('summary')}>
          <Textfield id="template-summary" testId="template-summary" isCompact value={draft.summary} onChange={(e) => set({ summary: e.currentTarget.value })} />
        </Setting>
        <Setting id="isPrivate" label="Visibility" help={help('isPrivate')} issues={at('settings.isPrivate')}>
          <select id="template-isPrivate" data-testid="template-isPrivate" className="bosun-select" value={draft.isPrivate} onChange={(e) => set({ isPrivate: e.target.value as TemplateDraft['isPrivate'] })}>
            <option value="">Not managed</option>
            <option value="private">Private</option>
            <option value="public">Public</option>
          </select>
        </Setting>
        <Setting id="mainBranch" label="Main branch" help={help('mainBranch')} issues={at('settings.mainBranch')}>
          <Textfield id="template-mainBranch" testId="template-mainBranch" isCompact placeholder="Not managed" value={draft.mainBranch} onChange={(e) => set({ mainBranch: e.currentTarget.value })} />
        </Setting>
        <Setting id="description" label="Description" help={help('description')} issues={at('settings.description')}>
          <label className="bosun-inline">
            <input type="checkbox" data-testid="template-description-managed" checked={draft.description !== null} onChange={(e) => set({ description: e.target.checked ? '' : null })} /> Managed
          </label>
          {draft.description !== null ? (
            <Textfield id="template-description" testId="template-description" isCompact value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} />
          ) : null}
        </Setting>
        <Setting id="pipelinesEnabled" label="Pipelines" help={help('pipelinesEnabled')} issues={at('settings.pipelinesEnabled')}>
          <select
            id="template-pipelinesEnabled"
            data-testid="template-pipelinesEnabled"
            className="bosun-select"
            value={draft.pipelinesEnabled}
            onChange={(e) => set({ pipelinesEnabled: e.target.value as TemplateDraft['pipelinesEnabled'] })}
          >
            <option value="">Not managed</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
          </select>
        </Setting>
        <Setting id="defaultReviewers" label="Default reviewers" help={`${help('defaultReviewers') ?? ''} One {uuid} per line.`} issues={at('settings.defaultReviewers')}>
          <textarea
            id="template-defaultReviewers"
            data-testid="template-defaultReviewers"
            className="bosun-mono"
            rows={2}
            value={draft.defaultReviewers}
            onChange={(e) => set({ defaultReviewers: e.target.value })}
          />
        </Setting>
        <Setting id="branchRestrictions" label="Branch restrictions" help={help('branchRestrictions')} issues={restrictionIssues}>
          {draft.branchRestrictions.map((r, i) => {
            const update = (patch: Partial<typeof r>) => set({ branchRestrictions: draft.branchRestrictions.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div key={i} className="bosun-inline" data-testid="template-restriction">
                <select aria-label="Kind" data-testid={`template-restriction-kind-${i}`} className="bosun-select" value={r.kind} onChange={(e) => update({ kind: e.target.value })}>
                  {view.choices.restrictionKinds.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
                <Textfield aria-label="Branch or glob" testId={`template-restriction-pattern-${i}`} isCompact placeholder="main or release/*" value={r.pattern} onChange={(e) => update({ pattern: e.currentTarget.value })} />
                {view.choices.valuedKinds.includes(r.kind) ? (
                  <Textfield aria-label="Value" testId={`template-restriction-value-${i}`} isCompact width={80} placeholder="2" value={r.value} onChange={(e) => update({ value: e.currentTarget.value })} />
                ) : null}
                <Button appearance="subtle" onClick={() => set({ branchRestrictions: draft.branchRestrictions.filter((_, j) => j !== i) })}>
                  Remove
                </Button>
                <FieldIssues issues={at(`settings.branchRestrictions.${i}`)} testId={`template-issue-restriction-${i}`} />
              </div>
            );
          })}
          <span>
            <Button
              testId="template-add-restriction"
              onClick={() => set({ branchRestrictions: [...draft.branchRestrictions, { kind: view.choices.restrictionKinds[0] ?? 'push', pattern: draft.mainBranch || 'main', value: '' }] })}
            >
              Add a restriction
            </Button>
          </span>
        </Setting>
        <Setting id="webhooks" label="Webhooks" help={help('webhooks')} issues={draft.webhooks.length === 0 ? at('settings.webhooks') : []}>
          {draft.webhooks.map((w, i) => {
            const update = (patch: Partial<typeof w>) => set({ webhooks: draft.webhooks.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div key={i} className="bosun-inline" data-testid="template-webhook">
                <Textfield aria-label="Description" testId={`template-webhook-description-${i}`} isCompact placeholder="CI" value={w.description} onChange={(e) => update({ description: e.currentTarget.value })} />
                <Textfield aria-label="URL" testId={`template-webhook-url-${i}`} isCompact placeholder="https://ci.example.com/hook" value={w.url} onChange={(e) => update({ url: e.currentTarget.value })} />
                <Textfield aria-label="Events" testId={`template-webhook-events-${i}`} isCompact placeholder="repo:push, pullrequest:fulfilled" value={w.events} onChange={(e) => update({ events: e.currentTarget.value })} />
                <label className="bosun-inline">
                  <input type="checkbox" checked={w.active} onChange={(e) => update({ active: e.target.checked })} /> Active
                </label>
                <Button appearance="subtle" onClick={() => set({ webhooks: draft.webhooks.filter((_, j) => j !== i) })}>
                  Remove
                </Button>
                <FieldIssues issues={at(`settings.webhooks.${i}`)} testId={`template-issue-webhook-${i}`} />
              </div>
            );
          })}
          <span>
            <Button testId="template-add-webhook" onClick={() => set({ webhooks: [...draft.webhooks, { description: '', url: '', events: 'repo:push', active: true }] })}>
              Add a webhook
            </Button>
          </span>
        </Setting>
        <Setting id="mergeStrategies" label="Merge strategies" help={help('mergeStrategies')} issues={at('settings.mergeStrategies')}>
          <div className="bosun-inline">
            {view.choices.mergeStrategies.map((m) => (
              <label key={m} className="bosun-inline">
                <input
                  type="checkbox"
                  data-testid={`template-merge-${m}`}
                  checked={draft.mergeStrategies.allowed.includes(m)}
                  onChange={(e) => {
                    const allowed = e.target.checked ? [...draft.mergeStrategies.allowed, m] : draft.mergeStrategies.allowed.filter((x) => x !== m);
                    set({ mergeStrategies: { allowed, default: allowed.includes(draft.mergeStrategies.default) ? draft.mergeStrategies.default : (allowed[0] ?? '') } });
                  }}
                />
                {m}
              </label>
            ))}
          </div>
          {draft.mergeStrategies.allowed.length > 0 ? (
            <select
              aria-label="Default strategy"
              className="bosun-select"
              value={draft.mergeStrategies.default}
              onChange={(e) => set({ mergeStrategies: { ...draft.mergeStrategies, default: e.target.value } })}
            >
              {draft.mergeStrategies.allowed.map((m) => (
                <option key={m} value={m}>
                  Default: {m}
                </option>
              ))}
            </select>
          ) : null}
        </Setting>
        <Setting id="readme" label="README skeleton" help={help('readme')} issues={at('settings.readme')}>
          <label className="bosun-inline">
            <input type="checkbox" data-testid="template-readme-managed" checked={draft.readme !== null} onChange={(e) => set({ readme: e.target.checked ? '# ' : null })} /> Commit a README.md in new repositories
          </label>
          {draft.readme !== null ? (
            <textarea id="template-readme" data-testid="template-readme" className="bosun-mono" rows={4} value={draft.readme} onChange={(e) => set({ readme: e.target.value })} />
          ) : null}
        </Setting>
        {elsewhere.length > 0 ? (
          <FieldIssues issues={elsewhere.map((i) => `${i.path || '(template)'}: ${i.message}`)} testId="template-issue-other" />
        ) : null}
        <div className="bosun-inline">
          <Button testId="template-save" appearance="primary" isDisabled={busy} onClick={() => void onSave()}>
            Save template
          </Button>
          {stored ? (
            <Button testId="template-delete" appearance="subtle" isDisabled={busy} onClick={() => void onDelete()}>
              Delete
            </Button>
          ) : null}
        </div>
        {issues.length > 0 ? (
          <span className="bosun-danger" data-testid="template-invalid">
            Not saved: {issues.length} problem{issues.length === 1 ? '' : 's'}, shown beside {issues.length === 1 ? 'its field' : 'their fields'}.
          </span>
        ) : null}
        {message ? <span data-testid="template-saved">{message}</span> : null}
        {error ? <ErrorMessage error={error} /> : null}
      </Section>
      <CreateRepositoryForm api={api} templates={view.templates.map((t) => String((t.template as { name?: unknown }).name))} bindings={view.bindings} onFinished={() => void reload()} />
    </>
  );
};
