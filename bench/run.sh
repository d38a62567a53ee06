#!/usr/bin/env bash
# make bench: echo throughput and latency of jepoll (edge, level, poll selector) beside a tuned
# C epoll server and Netty, under the same loads in the same run. See bench/README.md.
#
# Settings come from the environment (defaults in brackets):
#   ROUNDS [3]  CONNECTIONS [50]  SIZE [64]  DURATION [5]  WARMUP [2]
#   THROUGHPUT_SIZE [16384]  PIPELINE [4]  THROUGHPUT_WARMUP [1]  CLIENT_THREADS [1]
#   SERVERS ["c-epoll jepoll-edge jepoll-level jepoll-poll netty-nio"]  (also: netty-epoll)
#   JAVA [java, or $JAVA_HOME/bin/java]  JVM_OPTS ["-Xms512m -Xmx512m"]
#   JEPOLL_OPTS [none]: more options for the three jepoll servers, e.g. "--buffer 64k"
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT=$BENCH_DIR/out

ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
SIZE=${SIZE:-64}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
THROUGHPUT_SIZE=${THROUGHPUT_SIZE:-16384}
PIPELINE=${PIPELINE:-4}
# The throughput load runs right after the request/response load on the same server, whose JIT
# is warm by then: its warmup only has to let the new connections settle.
THROUGHPUT_WARMUP=${THROUGHPUT_WARMUP:-1}
CLIENT_THREADS=${CLIENT_THREADS:-1}
SERVERS=${SERVERS:-"c-epoll jepoll-edge jepoll-level jepoll-poll netty-nio"}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
JEPOLL_OPTS=${JEPOLL_OPTS:-}
REFERENCE=c-epoll

JEPOLL_JAR=$ROOT/target/jepoll.jar
BENCH_JAR=$BENCH_DIR/target/jepoll-bench.jar
C_SERVER=$OUT/epoll_echo

read -r -a jvm_opts <<<"$JVM_OPTS"
read -r -a jepoll_opts <<<"$JEPOLL_OPTS"
read -r -a servers <<<"$SERVERS"
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

# --- build what is missing or stale ------------------------------------------------------

stale() { # stale TARGET SOURCES...: true when TARGET is missing or older than a source
  local target=$1; shift
  [ ! -e "$target" ] || [ -n "$(find "$@" -newer "$target" -print -quit)" ]
}

if [ ! -f "$JEPOLL_JAR" ]; then
  log "bench: building $JEPOLL_JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
# Servers run from a copy: a build of the root project during the run (mvn package, mvn clean)
# would otherwise change the jar under a running JVM, which then fails to load its classes.
cp "$JEPOLL_JAR" "$OUT/jepoll.jar"
JEPOLL_JAR=$OUT/jepoll.jar

if stale "$BENCH_JAR" "$BENCH_DIR/pom.xml" "$BENCH_DIR/src"; then
  log "bench: building $BENCH_JAR"
  mvn -B -q -f "$BENCH_DIR/pom.xml" package
fi
if stale "$C_SERVER" "$BENCH_DIR/c/epoll_echo.c"; then
  log "bench: building $C_SERVER"
  gcc -O2 -Wall -Wextra -o "$C_SERVER" "$BENCH_DIR/c/epoll_echo.c"
fi

# --- servers ---------------------------------------------------------------------------
# Each listens on 127.0.0.1, port 0 (the kernel picks a free one), and names its port in its
# ready line. All JVMs run with the same $JVM_OPTS.

server_command() { # sets cmd=(...) for server $1
  case $1 in
    c-epoll)      cmd=("$C_SERVER" 0) ;;
    jepoll-edge)  cmd=("$JAVA" "${jvm_opts[@]}" -jar "$JEPOLL_JAR" --port 0 --bind 127.0.0.1 --mode edge "${jepoll_opts[@]}") ;;
    jepoll-level) cmd=("$JAVA" "${jvm_opts[@]}" -jar "$JEPOLL_JAR" --port 0 --bind 127.0.0.1 --mode level "${jepoll_opts[@]}") ;;
    jepoll-poll)  cmd=("$JAVA" "${jvm_opts[@]}" -jar "$JEPOLL_JAR" --port 0 --bind 127.0.0.1 --selector poll "${jepoll_opts[@]}") ;;
    netty-nio)    cmd=("$JAVA" "${jvm_opts[@]}" -cp "$BENCH_JAR" dev.jepoll.bench.NettyEchoServer --port 0 --transport nio) ;;
    netty-epoll)  cmd=("$JAVA" "${jvm_opts[@]}" -cp "$BENCH_JAR" dev.jepoll.bench.NettyEchoServer --port 0 --transport epoll) ;;
    *) die "unknown server '$1' (known: c-epoll jepoll-edge jepoll-level jepoll-poll netty-nio netty-epoll)" ;;
  esac
}
for name in "${servers[@]}"; do server_command "$name"; done # reject typos before anything runs

server_pid=""
server_port=""
SERVER_LOG=$OUT/server.log

start_server() { # start_server NAME: sets server_pid and server_port once its ready line is out
  server_command "$1"
  : >"$SERVER_LOG" # emptied here, not only by the redirection below, which the background job may do late
  "${cmd[@]}" >"$SERVER_LOG" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 20))
  while [ $SECONDS -lt $deadline ]; do
    server_port=$(grep -m1 -oE '(127\.0\.0\.1|0\.0\.0\.0):[0-9]+' "$SERVER_LOG" | cut -d: -f2 || true)
    [ -n "$server_port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "$1 exited before its ready line"; }
    sleep 0.05
  done
  die "$1 printed no ready line in 20 s"
}

stop_server() { # SIGTERM, then wait up to 15 s; sets server_status
  kill -TERM "$server_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$server_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  if kill -0 "$server_pid" 2>/dev/null; then
    log "bench: server $server_pid ignored SIGTERM for 15 s: killing it"
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_status=0
  wait "$server_pid" 2>/dev/null || server_status=$?
  server_pid=""
}

cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

load_failed() {
  log "bench: the load generator failed against $1; its log, $SERVER_LOG, ends:"
  tail -5 "$SERVER_LOG" >&2
  die "stopped; results so far are in $RESULTS"
}

load() { # load SIZE PIPELINE WARMUP: prints the load generator's result line
  "$JAVA" "${jvm_opts[@]}" -cp "$BENCH_JAR" dev.jepoll.bench.LoadGenerator \
    --port "$server_port" --server-pid "$server_pid" --connections "$CONNECTIONS" \
    --size "$1" --pipeline "$2" --warmup "$3" --duration "$DURATION" --threads "$CLIENT_THREADS"
}

# --- header ----------------------------------------------------------------------------

busy_percent() { # share of all CPUs busy over one second, from /proc/stat
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 1
  read -r -a b < <(head -1 /proc/stat)
  local total=0 idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

stamp=$(date +%Y%m%d-%H%M%S)
RESULTS=$OUT/results-$stamp.txt
java_version=$("$JAVA" -version 2>&1 | head -1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
[ -n "$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null)" ] && commit="$commit (src/ or pom.xml modified)"
busy=$(busy_percent)

{
  echo "# jepoll echo benchmark, $(date -Iseconds)"
  echo "# host: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), kernel $(uname -r)"
  echo "# $(nproc) cores shared: client and server run on the same cores, over loopback; no pinning"
  echo "# machine busy before the run: ${busy}% of all cores$([ "$busy" -gt 10 ] && echo '  <-- WARNING: something else is running; numbers will be noisy')"
  echo "# java: $java_version ($JAVA), JVM options for every JVM: $JVM_OPTS"
  echo "# gcc: $(gcc --version | head -1), epoll_echo built with -O2"
  echo "# jepoll: target/jepoll.jar (sha256 $(sha256sum "$JEPOLL_JAR" | cut -c1-12)), commit $commit, extra options: ${JEPOLL_OPTS:-none}"
  echo "# loads: request/response $CONNECTIONS conns x $SIZE B, 1 in flight, warmup ${WARMUP}s + ${DURATION}s;" \
       "throughput $CONNECTIONS conns x $THROUGHPUT_SIZE B, $PIPELINE in flight, warmup ${THROUGHPUT_WARMUP}s + ${DURATION}s;" \
       "client threads $CLIENT_THREADS"
  echo "# servers: ${servers[*]}; rounds: $ROUNDS (server order rotates each round)"
} | tee "$RESULTS" >&2

# --- rounds ----------------------------------------------------------------------------

rr_title="request/response: $CONNECTIONS connections x $SIZE B, 1 in flight each"
tp_title="throughput: $CONNECTIONS connections x $THROUGHPUT_SIZE B, $PIPELINE in flight each"
count=${#servers[@]}
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < count; i++)); do
    # Rotate the order so that no server always runs first (cold machine) or last.
    name=${servers[(i + round - 1) % count]}
    start_server "$name"
    log "bench: round $round/$ROUNDS: $name (pid $server_pid, port $server_port)"
    rr=$(load "$SIZE" 1 "$WARMUP") || load_failed "$name"
    tp=$(load "$THROUGHPUT_SIZE" "$PIPELINE" "$THROUGHPUT_WARMUP") || load_failed "$name"
    stop_server
    {
      echo "round=$round server=$name load=request-response title=\"$rr_title\" ${rr#result }"
      echo "round=$round server=$name load=throughput title=\"$tp_title\" ${tp#result }"
      echo "# round=$round server=$name exit=$server_status $(grep -m1 '^summary:' "$SERVER_LOG" || echo 'no summary line')"
    } | tee -a "$RESULTS" >&2
    [ "$server_status" = 0 ] || log "bench: WARNING: $name exited with status $server_status after SIGTERM"
  done
done

echo "#" >>"$RESULTS"
"$JAVA" "${jvm_opts[@]}" -cp "$BENCH_JAR" dev.jepoll.bench.Report "$RESULTS" "$REFERENCE" | tee -a "$RESULTS"
echo
echo "raw results and this table: $RESULTS"
