import type { StepPreviewView } from '../../server/web/api/contracts';

/** Whose name a step's effect carries in Bitbucket: the viewer's own account, or Bosun the app. */
export const toActsAsLabel = (actsAs: StepPreviewView['actsAs']): { label: string; title: string; testId: string } | null => {
  if (actsAs === 'user') return { label: 'acts as you', title: 'Runs with your own Bitbucket account: Bitbucket shows you as the author.', testId: 'plan-step-acts-as-user' };
  if (actsAs === 'installation') {
    return { label: 'acts as Bosun', title: 'Runs as the Bosun app, not as you: Bitbucket shows Bosun as the author.', testId: 'plan-step-acts-as-app' };
  }
  return null;
};
