export { createKeyRing, loadOrCreateKeyFile, addKeyToKeyFile, readKeyFileSync, deriveKey, KeyRingError } from './key-ring';
export type { KeyRing } from './key-ring';
export { createSecretBox, createReloadingSecretBox, SecretBoxError } from './secret-box';
export type { SecretBox } from './secret-box';
// The scope lattice is Bitbucket's: it lives with the client; re-exported for callers of auth.
export { BITBUCKET_SCOPES, expandScopes, missingScopes, isBitbucketScope } from '../bitbucket/scopes';
export type { BitbucketScope } from '../bitbucket/scopes';
export {
  UserAuthorizationError,
  NotConnectedError,
  ReconnectRequiredError,
  MissingScopesError,
  OAuthFlowError,
  OAuthGrantError,
} from './errors';
export type { ConnectReason } from './errors';
export { createOAuthTokenClient } from './oauth-token-client';
export type { OAuthConsumer, OAuthTokenClient, TokenSet } from './oauth-token-client';
export { createTokenVault, tokenContext } from './token-vault';
export type { TokenVault, BitbucketProfile, ConnectionInfo, TenantRef } from './token-vault';
export { createOAuthFlow } from './oauth-flow';
export type { OAuthFlow } from './oauth-flow';
export { createUserClientFactory } from './user-client-factory';
export type { UserClientFactory, UserClientOptions } from './user-client-factory';
export { USER_OAUTH_SCOPES } from './user-oauth-scopes';
export { AccountAlreadyLinkedError, RefreshLeaseBusyError } from './user-connection-store';
export type { ConnectionPatch, ConnectionStatus, StoredConnection, UserConnectionStore } from './user-connection-store';
export type { OAuthState, OAuthStateStore } from './oauth-state-store';
