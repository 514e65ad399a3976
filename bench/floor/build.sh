#!/bin/sh
# Compiles the benchmarks' C helpers into build/bench/: statx-floor,
# rm-floor and walk-floor (the kernel-only floors bench/pstat.mjs,
# bench/rmtree.mjs and bench/real-trees.mjs print) and make-tree
# (rmtree's corpus, made anew before each run). Needs a C compiler;
# bench/setup.sh runs this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$root/build/bench"
for name in statx-floor rm-floor walk-floor make-tree; do
  out="$root/build/bench/$name"
  if [ -x "$out" ] && [ "$out" -nt "$here/$name.c" ]; then
    echo "$name: up to date ($out)"
    continue
  fi
  ${CC:-cc} -O2 -Wall -Wextra -o "$out" "$here/$name.c" -lpthread
  echo "$name: built $out"
done
