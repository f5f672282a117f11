import { BootContextError } from '../api/boot-context-error';
import { mountPage } from '../components/mount-page';
import { ResourceView } from '../components/ResourceView';
// The PR panel's Ask Bosun, with no pull request: the repository's own requests (branch hygiene, templates, settings).
import { AskBosun } from '../pr-panel/AskBosun';
import { BranchQueues } from './BranchQueues';
import { RepoDashboard } from './RepoDashboard';
import { RepositoryFacts } from './RepositoryFacts';

void mountPage('repo-dashboard', ({ context, api }) => {
  const { repoUuid } = context;
  if (!repoUuid) throw new BootContextError('the repository dashboard needs a repository');
  const load = () => api.getRepoDashboard(repoUuid);
  return (
    <ResourceView load={load} loadingLabel="Loading pull requests">
      {(view, { reload }) => (
        <>
          <RepoDashboard view={view} />
          <RepositoryFacts facts={view.repositoryFacts} />
          <BranchQueues api={api} repoUuid={repoUuid} />
          <AskBosun api={api} repoUuid={repoUuid} repoFullName={context.repoFullName} prId={null} onChanged={reload} />
        </>
      )}
    </ResourceView>
  );
});
