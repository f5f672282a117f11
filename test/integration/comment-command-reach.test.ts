import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../helpers/start-stack';
import { testDatabaseKinds } from '../helpers/test-databases';
import { waitFor } from '../helpers/wait-for';

/** Every PR tool from a `/bosun` comment, help in the one sticky comment, and a pointer to it when the thread moved on. */
describe.each(testDatabaseKinds())('PR comment commands: reach, help in the sticky comment, where the answer is (%s)', (kind) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ database: kind, webhookRetryDelaysMs: [50, 100] });
  });
  afterAll(async () => stack.close());

  const repo = () => stack.sandbox.state.repositories.find((r) => r.slug === 'web')!;
  const pr = (id: number) => stack.sandbox.state.pullRequests.find((p) => p.repoUuid === repo().uuid && p.id === id)!;
  const comments = (id: number) => stack.sandbox.state.comments.filter((c) => c.repoUuid === repo().uuid && c.prId === id && !c.deleted);
  const stickies = (id: number) => comments(id).filter((c) => c.raw.includes('<!-- bosun:sticky:bosun -->'));
  const sticky = (id: number) => stickies(id)[0]?.raw ?? '';
  const pointers = (id: number) => comments(id).filter((c) => c.raw.includes('<!-- bosun:pointer:'));
  /**
   * A command's job edits the sticky comment, then looks whether the thread moved past it: it must have
   * finished before a test adds the next comment, or it would rightly point under its own command.
   */
  const commandsDone = () =>
    waitFor(async () => (await stack.bosun.services.db.models.Job.count({ where: { type: 'webhook.comment', state: ['queued', 'running'] } })) === 0, 'the commands\' jobs finished');
  const say = (id: number, who: string, raw: string) => stack.sandbox.actions.addComment({ workspace: 'acme', repo: 'web', id }, who, raw);

  it('/bosun help answers in the sticky comment, edited in place however often it is asked', async () => {
    say(1, 'bob', '/bosun help');
    await waitFor(() => sticky(1).includes('/bosun request changes'), 'the help in the sticky comment');
    await commandsDone();
    await stack.sandbox.idle();
    const before = comments(1).length;
    say(1, 'carol', '/bosun help');
    await waitFor(() => sticky(1).includes('requested by Carol'), 'the second help');
    await commandsDone();
    await stack.sandbox.idle();
    // Carol's comment only: the help went into the same sticky comment, and nothing points to it (it is right above).
    expect(comments(1).length - before).toBe(1);
    expect(stickies(1)).toHaveLength(1);
    expect(pointers(1)).toHaveLength(0);
    for (const usage of ['/bosun unapprove', '/bosun decline', '/bosun rename', '/bosun draft', '/bosun retarget', '/bosun run pipeline', '/bosun stop pipeline', '/bosun delete source branch']) {
      expect(sticky(1)).toContain(usage);
    }
  });

  it('when the thread has moved past the sticky comment, the answer says where it is, once, under the command', async () => {
    await commandsDone();
    say(1, 'dave', 'I had a look, the form needs a label');
    say(1, 'carol', 'agreed');
    const command = say(1, 'bob', '/bosun rename "Add the login form"');
    await waitFor(() => pr(1).title === 'Add the login form', 'the rename');
    await waitFor(() => pointers(1).length === 1, 'the pointer');
    await stack.sandbox.idle();
    const pointer = pointers(1)[0]!;
    expect(pointer.parentId).toBe(command.id);
    expect(pointer.raw).toContain(`#comment-${stickies(1)[0]!.id}`);
    expect(sticky(1)).toContain('/bosun rename');
    expect(stickies(1)).toHaveLength(1);
  });

  it('commands for the other PR tools: draft, ready, retarget, decline', async () => {
    say(2, 'bob', '/bosun draft');
    await waitFor(() => pr(2).draft === true, 'draft');
    await waitFor(() => !sticky(2).includes('working on'), 'the draft reply');
    say(2, 'bob', '/bosun ready');
    await waitFor(() => pr(2).draft === false, 'ready for review');
    await waitFor(() => sticky(2).includes('/bosun ready') && !sticky(2).includes('working on'), 'the ready reply');
    stack.sandbox.actions.createBranch({ workspace: 'acme', repo: 'web', actor: 'alice', name: 'develop', target: pr(2).destination.hash });
    say(2, 'bob', '/bosun retarget develop');
    await waitFor(() => pr(2).destination.branch === 'develop', 'the new destination');
    await waitFor(() => sticky(2).includes('/bosun retarget') && !sticky(2).includes('working on'), 'the retarget reply');
    say(2, 'bob', '/bosun decline');
    await waitFor(() => pr(2).state === 'DECLINED', 'declined');
  });

  it('/bosun ask answers a question without write access, and asks back with commands to paste when unsure', async () => {
    say(3, 'erin', '/bosun ask can this be merged?');
    await waitFor(() => /Pull request #3 is /.test(sticky(3)), 'the answer to the question');
    expect(sticky(3)).not.toContain('Only people with write access');
    say(3, 'bob', '/bosun ask create branch from-comment');
    await waitFor(() => sticky(3).includes('from which branch?'), 'the question back');
    expect(sticky(3)).toContain(`\`/bosun ask create branch from-comment from ${pr(3).source.branch}\``);
    expect(stack.sandbox.state.branches.some((b) => b.repoUuid === repo().uuid && b.name === 'from-comment')).toBe(false);
  });
});
