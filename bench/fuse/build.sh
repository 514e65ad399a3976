#!/bin/sh
# Compiles the latency-injecting FUSE fixture into build/bench/latencyfs
# (build/ is git-ignored). Needs a C compiler, pkg-config and libfuse3-dev:
# bench/setup.sh installs them and then runs this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/bench/latencyfs"
mkdir -p "$(dirname "$out")"
# Rebuild only when the source is newer than the binary.
if [ -x "$out" ] && [ "$out" -nt "$here/latencyfs.c" ]; then
  echo "latencyfs: up to date ($out)"
  exit 0
fi
${CC:-cc} -O2 -Wall -Wextra -o "$out" "$here/latencyfs.c" $(pkg-config --cflags --libs fuse3) -lpthread
echo "latencyfs: built $out"
