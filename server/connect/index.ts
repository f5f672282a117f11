export { loadDescriptor, descriptorSchema, webhookPaths, toAppDescriptor } from './descriptor';
export type { ConnectDescriptor } from './descriptor';
export { createLifecycleRouter } from './lifecycle-router';
export { createHostAuthenticator } from './host-authenticator';
export { mintSessionToken, verifySessionToken, SESSION_TTL_SECONDS } from './session-token';
// Tests and scripts mint sessions with the page list; the types live in the host port.
export { pageNames } from '../host';
export type { Viewer, PageName } from '../host';
export { LifecycleRejectedError } from './errors';
export { computeQsh, verifyConnectJwt } from './connect-jwt';
export { createInstallationClientFactory, createInstallationClientState, type InstallationClientState } from './installation-client';
