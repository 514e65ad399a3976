// How the single executable loads a live view: its views are ES modules
// (ink and yoga use top-level await, which its CommonJS bundle cannot
// hold), carried as assets; src/sea/main.ts installs the loader that writes
// one out to the native files' cache and imports it from there.
type SeaImport = (asset: string) => Promise<unknown>;

export function seaImport<T>(asset: string): Promise<T> {
  const load = (globalThis as { __ioaioSeaImport?: SeaImport }).__ioaioSeaImport;
  if (!load) return Promise.reject(new Error(`ioaio: ${asset}: no single-executable loader`));
  return load(asset) as Promise<T>;
}
