// uid -> user name and gid -> group name for pstat's %U / %G, read from
// /etc/passwd and /etc/group once (lazily, on first use) and cached.
// Note: only the local files are consulted; other NSS sources (LDAP, SSSD,
// NIS, systemd-homed…) configured in /etc/nsswitch.conf are not covered, so
// such ids print as UNKNOWN where GNU stat (through getpwuid) would name them.
// Names are returned as byte strings (latin1: one char per byte), so that
// non-ASCII names keep their exact bytes when the formatter writes them out.
import { readFileSync } from 'node:fs';

function parse(file: string): Map<number, string> {
  const map = new Map<number, string>();
  let text: string;
  try { text = readFileSync(file, 'latin1'); } catch { return map; }
  for (const line of text.split('\n')) {
    if (line === '' || line[0] === '#' || line[0] === '+' || line[0] === '-') continue;
    const f = line.split(':');
    const id = Number(f[2]);
    // getpwuid(3) returns the first entry with that id: keep the first.
    if (f.length >= 3 && f[2] !== '' && Number.isInteger(id) && !map.has(id)) map.set(id, f[0]!);
  }
  return map;
}

let users: Map<number, string> | undefined;
let groups: Map<number, string> | undefined;

/** The user name of uid as a latin1 byte string, or undefined. */
export function userName(uid: number): string | undefined {
  return (users ??= parse('/etc/passwd')).get(uid);
}

/** The group name of gid as a latin1 byte string, or undefined. */
export function groupName(gid: number): string | undefined {
  return (groups ??= parse('/etc/group')).get(gid);
}

/** Forget the cached tables (tests; long-running processes). */
export function resetIdCache(): void { users = undefined; groups = undefined; }
