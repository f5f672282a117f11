/**
 * The one shape every CI adapter produces: a build result, normalised from whatever the CI sent.
 * Everything downstream (status mapping, ordering, Code Insights) reads only this.
 */
import { z } from 'zod';

export const ciProviderSchema = z.enum(['generic', 'github-actions', 'gitlab', 'jenkins', 'circleci']);
export type CiProvider = z.infer<typeof ciProviderSchema>;

/**
 * The states CIs report, in our words. `unstable` is Jenkins' "tests failed but the build ran";
 * `not_built` is Jenkins' NOT_BUILT; `skipped` covers GitHub's skipped/neutral and GitLab's skipped/manual.
 */
export const ciBuildStateSchema = z.enum([
  'queued',
  'running',
  'success',
  'failure',
  'unstable',
  'error',
  'cancelled',
  'aborted',
  'skipped',
  'not_built',
]);
export type CiBuildState = z.infer<typeof ciBuildStateSchema>;

export const ciFindingSchema = z.object({
  /** Path relative to the repository root; none puts it on the PR overview. */
  path: z.string().min(1).max(1000).optional(),
  line: z.number().int().min(1).optional(),
  title: z.string().max(1000).optional(),
  message: z.string().min(1).max(20_000),
  details: z.string().max(20_000).optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']).default('medium'),
  type: z.enum(['bug', 'vulnerability', 'code_smell']).default('bug'),
  result: z.enum(['failed', 'passed', 'skipped', 'ignored']).default('failed'),
  link: z.url().optional(),
  /** Stable identity of the finding across runs (a rule id + location is a good one). */
  id: z.string().max(200).optional(),
});
export type CiFinding = z.infer<typeof ciFindingSchema>;
export type CiFindingInput = z.input<typeof ciFindingSchema>;

/** Test and lint output a CI attached, parsed later into Code Insights (see to-code-insights.ts). */
export interface CiAttachments {
  /** JUnit XML documents, as text. */
  junit: string[];
  /** SARIF 2.1.0 logs, as parsed JSON (validated when turned into annotations). */
  sarif: unknown[];
  findings: CiFinding[];
}

export interface CiRun {
  /** The provider's run or build number: a later run of the same check supersedes an earlier one. */
  number: number;
  /** Re-runs of the same number (GitHub's run_attempt); 1 when the provider has no such idea. */
  attempt: number;
}

export interface CiBuildResult {
  provider: CiProvider;
  /**
   * What names the check across runs and commits ("CI / build", a Jenkins job, a GitLab job):
   * the same check always gets the same Bitbucket status key (to-status-key.ts).
   */
  check: string;
  /** Shown in Bitbucket next to the state. */
  name: string;
  state: CiBuildState;
  /** The commit the build ran on, lower-case hex (7 to 40 characters, as the CI sent it). */
  commit: string;
  /** The CI's own name for the repository ("acme/widgets"), used to find the Bitbucket one. */
  repository?: string;
  branch?: string;
  pullRequestId?: number;
  url: string;
  description?: string;
  /** When the CI says this state came about (ISO 8601); orders updates that arrive out of order. */
  occurredAt?: string;
  run?: CiRun;
  /** The CI's delivery id when it sends one (CircleCI's `id`): a repeat is a duplicate. */
  deliveryId?: string;
  attachments: CiAttachments;
}

/** A delivery the adapter understood but that carries no build state (GitHub's ping, a `requested` run). */
export interface CiIgnoredDelivery {
  kind: 'ignored';
  reason: string;
}

export type CiParseOutcome = { kind: 'build'; result: CiBuildResult } | CiIgnoredDelivery;

/** What an adapter reads: the raw JSON body and the few headers that say what it is. */
export interface CiDelivery {
  body: unknown;
  /** Lower-case header names; only the event-type headers matter (X-GitHub-Event, X-Gitlab-Event, Circleci-Event-Type). */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface CiAdapter {
  provider: CiProvider;
  parse(delivery: CiDelivery): CiParseOutcome;
}

export const commitHashSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{7,40}$/, 'expected a commit hash (7 to 40 hex characters)')
  .transform((hash) => hash.toLowerCase());

export const emptyAttachments = (): CiAttachments => ({ junit: [], sarif: [], findings: [] });
