// Whether a path is on a filesystem where each operation waits on a network
// or a user-space server (NFS, FUSE, SMB, Ceph, 9p, AFS…). There, many
// threads each waiting on one request are what makes a scan fast; on a local
// disk with a warm cache, threads beyond the cores only contend.
import { statfsSync } from 'node:fs';

const REMOTE_MAGIC = new Set([
  0x6969, // NFS
  0x65735546, // FUSE
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x00c36400, // Ceph
  0x01021997, // 9p
  0x5346414f, // AFS
  0x47504653, // GPFS
  0x0bd00bd0, // Lustre
]);

export function isLatencyBound(path: Buffer): boolean {
  try {
    return REMOTE_MAGIC.has(Number(statfsSync(path).type));
  } catch {
    return false; // the scan itself will report what is wrong with the path
  }
}

/** Threads for a tree command when -j is not given. */
export const LOCAL_JOBS = 8;
export const REMOTE_JOBS = 64;
