import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryAuditStore, createMemoryExecutionStore, createToolCatalog, type AnyTool, type Plan } from '../../../server/agent';
import type { BitbucketClient, WorkspaceMembership } from '../../../server/bitbucket';
import { alice, createFakeResolver, createRecordingTool, createTickingClock, silentLogger, tenant } from './agent-fakes';

/** An installation client that answers only the workspace permission Bosun asks about. */
function permissionsClient(permission: 'owner' | 'member' | 'collaborator' | null): BitbucketClient & { asked: string[] } {
  const asked: string[] = [];
  const workspaces = {
    listPermissions: async (workspace: string, opts: { q?: string }) => {
      asked.push(`${workspace} ${opts.q ?? ''}`);
      return permission ? ([{ permission, user: { uuid: alice.userUuid } }] as unknown as WorkspaceMembership[]) : [];
    },
  };
  return { workspaces, asked } as unknown as BitbucketClient & { asked: string[] };
}

function setup(tools: AnyTool[], permission: 'owner' | 'member' | 'collaborator' | null) {
  const audit = createMemoryAuditStore();
  const client = permissionsClient(permission);
  const executor = createExecutor({
    tools: createToolCatalog(tools),
    clients: createFakeResolver({ forInstallation: async () => client, forUser: async () => client }),
    audit,
    executions: createMemoryExecutionStore(),
    logger: silentLogger,
    now: createTickingClock(),
    installationScopes: ['account', 'pullrequest:write', 'repository'],
    requireWriteAccess: true,
  });
  return { executor, audit, client };
}

const plan = (tool: string): Plan => ({ summary: `run ${tool}`, source: 'button', steps: [{ tool, input: { repo: 'web' } }] });
const opts = (key: string) => ({ idempotencyKey: key, confirmed: true, trigger: { kind: 'button', ref: null } });

describe('executor preconditions from tool metadata: who may run what', () => {
  it('a change Bosun makes as the installation needs the person’s own write access; the refusal is the one audit entry', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const { executor, audit, client } = setup([merge], 'collaborator');
    const result = await executor.execute(plan('pullRequest.merge'), { tenant, actor: alice }, opts('k-refused'));
    expect(result.outcome).toBe('refused');
    expect(result.message).toBe('Only people with write access to this workspace may have Bosun change it.');
    expect(merge.runs).toHaveLength(0);
    expect(client.asked).toEqual([`acme user.uuid="${alice.userUuid}"`]);
    const entries = await audit.list(tenant.clientKey, {});
    expect(entries.entries.map((e) => [e.outcome, e.idempotencyKey])).toEqual([['refused', 'k-refused']]);
  });

  it('members and owners may; reads, steps acting as the person and rules are not asked about', async () => {
    const merge = createRecordingTool('pullRequest.merge', { risk: 'write', actsAs: 'installation', scopes: ['pullrequest:write'] });
    const status = createRecordingTool('pullRequest.status', { risk: 'read', actsAs: 'installation', scopes: ['pullrequest'] });
    const approve = createRecordingTool('pullRequest.approve', { risk: 'write', actsAs: 'user', scopes: ['pullrequest:write'] });
    const member = setup([merge], 'member');
    expect((await member.executor.execute(plan('pullRequest.merge'), { tenant, actor: alice }, opts('k-member'))).outcome).toBe('succeeded');
    const nobody = setup([status, approve, merge], null);
    expect((await nobody.executor.execute(plan('pullRequest.status'), { tenant, actor: alice }, opts('k-read'))).outcome).toBe('succeeded');
    expect((await nobody.executor.execute(plan('pullRequest.approve'), { tenant, actor: alice }, opts('k-as-user'))).outcome).toBe('succeeded');
    const rule = { userUuid: alice.userUuid, accountId: alice.accountId, kind: 'rule' as const };
    expect((await nobody.executor.execute(plan('pullRequest.merge'), { tenant, actor: rule }, opts('k-rule'))).outcome).toBe('succeeded');
    expect(nobody.client.asked).toEqual([]);
  });
});
