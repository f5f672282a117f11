/** What one credential has sent to /2.0 since the counter was last reset. */
export interface CredentialRequestCount {
  /** `app:<clientKey>` for an installation's JWT, `user:<uuid>` for an OAuth bearer. */
  credential: string;
  total: number;
  /** Requests counted against the rolling-hour bucket of /2.0/repositories/*. */
  repositories: number;
  /** Requests answered 429 by the rate limiter. */
  limited: number;
}

/**
 * Counts every authenticated /2.0 request per credential, so tests and benchmarks can assert what
 * Bosun spent (for instance an initial sync's cost) without wrapping the app's fetch.
 */
export interface RequestCounter {
  record(credential: string, entry: { repositories: boolean; limited: boolean }): void;
  get(credential: string): CredentialRequestCount;
  list(): CredentialRequestCount[];
  /** Sum over every credential. */
  total(): number;
  reset(): void;
}

export function createRequestCounter(): RequestCounter {
  const counts = new Map<string, CredentialRequestCount>();
  const get = (credential: string): CredentialRequestCount => counts.get(credential) ?? { credential, total: 0, repositories: 0, limited: 0 };
  return {
    record(credential, entry) {
      const c = get(credential);
      counts.set(credential, {
        credential, total: c.total + 1, repositories: c.repositories + (entry.repositories ? 1 : 0), limited: c.limited + (entry.limited ? 1 : 0),
      });
    },
    get: (credential) => ({ ...get(credential) }),
    list: () => [...counts.values()].map((c) => ({ ...c })),
    total: () => [...counts.values()].reduce((sum, c) => sum + c.total, 0),
    reset: () => counts.clear(),
  };
}
