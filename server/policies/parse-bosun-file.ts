import { parse } from 'yaml';
import { toBosunFileLayer } from './read-bosun-file';
import type { PolicyLayerInput } from './resolve-policy';

/**
 * The bosun.yml layer from the file's text (null: no file on the destination branch), parsed with
 * the `yaml` package. A file that is not YAML becomes a layer that fails the schema with the
 * parser's first line as its message, so it is reported and never half-applied.
 */
export function parseBosunFile(text: string | null): PolicyLayerInput {
  // Aliases are capped: a small file must not expand into a huge policy (billion laughs).
  return toBosunFileLayer(text, (t) => parse(t, { maxAliasCount: 50, prettyErrors: false }) as unknown);
}
