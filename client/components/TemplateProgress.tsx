import Lozenge from '@atlaskit/lozenge/lozenge';
import type { TemplateProgressView } from '../../server/web/api/template-views';
import { toDateTime } from './format-date';

const STATE_APPEARANCE = { done: 'success', failed: 'removed', remaining: 'inprogress' } as const;
const STATE_LABEL = { done: 'Done', failed: 'Failed', remaining: 'Waiting' } as const;

/** Where an apply stands: done, failed, remaining, whether it waits for the rate budget, and each repository. */
export const TemplateProgress = ({ progress, testId = 'template-progress' }: { progress: TemplateProgressView; testId?: string }) => (
  <div data-testid={testId} data-remaining={progress.remaining} data-done={progress.done} data-failed={progress.failed}>
    <span className="bosun-subtle" data-testid={`${testId}-counts`}>
      {progress.done} done, {progress.failed} failed, {progress.remaining} remaining
    </span>
    {progress.pausedUntil ? (
      <span className="bosun-subtle" data-testid={`${testId}-paused`}>
        {' '}
        · Paused to keep Bitbucket&apos;s hourly limit for people until {toDateTime(progress.pausedUntil)}; it resumes by itself.
      </span>
    ) : null}
    <ul className="bosun-list">
      {progress.repositories.map((r) => (
        <li key={r.repo} className="bosun-list__item" data-testid={`${testId}-repo`} data-repo={r.repo} data-state={r.state}>
          <span className="bosun-list__main">{r.repo}</span>
          <Lozenge appearance={STATE_APPEARANCE[r.state]}>{STATE_LABEL[r.state]}</Lozenge>
          {r.message ? <span className="bosun-subtle">{r.message}</span> : null}
        </li>
      ))}
    </ul>
  </div>
);
