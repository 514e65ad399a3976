// `ioaio summary-merge [FILE...]`: the --summary-json objects of a
// command's shards (one JSON object a line, from files or stdin) added up
// into the one the whole job would have printed: counts summed (sizes and
// types and histogram buckets too), seconds the longest shard's, the
// oldest and newest mtime the extremes, interrupted if any shard was; each
// shard's concurrency kept in a list, for it was each host's own.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** An mtime extreme as pstat prints it. */
function isExtreme(v: Json): v is { path: string; sec: number; nsec: number } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.sec === 'number' && typeof v.nsec === 'number';
}

function later(a: { sec: number; nsec: number }, b: { sec: number; nsec: number }): boolean {
  return a.sec > b.sec || (a.sec === b.sec && a.nsec > b.nsec);
}

/** [bound, count] pairs (pstat's sizeHistogram) */
function isPairs(v: Json): v is [number, number][] {
  return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number');
}

function mergeValue(key: string, a: Json | undefined, b: Json): Json {
  if (a === undefined) return key === 'concurrency' ? [b] : b;
  if (key === 'concurrency') return [...(a as Json[]), b];
  if (key === 'seconds' && typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a || b;
  if (key === 'oldestMtime' || key === 'newestMtime') {
    if (!isExtreme(b)) return a;
    if (!isExtreme(a)) return b;
    return (key === 'newestMtime' ? later(b, a) : later(a, b)) ? b : a;
  }
  if (isPairs(a) && isPairs(b)) {
    const m = new Map<number, number>();
    for (const [k, n] of [...a, ...b]) m.set(k, (m.get(k) ?? 0) + n);
    return [...m.entries()].sort((x, y) => x[0] - y[0]);
  }
  if (typeof a === 'object' && a !== null && !Array.isArray(a) && typeof b === 'object' && b !== null && !Array.isArray(b)) return mergeObjects(a, b);
  if (a === b) return a;
  throw new Error(`'${key}' differs between summaries (${JSON.stringify(a)}, ${JSON.stringify(b)}) and cannot be added up`);
}

function mergeObjects(a: { [k: string]: Json }, b: { [k: string]: Json }): { [k: string]: Json } {
  const out: { [k: string]: Json } = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = mergeValue(k, a[k], v);
  return out;
}

/** The merged summary of the objects, with how many there were (`shards`) and their tags. */
export function mergeSummaries(list: { [k: string]: Json }[]): { [k: string]: Json } {
  if (list.length === 0) throw new Error('no summaries to merge');
  let acc: { [k: string]: Json } = {};
  const shards: string[] = [];
  for (const s of list) {
    const { shard, ...rest } = s;
    if (typeof shard === 'string') shards.push(shard);
    acc = Object.keys(acc).length ? mergeObjects(acc, rest) : Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, mergeValue(k, undefined, v)]));
  }
  // the same shard twice would count its work twice
  const dup = shards.find((t, i) => shards.indexOf(t) !== i);
  if (dup) throw new Error(`shard ${dup} appears twice`);
  return { ...acc, summaries: list.length, ...(shards.length ? { shards: shards.sort() } : {}) };
}

/** Every JSON object in text, one a line (blank lines skipped); where names the source in errors. */
export function parseSummaries(text: string, where: string): { [k: string]: Json }[] {
  const out: { [k: string]: Json }[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: Json;
    try {
      v = JSON.parse(line) as Json;
    } catch (e) {
      throw new Error(`${where}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}:${i + 1}: not a JSON object`);
    out.push(v);
  });
  return out;
}
