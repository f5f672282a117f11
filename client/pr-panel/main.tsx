import { BootContextError } from '../api/boot-context-error';
import { mountPage } from '../components/mount-page';
import { ResourceView } from '../components/ResourceView';
import { ApproveAsMe } from './ApproveAsMe';
import { AskBosun } from './AskBosun';
import { BuildList } from './BuildList';
import { MergeQueuePlace } from './MergeQueuePlace';
import { PendingMerges } from './PendingMerges';
import { PullRequestPanel } from './PullRequestPanel';
import { ReadinessChecklist } from './ReadinessChecklist';
import { RuleActivity } from './RuleActivity';
import { toPlanPageFacts } from './to-plan-page-facts';

void mountPage('pr-panel', ({ context, api }) => {
  const { repoUuid, prId } = context;
  if (!repoUuid || !prId) throw new BootContextError('the pull request panel needs a repository and a pull request id');
  const load = () => api.getPullRequestPanel(repoUuid, prId);
  return (
    <ResourceView load={load} loadingLabel="Loading pull request">
      {(view, { setValue, reload }) => (
        <PullRequestPanel
          view={view}
          actions={
            <>
              <ApproveAsMe api={api} view={view} repoUuid={repoUuid} viewerUuid={context.userUuid} onChanged={setValue} />
              <PendingMerges api={api} repoUuid={repoUuid} repoFullName={context.repoFullName} pullRequestId={view.pullRequest.id} version={view} />
            </>
          }
          builds={<BuildList api={api} view={view} repoUuid={repoUuid} repoFullName={context.repoFullName} onChanged={setValue} />}
          checklist={
            <>
              <ReadinessChecklist api={api} repoUuid={repoUuid} prId={prId} nameOf={(uuid) => view.reviewers.find((r) => r.user.uuid === uuid)?.user.displayName ?? 'someone'} />
              <RuleActivity api={api} repoUuid={repoUuid} prId={prId} repoFullName={context.repoFullName} open={view.pullRequest.state === 'OPEN'} />
            </>
          }
          queue={<MergeQueuePlace api={api} repoUuid={repoUuid} repoFullName={context.repoFullName} pullRequestId={view.pullRequest.id} version={view} />}
          ask={<AskBosun api={api} repoUuid={repoUuid} repoFullName={context.repoFullName} prId={view.pullRequest.id} page={toPlanPageFacts(view)} onChanged={reload} />}
        />
      )}
    </ResourceView>
  );
});
