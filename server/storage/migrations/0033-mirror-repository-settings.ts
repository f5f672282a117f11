import type { Migration } from './migration';

/**
 * Repository settings in the mirror (issue 14): a template preview reads them from the mirror, not
 * live. The facts table (0029) takes three more kinds (`webhooks`, `pipelines-config`,
 * `merge-strategies`) as rows; branch restrictions are now kept with their users and groups, so the
 * ones listed before lack what a template compares: they are dropped, and the sweep lists them
 * again (a repository with a missing fact is among the first it refreshes).
 */
export const migration0033: Migration = {
  id: '0033-mirror-repository-settings',
  async up(_qi, sql) {
    await sql("DELETE FROM mirror_repository_facts WHERE kind = 'branch-restrictions'");
  },
};
