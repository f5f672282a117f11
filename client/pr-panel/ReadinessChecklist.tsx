import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback } from 'react';
import type { ApiClient } from '../api/create-api-client';
import { ResourceView } from '../components/ResourceView';
import { Section } from '../components/Section';
import { toChecklistItems } from './to-checklist-items';

export interface ReadinessChecklistProps {
  api: ApiClient;
  repoUuid: string;
  prId: string;
  /** Names for the people the checklist mentions (the panel's reviewers); falls back to "someone". */
  nameOf: (uuid: string) => string;
}

/** "Ready to merge?": every condition Bosun checks, blockers first, with who can lift each. */
export const ReadinessChecklist = ({ api, repoUuid, prId, nameOf }: ReadinessChecklistProps) => {
  const load = useCallback(() => api.getReadiness(repoUuid, prId), [api, repoUuid, prId]);
  return (
    <ResourceView load={load} loadingLabel="Checking readiness">
      {(view) => {
        const checklist = toChecklistItems(view, nameOf);
        return (
          <Section
            title="Ready to merge?"
            aside={
              <span data-testid="readiness-verdict" data-verdict={view.verdict}>
                <Lozenge appearance={checklist.verdict.appearance}>{checklist.verdict.label}</Lozenge>
              </span>
            }
          >
            {checklist.note ? <span className="bosun-subtle">{checklist.note}</span> : null}
            <ul className="bosun-list" data-testid="readiness-checklist">
              {checklist.items.map((item) => (
                <li key={item.id} className="bosun-list__item" data-testid="readiness-item" data-id={item.id} data-status={item.status}>
                  <div className="bosun-list__main">
                    <span className="bosun-fixed">
                      <Lozenge appearance={item.appearance}>{item.label}</Lozenge>
                    </span>
                    <div className="bosun-list__text">
                      <span>{item.message}</span>
                      {item.who ? <span className="bosun-subtle">{item.who}</span> : null}
                    </div>
                  </div>
                  <span className="bosun-subtlest bosun-fixed">{item.origin}</span>
                </li>
              ))}
            </ul>
          </Section>
        );
      }}
    </ResourceView>
  );
};
