import Heading from '@atlaskit/heading/heading';
import type { ReactNode } from 'react';

export interface SectionProps {
  title: ReactNode;
  /** Shown on the right of the title, e.g. a lozenge or a count. */
  aside?: ReactNode;
  testId?: string;
  children: ReactNode;
}

/** A titled block within a page. */
export const Section = ({ title, aside, testId, children }: SectionProps) => (
  <section className="bosun-section" data-testid={testId}>
    <div className="bosun-section__header">
      <Heading size="xsmall" as="h2">
        {title}
      </Heading>
      {aside}
    </div>
    {children}
  </section>
);
