import Button from '@atlaskit/button/default/button';
import Textfield from '@atlaskit/textfield/text-field';
import { useState } from 'react';
import type { TemplateBindingView } from '../../server/web/api/template-views';
import type { ApiClient } from '../api/create-api-client';
import { createIdempotencyKey } from '../api/create-idempotency-key';
import { ErrorMessage } from '../components/ErrorMessage';
import { Section } from '../components/Section';
import { TemplateProgress } from '../components/TemplateProgress';
import { useTemplateProgress } from '../components/use-template-progress';

export interface CreateRepositoryFormProps {
  api: ApiClient;
  templates: string[];
  /** Each repository's binding: after a create, what was applied and what was not. */
  bindings: TemplateBindingView[];
  onFinished: () => void;
}

/**
 * Create a repository from a template: Bosun creates it and applies every setting as one job, and the
 * result lists each step. A create that stopped part-way can be asked again: it applies what is missing.
 */
export const CreateRepositoryForm = ({ api, templates, bindings, onFinished }: CreateRepositoryFormProps) => {
  const [template, setTemplate] = useState('');
  const [repo, setRepo] = useState('');
  const [projectKey, setProjectKey] = useState('');
  const [jobIds, setJobIds] = useState<string[] | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { progress, error: progressError } = useTemplateProgress(api, jobIds ? { jobIds } : null, () => onFinished());
  const chosen = template || templates[0] || '';

  if (templates.length === 0) return null;
  const onCreate = async () => {
    setBusy(true);
    setError(null);
    try {
      const slug = repo.trim();
      const accepted = await api.createRepositoryFromTemplate({ template: chosen, repo: slug, requestKey: createIdempotencyKey(), ...(projectKey.trim() ? { projectKey: projectKey.trim() } : {}) });
      setCreated(slug);
      setJobIds(accepted.jobs.map((j) => j.jobId));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const binding = created && progress?.remaining === 0 ? bindings.find((b) => b.fullName.endsWith(`/${created}`)) : undefined;

  return (
    <Section title="Create a repository from a template" testId="create-repository">
      <div className="bosun-filters">
        <div className="bosun-field">
          <label htmlFor="create-template">Template</label>
          <select id="create-template" data-testid="create-template" className="bosun-select" value={chosen} onChange={(e) => setTemplate(e.target.value)}>
            {templates.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="bosun-field">
          <label htmlFor="create-repo">Repository slug</label>
          <Textfield id="create-repo" testId="create-repo" isCompact placeholder="tools" value={repo} onChange={(e) => setRepo(e.currentTarget.value)} />
        </div>
        <div className="bosun-field">
          <label htmlFor="create-project">Project key (optional)</label>
          <Textfield id="create-project" testId="create-project" isCompact value={projectKey} onChange={(e) => setProjectKey(e.currentTarget.value)} />
        </div>
      </div>
      <span>
        <Button testId="create-submit" appearance="primary" isDisabled={busy || repo.trim() === ''} onClick={() => void onCreate()}>
          Create repository
        </Button>
      </span>
      {error ? <ErrorMessage error={error} /> : null}
      {progressError ? <ErrorMessage error={progressError} /> : null}
      {progress ? <TemplateProgress progress={progress} testId="create-progress" /> : null}
      {binding ? (
        <div data-testid="create-result">
          {binding.applied.length > 0 ? <span className="bosun-subtle">Applied: {binding.applied.join('; ')}.</span> : null}
          {binding.pending.length > 0 ? <span className="bosun-subtle"> Not applied: {binding.pending.join('; ')}.</span> : null}
          {binding.error ? <span className="bosun-danger"> Stopped: {binding.error} Create it again to apply the rest.</span> : null}
        </div>
      ) : null}
    </Section>
  );
};
