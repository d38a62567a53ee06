#!/usr/bin/env bash
# Where an echo server's CPU goes: user space (the server's own code, the JVM) against the kernel
# (the system calls and loopback TCP), per request, for the C server and jepoll's backends. The
# README's benchmark section uses it to say why the native backend is not faster than the JDK's
# selector: the calls it saves are a small part of a request's cost.
# Per server and round: one warm-up load, then DURATION seconds of 64-byte request/response over
# CONNECTIONS connections, utime and stime read from /proc/PID/stat before and after.
# Settings: ROUNDS [3] DURATION [10] CONNECTIONS [50] NATIVE_JAVA [a JDK 22+ under /usr/lib/jvm]
set -euo pipefail

. "$(dirname "$0")/tools.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
NATIVE_JAVA=${NATIVE_JAVA:-$(for d in /usr/lib/jvm/*; do
  v=$("$d/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 22 ] && { echo "$d/bin/java"; break; }; done)}
JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m -XX:MaxDirectMemorySize=64m -Xss256k -XX:ReservedCodeCacheSize=32m"}
read -r -a java_opts <<<"$JEPOLL_JAVA_OPTS"
build_tools epoll_echo loadgen
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; true' EXIT

servers=(c-epoll jepoll-jdk17)
[ -n "$NATIVE_JAVA" ] && servers+=(jepoll-jdk25 jepoll-native)

command_of() { # sets cmd=(...) for server $1
  local jar=("${java_opts[@]}" -jar "$ROOT/target/jepoll.jar" --port 0 --bind 127.0.0.1 --loops 1)
  case $1 in
    c-epoll)      cmd=("$OUT/epoll_echo" 0) ;;
    jepoll-jdk17) cmd=("$JAVA" "${jar[@]}") ;;
    jepoll-jdk25) cmd=("$NATIVE_JAVA" "${jar[@]}") ;;
    jepoll-native) cmd=("$NATIVE_JAVA" "${jar[@]}" --selector native) ;;
  esac
}

ticks=$(getconf CLK_TCK)
printf '%-14s %5s %10s %14s %14s %14s\n' server round "req/s" "user us/req" "kernel us/req" "total us/req"
for ((round = 1; round <= ROUNDS; round++)); do
  for server in "${servers[@]}"; do
    command_of "$server"
    log=$OUT/cpu-split.log
    "${server_pin[@]}" "${cmd[@]}" >"$log" 2>&1 &
    pid=$!
    port=$(await_port "$log")
    "${generator_pin[@]}" "$OUT/loadgen" echo --port "$port" --connections "$CONNECTIONS" --size 64 --warmup 1 --duration 3 >/dev/null
    read -r user0 kernel0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    line=$("${generator_pin[@]}" "$OUT/loadgen" echo --port "$port" --connections "$CONNECTIONS" --size 64 --warmup 0 --duration "$DURATION")
    read -r user1 kernel1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    pid=""
    requests=$(echo "$line" | tr ' ' '\n' | sed -n 's/^requests=//p')
    awk -v s="$server" -v r="$round" -v n="$requests" -v d="$DURATION" -v t="$ticks" \
        -v u=$((user1 - user0)) -v k=$((kernel1 - kernel0)) 'BEGIN {
      us = 1e6 / t / n
      printf "%-14s %5d %10.0f %14.2f %14.2f %14.2f\n", s, r, n / d, u * us, k * us, (u + k) * us }'
  done
done
