import type { Sandbox } from '../index';
import { createQueueCi, type QueueCi, type QueueCiOptions } from './create-queue-ci';

export interface AttachedQueueCi {
  readonly ci: QueueCi;
  /** Queue branch heads CI ran on, in order. */
  readonly tested: Array<{ branch: string; commit: string; passed: boolean }>;
  stop(): void;
}

/**
 * CI for the merge queue's temporary branches in a running sandbox: each new head of a
 * `bosun-queue/…` branch gets one run (sandbox/queue-ci decides it from the files in the tested
 * tree: `alpha.txt` is the change "alpha"), reported as a commit status on that commit after
 * `durationMs` real milliseconds, so Bosun reads it through Bitbucket's API like any CI's.
 * Whether Pipelines would start on a branch created through the API is not confirmed
 * (docs/merge-queue.md); this plays "any CI that reports statuses on the commit it built".
 * Like Pipelines' default pipeline, a head whose commit message holds `[skip ci]` or `[ci skip]`
 * (those labels only, any case) gets no run (Atlassian, "Pipeline start conditions").
 */
const SKIP_CI = /\[(skip ci|ci skip)\]/i;

export function attachQueueCi(
  sandbox: Sandbox,
  options: Omit<QueueCiOptions, 'after'> & { workspace: string; repo: string; pollMs?: number; key?: string },
): AttachedQueueCi {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const ci = createQueueCi({
    ...options,
    after: (ms, fn) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
  });
  const seen = new Set<string>();
  const tested: AttachedQueueCi['tested'] = [];
  const repo = () => sandbox.state.repositories.find((r) => r.slug === options.repo && sandbox.state.workspaces.find((w) => w.uuid === r.workspaceUuid)?.slug === options.workspace);
  const look = () => {
    const r = repo();
    if (!r) return;
    for (const b of sandbox.state.branches) {
      if (b.repoUuid !== r.uuid || !b.name.startsWith('bosun-queue/') || seen.has(b.target)) continue;
      seen.add(b.target);
      const head = sandbox.state.commits.find((c) => c.repoUuid === r.uuid && c.hash === b.target);
      if (head && SKIP_CI.test(head.message)) continue;
      const tree = head?.tree ?? {};
      const changes = Object.keys(tree).map((f) => f.replace(/\.txt$/, ''));
      const branch = b.name;
      const commit = b.target;
      sandbox.actions.setCommitStatus({ workspace: options.workspace, repo: options.repo, commit, actor: 'alice', key: options.key ?? 'queue-ci', state: 'INPROGRESS', name: 'Queue CI', url: 'https://ci.example/queue' });
      ci.run(commit, changes, (result) => {
        tested.push({ branch, commit, passed: result.passed });
        sandbox.actions.setCommitStatus({
          workspace: options.workspace, repo: options.repo, commit, actor: 'alice', key: options.key ?? 'queue-ci',
          state: result.passed ? 'SUCCESSFUL' : 'FAILED', name: 'Queue CI', url: 'https://ci.example/queue', ...(result.reason ? { description: result.reason } : {}),
        });
      });
    }
  };
  const poll = setInterval(look, options.pollMs ?? 50);
  return {
    ci,
    tested,
    stop() {
      clearInterval(poll);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
