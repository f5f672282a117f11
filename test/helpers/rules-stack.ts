import { randomBytes } from 'node:crypto';
import type { PolicyLayer } from '../../server/policies';
import { RULES_PULL_REQUEST_JOB } from '../../server/create-rule-automations';
import { createSqlPolicyStore } from '../../server/storage/sql-policy-store';
import type { RunningStack } from './start-stack';
import { waitFor } from './wait-for';

/** The seed's people, by Bitbucket uuid. */
export const SEED_PEOPLE = {
  alice: '{a11ce000-0000-4000-8000-000000000001}',
  carol: '{ca201000-0000-4000-8000-000000000003}',
  dave: '{da7e0000-0000-4000-8000-000000000004}',
} as const;

const WORKSPACE = 'acme';

export interface RulesStack {
  clientKey(): string;
  repoUuid(): string;
  /** The PR as the sandbox holds it now. */
  prNow(id: number): RunningStack['sandbox']['state']['pullRequests'][number];
  /** The audit entries of one tool, newest first. */
  auditFor(tool: string): Promise<Awaited<ReturnType<RunningStack['bosun']['services']['automation']['audit']['list']>>['entries']>;
  /** The workspace policy, saved by Alice (each call the next version). */
  savePolicy(layer: PolicyLayer): Promise<void>;
  /** Bob pushes a new feature branch with these files and opens a PR from it to main. */
  openPr(title: string, files: Record<string, string>, description?: string): { id: number };
  /**
   * A rules job of this PR (`rules.pullRequest`) that `matches`, once it has finished. Bitbucket
   * shows a rule's write as soon as it is made, but the executor records the plan's audit entry only
   * after the step has answered: a test that reads the audit log waits for the job, not for Bitbucket.
   */
  rulesJobDone(pullRequestId: number, matches: (job: { event: string; dedupeKey: string | null }) => boolean): Promise<{ state: string }>;
}

/** The automation rules' integration tests' view of a running stack (read once the stack has started). */
export function createRulesStack(stack: () => RunningStack, repo = 'web'): RulesStack {
  let version = 0;
  const clientKey = () => stack().installation.clientKey;
  const repoUuid = () => stack().sandbox.state.repositories.find((r) => r.slug === repo)!.uuid;
  return {
    clientKey,
    repoUuid,
    prNow: (id) => stack().sandbox.state.pullRequests.find((p) => p.repoUuid === repoUuid() && p.id === id)!,
    auditFor: async (tool) => (await stack().bosun.services.automation.audit.list(clientKey(), { tool, limit: 200 })).entries,
    async savePolicy(layer) {
      await createSqlPolicyStore(stack().bosun.services.db).save(clientKey(), 'workspace', layer, SEED_PEOPLE.alice, version);
      version++;
    },
    openPr(title, files, description = '') {
      const branch = `feature/${randomBytes(3).toString('hex')}`;
      const { actions } = stack().sandbox;
      actions.pushCommit({ workspace: WORKSPACE, repo, branch, actor: 'bob', message: title, files });
      return actions.createPullRequest({ workspace: WORKSPACE, repo, actor: 'bob', title, description, sourceBranch: branch, destinationBranch: 'main' });
    },
    rulesJobDone: (pullRequestId, matches) =>
      waitFor(async () => {
        const jobs = await stack().bosun.services.db.models.Job.findAll({ where: { clientKey: clientKey(), type: RULES_PULL_REQUEST_JOB } });
        return jobs.find((j) => {
          const payload = JSON.parse(j.payload) as { pullRequestId: number; event: string };
          return payload.pullRequestId === pullRequestId && matches({ event: payload.event, dedupeKey: j.dedupeKey }) && (j.state === 'succeeded' || j.state === 'dead');
        });
      }, `a finished rules job of #${pullRequestId}`),
  };
}
