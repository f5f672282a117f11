import type { CiDeliveryView, CiProviderName } from '../../server/web/api/ci-integration-views';

/** How each CI system is named on the page. */
export const CI_PROVIDER_LABELS: Record<CiProviderName, string> = {
  generic: 'Any CI (generic JSON)',
  'github-actions': 'GitHub Actions',
  gitlab: 'GitLab CI',
  jenkins: 'Jenkins',
  circleci: 'CircleCI',
};

const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

/**
 * What is wrong with the form before it is sent, in words, or null. The server checks the same again
 * (ci-integrations-router's zod body); this only saves a round trip.
 */
export function toCiFormProblem(name: string, repository: string): string | null {
  if (name.trim() === '') return 'Give the integration a name, like "Jenkins on ci.acme.test".';
  if (name.trim().length > 100) return 'The name is longer than 100 characters.';
  const repo = repository.trim();
  if (repo !== '' && !REPOSITORY.test(repo)) return `The repository is written "workspace/repository", like acme/web; not "${repo}".`;
  return null;
}

/** A delivery's outcome as a lozenge colour: accepted green, ignored grey, rejected red. */
export function toDeliveryAppearance(outcome: CiDeliveryView['outcome']): 'success' | 'default' | 'removed' {
  return outcome === 'accepted' ? 'success' : outcome === 'rejected' ? 'removed' : 'default';
}
