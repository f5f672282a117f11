import type { PageName } from '../api/boot-context';
import { loadForgeBootAnswer } from './create-forge-page-host';

/**
 * The Custom UI resource's one entry (client/index.html): Forge serves the same index.html for
 * every module, so the page to load is the one Bosun names for this module's FIT. Each page then
 * boots as it does in Connect (mountPage), through the Forge door.
 */
const PAGES: Record<PageName, () => Promise<unknown>> = {
  'pr-panel': () => import('../pr-panel/main'),
  'repo-dashboard': () => import('../repo-dashboard/main'),
  'admin-settings': () => import('../admin-settings/main'),
  'personal-settings': () => import('../personal-settings/main'),
  workspace: () => import('../workspace/main'),
};

const showFailure = (message: string): void => {
  const root = document.getElementById('root') ?? document.body;
  const box = document.createElement('div');
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'forge-boot-error';
  box.textContent = `Bosun could not start: ${message}`;
  root.replaceChildren(box);
};

void loadForgeBootAnswer()
  .then((answer) => PAGES[answer.page]())
  .catch((error: unknown) => showFailure(error instanceof Error ? error.message : String(error)));
