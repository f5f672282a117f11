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
  it('plan the queue tools on the comment’s PR', async () => {
    const planner = createCommandPlanner();
    const ctx = CORPUS_CONTEXTS.bare;
    expect(await planner.plan('/bosun queue hotfix', ctx)).toMatchObject({ steps: [{ tool: 'mergeQueue.enqueue', input: { workspace: 'acme', repo: 'web', pullRequestId: 3, lane: 'hotfix' } }] });
    expect(await planner.plan('/bosun dequeue', ctx)).toMatchObject({ steps: [{ tool: 'mergeQueue.dequeue', input: { workspace: 'acme', repo: 'web', pullRequestId: 3 } }] });
  });
});
