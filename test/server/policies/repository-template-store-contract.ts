import { expect, it } from 'vitest';
import { diffRepositorySettings } from '../../../server/policies/diff-repository-settings';
import { repositoryTemplateSchema } from '../../../server/policies/repository-template';
import { TemplateConflictError } from '../../../server/policies/repository-template-errors';
import type { RepositoryTemplateStore } from '../../../server/policies/repository-template-store';

const service = repositoryTemplateSchema.parse({
  name: 'service',
  summary: 'Back-end services',
  settings: { isPrivate: true, branchRestrictions: [{ kind: 'require_approvals_to_merge', pattern: 'main', value: 2 }] },
});

/** The behaviour every RepositoryTemplateStore shares (memory and SQL). */
export function describeRepositoryTemplateStoreContract(makeStore: () => RepositoryTemplateStore): void {
  it('saves under a version, refuses a save from a stale version, and keeps tenants apart', async () => {
    const store = makeStore();
    const first = await store.save('tenant-a', service, '{admin}', 0);
    expect(first.version).toBe(1);
    await expect(store.save('tenant-a', service, '{admin}', 0)).rejects.toBeInstanceOf(TemplateConflictError);
    const edited = { ...service, summary: 'Services, edited' };
    expect((await store.save('tenant-a', edited, '{other}', 1)).version).toBe(2);
    await expect(store.save('tenant-a', service, '{admin}', 1)).rejects.toMatchObject({ code: 'TEMPLATE_CONFLICT', storedVersion: 2 });
    expect(await store.get('tenant-a', 'service')).toMatchObject({ template: { summary: 'Services, edited' }, version: 2, updatedBy: '{other}' });
    expect(await store.get('tenant-b', 'service')).toBeNull();
    expect(await store.list('tenant-b')).toEqual([]);
    expect((await store.list('tenant-a')).map((t) => t.template.name)).toEqual(['service']);
  });

  it('keeps one binding per repository with what the last check found, and drops bindings with their template', async () => {
    const store = makeStore();
    await store.save('tenant-c', service, '{admin}', 0);
    const diff = diffRepositorySettings(service, {
      fullName: 'acme/api', isPrivate: false, mainBranch: 'main', description: '', branchRestrictions: [],
      mergeStrategies: null, defaultReviewers: [], webhooks: [], pipelinesEnabled: null,
    });
    const checkedAt = new Date('2026-03-01T10:00:00.000Z');
    await store.ensureBinding('tenant-c', { fullName: 'acme/api', template: 'service', status: 'drifted', applied: [], pending: diff.changes, error: null, checkedAt });
    await store.ensureBinding('tenant-c', { fullName: 'acme/web', template: 'service', status: 'in-sync', applied: [], pending: [], error: null, checkedAt });
    await store.ensureBinding('tenant-c', {
      fullName: 'acme/api', template: 'service', status: 'partial', applied: diff.changes.slice(0, 1), pending: diff.changes.slice(1), error: 'Bitbucket answered 500', checkedAt,
    });
    expect(await store.getBinding('tenant-c', 'acme/api')).toEqual({
      fullName: 'acme/api', template: 'service', status: 'partial', applied: diff.changes.slice(0, 1), pending: diff.changes.slice(1), error: 'Bitbucket answered 500', checkedAt,
    });
    expect((await store.listBindings('tenant-c', 'service')).map((b) => [b.fullName, b.status])).toEqual([['acme/api', 'partial'], ['acme/web', 'in-sync']]);
    expect(await store.listBindings('tenant-a')).toEqual([]);
    expect(await store.delete('tenant-c', 'service')).toBe(true);
    expect(await store.delete('tenant-c', 'service')).toBe(false);
    expect(await store.listBindings('tenant-c')).toEqual([]);
  });
}
