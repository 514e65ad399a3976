// Colour on a stream only when a person reads it: a terminal that is not
// TERM=dumb, unless NO_COLOR (https://no-color.org) turns it off or
// FORCE_COLOR turns it on (FORCE_COLOR=0 or false also turns it off).
// picocolors' own guess looks at stdout only and at CI; ours asks about the
// stream the text goes to.
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const cache = new WeakMap<object, Colors>();

/** picocolors' functions, live or identity, for text written to `stream`. */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  let c = cache.get(stream);
  if (!c) cache.set(stream, (c = pc.createColors(wantsColor(stream))));
  return c;
}
