/**
 * "acme/widgets" from whatever a CI says about the repository it built: a clone URL
 * (https or scp-like ssh), a web URL, or a CircleCI project slug ("gh/acme/widgets").
 * The last two path segments, without ".git"; undefined when there are fewer than two.
 */
export function toRepositoryHint(source: string | null | undefined): string | undefined {
  if (source === null || source === undefined || source.trim() === '') return undefined;
  let path = source.trim();
  const scp = /^[^/@:]+@[^:/]+:(.+)$/.exec(path);
  if (scp?.[1] !== undefined) path = scp[1];
  else {
    try {
      path = new URL(path).pathname;
    } catch {
      // Not a URL: a slug or a plain "owner/name".
    }
  }
  const segments = path
    .replace(/\.git$/, '')
    .split('/')
    .filter((segment) => segment.length > 0);
  if (segments.length < 2) return undefined;
  return segments.slice(-2).join('/');
}
