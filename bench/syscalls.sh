#!/usr/bin/env bash
# make syscalls: the chapter's review questions 1-3 in system calls. The same load (IDLE idle
# connections, ACTIVE active ping-pong ones) against jepoll on the epoll selector and on the poll
# selector, each server run under strace from its start:
#   - counts and time per call of poll/ppoll, epoll_wait and epoll_ctl, and
#   - how many descriptors each wait hands to the kernel (poll's nfds, as strace prints it).
# Needs strace; talks to 127.0.0.1 only.
# Settings: IDLE [1000] ACTIVE [10] TRACE_SECONDS [3] JAVA [java] JEPOLL_JAVA_OPTS.
set -euo pipefail

. "$(dirname "$0")/tools.sh"
IDLE=${IDLE:-1000}
ACTIVE=${ACTIVE:-10}
SECONDS_TRACED=${TRACE_SECONDS:-3}
JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m"}
read -r -a java_opts <<<"$JEPOLL_JAVA_OPTS"

command -v strace >/dev/null || { echo "syscalls: needs strace (apt-get install strace)" >&2; exit 1; }
build_tools loadgen

pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; true' EXIT

for selector in epoll poll; do
  log=$OUT/syscalls-$selector.log
  trace=$OUT/syscalls-$selector.strace
  # The server runs under strace from its start, so every registration is seen; --seccomp-bpf
  # stops it only at the traced calls, not at every read and write. -C: the calls, then counts.
  strace -f -C --seccomp-bpf -e trace=poll,ppoll,epoll_wait,epoll_pwait,epoll_ctl -e abbrev=all -o "$trace" \
    "$JAVA" "${java_opts[@]}" -jar "$ROOT/target/jepoll.jar" --port 0 --bind 127.0.0.1 --loops 1 \
    --selector "$selector" --max-connections 20000 >"$log" 2>&1 &
  tracer=$!
  port=$(await_port "$log")
  pid=$(pgrep -P "$tracer" java || true)
  "$OUT/loadgen" idle --port "$port" --idle "$IDLE" --active "$ACTIVE" --warmup 1 \
    --duration "$SECONDS_TRACED" --server-pid "$pid" >"$OUT/syscalls-$selector.result"
  kill -TERM "$pid"
  wait "$tracer" 2>/dev/null || true
  pid=""

  echo "=== jepoll on the $selector selector under strace: $IDLE idle + $ACTIVE active connections, ${SECONDS_TRACED} s of load"
  echo "load (slowed by strace): $(awk '{for (i = 2; i <= NF; i++) if ($i ~ /^(rps|server_cpu_us_per_req)=/) printf "%s ", $i}' "$OUT/syscalls-$selector.result")"
  sed -n '/^% time/,$p' "$trace"
  if grep -qE '(^| )poll\(' "$trace"; then
    most=$(grep -oE '(^| )poll\(.*\], [0-9]+' "$trace" | grep -oE '[0-9]+$' | sort -n | tail -1)
    echo "each wait: poll(fds, nfds, timeout) passes every registered descriptor again: up to nfds=$most here"
  else
    echo "each wait: epoll_wait(epfd, events, maxevents, timeout) passes none: each was handed over once, by epoll_ctl"
  fi
  echo
done
