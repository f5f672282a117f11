import {
  BadRequestError,
  ConflictError,
  ExternalHostError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  UnauthorizedError,
  UnexpectedStatusError,
} from '../../bitbucket';
import { z } from 'zod';
import { isBosunError } from '../../errors';
import { MissingScopesError, NotConnectedError, ToolError } from '../errors';
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

function wordFailure(error: unknown, step: FailureStep): { message: string; code: string } {
  const target = describeTarget(step.input, step.tenant);
  if (error instanceof ToolError) return { message: error.message, code: error.code };
  if (error instanceof NotConnectedError) {
    return {
      message: `Connect your Bitbucket account to Bosun first: ${step.tool} acts as you. Open Bosun's settings and choose "Connect Bitbucket account".`,
      code: error.code,
    };
  }
  if (error instanceof MissingScopesError) {
    return {
      message: `Bosun needs the ${scopeList(error.missingScopes)} ${plural(error.missingScopes.length, 'scope')} for ${step.tool}. ${scopeAdvice(error.actsAs)}`,
      code: error.code,
    };
  }
  if (error instanceof ForbiddenError) {
    if (error.requiredScopes && error.requiredScopes.length > 0) {
      return {
        message: `Bosun needs the ${scopeList(error.requiredScopes)} ${plural(error.requiredScopes.length, 'scope')} for ${step.tool}. ${scopeAdvice(step.actsAs)}`,
        // Bitbucket's own word that a scope is missing: the same remedy as our own scope check.
        code: 'AGENT_MISSING_SCOPES',
      };
    }
    return {
      message: `Bitbucket did not allow ${step.tool} on ${target}${error.bitbucketMessage ? ` ("${error.bitbucketMessage}")` : ''}. ${
        step.actsAs === 'user' ? 'You may lack permission on this repository.' : 'Bosun may lack permission on this repository.'
      }`,
      code: error.code,
    };
  }
  if (error instanceof NotFoundError) {
    return { message: `${capitalize(target)} was not found, or Bosun cannot see it.`, code: error.code };
  }
  if (error instanceof ConflictError) {
    return {
      message: `${capitalize(target)} changed meanwhile${error.bitbucketMessage ? ` ("${error.bitbucketMessage}")` : ''}; try again.`,
      code: error.code,
    };
  }
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterMs !== null ? `in ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} s` : 'in a few minutes';
    return { message: `Bitbucket is rate-limiting Bosun right now; try again ${wait}.`, code: error.code };
  }
  if (error instanceof UnauthorizedError) {
    return {
      message:
        step.actsAs === 'user'
          ? 'Bitbucket refused your stored connection; reconnect your Bitbucket account to Bosun.'
          : "Bitbucket refused Bosun's app credentials; a workspace admin should reinstall Bosun.",
      code: error.code,
    };
  }
  if (error instanceof BadRequestError) {
    return {
      message: `Bitbucket rejected ${step.tool} on ${target}${error.bitbucketMessage ? `: ${error.bitbucketMessage}` : ' as invalid'}.`,
      code: error.code,
    };
  }
  if (error instanceof ExternalHostError) {
    return {
      message:
        error.reason === 'pending'
          ? `Bitbucket is still working on ${target}; check it again in a minute before retrying.`
          : 'Bitbucket is unavailable or slow right now; try again in a few minutes.',
      code: error.code,
    };
  }
  if (error instanceof ResponseShapeError) {
    return { message: 'Bitbucket answered in a way Bosun did not expect; the details were logged for the Bosun team.', code: error.code };
  }
  if (error instanceof UnexpectedStatusError) {
    return { message: `Bitbucket answered ${error.status} to ${step.tool} on ${target}.`, code: error.code };
  }
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
