import type { TemplatePreviewView } from '../../server/web/api/template-views';

/** Per repository, what applying the template would change, and what must be changed by hand. */
export const TemplatePreviewList = ({ preview, testId = 'template-preview' }: { preview: TemplatePreviewView; testId?: string }) => (
  <ul className="bosun-list" data-testid={testId}>
    {preview.repositories.map((r) => (
      <li key={r.fullName} className="bosun-list__item" data-testid={`${testId}-repo`} data-repo={r.fullName} data-drifted={r.drifted}>
        <span className="bosun-list__text">
          <strong>{r.fullName}</strong>
          {!r.drifted ? <span className="bosun-subtle">Already matches {preview.template}: nothing to change.</span> : null}
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
        </span>
      </li>
    ))}
  </ul>
);
