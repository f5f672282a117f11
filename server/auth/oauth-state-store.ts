/** The OAuth state store port: single-use states of started consent flows. */
export interface OAuthState {
  stateHash: string;
  clientKey: string;
  userUuid: string;
  browserNonceHash: string;
  codeVerifierSealed: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface OAuthStateStore {
  create(state: OAuthState): Promise<void>;
  /** Returns the state and deletes it in one step: a state works once, even under a race. */
  consume(stateHash: string): Promise<OAuthState | null>;
  deleteExpired(now: Date): Promise<number>;
}
