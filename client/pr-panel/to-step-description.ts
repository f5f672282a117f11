import type { StepPreviewView } from '../../server/web/api/contracts';

const MAX_JSON_LENGTH = 200;

/** JSON on one line, cut to `max` characters with an ellipsis; "—" for undefined and values JSON cannot show. */
export const toCompactJson = (value: unknown, max: number = MAX_JSON_LENGTH): string => {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return '—';
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
};

/** What a plan step does, in words when the tool catalog gave a description, else its input as compact JSON. */
export const toStepDescription = (step: Pick<StepPreviewView, 'description' | 'input'>): { text: string; isJson: boolean } => {
  const description = step.description?.trim();
  return description ? { text: description, isJson: false } : { text: toCompactJson(step.input), isJson: true };
};
