#!/bin/sh
# Debian tools the test suite drives (run by `npm test` as its pretest):
# strace (the --sync test counts fsyncs), tmux (the live-view test runs
# treescan in a pty), find (the reference output), setpriv (unreadable
# directories as nobody), rsync and attr (cptree's copies are checked with
# rsync -n; setfattr makes xattrs), zsh and fish (the completion scripts run
# in them), man-db and groff-base (the man pages render), e2fsprogs (chattr:
# an immutable file makes rmtree's unlink fail even as root), python3 (the
# rmtree tests bind a socket and build trees deeper than PATH_MAX),
# libio-aio-perl (docs/io-aio-parity.md is checked against its exports),
# fuse3, libfuse3-dev and pkg-config (the latency FUSE fixture that -j auto's
# end-to-end test mounts, built by bench/fuse/build.sh), slurmd, slurmctld,
# slurm-client and munge (a one-node Slurm runs --shard auto job arrays:
# scripts/slurm-local.sh) and parallel (GNU parallel runs shards too).
# Installs what is missing when root, once.
set -eu
need=""
for pkg in strace tmux findutils util-linux rsync attr zsh fish man-db groff-base e2fsprogs python3 libio-aio-perl fuse3 libfuse3-dev pkg-config slurmd slurmctld slurm-client munge parallel; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deps: missing Debian packages:$need (install them, or run as root)" >&2
  exit 1
fi
echo "test-deps: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq $need >/dev/null
