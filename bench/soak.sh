#!/usr/bin/env bash
# make soak: one jepoll server at a time under a long, mixed, hostile load, with flat memory.
#
# For each app in SOAK_APPS (default "echo chat"): start the server (127.0.0.1, port 0,
# --stats 1), note its descriptors before any load, run the generator (dev.jepoll.bench.Soak:
# good clients whose every byte or line is checked, beside resets, churn, half-closes, clients
# that never read, ...) for DURATION seconds, wait until the server is back to its baseline
# descriptors, stop it with SIGTERM, then turn its stats lines into a CSV, draw a PNG and judge:
#   - RSS must not grow more than 10 % over the second half of the load (SoakVerdict, SoakSeries:
#     the median of the last 30 s against the median of the 30 s from half time); runs whose
#     load is shorter than RSS_MIN_LOAD seconds are not judged on it (said as SKIP);
#   - descriptors back to the baseline (+FD_SLACK) and no connection left once the load stops;
#   - every check of the generator held (echo bytes, chat lines, never-reading clients cut);
#   - the server exits 0 on SIGTERM.
# Exit 1 if any app fails a rule (one FAIL line per rule), 0 otherwise.
# Writes bench/out/soak-<stamp>/: <app>.csv, <app>.png, <app>-server.out (banner, stats,
# summary), <app>-server.err (its log), <app>-generator.txt (the report), summary.txt.
#
#   DURATION=30 bench/soak.sh                  the CI form: about a minute per app
#   SOAK_APPS=chat DURATION=120 bench/soak.sh
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT=$BENCH_DIR/out

DURATION=${DURATION:-600}
SOAK_APPS=${SOAK_APPS:-"echo chat"}
SEED=${SEED:-1}
# How long the server gets, after the generator exits, to be back at its baseline descriptors.
# The generator closes its own sockets before it exits; what remains is the server's lingering
# closes (2 s at most) and a stats line to report it: 15 s is ample, the idle timeout is not needed.
DRAIN_WAIT=${DRAIN_WAIT:-15}
# Descriptors the server may hold above its baseline after the load: 2. The JVM may open one or
# two lazily on a path the load takes first (a JDK class read from a module image or jar not
# yet opened, a /proc or /sys file a management bean keeps open). A leak grows with the
# connections: the churn alone opens about 20 a second, thousands in a run, so 2 cannot hide one.
FD_SLACK=${FD_SLACK:-2}
# The RSS rule needs a load long enough for a trend: under 120 s, the second half is mostly the
# JVM still compiling and sizing its heap, and a 10 % rule would fail on noise (the CI form).
RSS_MIN_LOAD=${RSS_MIN_LOAD:-120}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
# The server runs with the flags `make run-server` uses (the Makefile passes its JAVA_OPTS here).
JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=64m -Xss256k -XX:ReservedCodeCacheSize=32m"}
GENERATOR_JAVA_OPTS=${GENERATOR_JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx256m"}
SERVER_ARGS=(--port 0 --bind 127.0.0.1 --stats 1 --loops 2 --write-timeout 5 --idle-timeout 20)

JEPOLL_JAR=$ROOT/target/jepoll.jar
BENCH_JAR=$BENCH_DIR/target/jepoll-bench.jar
read -r -a jepoll_java_opts <<<"$JEPOLL_JAVA_OPTS"
read -r -a generator_java_opts <<<"$GENERATOR_JAVA_OPTS"

log() { printf '%s\n' "$*" >&2; }
die() { log "soak: $*"; exit 1; }

case $DURATION in '' | *[!0-9]* | 0) die "DURATION must be a whole number of seconds above 0, got '$DURATION'" ;; esac
for app in $SOAK_APPS; do
  case $app in echo | chat) ;; *) die "unknown app '$app' in SOAK_APPS (known: echo chat)" ;; esac
done

stale() { # stale TARGET SOURCES...: true when TARGET is missing or older than a source
  local target=$1; shift
  [ ! -e "$target" ] || [ -n "$(find "$@" -newer "$target" -print -quit)" ]
}
if [ ! -f "$JEPOLL_JAR" ]; then
  log "soak: building $JEPOLL_JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
if stale "$BENCH_JAR" "$BENCH_DIR/pom.xml" "$BENCH_DIR/src"; then
  log "soak: building $BENCH_JAR"
  mvn -B -q -f "$BENCH_DIR/pom.xml" package
fi

RUN=$OUT/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
# The server runs from a copy: a build of the root project during a 10-minute run would
# otherwise change the jar under the running JVM.
cp "$JEPOLL_JAR" "$RUN/jepoll.jar"

server_pid=""
generator_pid=""
cleanup() { # whatever happens (Ctrl+C, a kill, a die), no generator or server is left behind
  if [ -n "$generator_pid" ]; then
    kill -TERM "$generator_pid" 2>/dev/null || true # timeout passes it on to the generator
  fi
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    sleep 1
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stats_lines() { grep -c '^stats: ' "$1" || true; }
last_stat() { # last_stat FILE KEY: KEY's value in the last stats line
  grep '^stats: ' "$1" | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

wait_for() { # wait_for SECONDS COMMAND...: polls every 0.2 s; false if it never held
  local until=$((SECONDS + $1)); shift
  while ! "$@"; do
    [ $SECONDS -lt $until ] || return 1
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.2
  done
}
has_stats() { [ "$(stats_lines "$server_out")" -ge "$1" ]; }
drained() { # a stats line after the load, showing the baseline descriptors and no connection
  [ "$(stats_lines "$server_out")" -gt "$n_end" ] &&
    [ "$(last_stat "$server_out" fds)" -le $((baseline_fds + FD_SLACK)) ] 2>/dev/null &&
    [ "$(last_stat "$server_out" connections)" -eq 0 ] 2>/dev/null
}

to_csv() { # to_csv OUT_FILE LOAD_START_LINE LOAD_END_LINE STOP_LINE LOAD_START_UPTIME
  awk -v n0="$2" -v n1="$3" -v n2="$4" -v u0="$5" '
    BEGIN {
      split("peer closed,peer reset,io error,slow consumer,line too long,write timeout,idle timeout,memory budget,protocol error,shutdown", reasons, ",")
      header = "t_s,uptime_s,phase,rss_kb,heap_used_kb,heap_after_gc_kb,fds,connections,held_bytes,accepts_per_s,bytes_in_per_s,bytes_out_per_s"
      for (r = 1; r <= 10; r++) { name = reasons[r]; gsub(/ /, "_", name); header = header ",closes_" name }
      print header
    }
    /^stats: / {
      if (++i > n2) exit
      kv = $0; sub(/ closes\[.*/, "", kv); n = split(kv, words, " ")
      delete v
      for (w = 2; w <= n; w++) { split(words[w], p, "="); v[p[1]] = p[2] }
      cl = $0; sub(/.*closes\[/, "", cl); sub(/\].*/, "", cl)
      delete c
      m = split(cl, parts, ", ")
      for (k = 1; k <= m; k++) { split(parts[k], p, "="); c[p[1]] = p[2] }
      phase = i <= n0 ? "baseline" : (i <= n1 ? "load" : "drain")
      row = sprintf("%.1f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", v["uptime_s"] - u0, v["uptime_s"], phase, v["rss_kb"],
        v["heap_used_kb"], v["heap_after_gc_kb"], v["fds"], v["connections"], v["held_bytes"], v["accepts_per_s"],
        v["bytes_in_per_s"], v["bytes_out_per_s"])
      for (r = 1; r <= 10; r++) row = row "," (reasons[r] in c ? c[reasons[r]] : 0)
      print row
    }' "$server_out" >"$1"
}

soak_app() { # soak_app APP: one server, one load; appends to summary.txt; returns 1 on FAIL
  local app=$1 port gen_status=0 server_status=0 verdict_status=0
  server_out=$RUN/$app-server.out
  local server_err=$RUN/$app-server.err report=$RUN/$app-generator.txt
  "$JAVA" "${jepoll_java_opts[@]}" -jar "$RUN/jepoll.jar" --app "$app" "${SERVER_ARGS[@]}" >"$server_out" 2>"$server_err" &
  server_pid=$!
  wait_for 30 grep -q -m1 -E '127\.0\.0\.1:[0-9]+' "$server_out" || { cat "$server_err" >&2; die "$app: the server printed no banner in 30 s"; }
  port=$(grep -m1 -oE '127\.0\.0\.1:[0-9]+' "$server_out" | cut -d: -f2)
  # Two stats lines: the second is taken after the server has settled from its start.
  wait_for 10 has_stats 2 || die "$app: no stats lines from the server"
  baseline_fds=$(last_stat "$server_out" fds)
  n_start=$(stats_lines "$server_out")
  local u0
  u0=$(last_stat "$server_out" uptime_s)
  log "soak: $app on port $port (pid $server_pid), baseline $baseline_fds descriptors; ${DURATION} s of load"

  # The generator stops itself after DURATION plus its drain; timeout is the backstop. Its
  # progress (every 30 s) and failures (as they happen) go to the terminal and to a file.
  timeout -k 5 $((DURATION + 60)) "$JAVA" "${generator_java_opts[@]}" -cp "$BENCH_JAR" dev.jepoll.bench.Soak \
    --app "$app" --port "$port" --duration "$DURATION" --seed "$SEED" >"$report" \
    2> >(tee "$RUN/$app-generator.err" >&2) &
  generator_pid=$!
  wait "$generator_pid" || gen_status=$?
  generator_pid=""
  n_end=$(stats_lines "$server_out")
  log "soak: $app: generator exited with status $gen_status; waiting up to ${DRAIN_WAIT} s for the baseline descriptors"
  wait_for "$DRAIN_WAIT" drained || log "soak: $app: not back at the baseline after ${DRAIN_WAIT} s"
  local n_stop
  n_stop=$(stats_lines "$server_out")

  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    local until=$((SECONDS + 20))
    while kill -0 "$server_pid" 2>/dev/null && [ $SECONDS -lt $until ]; do sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "soak: $app: the server ignored SIGTERM for 20 s: killing it"
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  else
    log "soak: $app: the server died during the run; its log ends:"
    tail -5 "$server_err" >&2
  fi
  wait "$server_pid" 2>/dev/null || server_status=$?
  server_pid=""

  to_csv "$RUN/$app.csv" "$n_start" "$n_end" "$n_stop" "$u0"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" dev.jepoll.bench.SoakChart "$app" "$RUN/$app.csv" "$RUN/$app.png" >&2 ||
    log "soak: $app: no chart (see above)"
  local verdict
  verdict=$("$JAVA" -cp "$BENCH_JAR" dev.jepoll.bench.SoakVerdict "$app" "$RUN/$app.csv" "$report" "$gen_status" \
    "$server_status" "$FD_SLACK" "$RSS_MIN_LOAD") || verdict_status=$?
  {
    echo "$verdict"
    echo "$app: server: $(grep -m1 '^summary:' "$server_out" || echo 'no summary line')"
    echo "$app: chart $RUN/$app.png, stats $RUN/$app.csv, generator report $report"
    echo
  } | tee -a "$RUN/summary.txt"
  return "$verdict_status"
}

{
  echo "# soak $(date -u +%Y-%m-%dT%H:%M:%SZ): DURATION=$DURATION SOAK_APPS=\"$SOAK_APPS\" SEED=$SEED, $(nproc) cores"
  echo "# jepoll $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'); $("$JAVA" -version 2>&1 | head -1)"
  echo "# server: java $JEPOLL_JAVA_OPTS -jar jepoll.jar --app APP ${SERVER_ARGS[*]}"
  echo
} >"$RUN/summary.txt"

failed=""
for app in $SOAK_APPS; do
  soak_app "$app" || failed="$failed $app"
done
if [ -n "$failed" ]; then
  echo "soak: FAILED:$failed (details above and in $RUN/summary.txt)"
  exit 1
fi
echo "soak: PASSED ($RUN)"
