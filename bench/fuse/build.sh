#!/bin/sh
# Compiles the latency-injecting FUSE fixtures into build/bench/latencyfs
# (high-level libfuse, one thread per operation in flight) and
# build/bench/latencyfs-async (low-level libfuse, delayed replies; the
# default, see its header). build/ is git-ignored. Needs a C compiler,
# pkg-config and libfuse3-dev: bench/setup.sh installs them and then runs this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$root/build/bench"
build() {
  out="$root/build/bench/$1"
  # Rebuild only when the source is newer than the binary.
  if [ -x "$out" ] && [ "$out" -nt "$here/$1.c" ] && [ "$out" -nt "$here/opcounts.h" ]; then
    echo "$1: up to date ($out)"
    return 0
  fi
  ${CC:-cc} -O2 -Wall -Wextra -o "$out" "$here/$1.c" $(pkg-config --cflags --libs fuse3) -lpthread
  echo "$1: built $out"
}
build latencyfs
build latencyfs-async
