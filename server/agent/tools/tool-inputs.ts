import { z } from 'zod';
import { mergeStrategySchema, type PullRequest } from '../../bitbucket';
import type { ToolLink, ToolTenant } from './tool';

/** Shared input fields. `workspace` defaults to the tenant's own workspace. */
export const repoFields = {
  workspace: z.string().min(1).max(255).optional().describe("Workspace slug or {uuid}; defaults to the installation's workspace"),
  repo: z.string().min(1).max(255).describe('Repository slug or {uuid}'),
};

export const pullRequestFields = {
  ...repoFields,
  pullRequestId: z.number().int().positive().describe('Pull request id (the number after #)'),
};

export const branchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[^\s~^:?*[\\]+(?<![/.])$/, 'must be a valid git branch name');

export const mergeStrategyInput = mergeStrategySchema.describe('Bitbucket merge strategy');

/** A user as given in a request: `{uuid}`, an account_id, or a nickname (with or without `@`). */
export const userRef = z.string().min(1).max(128);

export interface RepoInput {
  workspace?: string | undefined;
  repo: string;
}

export function toWorkspace(input: { workspace?: string | undefined }, tenant: ToolTenant): string {
  return input.workspace ?? tenant.workspace;
}

/** `workspace/repo` as people read it. */
export function toRepoName(input: RepoInput, tenant: ToolTenant): string {
  return `${toWorkspace(input, tenant)}/${input.repo}`;
}

export function toPullRequestLinks(pr: PullRequest): ToolLink[] {
  const href = pr.links?.html?.href;
  return href ? [{ label: `Pull request #${pr.id}`, url: href }] : [];
}

export function toHtmlLink(label: string, value: { links?: { html?: { href: string } | undefined } | undefined } | null | undefined): ToolLink[] {
  const href = value?.links?.html?.href;
  return href ? [{ label, url: href }] : [];
}
