export { isHostKind } from './tenant';
export type { HostKind, Tenant, TenantWithSecret, TenantInput, TenantStore } from './tenant';
export { pageNames } from './viewer';
export type { PageName, Viewer } from './viewer';
export { HostAuthError } from './host-auth-error';
export type { HostAuthErrorCode } from './host-auth-error';
export type { HostActor, HostAuthenticator } from './host-authenticator';
export type { InstallationClientFactory } from './installation-client-factory';
export type { AppDescriptor } from './app-descriptor';
