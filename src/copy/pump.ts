// At most limit() of fn's promises in flight over an async stream of items,
// read only as fast as they are done (a list of millions never sits in
// memory). limit is read before each start, so -j auto can move it.
export async function pump<T>(items: AsyncIterable<T>, limit: () => number, fn: (item: T) => Promise<unknown>, stopped: () => boolean): Promise<void> {
  const inflight = new Set<Promise<unknown>>();
  for await (const item of items) {
    if (stopped()) break;
    while (inflight.size >= Math.max(1, limit())) await Promise.race(inflight);
    const p: Promise<unknown> = fn(item).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
}
