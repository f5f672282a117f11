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

/** What a tool hands back: a sentence for people, links to what it touched, and data for callers. */
export interface ToolResult {
  summary: string;
  links: ToolLink[];
  data?: unknown;
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

export interface Tool<I = unknown> {
  /** `<group>.<verb>`, e.g. `pullRequest.merge`. */
  name: string;
  description: string;
  input: z.ZodType<I>;
  /** Bitbucket scopes the tool needs, checked through the implication lattice (bitbucket/scopes.ts). */
  scopes: readonly BitbucketScope[];
  actsAs: ToolActsAs;
  risk: ToolRisk;
  // Method syntax on purpose: lets a Tool<SpecificInput> sit in a Tool<unknown> catalog.
  run(ctx: ToolContext, input: I): Promise<ToolResult>;
}

/** Any tool, whatever its input type. */
export type AnyTool = Tool<unknown>;

/** Declares a tool with its input type inferred from the zod schema. */
export function defineTool<S extends z.ZodType>(tool: Tool<z.output<S>> & { input: S }): Tool<z.output<S>> {
  return Object.freeze(tool);
}

/** The tool's input as JSON Schema (draft 2020-12), for LLM function calling and forms. */
export function toJsonSchema(tool: Pick<AnyTool, 'input'>): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
