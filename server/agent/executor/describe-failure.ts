import { z } from 'zod';
import { asBitbucketFailure, type BitbucketFailure } from '../../bitbucket';
import { isBosunError } from '../../errors';
import { asAgentFailure, type AgentFailure } from '../errors';
import type { ToolActsAs, ToolTenant } from '../tools/tool';

export interface FailureDescription {
  /** For people: what happened and what to do. */
  message: string;
  code: string;
  /** Worth trying again later without changing anything (the error model's field). */
  retryable: boolean;
  /** How long to wait before that, when the error knows. */
  retryAfterMs: number | null;
}

export interface FailureStep {
  tool: string;
  actsAs: ToolActsAs;
  input: unknown;
  tenant: ToolTenant;
}

const scopeList = (scopes: readonly string[]) => scopes.map((s) => `"${s}"`).join(', ');
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

/** "pull request #12 in acme/web", "branch hotfix/x in acme/web", "repository acme/web"… from a step's input. */
export function describeTarget(input: unknown, tenant: ToolTenant): string {
  if (input === null || typeof input !== 'object') return 'what Bosun looked for';
  const i = input as Record<string, unknown>;
  const repo = typeof i.repo === 'string' ? `${typeof i.workspace === 'string' ? i.workspace : tenant.workspace}/${i.repo}` : null;
  const where = repo ? ` in ${repo}` : '';
  if (typeof i.pullRequestId === 'number') return `pull request #${i.pullRequestId}${where}`;
  if (typeof i.commit === 'string') return `commit ${i.commit}${where}`;
  if (typeof i.pipeline === 'string' || typeof i.pipeline === 'number') return `pipeline ${String(i.pipeline)}${where}`;
  if (typeof i.name === 'string' && repo) return `branch ${i.name}${where}`;
  if (typeof i.branch === 'string' && repo) return `branch ${i.branch}${where}`;
  if (repo) return `repository ${repo}`;
  return 'what Bosun looked for';
}

function scopeAdvice(actsAs: ToolActsAs): string {
  return actsAs === 'user'
    ? 'Reconnect your Bitbucket account to Bosun and approve the requested access.'
    : 'Ask a workspace admin to approve the updated Bosun app permissions.';
}

/**
 * Turns any failure of a step into a message a person can act on. Whether it is worth another
 * attempt, and when, is the error's own (the error model, server/errors/); this only words it.
 */
export function describeFailure(error: unknown, step: FailureStep): FailureDescription {
  const { message, code } = wordFailure(error, step);
  const retryable = isBosunError(error) && error.retryable;
  return { message, code, retryable, retryAfterMs: retryable && isBosunError(error) ? error.retryAfterMs : null };
}

/** The error's own typed detail, by its literal `code` (each module tells its own errors apart). */
function toKnownFailure(error: unknown): AgentFailure | BitbucketFailure | null {
  return asAgentFailure(error) ?? asBitbucketFailure(error);
}

function wordFailure(error: unknown, step: FailureStep): { message: string; code: string } {
  const target = describeTarget(step.input, step.tenant);
  const known = toKnownFailure(error);
  switch (known?.code) {
    case undefined:
      break;
    case 'AGENT_TOOL_REFUSED':
      return { message: known.message, code: known.code };
    case 'AGENT_NOT_CONNECTED':
      return {
        message: `Connect your Bitbucket account to Bosun first: ${step.tool} acts as you. Open Bosun's settings and choose "Connect Bitbucket account".`,
        code: known.code,
      };
    case 'AGENT_MISSING_SCOPES':
      return {
        message: `Bosun needs the ${scopeList(known.missingScopes)} ${plural(known.missingScopes.length, 'scope')} for ${step.tool}. ${scopeAdvice(known.actsAs)}`,
        code: known.code,
      };
    case 'BITBUCKET_FORBIDDEN':
      if (known.requiredScopes && known.requiredScopes.length > 0) {
        return {
          message: `Bosun needs the ${scopeList(known.requiredScopes)} ${plural(known.requiredScopes.length, 'scope')} for ${step.tool}. ${scopeAdvice(step.actsAs)}`,
          // Bitbucket's own word that a scope is missing: the same remedy as our own scope check.
          code: 'AGENT_MISSING_SCOPES',
        };
      }
      return {
        message: `Bitbucket did not allow ${step.tool} on ${target}${known.bitbucketMessage ? ` ("${known.bitbucketMessage}")` : ''}. ${
          step.actsAs === 'user' ? 'You may lack permission on this repository.' : 'Bosun may lack permission on this repository.'
        }`,
        code: known.code,
      };
    case 'BITBUCKET_NOT_FOUND':
      return { message: `${capitalize(target)} was not found, or Bosun cannot see it.`, code: known.code };
    case 'BITBUCKET_CONFLICT':
      return {
        message: `${capitalize(target)} changed meanwhile${known.bitbucketMessage ? ` ("${known.bitbucketMessage}")` : ''}; try again.`,
        code: known.code,
      };
    case 'BITBUCKET_RATE_LIMITED': {
      const wait = known.retryAfterMs !== null ? `in ${Math.max(1, Math.ceil(known.retryAfterMs / 1000))} s` : 'in a few minutes';
      return { message: `Bitbucket is rate-limiting Bosun right now; try again ${wait}.`, code: known.code };
    }
    case 'BITBUCKET_UNAUTHORIZED':
      return {
        message:
          step.actsAs === 'user'
            ? 'Bitbucket refused your stored connection; reconnect your Bitbucket account to Bosun.'
            : "Bitbucket refused Bosun's app credentials; a workspace admin should reinstall Bosun.",
        code: known.code,
      };
    case 'BITBUCKET_BAD_REQUEST':
      return {
        message: `Bitbucket rejected ${step.tool} on ${target}${known.bitbucketMessage ? `: ${known.bitbucketMessage}` : ' as invalid'}.`,
        code: known.code,
      };
    case 'BITBUCKET_EXTERNAL_HOST':
      return {
        message:
          known.reason === 'pending'
            ? `Bitbucket is still working on ${target}; check it again in a minute before retrying.`
            : 'Bitbucket is unavailable or slow right now; try again in a few minutes.',
        code: known.code,
      };
    case 'BITBUCKET_RESPONSE_SHAPE':
      return { message: 'Bitbucket answered in a way Bosun did not expect; the details were logged for the Bosun team.', code: known.code };
    case 'BITBUCKET_UNEXPECTED_STATUS':
      return { message: `Bitbucket answered ${known.status} to ${step.tool} on ${target}.`, code: known.code };
    // The plan-level refusals and lease losses end an execution before or between steps, not a step.
    case 'AGENT_CONFIRMATION_REQUIRED':
    case 'AGENT_INVALID_PLAN':
    case 'AGENT_EXECUTION_IN_PROGRESS':
    case 'AGENT_EXECUTION_TAKEN_OVER':
      break;
  }
  // zod's own error (a library's, not a module's): a tool's input its schema refused.
  if (error instanceof z.ZodError) {
    return { message: `The request for ${step.tool} was not valid: ${toIssueText(error)}.`, code: 'AGENT_INVALID_INPUT' };
  }
  return { message: `Something went wrong in Bosun while running ${step.tool}; it has been logged.`, code: 'AGENT_INTERNAL' };
}

export function toIssueText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
