#!/usr/bin/env bash
# make bench-cluster: chat through a NATS broker, measured. For each round (RUNS, default 3),
# interleaved: one node without a broker (the reference), one node publishing to the broker,
# and three nodes sharing the clients through it. Each runs ClusterLoad (CLIENTS clients
# round-robin over the nodes, LINES lines of SIZE bytes each, at most WINDOW of a client's own
# lines unheard) and records deliveries/s, same-node and cross-node latency, and the nodes' RSS;
# then a light load (10 clients, one line each in flight) for the latency of the path itself.
# The load (one thread, one selector) runs on CPU 0; the nodes and the broker share CPU 1.
# Also one node whose broker is away, to show local chat does not notice.
# Results: bench/out/cluster-<time>/cluster.csv, cluster-table.md, cluster-*.png.
# Loopback only; never beside another benchmark or the test suite (2 cores).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RUNS=${RUNS:-3}; CLIENTS=${CLIENTS:-30}; LINES=${LINES:-2000}; SIZE=${SIZE:-128}; WINDOW=${WINDOW:-8}
JAVA=${JAVA:-java}
read -r -a java_opts <<<"${JEPOLL_JAVA_OPTS:-}"
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
[ -x "$NATS_SERVER" ] || { echo "bench-cluster: nats-server is not installed (Debian: apt-get install nats-server)" >&2; exit 1; }
CP="$ROOT/target/jepoll.jar:$ROOT/cluster/target/jepoll-cluster.jar:$ROOT/cluster/target/lib/*"
RUN=$BENCH_DIR/out/cluster-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN/classes"
javac -d "$RUN/classes" "$BENCH_DIR/cluster/ClusterLoad.java"
mvn -B -q -f "$BENCH_DIR/pom.xml" package # the report and charts: ClusterReport

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
await_port() {
  for _ in $(seq 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "bench-cluster: nothing listens on $1" >&2; return 1
}

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

nats_port=$(free_port)
taskset -c 1 "$NATS_SERVER" -a 127.0.0.1 -p "$nats_port" >"$RUN/nats.log" 2>&1 &
broker=$!
pids+=("$broker")
await_port "$nats_port"

echo "round,config,nodes,clients,lines,size,window,deliveries_per_s,same_p50_us,same_p99_us,cross_p50_us,cross_p99_us,rss_kb_per_node" >"$RUN/cluster.csv"
# config name, nodes, and the backplane: none (0), the broker (1), or a broker that is away (2:
# a port nobody listens on, so the node keeps trying to reconnect while it serves)
away_port=$(free_port)
configs=("1 node:1:0" "1 node + broker:1:1" "1 node (broker away):1:2" "3 nodes + broker:3:1")
# name, clients, lines each, window: a flood for deliveries per second (30 clients, 8 lines each
# in flight), and a light load for latency (10 clients, one line each in flight, so that a line
# waits for no queue and its latency is the path's)
loads=("throughput:${CLIENTS}:${LINES}:${WINDOW}" "latency:10:1000:1")
for round in $(seq "$RUNS"); do
  for c in "${configs[@]}"; do
    IFS=: read -r name nodes brokered <<<"$c"
    ports=(); node_pids=()
    for i in $(seq "$nodes"); do
      p=$(free_port)
      # the nodes (and the broker) on CPU 1, the load on CPU 0: three nodes share what one node has
      taskset -c 1 "$JAVA" "${java_opts[@]}" -cp "$CP" dev.jepoll.cli.Main --app chat --port "$p" \
        $(case "$brokered" in 1) echo "--backplane nats://127.0.0.1:$nats_port --cluster bench$round" ;;
            2) echo "--backplane nats://127.0.0.1:$away_port" ;; esac) \
        >"$RUN/node-$round-${name//[^a-z0-9]/_}-$i.log" 2>&1 &
      node_pids+=($!); pids+=($!); ports+=("$p")
    done
    for p in "${ports[@]}"; do await_port "$p"; done
    sleep 1 # the nodes' subscriptions reach the broker before the banner; a second more for the JIT's first pass
    for l in "${loads[@]}"; do
      IFS=: read -r load clients lines window <<<"$l"
      result=$(taskset -c 0 "$JAVA" -cp "$RUN/classes" ClusterLoad --ports "$(IFS=,; echo "${ports[*]}")" \
        --clients "$clients" --lines "$lines" --size "$SIZE" --window "$window" --timeout 180 || true)
      echo "round $round, $name, $load: $result" >&2
      case "$result" in *ok=1*) ;; *) echo "bench-cluster: $name ($load) failed: $result" >&2; exit 1 ;; esac
      rss=0
      for pid in "${node_pids[@]}"; do rss=$((rss + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0))); done
      field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
      echo "$round,$name / $load,$nodes,$clients,$lines,$SIZE,$window,$(field deliveries_per_s),$(field same_p50_us),$(field same_p99_us),$(field cross_p50_us),$(field cross_p99_us),$((rss / nodes))" >>"$RUN/cluster.csv"
    done
    for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  done
done
"$JAVA" -Djava.awt.headless=true -cp "$BENCH_DIR/target/jepoll-bench.jar" dev.jepoll.bench.ClusterReport "$RUN" "$RUN"
echo "bench-cluster: results in $RUN"
