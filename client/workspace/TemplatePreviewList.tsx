import type { TemplatePreviewView } from '../../server/web/api/template-views';

/** Per repository, what applying the template would change, what must be changed by hand, and what the mirror does not know yet. */
export const TemplatePreviewList = ({ preview, testId = 'template-preview' }: { preview: TemplatePreviewView; testId?: string }) => (
  <ul className="bosun-list" data-testid={testId}>
    {preview.repositories.map((r) => (
      <li key={r.fullName} className="bosun-list__item" data-testid={`${testId}-repo`} data-repo={r.fullName} data-drifted={r.drifted}>
        <span className="bosun-list__text">
          <strong>{r.fullName}</strong>
          {!r.drifted && r.unknown.length === 0 ? <span className="bosun-subtle">Already matches {preview.template}: nothing to change.</span> : null}
          {!r.drifted && r.unknown.length > 0 ? <span className="bosun-subtle">Nothing to change that Bosun knows of yet.</span> : null}
          {r.changes.length > 0 ? (
            <ul className="bosun-bullets">
              {r.changes.map((c) => (
                <li key={c} data-testid={`${testId}-change`}>
                  {c}
                </li>
              ))}
            </ul>
          ) : null}
          {r.manual.length > 0 ? <span className="bosun-subtle">By hand (no Bitbucket API): {r.manual.join('; ')}</span> : null}
          {r.unknown.length > 0 ? (
            <span className="bosun-subtle" data-testid={`${testId}-unknown`}>
              {r.unknown.join('; ')}
            </span>
          ) : null}
        </span>
      </li>
    ))}
  </ul>
);
