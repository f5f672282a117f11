import { isBitbucketFailure, type BitbucketClient } from '../../bitbucket';

export const README_PATH = 'README.md';

export type ReadmeStep =
  | { outcome: 'committed'; commit: string | null }
  | { outcome: 'in-place' }
  /** The repository has a README of its own and work after its first commit: a person's README is never replaced. */
  | { outcome: 'left-alone' };

/**
 * Writes a template's README skeleton as README.md on the branch that will be the main one, in
 * one commit (`POST …/src`), before any branch restriction of the template can refuse the push.
 * Safe to repeat, so a create that stopped part-way resumes here: a README already equal to the
 * skeleton is left; one that differs is replaced only while the branch holds nothing but its first
 * commit (the README Bitbucket or the creator started the repository with), never after someone
 * has worked in it. A repository this run just created is written without reading first.
 */
export async function ensureTemplateReadme(input: {
  client: BitbucketClient;
  workspace: string;
  repo: string;
  readme: string;
  template: string;
  /** Where the README goes; undefined when the repository has no main branch yet (its first commit makes it). */
  branch: string | undefined;
  created: boolean;
}): Promise<ReadmeStep> {
  const { client, workspace, repo, branch } = input;
  if (!input.created && branch !== undefined) {
    const current = await client.source.getFile(workspace, repo, branch, README_PATH).catch((error: unknown) => {
      if (isBitbucketFailure(error, 'BITBUCKET_NOT_FOUND')) return null;
      throw error;
    });
    if (current === input.readme) return { outcome: 'in-place' };
    if (current !== null) {
      const history = await client.commits.list(workspace, repo, { include: [branch], max: 2 });
      if (history.length > 1) return { outcome: 'left-alone' };
    }
  }
  const { hash } = await client.source.createCommit(workspace, repo, {
    files: { [README_PATH]: input.readme },
    message: `Add README.md from repository template ${input.template}`,
    ...(branch !== undefined ? { branch } : {}),
  });
  return { outcome: 'committed', commit: hash };
}

/** The create report's line for the README step. */
export function describeReadmeStep(step: ReadmeStep): string {
  switch (step.outcome) {
    case 'committed':
      return `✓ committed README.md from the template${step.commit ? ` (${step.commit.slice(0, 12)})` : ''}`;
    case 'in-place':
      return '✓ README.md from the template was already there';
    case 'left-alone':
      return '• README.md left as it is: the repository already has its own README.md and commits after its first';
  }
}
