import { toBracedUuid } from '../state/ids';
import { seedData, type SeedData, type SeedPullRequest, type SeedRepository, type SeedStatus } from './seed-data';

export interface LargeSeedOptions {
  /** default 500 */
  repositories?: number;
  /** Open pull requests per generated repository; default 10 (5,000 in all). */
  openPullRequestsPerRepository?: number;
}

const STATUS_STATES: SeedStatus['state'][] = ['SUCCESSFUL', 'SUCCESSFUL', 'INPROGRESS', 'FAILED', 'SUCCESSFUL', 'STOPPED'];
const BASE_TIME = Date.parse('2026-02-01T00:00:00.000Z');

function toBitbucketTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/**
 * The default seed plus a large generated workspace: `repositories` repositories (`repo-0001`…) with
 * `openPullRequestsPerRepository` open pull requests each, every one with one or two commit statuses.
 * Deterministic (names, uuids and dates follow from the indexes) and plain data, so loading it costs
 * what loading the small seed costs per row. `updated_on` rises with the pull request's global index:
 * an incremental sync sorted by `-updated_on` meets the newest first.
 */
export function createLargeSeedData(opts: LargeSeedOptions = {}): SeedData {
  const repoCount = opts.repositories ?? 500;
  const perRepo = opts.openPullRequestsPerRepository ?? 10;
  const nicks = seedData.users.filter((u) => u.nickname !== 'erin').map((u) => u.nickname);
  const repositories: SeedRepository[] = [...seedData.repositories];
  const pullRequests: SeedPullRequest[] = [...seedData.pullRequests];
  for (let r = 0; r < repoCount; r++) {
    const slug = `repo-${String(r + 1).padStart(4, '0')}`;
    repositories.push({
      uuid: toBracedUuid(`large-seed:repo:${slug}`),
      slug, name: slug, description: `Generated repository ${r + 1}`, language: r % 2 === 0 ? 'typescript' : 'go',
      isPrivate: true, mainbranch: 'main', createdOn: toBitbucketTime(BASE_TIME + r * 60_000),
      history: ['Initial commit'],
    });
    for (let i = 0; i < perRepo; i++) {
      const n = r * perRepo + i;
      const author = nicks[n % nicks.length]!;
      const reviewer = nicks[(n + 1) % nicks.length]!;
      const createdMs = BASE_TIME + 86_400_000 + n * 60_000;
      const statuses: SeedStatus[] = [{
        key: 'build', name: `Build #${n + 1}`, state: STATUS_STATES[n % STATUS_STATES.length]!,
        url: `https://ci.acme.test/${slug}/builds/${n + 1}`, description: 'Generated build',
      }];
      if (n % 3 === 0) {
        statuses.push({ key: 'lint', name: `Lint #${n + 1}`, state: 'SUCCESSFUL', url: `https://ci.acme.test/${slug}/lint/${n + 1}`, description: 'Generated lint' });
      }
      pullRequests.push({
        repo: slug, id: i + 1, title: `Change ${i + 1} in ${slug}`, description: 'Generated pull request.', state: 'OPEN',
        draft: n % 17 === 0, author, sourceBranch: `feature/change-${i + 1}`, sourceCommits: [`Change ${i + 1}`],
        reviewers: [reviewer], approvedBy: n % 4 === 0 ? [reviewer] : [],
        createdOn: toBitbucketTime(createdMs), updatedOn: toBitbucketTime(createdMs + 30_000),
        statuses,
      });
    }
  }
  return { ...seedData, repositories, pullRequests };
}
