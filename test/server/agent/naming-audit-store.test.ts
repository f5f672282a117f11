import { describe, expect, it } from 'vitest';
import { createMemoryAuditStore, createNameDirectory, createNamingAuditStore, type AuditRecordInput, type ClientResolver, type NameDirectory } from '../../../server/agent';
import { silentLogger } from './agent-fakes';

const WEB = '{7eb00000-0000-4000-8000-00000000000a}';
const WS = '{acacacac-0000-4000-8000-000000000000}';

const entry = (over: Partial<AuditRecordInput> = {}): AuditRecordInput => ({
  clientKey: 'ck',
  idempotencyKey: 'k',
  actor: { userUuid: '{ada}', accountId: 'a-1', kind: 'user' },
  trigger: { kind: 'panel', ref: null },
  source: 'button',
  planSummary: `Approve #1 in acme/${WEB}`,
  repositories: [`acme/${WEB}`],
  tools: ['pullRequest.approve'],
  steps: [{ tool: 'pullRequest.approve', input: { repo: WEB }, outcome: 'succeeded', summary: `Approved #1 in acme/${WEB}.`, message: null, errorCode: null, links: [{ label: `acme/${WEB}`, url: 'http://x' }], durationMs: 1 }],
  outcome: 'succeeded',
  message: `Approved #1 in acme/${WEB}.`,
  startedAt: new Date(0),
  durationMs: 1,
  ...over,
});

const directory = (): NameDirectory => ({
  async repository(_ck, _workspace, repo) {
    if (repo === WEB || repo === 'web') return { fullName: 'acme/web', uuid: WEB };
    return null;
  },
  async person(_ck, uuid) {
    return uuid === '{ada}' ? { displayName: 'Ada Lovelace', nickname: 'ada' } : null;
  },
});

describe('naming audit store', () => {
  it('names a repository given by uuid everywhere people read it, and the person by display name', async () => {
    const inner = createMemoryAuditStore();
    const recorded = await createNamingAuditStore(inner, directory()).record(entry({ trigger: { kind: 'button', ref: `approve:${WEB}#1` } }));
    expect(recorded.trigger.ref).toBe('approve:acme/web#1');
    expect(recorded.repositories).toEqual(['acme/web']);
    expect(recorded.planSummary).toBe('Approve #1 in acme/web');
    expect(recorded.message).toBe('Approved #1 in acme/web.');
    expect(recorded.steps[0]).toMatchObject({ summary: 'Approved #1 in acme/web.', links: [{ label: 'acme/web' }], input: { repo: WEB } });
    expect(recorded.actor).toMatchObject({ displayName: 'Ada Lovelace', nickname: 'ada', userUuid: '{ada}' });
    // The uuid stays a key: the log finds the entry by it.
    expect((await inner.list('ck', { repository: WEB })).total).toBe(1);
    expect((await inner.list('ck', { repository: 'web' })).total).toBe(1);
  });

  it('a workspace given by uuid becomes its slug; a name the directory cannot find leaves the entry as it was', async () => {
    const kept = await createNamingAuditStore(createMemoryAuditStore(), directory()).record(entry({ repositories: [`${WS}/web`, 'acme/gone'], actor: { userUuid: '{nobody}', accountId: null, kind: 'user' } }));
    expect(kept.repositories).toEqual(['acme/web', 'acme/gone']);
    expect(kept.actor.displayName).toBeUndefined();
  });

  it('the Bitbucket directory caches names for its TTL and answers null when Bitbucket fails', async () => {
    let at = 0;
    const calls: string[] = [];
    const clients = {
      async forInstallation() {
        return {
          repositories: {
            async get(workspace: string, repo: string) {
              calls.push(`${workspace}/${repo}`);
              if (repo === 'boom') throw new Error('Bitbucket is down');
              return { full_name: 'acme/web', uuid: WEB, name: 'web' };
            },
          },
          workspaces: { async getMember() { return { user: { display_name: 'Bob Builder', nickname: 'bob' } }; } },
        };
      },
      async forUser() {
        throw new Error('not used');
      },
    } as unknown as ClientResolver;
    const names = createNameDirectory({ clients, now: () => new Date(at), logger: silentLogger, ttlMs: 1000, workspaceOf: async () => 'acme' });
    expect(await names.repository('ck', 'acme', WEB)).toEqual({ fullName: 'acme/web', uuid: WEB });
    expect(await names.repository('ck', 'acme', WEB)).toEqual({ fullName: 'acme/web', uuid: WEB });
    expect(calls).toEqual([`acme/${WEB}`]);
    at = 1001;
    await names.repository('ck', 'acme', WEB);
    expect(calls).toHaveLength(2);
    expect(await names.repository('ck', 'acme', 'boom')).toBeNull();
    expect(await names.person('ck', '{bob}')).toEqual({ displayName: 'Bob Builder', nickname: 'bob' });
    const recorded = await createNamingAuditStore(createMemoryAuditStore(), names).record(entry({ repositories: ['acme/boom'] }));
    expect(recorded.repositories).toEqual(['acme/boom']);
  });
});
