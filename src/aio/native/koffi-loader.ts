// Loads koffi for binding.ts.
//
// Perf: koffi's entry point (index.cjs) reads the node binary's ELF header to
// tell glibc from musl and wraps deprecated aliases, and resolving the bare
// name 'koffi' walks node_modules: together 10-15 ms of treescan's 0.15 s
// start-up budget. Loading the prebuilt koffi.node directly costs about
// 3.5 ms. So on Linux we look for the prebuilt binary for this CPU (the
// optional dependency koffi itself would pick on glibc) beside the package
// root that binding.ts found, in both npm layouts (our own node_modules, or
// installed as a dependency beside koffi), and fall back to require('koffi')
// when that fails: musl, other systems, a layout we do not know. koffi pins
// its platform packages to its own exact version, so the binary matches.
import type { createRequire } from 'node:module';
import { join } from 'node:path';

type Koffi = typeof import('koffi');

/** packageRoot: the folder holding build/native (null if unknown). */
export function loadKoffi(require: ReturnType<typeof createRequire>, packageRoot: string | null): Koffi {
  return (process.platform === 'linux' && packageRoot !== null && prebuilt(packageRoot)) || (require('koffi') as Koffi);
}

function prebuilt(root: string): Koffi | null {
  const rel = join('@koromix', `koffi-linux-${process.arch}`, `linux_${process.arch}`, 'koffi.node');
  for (const base of [join(root, 'node_modules'), join(root, '..')]) {
    const mod = { exports: {} as Koffi & { version?: unknown } };
    try {
      process.dlopen(mod, join(base, rel));
    } catch {
      continue;
    }
    if (typeof mod.exports.load === 'function' && typeof mod.exports.version === 'string') return mod.exports;
  }
  return null;
}
