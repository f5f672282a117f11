import type { ExecutionResult } from '../../agent';

const ICON: Record<ExecutionResult['outcome'], string> = { succeeded: '✅', failed: '❌', refused: '⛔' };

/** The sticky comment after a command ran: outcome, what happened, where the audit entry is. */
export function formatResultReply(opts: { command: string; author: string; result: ExecutionResult; auditUrl: string; connectUrl: string | null }): string {
  const { result } = opts;
  const lines = [`${ICON[result.outcome]} **Bosun** · \`${opts.command}\` requested by ${opts.author}`, ''];
  const summaries = result.steps.map((s) => s.summary ?? s.message).filter((s): s is string => Boolean(s));
  lines.push(...(summaries.length > 0 && result.outcome === 'succeeded' ? summaries : [result.message]));
  if (opts.connectUrl) lines.push('', `[Connect your Bitbucket account](${opts.connectUrl}) so Bosun can act as you, then try again.`);
  lines.push('', `[Audit log](${opts.auditUrl})${result.id !== null ? ` · entry #${result.id}` : ''}`);
  return lines.join('\n');
}

export function formatAcknowledgement(command: string, author: string): string {
  return `⏳ **Bosun** · working on \`${command}\` requested by ${author}…`;
}

export function formatRefusal(command: string, author: string, message: string, suggestions: string[] = []): string {
  const lines = [`⛔ **Bosun** · \`${command}\` requested by ${author}`, '', message];
  if (suggestions.length > 0) lines.push('', ...suggestions.map((s) => (s.includes('\n') ? s : `- \`${s}\``)));
  return lines.join('\n');
}

/** `/bosun help`: the commands, in the sticky comment. */
export function formatHelp(command: string, author: string, help: string): string {
  return [`ℹ️ **Bosun** · \`${command}\` requested by ${author}`, '', help, '', 'Or ask in your own words: `/bosun ask <request>`.'].join('\n');
}

/** A request Bosun read two ways (or missing a part): the question, and each answer as a command to paste. */
export function formatClarification(command: string, author: string, clarification: { question: string; choices: ReadonlyArray<{ label: string; text: string }> }): string {
  const lines = [`❓ **Bosun** · \`${command}\` requested by ${author}`, '', clarification.question];
  if (clarification.choices.length > 0) lines.push('', 'Reply with one of:', ...clarification.choices.map((c) => `- ${c.label}: \`/bosun ask ${c.text}\``));
  return lines.join('\n');
}
