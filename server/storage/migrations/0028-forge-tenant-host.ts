import type { Migration } from './migration';

/**
 * Forge installations stored before the Forge host recorded itself ('connect' by 0017's default)
 * become 'forge'. A Forge installation is keyed by its installation id, an ARI of this form
 * (https://developer.atlassian.com/cloud/forge/remote/essentials/: `app.installationId`); no
 * Connect clientKey looks like it.
 */
export const migration0028: Migration = {
  id: '0028-forge-tenant-host',
  async up(_qi, sql) {
    await sql("UPDATE tenants SET host = 'forge' WHERE client_key LIKE 'ari:cloud:ecosystem::installation/%'");
  },
};
