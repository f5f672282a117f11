/** The panel's "Preview rules": what the automation rules would do on this PR now (a read, audited). */
export const toPreviewRulesPlan = (repo: string, pullRequestId: number) => ({
  summary: `Show what the automation rules would do on #${pullRequestId}`,
  source: 'button' as const,
  steps: [{ tool: 'pullRequest.previewRules', input: { repo, pullRequestId } }],
});

/** The panel's "Run rules": queue the rules on this PR now (each in its mode; dry run only records). */
export const toRunRulesPlan = (repo: string, pullRequestId: number) => ({
  summary: `Run the automation rules on #${pullRequestId} now`,
  source: 'button' as const,
  steps: [{ tool: 'pullRequest.runRules', input: { repo, pullRequestId } }],
});

/**
 * The preview step's summary as the panel lists it: its headline, then one item per `- ` line
 * (rule, mode, what it would do). A summary without items is all headline.
 */
export const toRulesPreviewLines = (summary: string): { headline: string; items: string[] } => {
  const lines = summary.split('\n');
  const items = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  const headline = lines.filter((l) => !l.startsWith('- ')).join(' ').trim();
  return { headline, items };
};
