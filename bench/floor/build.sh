#!/bin/sh
# Compiles bench/floor/statx-floor.c into build/bench/statx-floor (the
# kernel-only floor bench/pstat.mjs --local prints). Needs a C compiler;
# bench/setup.sh runs this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/bench/statx-floor"
mkdir -p "$root/build/bench"
if [ -x "$out" ] && [ "$out" -nt "$here/statx-floor.c" ]; then
  echo "statx-floor: up to date ($out)"
  exit 0
fi
${CC:-cc} -O2 -Wall -Wextra -o "$out" "$here/statx-floor.c" -lpthread
echo "statx-floor: built $out"
