// Runs the real bin/cptree and checks its copies two independent ways:
// rsync's own comparison (-aHAX --checksum --dry-run) and a walk of both
// trees here (types, modes, owners, sizes, times to the nanosecond, link
// targets, contents, hard-link groups, holes).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureBuilt, plainEnv } from './treescan.js';

export const CPTREE = join(ROOT, 'bin/cptree');

export interface CpResult {
  stdout: Buffer;
  stderr: string;
  status: number | null;
}

export function cptree(args: string[], opts: { env?: NodeJS.ProcessEnv; asNobody?: boolean } = {}): CpResult {
  ensureBuilt();
  const argv = [process.execPath, CPTREE, ...args];
  const cmd = opts.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
  const r = spawnSync(cmd[0]!, cmd.slice(1), { env: opts.env ?? plainEnv(), timeout: 60_000, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status };
}

export interface MidCopyResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** a temporary showed in dst (a copy was in flight) before act ran */
  sawTemp: boolean;
}

/** Starts the real bin/cptree and, once a temporary shows in dst (a copy in
 *  flight), runs act (kill it, change its source…); waits for its exit. */
export async function midCopy(args: string[], dst: string, act: (child: ChildProcess) => void): Promise<MidCopyResult> {
  ensureBuilt();
  const child = spawn(process.execPath, [CPTREE, ...args], { env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  let sawTemp = false;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (existsSync(dst) && tempsIn(dst, true).length > 0) {
      sawTemp = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  act(child);
  const [code, signal] = await exited;
  return { code, signal, stdout, stderr, sawTemp };
}

/** What rsync would still change to make dst like src (empty: identical). */
export function rsyncDiff(src: string, dst: string): string {
  return execFileSync('rsync', ['-aHAX', '--dry-run', '--itemize-changes', '--checksum', `${src}/`, `${dst}/`]).toString();
}

/** Relative paths (latin1, so any bytes) of every entry below root. With
 *  live, entries that vanish while it looks (a run still removing them) are
 *  passed over; else that is an error. */
function walk(root: Buffer, rel = '', out: string[] = [], live = false): string[] {
  const gone = (e: unknown) => live && (e as NodeJS.ErrnoException).code === 'ENOENT';
  let names: Buffer[];
  try {
    names = readdirSync(Buffer.concat([root, Buffer.from(rel, 'latin1')]), { encoding: 'buffer' });
  } catch (e) {
    if (gone(e)) return out;
    throw e;
  }
  for (const name of names) {
    const r = rel + '/' + name.toString('latin1');
    let st;
    try {
      st = lstatSync(Buffer.concat([root, Buffer.from(r, 'latin1')]));
    } catch (e) {
      if (gone(e)) continue;
      throw e;
    }
    out.push(r);
    if (st.isDirectory()) walk(root, r, out, live);
  }
  return out;
}

/** Our temporaries below root; live: while a run may still be changing the tree. */
export function tempsIn(root: string, live = false): string[] {
  return walk(Buffer.from(root), '', [], live).filter((p) => /\/\.ioaio-cp\.[0-9a-f]{16}$/.test(p));
}

const lst = (p: Buffer): BigIntStats => lstatSync(p, { bigint: true });

/** Differences between two trees; [] when dst is an exact copy of src. */
export function treeDiff(src: string, dst: string, opts: { atime?: boolean } = {}): string[] {
  const s = Buffer.from(src);
  const d = Buffer.from(dst);
  const diffs: string[] = [];
  const a = walk(s).sort();
  const b = walk(d).sort();
  if (a.join('\0') !== b.join('\0')) {
    const only = (x: string[], y: string[]) => x.filter((p) => !y.includes(p));
    diffs.push(`entries differ: only in src ${JSON.stringify(only(a, b))}, only in dst ${JSON.stringify(only(b, a))}`);
    return diffs;
  }
  const groupsA = new Map<bigint, string[]>();
  const groupsB = new Map<bigint, string[]>();
  for (const rel of ['', ...a]) {
    const ps = Buffer.concat([s, Buffer.from(rel, 'latin1')]);
    const pd = Buffer.concat([d, Buffer.from(rel, 'latin1')]);
    const x = lst(ps);
    const y = lst(pd);
    // (a file's nlink counts links outside the tree too; the groups are compared below)
    const fields: (keyof BigIntStats)[] = ['mode', 'uid', 'gid', 'size', 'mtimeNs', 'rdev', ...(x.isDirectory() ? ['nlink' as const] : [])];
    if (opts.atime && x.isFile()) fields.push('atimeNs');
    if (x.isDirectory()) fields.splice(fields.indexOf('size'), 1); // a directory's size is its filesystem's business
    for (const f of fields) if (x[f] !== y[f]) diffs.push(`${rel || '.'}: ${String(f)} ${x[f]} != ${y[f]}`);
    if (x.isSymbolicLink() && readlinkSync(ps, { encoding: 'buffer' }).compare(readlinkSync(pd, { encoding: 'buffer' })) !== 0) diffs.push(`${rel}: link target differs`);
    if (x.isFile()) {
      if (readFileSync(ps).compare(readFileSync(pd)) !== 0) diffs.push(`${rel}: content differs`);
      // holes: the copy allocates no more than the source
      if (y.blocks > x.blocks) diffs.push(`${rel}: ${y.blocks} blocks, source has ${x.blocks}`);
    }
    if (!x.isDirectory() && x.nlink > 1n) {
      groupsA.set(x.ino, [...(groupsA.get(x.ino) ?? []), rel]);
      groupsB.set(y.ino, [...(groupsB.get(y.ino) ?? []), rel]);
    }
  }
  const norm = (g: Map<bigint, string[]>) => [...g.values()].map((v) => v.sort().join('|')).sort();
  if (JSON.stringify(norm(groupsA)) !== JSON.stringify(norm(groupsB))) diffs.push(`hard-link groups differ: ${JSON.stringify(norm(groupsA))} vs ${JSON.stringify(norm(groupsB))}`);
  return diffs;
}

/** makeRichTree's names, links, fifo and socket, plus what a copy must keep:
 *  a sparse file, xattrs, odd modes (set-id, a read-only directory), other
 *  owners and a device node (as root), times with nanoseconds everywhere. */
export async function makeCopyTree(): Promise<string> {
  const { makeRichTree } = await import('./scan-tree.js');
  const { root } = await makeRichTree(true);
  const sh = (script: string) => execFileSync('sh', ['-c', script], { cwd: root });
  sh(`
    truncate -s 20M sparse && printf data | dd of=sparse bs=1 seek=7000000 conv=notrunc 2>/dev/null
    head -c 200000 /dev/urandom > random.bin
    setfattr -n user.colour -v blue file.txt && setfattr -n user.empty sub/a.c
    mkdir ro && echo inside > ro/f && chmod 555 ro
    echo s > setid && chmod 6755 setid
    chmod 1777 empty-dir
    touch -h -d '@1000000000.123456789' link-to-file
    touch -m -d '@1234567890.987654321' random.bin sub/deeper ro
  `);
  if (process.getuid?.() === 0) sh('mknod null c 1 3 && chown 1234:5678 file.txt && chown -h 4321:8765 dangling');
  return root;
}
