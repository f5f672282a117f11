/**
 * Glob → RegExp: `**` any characters, `*` any characters but `/` when `slashAware`, else any
 * characters (Bitbucket's branch patterns let `*` cross `/`), `?` one character.
 */
export function toGlobRegExp(glob: string, slashAware = false): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += slashAware ? '[^/]*' : '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
