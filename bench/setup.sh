#!/bin/sh
# Installs what bench/treescan.mjs needs and builds its FUSE fixture.
# Idempotent: packages already installed are left alone, `apt-get update`
# runs only when something is missing, and the fixture is rebuilt only when
# its source changed.
#
#   fd-find         fdfind, the main peer
#   fuse3           fusermount3 and the FUSE runtime
#   libfuse3-dev    headers and library to build bench/fuse/latencyfs{,-async}.c
#   pkg-config      finds libfuse3's flags
#   libio-aio-perl  IO::AIO's treescan, a peer (also the source of libeio)
#   time            GNU /usr/bin/time, for peak RSS (%M)
#   findutils, gcc  find and a C compiler: normally present already
set -eu
here=$(cd "$(dirname "$0")" && pwd)

pkgs="fd-find fuse3 libfuse3-dev pkg-config libio-aio-perl time findutils gcc"
missing=""
for p in $pkgs; do
  # dpkg -s also lists removed-but-configured packages: check the status line.
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing:$missing"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the list is intended
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
else
  echo "packages: all present ($pkgs)"
fi

"$here/fuse/build.sh"
"$here/floor/build.sh"

# FUSE needs the device; a container without it can still run --local/--startup.
if [ ! -c /dev/fuse ]; then
  echo "warning: /dev/fuse is missing: the --fuse scenario cannot mount (try modprobe fuse)" >&2
fi

# fdir comes from npm as a devDependency (npm ci installs it).
if ! (cd "$here/.." && node -e "import('fdir').then(() => process.exit(0), () => process.exit(1))"); then
  echo "warning: fdir is not installed: run npm ci (or npm install --no-save fdir)" >&2
fi
