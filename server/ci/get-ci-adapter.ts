import { ciProviderSchema, type CiAdapter, type CiProvider } from './ci-build-result';
import { circleCiAdapter } from './circleci-ci-adapter';
import { UnknownCiProviderError } from './errors';
import { genericCiAdapter } from './generic-ci-adapter';
import { githubActionsCiAdapter } from './github-actions-ci-adapter';
import { gitlabCiAdapter } from './gitlab-ci-adapter';
import { jenkinsCiAdapter } from './jenkins-ci-adapter';

const ADAPTERS: Readonly<Record<CiProvider, CiAdapter>> = {
  generic: genericCiAdapter,
  'github-actions': githubActionsCiAdapter,
  gitlab: gitlabCiAdapter,
  jenkins: jenkinsCiAdapter,
  circleci: circleCiAdapter,
};

export const CI_PROVIDERS: readonly CiProvider[] = ciProviderSchema.options;

/** The adapter for a provider named in `POST /ci/{provider}/…`, or UnknownCiProviderError. */
export function getCiAdapter(provider: string): CiAdapter {
  const parsed = ciProviderSchema.safeParse(provider);
  if (!parsed.success) throw new UnknownCiProviderError(provider);
  return ADAPTERS[parsed.data];
}
