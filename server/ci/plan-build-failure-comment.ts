/** The sticky key of the failed-builds comment (one per PR, found again by its hidden marker). */
export const BUILD_FAILURES_STICKY_KEY = 'bosun-builds';

export interface HeadStatus {
  key: string;
  name: string | null;
  state: 'INPROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'STOPPED';
  url: string | null;
  description: string | null;
}

export interface BuildFailureComment {
  kind: 'failing' | 'resolved';
  summary: string;
  body: string;
  /** What the comment says, digested by the caller into the rule's key: the same failures are written once. */
  identity: string[];
}

const MAX_LISTED = 20;
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Markdown link text and URL that cannot break out of the link (a CI names its checks). */
const toLinkText = (text: string) => oneLine(text).replace(/[[\]\\`*_<>]/g, (c) => `\\${c}`).slice(0, 120);
const toSafeUrl = (url: string | null) => (url && /^https?:\/\/[^\s()<>]+$/.test(url) ? url : null);

/**
 * What the failed-builds comment on a PR should say for its head commit's statuses, or null to leave it be.
 * Failing: any FAILED status, each listed with its link and description. Resolved: once nothing failed and
 * nothing still runs, only when a comment was already posted (a PR that never failed gets no comment).
 */
export function planBuildFailureComment(input: { commitHash: string; statuses: readonly HeadStatus[]; commentExists: boolean }): BuildFailureComment | null {
  const commit = input.commitHash.slice(0, 12);
  const failed = input.statuses.filter((s) => s.state === 'FAILED').sort((a, b) => a.key.localeCompare(b.key));
  if (failed.length > 0) {
    const lines = failed.slice(0, MAX_LISTED).map((s) => {
      const name = toLinkText(s.name || s.key);
      const url = toSafeUrl(s.url);
      const description = s.description ? `: ${oneLine(s.description).slice(0, 200)}` : '';
      return `- ${url ? `[${name}](${url})` : name}${description}`;
    });
    const more = failed.length > MAX_LISTED ? [`- and ${failed.length - MAX_LISTED} more`] : [];
    const count = `${failed.length} of ${input.statuses.length} build${input.statuses.length === 1 ? '' : 's'}`;
    return {
      kind: 'failing',
      summary: `Say that ${count} failed on ${commit}`,
      body: [`❌ **Builds failing** on \`${commit}\`: ${count} failed.`, '', ...lines, ...more, '', '_Bosun edits this comment as builds change._'].join('\n'),
      identity: ['failing', input.commitHash, ...failed.map((s) => `${s.key}:${s.url ?? ''}:${s.description ?? ''}`)],
    };
  }
  const settled = input.statuses.length > 0 && input.statuses.every((s) => s.state !== 'INPROGRESS');
  if (!settled || !input.commentExists) return null;
  const passed = input.statuses.filter((s) => s.state === 'SUCCESSFUL').length;
  return {
    kind: 'resolved',
    summary: `Mark the failed builds resolved on ${commit}`,
    body: [`✅ **Builds no longer failing** on \`${commit}\`: ${passed} of ${input.statuses.length} passed, none failed.`, '', '_Bosun edits this comment as builds change._'].join('\n'),
    identity: ['resolved', input.commitHash],
  };
}
