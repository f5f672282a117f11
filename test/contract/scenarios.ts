/** The contract scenarios: one per operation of the client (BITBUCKET_OPERATIONS), plus a few error answers. */
import type { BitbucketOperationName } from '../../server/bitbucket';
import type { ExtraScenario, Scenario } from './scenario';
import { ADMIN_SCENARIOS } from './scenarios-admin';
import { PIPELINES_CONFIG_SCENARIOS } from './scenarios-pipelines-config';
import { PULL_REQUEST_SCENARIOS } from './scenarios-pull-requests';
import { REPORT_SCENARIOS } from './scenarios-reports';
import { REPOSITORY_EXTRA_SCENARIOS, REPOSITORY_SCENARIOS } from './scenarios-repository';

export const SCENARIOS: Record<BitbucketOperationName, Scenario> = {
  ...REPOSITORY_SCENARIOS,
  ...PULL_REQUEST_SCENARIOS,
  ...ADMIN_SCENARIOS,
  ...PIPELINES_CONFIG_SCENARIOS,
  ...REPORT_SCENARIOS,
};

export const EXTRA_SCENARIOS: readonly ExtraScenario[] = [...REPOSITORY_EXTRA_SCENARIOS];
