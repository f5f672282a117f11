import Lozenge from '@atlaskit/lozenge/lozenge';
import { useCallback } from 'react';
import type { ApiClient } from '../api/create-api-client';
import { ResourceView } from '../components/ResourceView';
import { Section } from '../components/Section';

export interface RuleActivityProps {
  api: ApiClient;
  repoUuid: string;
  prId: string;
}

/** "Automation": what Bosun's rules did on this PR, and what rules in dry run would have done (nothing changed). */
export const RuleActivity = ({ api, repoUuid, prId }: RuleActivityProps) => {
  const load = useCallback(() => api.getRuleActivity(repoUuid, Number(prId)), [api, repoUuid, prId]);
  return (
    <ResourceView load={load} loadingLabel="Loading automation">
      {(view) =>
        view.entries.length === 0 ? null : (
          <Section title="Automation">
            <ul className="bosun-list" data-testid="rule-activity">
              {view.entries.map((e) => (
                <li key={`${e.at}-${e.rule}-${e.message}`} className="bosun-list__item" data-testid="rule-activity-entry" data-rule={e.rule} data-dry-run={String(e.dryRun)}>
                  <span className="bosun-fixed">
                    <Lozenge appearance={e.dryRun ? 'default' : e.outcome === 'succeeded' ? 'success' : 'removed'}>{e.dryRun ? 'dry run' : e.outcome}</Lozenge>
                  </span>
                  <span className="bosun-list__text">{e.message}</span>
                </li>
              ))}
            </ul>
          </Section>
        )
      }
    </ResourceView>
  );
};
