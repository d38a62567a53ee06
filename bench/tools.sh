# Sourced by the small measuring scripts beside it (cpu-split.sh, pause-rule.sh, syscalls.sh):
# where things are, the jar and the C programs built when missing or stale, the cores to pin
# to, and waiting for a server's port. Not run on its own.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT=$BENCH_DIR/out
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
mkdir -p "$OUT"

# build_tools PROGRAM...: the jar if missing, and each C program of bench/c if missing or stale.
build_tools() {
  [ -f "$ROOT/target/jepoll.jar" ] || (cd "$ROOT" && make build)
  local program
  for program in "$@"; do
    if [ ! -x "$OUT/$program" ] || [ "$BENCH_DIR/c/$program.c" -nt "$OUT/$program" ]; then
      gcc -O2 -Wall -Wextra -Werror -o "$OUT/$program" "$BENCH_DIR/c/$program.c"
    fi
  done
}

# Pinned as make bench pins (server on CPU 1, generator on CPU 0) where there are 2 cores or more.
server_pin=(); generator_pin=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  server_pin=(taskset -c 1); generator_pin=(taskset -c 0)
fi

# await_port LOG: prints the port a server named in its ready line; fails with the log after 15 s.
await_port() {
  local port="" _
  for _ in $(seq 300); do
    port=$(grep -m1 -oE '127\.0\.0\.1:[0-9]+' "$1" | cut -d: -f2 || true)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.05
  done
  cat "$1" >&2
  return 1
}
