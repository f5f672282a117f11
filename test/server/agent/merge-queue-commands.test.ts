import { describe, expect, it } from 'vitest';
import { createCommandPlanner, parseCommand } from '../../../server/agent';
import { CORPUS_CONTEXTS } from './corpus/corpus-contexts';

describe('/bosun queue and /bosun dequeue', () => {
  it('parse, with an optional lane', () => {
    expect(parseCommand('/bosun queue')).toMatchObject({ ok: true, command: { name: 'queue' } });
    expect(parseCommand('/bosun queue hotfix')).toMatchObject({ ok: true, command: { name: 'queue', lane: 'hotfix' } });
    expect(parseCommand('/bosun dequeue')).toMatchObject({ ok: true, command: { name: 'dequeue' } });
    expect(parseCommand('/bosun queue a b')).toMatchObject({ ok: false });
    expect(parseCommand('/bosun queue hot!fix')).toMatchObject({ ok: false, error: 'Not a lane name: hot!fix.' });
    expect(parseCommand('/bosun dequeue now')).toMatchObject({ ok: false });
  });
  it('/bosun queue status reads (never queues in a lane called "status") and plans the status tool on the PR', async () => {
    expect(parseCommand('/bosun queue status')).toMatchObject({ ok: true, command: { name: 'queueStatus' } });
    expect(parseCommand('/bosun queue Status')).toMatchObject({ ok: true, command: { name: 'queueStatus' } });
    expect(parseCommand('/bosun queue status now')).toMatchObject({ ok: false });
    expect(await createCommandPlanner().plan('/bosun queue status', CORPUS_CONTEXTS.bare)).toMatchObject({ steps: [{ tool: 'mergeQueue.status', input: { workspace: 'acme', repo: 'web', pullRequestId: 3 } }] });
  });
  it('plan the queue tools on the comment’s PR', async () => {
    const planner = createCommandPlanner();
    const ctx = CORPUS_CONTEXTS.bare;
    expect(await planner.plan('/bosun queue hotfix', ctx)).toMatchObject({ steps: [{ tool: 'mergeQueue.enqueue', input: { workspace: 'acme', repo: 'web', pullRequestId: 3, lane: 'hotfix' } }] });
    expect(await planner.plan('/bosun dequeue', ctx)).toMatchObject({ steps: [{ tool: 'mergeQueue.dequeue', input: { workspace: 'acme', repo: 'web', pullRequestId: 3 } }] });
  });
});
