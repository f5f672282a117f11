import { z } from 'zod';
import type { BitbucketClient } from '../../bitbucket';
import type { BitbucketScope } from '../../bitbucket/scopes';
import type { Logger } from '../../log';

export type ToolRisk = 'read' | 'write' | 'destructive';
export type ToolActsAs = 'installation' | 'user';

export interface ToolLink {
  label: string;
  url: string;
}

/**
 * Work a tool's result asks for once its execution is over, queued by the jobs layer (which checks
 * the payload again with the job's own schema). One variant per job a tool may ask for: callers
 * never infer follow-up work from tool names.
 */
export type FollowUp = {
  /** Re-check a PR's armed "merge when green" now (it may already be green), not at its next webhook. */
  job: 'pullrequest.sync';
  payload: { repositoryUuid: string; pullRequestId: number };
};

/** What a tool hands back: a sentence for people, links to what it touched, typed data for callers, and follow-up work. */
export interface ToolResult<D = unknown> {
  summary: string;
  links: ToolLink[];
  data?: D;
  followUps?: FollowUp[];
  /**
   * When the state this result reports was decided (ISO time), if the tool knows it (the merge
   * queue's transition). A sticky reply built from the result carries it, so it never replaces a
   * notice about something that happened after it (pullRequest.comment's `asOf`).
   */
  asOf?: string;
}

export interface ToolTenant {
  clientKey: string;
  /** Workspace slug (or `{uuid}`) that inputs default to. */
  workspace: string;
}

export interface Actor {
  userUuid: string | null;
  accountId: string | null;
  kind: 'user' | 'installation' | 'rule';
  /** How people know them, when the trigger (or Bosun's directory) knows it: shown instead of ids. */
  displayName?: string | null;
  nickname?: string | null;
}

/** Which step of which execution a tool runs as, so its writes can be made safe to repeat. */
export interface StepAttempt {
  /** Stable across retries and takeovers of one execution: `<execution key>#<step number>`. */
  idempotencyKey: string;
  /**
   * An earlier run of this execution may already have applied this step (its process died after
   * Bitbucket answered, and this run took the execution over): look at Bitbucket's state before
   * writing, and count the effect already there as done. False on a first run, which skips the look.
   */
  mayBeApplied: boolean;
}

/** One context per step, like probot's: who, where, and a client already scoped to who the tool acts as. */
export interface ToolContext {
  tenant: ToolTenant;
  actor: Actor;
  client: BitbucketClient;
  logger: Logger;
  now: () => Date;
  /** Set by the executor; absent when a handler calls a tool directly (its replies are sticky anyway). */
  step?: StepAttempt;
}

export interface Tool<I = unknown, D = unknown> {
  /** `<group>.<verb>`, e.g. `pullRequest.merge`. */
  name: string;
  description: string;
  input: z.ZodType<I>;
  /** Bitbucket scopes the tool needs, checked through the implication lattice (bitbucket/scopes.ts). */
  scopes: readonly BitbucketScope[];
  actsAs: ToolActsAs;
  risk: ToolRisk;
  // Method syntax on purpose: lets a Tool<SpecificInput> sit in a Tool<unknown> catalog.
  run(ctx: ToolContext, input: I): Promise<ToolResult<D>>;
}

/** Any tool, whatever its input type. */
export type AnyTool = Tool<unknown>;

/** The data a result type carries (undefined for results without any), distributed over a union of results. */
export type ToolDataOf<R> = R extends { data: infer D } ? D : R extends { data?: infer D } ? D | undefined : undefined;

/** Declares a tool with its input type inferred from the zod schema and its data type from what `run` returns. */
export function defineTool<S extends z.ZodType, R extends ToolResult>(
  tool: Omit<Tool<z.output<S>>, 'input' | 'run'> & { input: S; run(ctx: ToolContext, input: z.output<S>): Promise<R> },
): Tool<z.output<S>, ToolDataOf<R>> {
  return Object.freeze(tool) as Tool<z.output<S>, ToolDataOf<R>>;
}

/** The tool's input as JSON Schema (draft 2020-12), for LLM function calling and forms. */
export function toJsonSchema(tool: Pick<AnyTool, 'input'>): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
