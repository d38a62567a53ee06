#!/usr/bin/env bash
# make bench: jepoll beside our C epoll servers and Netty, same loads, same run, medians of
# interleaved rounds, ratios measured in the same run. See bench/README.md.
#
# Sections (SECTIONS, default all five, in this order):
#   echo      request/response and throughput rows, and 1000 connections under load
#   chat      every client sends N lines and must receive every line of every client
#   idle      the chapter's thesis: K active connections while N idle ones are open, epoll vs poll
#   capacity  one server holding 19,000 connections, echoing on each of them
#   loops     jepoll on 1 loop and on 2, neither pinned, to see what a second loop gives here
#
# With PIN=1 (the default on 2 or more cores) the load generator runs on CPU 0 and every server
# on the others (taskset): each server gets the same cores whatever its threads, the generator
# is never preempted by the server it measures, and jepoll's default --loops (the processors
# it may use) counts those cores.
# Settings come from the environment; the defaults are in the "settings" block below.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT=$BENCH_DIR/out

# --- settings ----------------------------------------------------------------------------
SECTIONS=${SECTIONS:-"echo chat idle capacity loops"}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2}
DURATION=${DURATION:-5}
ECHO_SERVERS=${ECHO_SERVERS:-"c-epoll jepoll jepoll-level netty-nio jepoll-jdk25 jepoll-native jepoll-native-level"}
# rows: name:connections:size:pipeline
ECHO_ROWS=${ECHO_ROWS:-"request-response:50:64:1 throughput:50:16384:4 request-response:1000:64:1"}
CHAT_SERVERS=${CHAT_SERVERS:-"c-chat jepoll-chat jepoll-chat-2-loops netty-chat jepoll-chat-jdk25 jepoll-chat-native"}
CHAT_LOADS=${CHAT_LOADS:-"50x2000 200x500 1000x20"}
CHAT_LINE=${CHAT_LINE:-32}
# Two loads, both real: "flood" lets every sender run as far ahead of its own lines as the server
# lets it (as a bulk relay would); "windowed" keeps at most 64 of a sender's own lines unheard (as
# interactive clients effectively do). Each row says which load it comes from.
CHAT_WINDOWS=${CHAT_WINDOWS:-"flood:65536 windowed-64:64"}
CHAT_REPEATS=${CHAT_REPEATS:-5}
IDLE_SELECTORS=${IDLE_SELECTORS:-"epoll poll"}
IDLE_COUNTS=${IDLE_COUNTS:-"0 1000 5000 10000 15000"}
IDLE_ACTIVE=${IDLE_ACTIVE:-10}
CAPACITY=${CAPACITY:-19000}
CAPACITY_SERVERS=${CAPACITY_SERVERS:-"jepoll c-epoll"}
LOOPS_SERVERS=${LOOPS_SERVERS:-"jepoll-1-loop jepoll-2-loops"}
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
JCMD=${JCMD:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd}
# The native backend and the "-jdk25" servers run on a JDK 22 or later (the Makefile passes the one
# that built the jar); the NIO servers beside them on the same JDK make the comparison fair.
NATIVE_JAVA=${NATIVE_JAVA:-$(for d in /usr/lib/jvm/*; do v=$("$d/bin/java" -version 2>&1 | head -1 | sed -n 's/.*version "\([0-9]*\).*/\1/p'); [ -n "$v" ] && [ "$v" -ge 22 ] && { echo "$d/bin/java"; break; }; done)}
HEAP_IDLE=${HEAP_IDLE:-10000}
# jepoll runs with the flags `make run-server` uses (the Makefile passes its JAVA_OPTS here).
JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=64m -Xss256k -XX:ReservedCodeCacheSize=32m"}
NETTY_JAVA_OPTS=${NETTY_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx1g -XX:MaxDirectMemorySize=1g"}
JEPOLL_OPTS=${JEPOLL_OPTS:-}
PUBLISH_TO=${PUBLISH_TO:-} # a directory to copy the charts and tables into (the README's docs/bench)

JEPOLL_JAR=$ROOT/target/jepoll.jar
BENCH_JAR=$BENCH_DIR/target/jepoll-bench.jar
LOADGEN=$OUT/loadgen

read -r -a jepoll_java_opts <<<"$JEPOLL_JAVA_OPTS"
read -r -a netty_java_opts <<<"$NETTY_JAVA_OPTS"
read -r -a jepoll_opts <<<"$JEPOLL_OPTS"
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

# --- build what is missing or stale ----------------------------------------------------------

stale() { # stale TARGET SOURCES...: true when TARGET is missing or older than a source
  local target=$1; shift
  [ ! -e "$target" ] || [ -n "$(find "$@" -newer "$target" -print -quit)" ]
}

if [ ! -f "$JEPOLL_JAR" ]; then
  log "bench: building $JEPOLL_JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
# Servers run from a copy: a build of the root project during the run would otherwise change
# the jar under a running JVM, which then fails to load its classes.
cp "$JEPOLL_JAR" "$OUT/jepoll.jar"
JEPOLL_JAR=$OUT/jepoll.jar
if stale "$BENCH_JAR" "$BENCH_DIR/pom.xml" "$BENCH_DIR/src"; then
  log "bench: building $BENCH_JAR"
  mvn -B -q -f "$BENCH_DIR/pom.xml" package
fi
for program in epoll_echo epoll_chat loadgen; do
  if stale "$OUT/$program" "$BENCH_DIR/c/$program.c"; then
    log "bench: building $OUT/$program"
    gcc -O2 -Wall -Wextra -Werror -o "$OUT/$program" "$BENCH_DIR/c/$program.c"
  fi
done

# --- servers -----------------------------------------------------------------------------
# Each listens on 127.0.0.1, port 0 (the kernel picks a free one), and names it in its ready line.

server_command() { # sets cmd=(...) for server $1
  local jepoll=("$JAVA" "${jepoll_java_opts[@]}" -jar "$JEPOLL_JAR" --port 0 --bind 127.0.0.1)
  local jepoll_new=("${NATIVE_JAVA:-none}" "${jepoll_java_opts[@]}" -jar "$JEPOLL_JAR" --port 0 --bind 127.0.0.1)
  local netty=("$JAVA" "${netty_java_opts[@]}" -cp "$BENCH_JAR")
  case $1 in
    c-epoll)             cmd=("$OUT/epoll_echo" 0) ;;
    c-chat)              cmd=("$OUT/epoll_chat" 0) ;;
    jepoll)              cmd=("${jepoll[@]}" "${jepoll_opts[@]}") ;;
    jepoll-level)        cmd=("${jepoll[@]}" --mode level "${jepoll_opts[@]}") ;;
    jepoll-1-loop)       cmd=("${jepoll[@]}" --loops 1 "${jepoll_opts[@]}") ;;
    jepoll-2-loops)      cmd=("${jepoll[@]}" --loops 2 "${jepoll_opts[@]}") ;;
    jepoll-chat)         cmd=("${jepoll[@]}" --app chat --loops 1 "${jepoll_opts[@]}") ;;
    jepoll-jdk25)        cmd=("${jepoll_new[@]}" "${jepoll_opts[@]}") ;;
    jepoll-native)       cmd=("${jepoll_new[@]}" --selector native --mode edge "${jepoll_opts[@]}") ;;
    jepoll-native-level) cmd=("${jepoll_new[@]}" --selector native --mode level "${jepoll_opts[@]}") ;;
    jepoll-chat-jdk25)   cmd=("${jepoll_new[@]}" --app chat --loops 1 "${jepoll_opts[@]}") ;;
    jepoll-chat-native)  cmd=("${jepoll_new[@]}" --app chat --loops 1 --selector native "${jepoll_opts[@]}") ;;
    jepoll-chat-2-loops) cmd=("${jepoll[@]}" --app chat --loops 2 "${jepoll_opts[@]}") ;;
    jepoll-epoll-idle)   cmd=("${jepoll[@]}" --loops 1 --selector epoll --max-connections 20000 "${jepoll_opts[@]}") ;;
    jepoll-poll-idle)    cmd=("${jepoll[@]}" --loops 1 --selector poll --max-connections 20000 "${jepoll_opts[@]}") ;;
    jepoll-capacity)     cmd=("${jepoll[@]}" --max-connections 19500 "${jepoll_opts[@]}") ;;
    netty-nio)           cmd=("${netty[@]}" dev.jepoll.bench.NettyEchoServer --port 0 --transport nio) ;;
    netty-epoll)         cmd=("${netty[@]}" dev.jepoll.bench.NettyEchoServer --port 0 --transport epoll) ;;
    netty-chat)          cmd=("${netty[@]}" dev.jepoll.bench.NettyChatServer --port 0 --transport nio) ;;
    *) die "unknown server '$1'" ;;
  esac
}
for name in $ECHO_SERVERS $CHAT_SERVERS; do server_command "$name"; done # typos fail before anything runs

server_pid=""
server_port=""
SERVER_LOG=$OUT/server.log

SERVER_CPUS=$([ "$PIN" = 1 ] && echo "1-$(($(nproc) - 1))" || echo "")
GENERATOR_CPUS=$([ "$PIN" = 1 ] && echo 0 || echo "")
pinned=() # the taskset prefix for the servers started next, or nothing
on_generator=() # and for the load generator

start_server() { # start_server NAME: sets server_pid and server_port once its ready line is out
  server_command "$1"
  : >"$SERVER_LOG"
  "${pinned[@]}" "${cmd[@]}" >"$SERVER_LOG" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    server_port=$(grep -m1 -oE '127\.0\.0\.1:[0-9]+' "$SERVER_LOG" | cut -d: -f2 || true)
    [ -n "$server_port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "$1 exited before its ready line"; }
    sleep 0.05
  done
  die "$1 printed no ready line in 30 s"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0; }

stop_server() { # SIGTERM, then wait up to 20 s
  kill -TERM "$server_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$server_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  if kill -0 "$server_pid" 2>/dev/null; then
    log "bench: server $server_pid ignored SIGTERM for 20 s: killing it"
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || log "bench: WARNING: the server exited with status $?"
  echo "# $(grep -m1 '^summary:' "$SERVER_LOG" || echo 'no summary line')" >>"$RAW"
  server_pid=""
}

cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

loadgen() { # loadgen MODE ARGS...: the generator's result line (also kept in the raw log)
  local line
  if ! line=$("${on_generator[@]}" "$LOADGEN" "$@" --port "$server_port" --server-pid "$server_pid" 2>>"$RAW"); then
    echo "# loadgen $* failed: $line" >>"$RAW"
    log "bench: loadgen $1 failed against the server; its log ends:"
    tail -5 "$SERVER_LOG" >&2
    die "stopped; results so far are in $RUN"
  fi
  echo "$line" >>"$RAW"
  printf '%s\n' "$line"
}

try_loadgen() { # like loadgen, but a failure is reported and returned, not fatal: a peer that fails a row
  local line
  if ! line=$("${on_generator[@]}" "$LOADGEN" "$@" --port "$server_port" --server-pid "$server_pid" 2>>"$RAW"); then
    echo "# FAILED: loadgen $* against the server: $line" >>"$RAW"
    log "bench: loadgen $1 failed against the server (recorded as a failed row): $(tail -1 "$SERVER_LOG")"
    return 1
  fi
  echo "$line" >>"$RAW"
  printf '%s\n' "$line"
}

field() { # field KEY LINE: the value of KEY=... in a result line
  local word
  for word in $2; do
    case $word in "$1="*) printf '%s' "${word#*=}"; return ;; esac
  done
  printf ''
}

rotate() { # rotate ROUND WORDS...: the words, starting at a different one each round
  local round=$1; shift
  local words=("$@") n=$# i
  for ((i = 0; i < n; i++)); do printf '%s ' "${words[(i + round - 1) % n]}"; done
}

# --- the run ---------------------------------------------------------------------------

stamp=$(date +%Y%m%d-%H%M%S)
RUN=$OUT/run-$stamp
mkdir -p "$RUN"
RAW=$RUN/raw.txt
busy_before=$(awk '{print $1}' /proc/loadavg)
{
  echo "# jepoll benchmark, $(date -Iseconds)"
  echo "# host: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), kernel $(uname -r), load average before: $busy_before"
  echo "# client: bench/c/loadgen.c, one thread, epoll, over loopback to 127.0.0.1"
  echo "# java: $("$JAVA" -version 2>&1 | head -1); for native and *-jdk25: ${NATIVE_JAVA:-none} ($([ -n "$NATIVE_JAVA" ] && "$NATIVE_JAVA" -version 2>&1 | head -1)); jepoll JVM options: $JEPOLL_JAVA_OPTS; jepoll options: ${JEPOLL_OPTS:-none}"
  echo "# netty JVM options: $NETTY_JAVA_OPTS; gcc: $(gcc --version | head -1), -O2"
  echo "# jepoll commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$([ -n "$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null)" ] && echo ' (src/ or pom.xml modified)')"
  echo "# sections: $SECTIONS; rounds: $ROUNDS (server order rotates each round); pinned: $([ "$PIN" = 1 ] && echo "generator on CPU $GENERATOR_CPUS, servers on CPUs $SERVER_CPUS (the loops section unpinned)" || echo no)"
} | tee "$RAW" >&2

echo "round,server,load,connections,rps,mbps,p50_us,p99_us,p999_us,server_cpu_us_per_req,server_rss_kb" >"$RUN/echo.csv"
echo "round,server,clients,lines,deliveries_per_s,server_cpu_us_per_delivery,server_rss_kb,load" >"$RUN/chat.csv"
echo "round,selector,idle,active,rps,server_cpu_us_per_req,p99_us,server_rss_kb" >"$RUN/idle.csv"
echo "round,server,phase,rss_kb" >"$RUN/memory.csv"
echo "server,connections,connected,echoed,rounds,seconds,server_rss_kb,server_fds" >"$RUN/capacity.csv"
echo "server,idle_connections,live_heap_before,live_heap_after,heap_bytes_per_connection" >"$RUN/heap.csv"
mkdir -p "$RUN/loops"
head -1 "$RUN/echo.csv" >"$RUN/loops/echo.csv"

echo_label() { # echo_label LOAD SIZE CONNECTIONS: "throughput 16 KiB x 50"
  if [ "$2" -ge 1024 ]; then echo "$1 $(($2 / 1024)) KiB x $3"; else echo "$1 $2 B x $3"; fi
}

echo_section() {
  local round name row load conns size pipeline line
  for ((round = 1; round <= ROUNDS; round++)); do
    for name in $(rotate "$round" $ECHO_SERVERS); do
      start_server "$name"
      log "bench: echo round $round/$ROUNDS: $name (pid $server_pid, port $server_port)"
      for row in $ECHO_ROWS; do
        IFS=: read -r load conns size pipeline <<<"$row"
        line=$(loadgen echo --connections "$conns" --size "$size" --pipeline "$pipeline" \
          --warmup "$WARMUP" --duration "$DURATION")
        echo "$round,$name,$(echo_label "$load" "$size" "$conns"),$conns,$(field rps "$line"),$(field mbps "$line"),$(field p50_us "$line"),$(field p99_us "$line"),$(field p999_us "$line"),$(field server_cpu_us_per_req "$line"),$(field server_rss_kb "$line")" >>"$RUN/echo.csv"
        [ "$conns" -ge 1000 ] && echo "$round,$name,echo: $conns connections under load,$(field server_rss_kb "$line")" >>"$RUN/memory.csv"
      done
      echo "$round,$name,after the echo benchmark,$(rss_kb)" >>"$RUN/memory.csv"
      stop_server
    done
  done
}

median_chat_run() { # median_chat_run CLIENTS LINES WINDOW: the result line of the median of CHAT_REPEATS runs
  local i line runs=()
  for ((i = 0; i < CHAT_REPEATS; i++)); do
    line=$(try_loadgen chat --clients "$1" --lines "$2" --size "$CHAT_LINE" --window "$3" --timeout 120) || return 1
    runs+=("$(field deliveries_per_s "$line") $line")
  done
  printf '%s\n' "${runs[@]}" | sort -n -k1,1 | sed -n "$(((CHAT_REPEATS + 1) / 2))p" | cut -d' ' -f2-
}

chat_section() {
  local round name load clients lines line failed spec label window
  for ((round = 1; round <= ROUNDS; round++)); do
    for name in $(rotate "$round" $CHAT_SERVERS); do
      start_server "$name"
      log "bench: chat round $round/$ROUNDS: $name (pid $server_pid, port $server_port)"
      failed=""
      for spec in $CHAT_WINDOWS; do
      label=${spec%%:*}; window=${spec#*:}
      for load in $CHAT_LOADS; do
        clients=${load%x*}; lines=${load#*x}
        # Each row right after a warm-up run of its own (the JIT at work is not what is measured),
        # then CHAT_REPEATS measured runs, of which the median run is the row's (one run of 5
        # million deliveries takes a quarter of a second: one alone is mostly noise). A row that
        # fails is recorded without figures, and the server's later rows still run while it is alive.
        if kill -0 "$server_pid" 2>/dev/null \
            && try_loadgen chat --clients "$clients" --lines "$lines" --size "$CHAT_LINE" --window "$window" --timeout 120 >/dev/null \
            && line=$(median_chat_run "$clients" "$lines" "$window"); then
          echo "$round,$name,$clients,$lines,$(field deliveries_per_s "$line"),$(field server_cpu_us_per_delivery "$line"),$(field server_rss_kb "$line"),$label" >>"$RUN/chat.csv"
        else
          failed="$failed $load/$label"
          echo "$round,$name,$clients,$lines,,,,$label" >>"$RUN/chat.csv"
        fi
      done
      done
      echo "$round,$name,after the chat benchmark,$(rss_kb)" >>"$RUN/memory.csv"
      [ -n "$failed" ] && echo "# $name failed at$failed (clients x lines) in round $round" >>"$RUN/failures.txt"
      stop_server
    done
  done
}

idle_section() {
  local round selector idle line
  for ((round = 1; round <= ROUNDS; round++)); do
    for selector in $(rotate "$round" $IDLE_SELECTORS); do
      start_server "jepoll-$selector-idle"
      log "bench: idle round $round/$ROUNDS: $selector (pid $server_pid, port $server_port)"
      for idle in $IDLE_COUNTS; do
        line=$(loadgen idle --idle "$idle" --active "$IDLE_ACTIVE" --size 64 --warmup "$WARMUP" --duration "$DURATION")
        echo "$round,$selector,$idle,$IDLE_ACTIVE,$(field rps "$line"),$(field server_cpu_us_per_req "$line"),$(field p99_us "$line"),$(field server_rss_kb "$line")" >>"$RUN/idle.csv"
      done
      stop_server
    done
  done
}

live_heap_bytes() { # the server's live heap: a full GC, then the class histogram's total
  "$JCMD" "$server_pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'
}

heap_per_connection() { # jepoll's live heap per idle connection, from two class histograms
  local idle=$HEAP_IDLE before after fds deadline
  start_server jepoll-capacity
  log "bench: heap per idle connection: $idle idle connections (pid $server_pid, port $server_port)"
  loadgen idle --idle 0 --active 10 --warmup 0.5 --duration 1 >/dev/null # the I/O paths loaded and warm
  before=$(live_heap_bytes)
  loadgen idle --idle "$idle" --active 1 --warmup 1 --duration 6 >/dev/null &
  local load=$!
  deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do # wait until the server holds them all
    fds=$(ls "/proc/$server_pid/fd" 2>/dev/null | wc -l)
    [ "$fds" -gt "$idle" ] && break
    sleep 0.2
  done
  sleep 1
  after=$(live_heap_bytes)
  wait "$load" || die "the idle load for the heap measurement failed"
  echo "jepoll,$idle,$before,$after,$(( (after - before) / idle ))" >>"$RUN/heap.csv"
  stop_server
}

capacity_section() {
  heap_per_connection
  local name line server
  for name in $CAPACITY_SERVERS; do
    server=$name
    [ "$name" = jepoll ] && server=jepoll-capacity
    start_server "$server"
    log "bench: capacity: $name holds $CAPACITY connections (pid $server_pid, port $server_port)"
    line=$(loadgen capacity --connections "$CAPACITY" --size 16 --rounds 3 --timeout 180)
    echo "$name,$CAPACITY,$(field connected "$line"),$(field echoed "$line"),$(field rounds "$line"),$(field seconds "$line"),$(field server_rss_kb "$line"),$(field server_fds "$line")" >>"$RUN/capacity.csv"
    echo "1,$name,$CAPACITY connections held,$(field server_rss_kb "$line")" >>"$RUN/memory.csv"
    stop_server
  done
}

loops_section() { # the echo rows on 1 and 2 loops, unpinned: what a second loop gives on this machine
  local round name row load conns size pipeline line saved=("${pinned[@]}") saved_generator=("${on_generator[@]}")
  pinned=()
  on_generator=()
  for ((round = 1; round <= ROUNDS; round++)); do
    for name in $(rotate "$round" $LOOPS_SERVERS); do
      start_server "$name"
      log "bench: loops round $round/$ROUNDS: $name, unpinned (pid $server_pid, port $server_port)"
      for row in $ECHO_ROWS; do
        IFS=: read -r load conns size pipeline <<<"$row"
        line=$(loadgen echo --connections "$conns" --size "$size" --pipeline "$pipeline" \
          --warmup "$WARMUP" --duration "$DURATION")
        echo "$round,$name,$(echo_label "$load" "$size" "$conns"),$conns,$(field rps "$line"),$(field mbps "$line"),$(field p50_us "$line"),$(field p99_us "$line"),$(field p999_us "$line"),$(field server_cpu_us_per_req "$line"),$(field server_rss_kb "$line")" >>"$RUN/loops/echo.csv"
      done
      stop_server
    done
  done
  pinned=("${saved[@]}")
  on_generator=("${saved_generator[@]}")
}

[ "$PIN" = 1 ] && pinned=(taskset -c "$SERVER_CPUS") && on_generator=(taskset -c "$GENERATOR_CPUS")
for section in $SECTIONS; do
  case $section in
    echo|chat|idle|capacity|loops) "${section}_section" ;;
    *) die "unknown section '$section' (known: echo chat idle capacity loops)" ;;
  esac
done

# --- tables and charts -----------------------------------------------------------------------
{
  cat "$RUN/raw.txt" | grep '^# ' | head -7
  echo
  "$JAVA" -cp "$BENCH_JAR" dev.jepoll.bench.Tables "$RUN"
  if [ -s "$RUN/failures.txt" ]; then
    echo "Failed rows (shown as -):"
    sed 's/^# /- /' "$RUN/failures.txt"
    echo
  fi
  if [ "$(wc -l <"$RUN/loops/echo.csv")" -gt 1 ]; then
    echo "### Loops, unpinned (client and server free on all $(nproc) cores)"
    echo
    "$JAVA" -cp "$BENCH_JAR" dev.jepoll.bench.Tables "$RUN/loops" jepoll-1-loop | sed '1,2d'
  fi
  if [ "$(wc -l <"$RUN/capacity.csv")" -gt 1 ]; then
    echo "### Capacity: connections held at once, each echoing ($CAPACITY asked for)"
    echo
    echo "| server | connected | echoed | rounds | seconds | RSS MiB | descriptors |"
    echo "|---|---|---|---|---|---|---|"
    tail -n +2 "$RUN/capacity.csv" | awk -F, '{printf "| %s | %s | %s | %s | %s | %.1f | %s |\n", $1, $3, $4, $5, $6, $7/1024, $8}'
    echo
  fi
  if [ "$(wc -l <"$RUN/heap.csv")" -gt 1 ]; then
    echo "### Heap per idle connection (live heap from jcmd GC.class_histogram, before and with the connections)"
    echo
    echo "| server | idle connections | live heap before | live heap with them | bytes per connection |"
    echo "|---|---|---|---|---|"
    tail -n +2 "$RUN/heap.csv" | awk -F, '{printf "| %s | %s | %.1f MiB | %.1f MiB | %s |\n", $1, $2, $3/1048576, $4/1048576, $5}'
  fi
} | tee "$RUN/tables.md"
"$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" dev.jepoll.bench.Charts "$RUN" "$RUN/charts" >&2
if [ -n "$PUBLISH_TO" ]; then
  mkdir -p "$PUBLISH_TO"
  cp "$RUN"/charts/*.png "$RUN/tables.md" "$RUN"/*.csv "$PUBLISH_TO"/
  log "bench: charts, tables and CSV files copied to $PUBLISH_TO"
fi
echo
echo "results, tables and charts: $RUN"
