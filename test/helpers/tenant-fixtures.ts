import { randomBytes } from 'node:crypto';
import { createKeyRing, createSecretBox, type SecretBox } from '../../server/auth';
import type { TenantInput } from '../../server/storage';

/** A Connect installation's lifecycle fields for `clientKey` (workspace acme), as the tenant store takes them. */
export const toTenantInput = (clientKey: string): TenantInput => ({
  clientKey,
  appKey: 'bosun',
  sharedSecret: 'secret-0123456789-abcdef',
  baseUrl: 'http://localhost:4999',
  baseApiUrl: 'http://localhost:4999',
  workspaceUuid: '{00000000-0000-4000-8000-000000000001}',
  workspaceSlug: 'acme',
  workspaceName: 'Acme',
  installedByUuid: null,
  installedByAccountId: null,
});

/** A secret box with one fresh random key (k1): what a test's tenant store seals shared secrets with. */
export const createTestSecretBox = (): SecretBox => createSecretBox(createKeyRing([{ id: 'k1', key: randomBytes(32) }]));
