#!/usr/bin/env bash
# Native tests against the public C API (native/include/ioaio.h), libuv style:
# every test runs in its own process under `timeout`.
#
#   bash native/test/run.sh              link against build/native/libioaio.so
#   bash native/test/run.sh --sanitize   ASan+UBSan: tests compiled with
#                                        -fsanitize=address,undefined and linked
#                                        against build/native/libioaio-asan.so
#   bash native/test/run.sh [--sanitize] NAME...   only tests whose name contains NAME
#
# Prints "ok"/"FAIL" per test and a last line "N passed, M failed"; exits
# non-zero when anything failed. CC overrides the compiler; TEST_TIMEOUT the
# per-test limit in seconds (default 60).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 2

sanitize=0
filters=()
for arg in "$@"; do
  case $arg in
    --sanitize) sanitize=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) filters+=("$arg") ;;
  esac
done

CC=${CC:-cc}
TIMEOUT=${TEST_TIMEOUT:-60}
CFLAGS_TEST=(-std=gnu11 -D_GNU_SOURCE -g -Wall -Wextra -Wno-unused-parameter -pthread -Inative/include)

if [ $sanitize = 1 ]; then
  node scripts/build-native.mjs --sanitize || { echo "run.sh: building libioaio-asan.so failed" >&2; exit 2; }
  LIBNAME=ioaio-asan
  OUT=build/native/test-asan
  CFLAGS_TEST+=(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
else
  node scripts/build-native.mjs || { echo "run.sh: building libioaio.so failed" >&2; exit 2; }
  LIBNAME=ioaio
  OUT=build/native/test
  CFLAGS_TEST+=(-O2)
fi
[ -f "build/native/lib$LIBNAME.so" ] || { echo "run.sh: build/native/lib$LIBNAME.so missing" >&2; exit 2; }
mkdir -p "$OUT"

passed=0
failed=0
failures=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

report_fail() { # name, reason; shows the test's output
  echo "FAIL $1 ($2)"
  sed 's/^/    /' "$log" | tail -n 40
  failed=$((failed + 1))
  failures+=("$1")
}

for src in native/test/test-*.c; do
  name=$(basename "$src" .c)
  bin="$OUT/$name"
  if ! "$CC" "${CFLAGS_TEST[@]}" "$src" -o "$bin" -L"$ROOT/build/native" -l"$LIBNAME" \
      -Wl,-rpath,"$ROOT/build/native" >"$log" 2>&1; then
    report_fail "$name" "compile error"
    continue
  fi
  if ! tests=$("$bin" --list 2>"$log"); then
    report_fail "$name" "--list failed"
    continue
  fi
  for t in $tests; do
    full="$name:$t"
    if [ ${#filters[@]} -gt 0 ]; then
      match=0
      for f in "${filters[@]}"; do [[ $full == *"$f"* ]] && match=1; done
      [ $match = 1 ] || continue
    fi
    # in a subshell, so bash's own "Aborted" notice lands in the log too
    (timeout -k 5 "$TIMEOUT" "$bin" "$t"; exit $?) >"$log" 2>&1
    rc=$?
    if [ $rc = 0 ]; then
      echo "ok $full"
      passed=$((passed + 1))
    elif [ $rc = 124 ] || [ $rc = 137 ]; then
      report_fail "$full" "timed out after ${TIMEOUT}s"
    elif [ $rc -gt 128 ]; then
      report_fail "$full" "killed by signal $((rc - 128))"
    else
      report_fail "$full" "exit $rc"
    fi
  done
done

[ $failed -gt 0 ] && echo "failed: ${failures[*]}"
if [ $((passed + failed)) = 0 ]; then
  echo "run.sh: no test matched ${filters[*]:-}" >&2
  failed=1
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
