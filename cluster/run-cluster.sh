#!/usr/bin/env bash
# make run-cluster: a nats-server on 127.0.0.1:NATS_PORT and three jepoll chat nodes on
# PORT, PORT+1, PORT+2 joined through it. Ctrl+C (or SIGTERM) stops all of it.
#   cluster/run-cluster.sh PORT NATS_PORT CLUSTER [node options...]
# Environment: NATS_SERVER (the program), JAVA, JAVA_OPTS, CLASSPATH_NODES (set by the Makefile).
set -euo pipefail
port=${1:?PORT}; nats_port=${2:?NATS_PORT}; cluster=${3:?CLUSTER}; shift 3
for p in "$port" "$nats_port"; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65533 ] || { echo "run-cluster: ports must be 1..65533, got '$p'" >&2; exit 2; }
done

pids=()
stop() {
  trap - INT TERM EXIT
  echo "run-cluster: stopping the nodes and the broker"
  # the nodes first (they say their summaries while the broker is still there), then the broker
  for pid in "${pids[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done
  kill -TERM "${pids[0]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# each program's output is prefixed with its name; $! is the program itself (not the sed), so it is what stop() signals
# The broker in a session of its own, so the terminal's Ctrl+C reaches the nodes but not the broker:
# it is stopped last, after the nodes have said their summaries.
setsid "$NATS_SERVER" -a 127.0.0.1 -p "$nats_port" > >(trap '' INT; exec sed -u 's/^/[nats] /') 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
  sleep 0.05
done
(exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null || { echo "run-cluster: nats-server did not start on 127.0.0.1:$nats_port" >&2; exit 1; }

for i in 0 1 2; do
  # JAVA_OPTS is a list of options: split on purpose
  # shellcheck disable=SC2086
  "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_NODES" dev.jepoll.cli.Main --app chat --port $((port + i)) \
    --backplane "nats://127.0.0.1:$nats_port" --cluster "$cluster" "$@" > >(trap '' INT; exec sed -u "s/^/[node $((port + i))] /") 2>&1 &
  pids+=($!)
done
sleep 1
cat <<TEXT

A chat cluster "$cluster": broker nats://127.0.0.1:$nats_port, nodes on ports $port, $((port + 1)), $((port + 2)).
Attach chat clients to any node, in other terminals, and talk across them:
  make run-client CLIENT=chat PORT=$port NAME=alice
  make run-client CLIENT=chat PORT=$((port + 1)) NAME=bob
  make run-client CLIENT=chat PORT=$((port + 2)) NAME=carol
Ctrl+C here stops the nodes and the broker.
TEXT
wait
