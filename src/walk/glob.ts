// Shell globs (as fd's --exclude and find's -name take them) to RegExps that
// run on latin1 strings of raw bytes, so non-UTF-8 names match byte-exact.

/** `*` and `?` stop at '/', `**` crosses it, `[...]` and `[!...]` are classes. */
export function globToRegExp(glob: string): RegExp {
  const bytes = Buffer.from(glob, 'utf8').toString('latin1');
  let re = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === '*') {
      if (bytes[i + 1] === '*') {
        re += '.*';
        i++;
        if (bytes[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = bytes.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = bytes.slice(i + 1, close);
        if (body[0] === '!') body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** A predicate over (name, relative prefix), raw bytes; the entry's path
 *  below the root is prefix + name. A pattern with a '/' matches that path,
 *  else the name alone (like fd's --exclude). */
export function excluder(globs: string[]): ((name: Buffer, relPrefix: Buffer) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const byName = globs.filter((g) => !g.includes('/')).map(globToRegExp);
  const byPath = globs.filter((g) => g.includes('/')).map((g) => globToRegExp(g.replace(/^\/+/, '')));
  return (name, relPrefix) => {
    const n = name.toString('latin1');
    if (byName.length && byName.some((r) => r.test(n))) return true;
    if (byPath.length) {
      const p = relPrefix.toString('latin1') + n;
      if (byPath.some((r) => r.test(p))) return true;
    }
    return false;
  };
}
