/**
 * Bitbucket accepts a redirect_uri that is the consumer's callback URL or a sub-path of it.
 * Compared as URLs (same origin, path segment boundary), so `/oauth/callback.evil` does not pass.
 */
export function isUnderCallback(redirectUri: string, callbackUrl: string): boolean {
  let r: URL;
  let c: URL;
  try {
    r = new URL(redirectUri);
    c = new URL(callbackUrl);
  } catch {
    return false;
  }
  if (r.origin !== c.origin || r.username || r.password) return false;
  const base = c.pathname.replace(/\/+$/, '');
  return r.pathname === c.pathname || r.pathname === base || r.pathname.startsWith(`${base}/`);
}
