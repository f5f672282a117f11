import type { Pipeline, TriggerPipelineInput } from '../../bitbucket';

export interface RerunVariables {
  /** What the new run is started with: the original run's readable variables, in its order. */
  variables: NonNullable<TriggerPipelineInput['variables']>;
  /** Secured variables whose values Bitbucket does not return, so a re-run cannot pass them on. */
  secured: string[];
}

/**
 * The variables a re-run passes on. A pipeline's `variables` are what it was started with (openapi.json `pipeline`);
 * a secured variable's `value` "will be empty" (`pipeline_variable`), so it cannot be copied: the new run gets the
 * repository's or deployment's variable of that name, if there is one, and the tool says which were left out.
 */
export function toRerunVariables(run: Pipeline): RerunVariables {
  const variables: RerunVariables['variables'] = [];
  const secured: string[] = [];
  for (const v of run.variables ?? []) {
    if (v.secured) secured.push(v.key);
    else variables.push({ key: v.key, value: v.value ?? '' });
  }
  return { variables, secured };
}

/** The sentence a re-run's summary ends with when it could not pass on every variable. */
export const toSecuredNote = (secured: readonly string[]) =>
  secured.length === 0
    ? ''
    : ` Secured variable${secured.length === 1 ? '' : 's'} ${secured.join(', ')} could not be passed on (Bitbucket never returns secured values).`;
