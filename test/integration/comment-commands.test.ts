import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

describe.each(testDatabaseKinds())('PR comment commands (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind, webhookRetryDelaysMs: [50, 100] });
  });
  afterAll(async () => stack.close());

  const repo = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pr = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo().uuid && p.id === id)!;
  const bosunComments = (id: number) =>
    stack.sandbox.state.comments.filter((c) => c.repoUuid === repo().uuid && c.prId === id && !c.deleted && c.raw.includes('<!-- bosun:sticky:bosun -->'));
  const sticky = (id: number) => bosunComments(id)[0]?.raw ?? '';
  const audit = () => stack.bosun.services.automation.audit.list(stack.installation.clientKey, { limit: 200 });

  it('/bosun merge when green merges exactly once after the last build turns green, replying in one sticky comment', async () => {
    const target = pr(1);
    expect(target.state).toBe('OPEN');
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 1 }, 'bob', '/bosun merge when green');
    await waitFor(() => sticky(1).includes('once its builds pass'), 'the acknowledgement and result');
    // One build is still running: nothing merges.
    await new Promise((r) => setTimeout(r, 2000));
    expect(pr(1).state).toBe('OPEN');
    const running = stack.sandbox.state.statuses.find((s) => s.repoUuid === repo().uuid && s.state === 'INPROGRESS' && s.commitHash === target.source.hash);
    expect(running).toBeDefined();
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: running!.commitHash, actor: 'alice', key: running!.key, state: 'SUCCESSFUL', name: running!.name, url: running!.url });
    await waitFor(() => pr(1).state === 'MERGED', 'the PR to be merged');
    await waitFor(() => sticky(1).includes('merged #1'), 'the merged reply');
    await stack.sandbox.idle();
    expect(bosunComments(1)).toHaveLength(1);
    const fulfilled = stack.sandbox.deliveries.filter((d) => d.event === 'pullrequest:fulfilled' && d.attempt === 1);
    expect(fulfilled).toHaveLength(1);
    const entries = (await audit()).entries;
    expect(entries.filter((e) => e.tools.includes('pullRequest.merge') && e.outcome === 'succeeded')).toHaveLength(1);
    expect(entries.some((e) => e.tools.includes('pullRequest.mergeWhenGreen') && e.actor.userUuid === stack.sandbox.state.users.find((u) => u.nickname === 'bob')!.uuid)).toBe(true);
    // Later green builds do not merge again.
    stack.sandbox.actions.setCommitStatus({ workspace: 'acme', repo: 'web', commit: running!.commitHash, actor: 'alice', key: 'late-check', state: 'SUCCESSFUL', name: 'late', url: 'https://ci.example/2' });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await audit()).entries.filter((e) => e.tools.includes('pullRequest.merge'))).toHaveLength(1);
  });

  it('a command delivered three times runs once', async () => {
    const before = (await audit()).total;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 2 }, 'bob', '/bosun request reviewers @dave');
    await waitFor(() => sticky(2).includes('requested by'), 'the reply');
    await waitFor(() => !sticky(2).includes('working on'), 'the result');
    const delivery = stack.sent.find((d) => d.headers['x-event-key'] === 'pullrequest:comment_created' && d.body.includes('request reviewers'))!;
    // Every Bitbucket request the command made is logged with its tenant and delivery id.
    const requests = stack.bosun.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'bitbucket request' && l.deliveryId === delivery.headers['x-request-uuid']);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((l) => l.tenant === stack.installation.clientKey)).toBe(true);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(delivery.url, { method: 'POST', headers: { ...delivery.headers, 'x-attempt-number': String(i + 2) }, body: delivery.body });
      expect(res.status).toBe(204);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const after = await audit();
    expect(after.total - before).toBe(1);
    const dave = stack.sandbox.state.users.find((u) => u.nickname === 'dave')!;
    expect(pr(2).participants.filter((p) => p.userUuid === dave.uuid && p.role === 'REVIEWER')).toHaveLength(1);
  });

  it('answers an unknown command with the list of valid ones, and ignores its own comments', async () => {
    const commentsBefore = stack.sandbox.state.comments.length;
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 3 }, 'carol', '/bosun dance');
    await waitFor(() => sticky(3).includes('/bosun merge when green'), 'the help reply');
    await stack.sandbox.idle();
    await new Promise((r) => setTimeout(r, 1000));
    // Carol's comment and Bosun's single sticky comment (edited in place, never answered).
    expect(stack.sandbox.state.comments.length - commentsBefore).toBe(2);
  });

  it('refuses a write command from someone without write access, and asks a user to connect before acting as them', async () => {
    const ws = stack.sandbox.state.workspaces.find((w) => w.slug === 'acme')!;
    const members = [...ws.members];
    ws.members.splice(ws.members.indexOf('dave'), 1);
    try {
      stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 3 }, 'dave', '/bosun merge');
      await waitFor(() => sticky(3).includes('Only people with write access'), 'the refusal');
      expect(pr(3).state).toBe('OPEN');
    } finally {
      ws.members.splice(0, ws.members.length, ...members);
    }
    stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id: 3 }, 'carol', '/bosun approve');
    await waitFor(() => sticky(3).includes('Connect your Bitbucket account'), 'the connect prompt');
    expect(sticky(3)).toContain('/account/settings/addon/');
  });
});
