/**
 * Readiness oracle benchmarks.
 * 1. The readiness of every open PR of a 5,000-PR workspace (the sandbox's large seed), read from
 *    the mirror's SQL store (SQLite in a temp dir, filled with the PRs and their head statuses as
 *    the sync writes them): list each repository's open PRs and their heads' statuses, parse with
 *    Bosun's schemas, build the oracle's input, evaluate. Target < 1 s. The same over rows already
 *    in memory is printed beside it (parse + evaluate alone).
 * 2. Agreement with the sandbox's own merge outcome over generated PR shapes (test/helpers/readiness-corpus),
 *    both enforcement modes. Target 100%.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSandbox } from '../sandbox';
import { toCommitStatus } from '../sandbox/serialize/to-commit-status';
import { toPullRequest } from '../sandbox/serialize/to-pull-request';
import { toReadinessInput } from '../server/agent/readiness/to-readiness-input';
import { readinessPullRequestSchema } from '../server/agent/readiness/readiness-pull-request';
import { branchRestrictionSchema, commitStatusSchema, pullRequestSchema } from '../server/bitbucket';
import { createLogger } from '../server/log';
import { toShortHash } from '../server/mirror';
import { toPullRequestRecord, toStatusRecord } from '../server/mirror/to-mirror-records';
import { createDatabase, createSqlMirrorStore } from '../server/storage';
import { evaluateReadiness } from '../server/rules';
import { createCorpusSandbox, generateReadinessShapes, runShapeOnSandbox, toReadinessInput as toShapeInput } from '../test/helpers/readiness-corpus';

const RUNS = 5;
const SHAPES = 1200;

interface Row {
  repositoryUuid: string;
  dataJson: string;
  statusesJson: string[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchReadiness(): Promise<void> {
  const sandbox = createSandbox({ publicUrl: 'http://sandbox.invalid', seed: 'large', rateLimitPerHour: 0, logger: { info() {}, warn() {}, error() {} } });
  try {
    const ctx = { state: sandbox.state, publicUrl: 'http://sandbox.invalid', apiBaseUrl: 'http://sandbox.invalid' };
    const repos = new Map(sandbox.state.repositories.map((r) => [r.uuid, r]));
    const rows: Row[] = sandbox.state.pullRequests
      .filter((pr) => pr.state === 'OPEN')
      .map((pr) => {
        const repo = repos.get(pr.repoUuid)!;
        const statuses = sandbox.state.statuses.filter((s) => s.repoUuid === pr.repoUuid && s.commitHash === pr.source.hash);
        return { repositoryUuid: pr.repoUuid, dataJson: JSON.stringify(toPullRequest(ctx, pr)), statusesJson: statuses.map((s) => JSON.stringify(toCommitStatus(ctx, repo, s))) };
      });
    // Every repository requires one approval and one green build; a third also resolved tasks and no changes requested.
    const restrictionsByRepo = new Map(
      [...repos.keys()].map((uuid, k) => [
        uuid,
        [
          { id: 1, kind: 'require_approvals_to_merge', branch_match_kind: 'glob', pattern: 'main', value: 1 },
          { id: 2, kind: 'require_passing_builds_to_merge', branch_match_kind: 'glob', pattern: 'main', value: 1 },
          ...(k % 3 === 0 ? [{ id: 3, kind: 'require_tasks_to_be_completed', branch_match_kind: 'glob', pattern: '*' }, { id: 4, kind: 'require_no_changes_requested', branch_match_kind: 'glob', pattern: '*' }] : []),
        ].map((r) => branchRestrictionSchema.parse(r)),
      ]),
    );
    const times: number[] = [];
    let ready = 0;
    // Run 0 warms the JIT and is not counted.
    for (let run = 0; run <= RUNS; run++) {
      ready = 0;
      const t0 = performance.now();
      for (const row of rows) {
        const pr = readinessPullRequestSchema.parse(JSON.parse(row.dataJson));
        const statuses = row.statusesJson.map((s) => commitStatusSchema.parse(JSON.parse(s)));
        const input = toReadinessInput(pr, { statuses, restrictions: restrictionsByRepo.get(row.repositoryUuid) ?? [], defaultReviewerUuids: [], mainBranch: 'main', tasks: null });
        if (evaluateReadiness(input, { enforcement: 'always', ownStatusKeys: ['bosun/ready'] }).ready) ready++;
      }
      if (run > 0) times.push(performance.now() - t0);
    }
    const m = median(times);
    console.log(`readiness of ${rows.length} open PRs from rows in memory (parse + evaluate), ${RUNS} runs: median ${m.toFixed(1)} ms, range ${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms; ${ready} ready`);

    // The same from the mirror's SQL store, as the sync leaves it.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-bench-readiness-'));
    const db = await createDatabase({ url: `sqlite:${path.join(dir, 'bosun.sqlite')}`, logger: createLogger({ level: 'silent' }) });
    try {
      const store = createSqlMirrorStore(db);
      const clientKey = 'bench-readiness';
      const at = new Date();
      await store.upsertRepositories(clientKey, [...repos.values()].map((r) => ({ uuid: r.uuid, fullName: `bench/${r.slug}`, dataJson: JSON.stringify({ uuid: r.uuid, slug: r.slug }) })), at);
      const byRepo = new Map<string, Row[]>();
      for (const row of rows) byRepo.set(row.repositoryUuid, [...(byRepo.get(row.repositoryUuid) ?? []), row]);
      for (const [uuid, list] of byRepo) {
        const prs = list.map((row) => pullRequestSchema.parse(JSON.parse(row.dataJson)));
        await store.applyPullRequests(clientKey, uuid, prs.map(toPullRequestRecord), at);
        for (const [k, pr] of prs.entries()) {
          const hash = toShortHash(pr.source.commit?.hash);
          if (!hash) continue;
          await store.applyStatuses(clientKey, uuid, hash, list[k]!.statusesJson.map((st) => toStatusRecord(commitStatusSchema.parse(JSON.parse(st)))));
          await store.markStatusesSynced(clientKey, uuid, pr.id, hash);
        }
      }
      const sqlTimes: number[] = [];
      let sqlReady = 0;
      let evaluated = 0;
      for (let run = 0; run <= RUNS; run++) {
        sqlReady = 0;
        evaluated = 0;
        const t0 = performance.now();
        for (const uuid of byRepo.keys()) {
          const prs = await store.listPullRequests(clientKey, uuid, ['OPEN']);
          const statuses = await store.listStatuses(clientKey, uuid, prs.flatMap((p) => (p.sourceHash ? [p.sourceHash] : [])));
          const byHash = new Map<string, typeof statuses>();
          for (const st of statuses) byHash.set(st.commitHash, [...(byHash.get(st.commitHash) ?? []), st]);
          for (const row of prs) {
            const pr = readinessPullRequestSchema.parse(JSON.parse(row.dataJson));
            const own = (row.sourceHash ? byHash.get(row.sourceHash) : undefined) ?? [];
            const input = toReadinessInput(pr, { statuses: own.map((st) => commitStatusSchema.parse(JSON.parse(st.dataJson))), restrictions: restrictionsByRepo.get(uuid) ?? [], defaultReviewerUuids: [], mainBranch: 'main', tasks: null });
            if (evaluateReadiness(input, { enforcement: 'always', ownStatusKeys: ['bosun/ready'] }).ready) sqlReady++;
            evaluated++;
          }
        }
        if (run > 0) sqlTimes.push(performance.now() - t0);
      }
      const sm = median(sqlTimes);
      const agreeing = sqlReady === ready && evaluated === rows.length ? 'same verdicts as in memory' : `DIFFERENT from in memory (${sqlReady} ready of ${evaluated})`;
      console.log(`readiness of ${evaluated} open PRs from the SQL mirror (SQLite: list + parse + evaluate), ${RUNS} runs: median ${sm.toFixed(1)} ms, range ${Math.min(...sqlTimes).toFixed(1)}–${Math.max(...sqlTimes).toFixed(1)} ms; ${sqlReady} ready (${agreeing}); target < 1000 ms: ${sm < 1000 ? 'met' : 'NOT met'}`);
      console.log(`RESULT name=readiness-5000-open-prs value=${sm.toFixed(1)} unit=ms baseline=1000 ratio=${(sm / 1000).toFixed(3)}`);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await sandbox.close();
  }

  let agreed = 0;
  let total = 0;
  for (const enforcement of ['always', 'premium'] as const) {
    const shapes = generateReadinessShapes(SHAPES, enforcement === 'always' ? 12 : 13);
    // A fresh sandbox every 100 shapes keeps its state (and its linear lookups) small.
    for (let start = 0; start < shapes.length; start += 100) {
      const corpus = createCorpusSandbox(enforcement);
      try {
        for (let i = start; i < Math.min(start + 100, shapes.length); i++) {
          const outcome = runShapeOnSandbox(corpus, shapes[i]!, i);
          const verdict = evaluateReadiness(toShapeInput(shapes[i]!, corpus.uuidOf, i), { enforcement });
          total++;
          if (verdict.bitbucketAllowsMerge === outcome.merged) agreed++;
        }
      } finally {
        await corpus.close();
      }
    }
  }
  const pct = (100 * agreed) / total;
  console.log(`oracle vs sandbox merge outcome: ${agreed}/${total} shapes agree (${pct.toFixed(2)}%); target 100%: ${agreed === total ? 'met' : 'NOT met'}`);
  console.log(`RESULT name=readiness-oracle-agreement value=${pct.toFixed(2)} unit=percent baseline=100 ratio=${(pct / 100).toFixed(4)}`);
}
