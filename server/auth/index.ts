export { createKeyRing, loadOrCreateKeyFile, deriveKey, KeyRingError } from './key-ring';
export type { KeyRing } from './key-ring';
export { createSecretBox, SecretBoxError } from './secret-box';
export type { SecretBox } from './secret-box';
export { BITBUCKET_SCOPES, expandScopes, missingScopes, isBitbucketScope } from './scopes';
export type { BitbucketScope } from './scopes';
