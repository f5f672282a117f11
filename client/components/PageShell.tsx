import Heading from '@atlaskit/heading/heading';
import type { ReactNode } from 'react';

export interface PageShellProps {
  testId: string;
  title?: ReactNode;
  /** One line under the title, e.g. the repository or workspace. */
  subtitle?: ReactNode;
  /** Things on the right of the title, e.g. a count or a lozenge. */
  aside?: ReactNode;
  children: ReactNode;
}

/** The frame of every page: optional title row, then the content, with the house spacing. */
export const PageShell = ({ testId, title, subtitle, aside, children }: PageShellProps) => (
  <main className="bosun-page" data-testid={testId}>
    {title ? (
      <header className="bosun-page__header">
        <div className="bosun-page__titles">
          <Heading size="medium" as="h1">
            {title}
          </Heading>
          {subtitle ? <div className="bosun-subtle">{subtitle}</div> : null}
        </div>
        {aside ? <div className="bosun-page__aside">{aside}</div> : null}
      </header>
    ) : null}
    {children}
  </main>
);
