import type { PolicyLayerInput } from './resolve-policy';

export const BOSUN_FILE_PATH = 'bosun.yml';

/** Where a PR's bosun.yml is read: its destination branch, never its source (a PR must not rewrite its own rules). */
export function toBosunFileLocation(pr: { destination: { branch: { name: string } } }): { ref: string; path: string } {
  return { ref: pr.destination.branch.name, path: BOSUN_FILE_PATH };
}

/**
 * The bosun.yml layer from the file's text. The YAML parser is passed in (the caller owns the
 * dependency); a file that does not parse, or parses to something other than a mapping, is a layer
 * whose data fails the schema, so `resolvePolicy` reports it instead of applying part of it.
 */
export function toBosunFileLayer(text: string | null, parse: (text: string) => unknown): PolicyLayerInput {
  if (text === null) return { source: 'bosun.yml', data: null };
  try {
    const data = parse(text);
    // An empty file is an empty layer, not an error.
    return { source: 'bosun.yml', data: data ?? {} };
  } catch (err) {
    return { source: 'bosun.yml', data: { __unparsable__: err instanceof Error ? err.message.split('\n')[0] : 'unreadable' } };
  }
}
