/** What the Builds list's "Run pipeline" form holds, as typed. */
export interface TriggerForm {
  branch: string;
  /** A custom pipeline's name in bitbucket-pipelines.yml (`pipelines.custom.<name>`); the branch's own pipeline when empty. */
  custom: string;
  /** `KEY=value`, one per line (or comma-separated). */
  variables: string;
}

export type TriggerPlanResult =
  | {
      ok: true;
      plan: {
        summary: string;
        source: 'button';
        steps: Array<{
          tool: 'pipeline.trigger';
          input: {
            repo: string;
            branch: string;
            selector?: { type: 'custom'; pattern: string };
            variables?: Array<{ key: string; value: string }>;
          };
        }>;
      };
    }
  | { ok: false; problem: string };

/** The keys Pipelines variables take (letters, digits, underscores; not starting with a digit), as Bitbucket's UI asks. */
const VARIABLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The pipeline.trigger plan the form asks for, or what is wrong with it. The tool's own input schema
 * checks again on the server; this only says it in the form's words before anything is sent.
 */
export function toTriggerPlan(repo: string, form: TriggerForm): TriggerPlanResult {
  const branch = form.branch.trim();
  if (!branch) return { ok: false, problem: 'Name the branch to run the pipeline on.' };
  const custom = form.custom.trim();
  if (/\s/.test(custom)) return { ok: false, problem: 'A custom pipeline name has no spaces.' };
  const variables: Array<{ key: string; value: string }> = [];
  for (const entry of form.variables.split(/[\n,]/)) {
    const text = entry.trim();
    if (!text) continue;
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq).trim();
    if (eq < 0 || !VARIABLE_KEY.test(key)) return { ok: false, problem: `"${text}" is not KEY=value.` };
    if (variables.some((v) => v.key === key)) return { ok: false, problem: `${key} is given twice.` };
    variables.push({ key, value: text.slice(eq + 1).trim() });
  }
  if (variables.length > 50) return { ok: false, problem: 'At most 50 variables.' };
  const what = custom ? `the custom pipeline ${custom}` : 'the pipeline';
  const withVars = variables.length ? ` with ${variables.map((v) => v.key).join(', ')}` : '';
  return {
    ok: true,
    plan: {
      summary: `Run ${what} on ${branch}${withVars}`,
      source: 'button',
      steps: [
        {
          tool: 'pipeline.trigger',
          input: {
            repo,
            branch,
            ...(custom ? { selector: { type: 'custom' as const, pattern: custom } } : {}),
            ...(variables.length ? { variables } : {}),
          },
        },
      ],
    },
  };
}
