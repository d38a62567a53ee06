#!/usr/bin/env bash
# The chat room's read-pause rule, measured (README, "Chat": "What pauses reading"). Every client
# floods its lines at once (no window: --window 65536), the load that makes recipients' queues
# grow faster than they are read, against jepoll's chat on one loop with each pair of watermarks.
# Prints per pair: deliveries/s (median), read pauses per run (the warm-up run included), slow-consumer disconnects, the peak queue, and how
# many runs lost no line. Settings: RUNS [5] CLIENTS [50] LINES [2000] PAIRS ["64k:16k 256k:64k 512k:128k"]
set -euo pipefail

. "$(dirname "$0")/tools.sh"
RUNS=${RUNS:-5}
CLIENTS=${CLIENTS:-50}
LINES=${LINES:-2000}
PAIRS=${PAIRS:-"64k:16k 256k:64k 512k:128k"}
JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx128m"}
read -r -a java_opts <<<"$JEPOLL_JAVA_OPTS"
build_tools loadgen
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; true' EXIT

printf '%-14s %14s %12s %12s %12s %9s\n' "watermarks" "deliveries/s" "pauses/run" "cut (slow)" "peak queue" "clean runs"
for pair in $PAIRS; do
  high=${pair%:*}; low=${pair#*:}
  log=$OUT/pause-rule.log
  "${server_pin[@]}" "$JAVA" "${java_opts[@]}" -jar "$ROOT/target/jepoll.jar" --port 0 --bind 127.0.0.1 --app chat --loops 1 \
    --high-watermark "$high" --low-watermark "$low" >"$log" 2>&1 &
  pid=$!
  port=$(await_port "$log")
  rates=()
  clean=0
  for ((run = 0; run <= RUNS; run++)); do # run 0 warms the JIT up and is not counted
    line=$("${generator_pin[@]}" "$OUT/loadgen" chat --port "$port" --clients "$CLIENTS" --lines "$LINES" --window 65536 --timeout 60 2>/dev/null || true)
    [ "$run" = 0 ] && continue
    rates+=("$(echo "$line" | tr ' ' '\n' | sed -n 's/^deliveries_per_s=//p')")
    echo "$line" | grep -q ' errors=0 ' && clean=$((clean + 1))
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
  summary=$(grep -m1 '^summary:' "$log")
  pauses=$(echo "$summary" | tr ' ' '\n' | sed -n 's/^read_pauses=//p')
  peak=$(echo "$summary" | tr ' ' '\n' | sed -n 's/^peak_pending_bytes=//p')
  cut=$(echo "$summary" | grep -oE 'slow consumer=[0-9]+' | cut -d= -f2 || true)
  median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  printf '%-14s %14.0f %12s %12s %12s %6s/%s\n' "$high/$low" "$median" "$((pauses / (RUNS + 1)))" "${cut:-0}" "$peak" "$clean" "$RUNS"
done
