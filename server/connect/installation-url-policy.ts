/**
 * Which URLs an installation may name as its host (baseUrl, baseApiUrl of the `installed` payload).
 * Bosun sends requests there signed with the installation's secret or carrying its users' tokens,
 * so a host is checked whole, not just by hostname: scheme, userinfo, host and port.
 */
export interface InstallationUrlPolicy {
  /** `host`, `host:port` or `*.example.com`, lower case. */
  allowedHosts: string[];
  /** Production: https only, default port unless an entry names another. */
  production: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a URL is refused, or null when it may be used. */
export function checkInstallationUrl(raw: string, policy: InstallationUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.production)) {
    return policy.production ? 'must use https' : 'must use http or https';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash) return 'must not carry a query or fragment';
  const host = url.hostname.toLowerCase();
  // URL leaves the port empty when it is the scheme's default.
  const port = url.port;
  const allowed = policy.allowedHosts.some((entry) => {
    const [entryHost, entryPort] = splitEntry(entry);
    const hostMatches = entryHost === host || (entryHost.startsWith('*.') && host.endsWith(entryHost.slice(1)) && host.length > entryHost.length - 1);
    if (!hostMatches) return false;
    if (entryPort !== null) return entryPort === (port || (url.protocol === 'https:' ? '443' : '80'));
    // Outside production the sandbox listens on any local port.
    if (!policy.production && LOOPBACK.has(host)) return true;
    return port === '';
  });
  return allowed ? null : `names a host that is not allowed (${url.host})`;
}

function splitEntry(entry: string): [string, string | null] {
  const e = entry.trim().toLowerCase();
  if (e.startsWith('[')) {
    const end = e.indexOf(']');
    const rest = e.slice(end + 1);
    return [e.slice(0, end + 1), rest.startsWith(':') ? rest.slice(1) : null];
  }
  const colon = e.lastIndexOf(':');
  return colon > 0 ? [e.slice(0, colon), e.slice(colon + 1)] : [e, null];
}
