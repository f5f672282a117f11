import type { Tenant } from '../../host';

/**
 * What the pages need of a person's Bitbucket connection and of the audit log, declared here (the
 * module that uses them) and implemented by auth/ (the token vault, the OAuth flow) and the agent's
 * executor, wired in app.ts.
 */
export interface PersonalConnection {
  status: 'connected' | 'needs_reconnect';
  profile: { displayName: string; nickname: string | null; avatarUrl: string | null; email: string | null };
  scopes: string[];
  connectedAt: Date;
}

export interface PersonalConnections {
  getConnection(clientKey: string, userUuid: string): Promise<PersonalConnection | null>;
  /** Deletes the person's stored tokens; false when there were none. */
  disconnect(clientKey: string, userUuid: string): Promise<boolean>;
}

/** Checks that a person's connection grants these scopes (throws the model's error when it does not). */
export interface UserConnectionCheck {
  forUser(tenant: Tenant, userUuid: string, requiredScopes: string[]): Promise<unknown>;
}

/** The iframe half of "Connect your Bitbucket account". */
export interface OAuthStart {
  callbackUrl: string;
  isConfigured(): boolean;
  createStartTicket(viewer: { clientKey: string; userUuid: string }): string;
}

/** The top-level window's half: the OAuth round trip (oauth-router.ts). */
export interface OAuthRoundTrip {
  begin(ticket: string): Promise<{ authorizeUrl: string; browserNonce: string }>;
  complete(params: { code?: string; state?: string; error?: string; browserNonce?: string }): Promise<{ profile: { displayName: string } }>;
}

/** The executor's record of what Bosun did for a person outside a tool: the one writer of the audit log. */
export interface ActionRecorder {
  recordAction(
    action: {
      idempotencyKey: string;
      trigger: { kind: string; ref: string | null };
      source: 'button';
      summary: string;
      action: string;
      message: string;
      startedAt: Date;
    },
    ctx: { tenant: { clientKey: string; workspace: string }; actor: { kind: 'user'; userUuid: string; accountId: string | null } },
  ): Promise<{ id: number | null }>;
}
