import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, sessionFor } from '../helpers/oauth-dance';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

const template = { name: 'service', summary: 'Services', settings: { description: 'Managed by Bosun' } };

/** `/bosun apply-template` and `/bosun drift` from a real PR comment in the sandbox: preview, typed confirmation, apply, drift. */
describe.each(testDatabaseKinds())('repository template commands in a PR comment (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind });
    const saved = await callApi(stack, sessionFor(stack, 'alice', 'admin-settings'), 'POST', '/api/admin/templates', { template, expectedVersion: 0 });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const web = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const sticky = () => stack.sandbox.state.comments.find((c) => c.repoUuid === web().uuid && c.prId === 1 && !c.deleted && c.raw.includes('<!-- bosun:sticky:bosun -->'))?.raw ?? '';
  const say = (raw: string) => stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'bob', raw);
  const answered = (command: string) => waitFor(() => (sticky().includes(`\`${command}\` requested by`) && !sticky().includes('working on') ? sticky() : null), `the answer to ${command}`);

  it('apply-template shows the plan and changes nothing; with confirm it applies; drift then finds nothing', async () => {
    expect(web().description).not.toBe('Managed by Bosun');
    say('/bosun apply-template service');
    const preview = await answered('/bosun apply-template service');
    expect(preview).toContain('Template service would change 1 of 1 repository.');
    expect(preview).toContain('acme/web: set the description');
    expect(preview).toContain('To apply it, reply `/bosun apply-template service confirm`.');
    expect(web().description).not.toBe('Managed by Bosun');

    say('/bosun apply-template service confirm');
    const applied = await answered('/bosun apply-template service confirm');
    expect(applied).toContain('Applied template service to acme/web: 1 change.');
    expect(web().description).toBe('Managed by Bosun');

    say('/bosun drift');
    expect(await answered('/bosun drift')).toContain('All 1 repository matches its template.');
  });
});
