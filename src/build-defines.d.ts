// Constants the bundlers define (scripts/bundle.mjs, scripts/sea.mjs); in an
// unbundled run (tsc's dist/, vitest) they are undefined, so read them with
// typeof.

/** The package's version. */
declare const __IOAIO_VERSION__: string | undefined;
/** true in the single executable's bundle only. Its CommonJS bundle cannot
 *  hold ink 6 and yoga (top-level await), so its views are ES module assets
 *  (src/ui/sea-import.ts); written inline as the condition of a ternary or
 *  an if/else, it lets esbuild drop the arm that imports ink. */
declare const __IOAIO_SEA__: boolean | undefined;
