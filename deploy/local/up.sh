#!/usr/bin/env bash
# Distributed mode on one machine: each service its own processes against the real PostgreSQL,
# RabbitMQ, Redis and two SeaweedFS stores (started by infra.sh): EJ_WORKERS (2) API processes
# on the service's port (`serve --workers`) and RELAYS (1) outbox relays (`relay`; the API
# processes then run none: EJ_OUTBOX_RELAY=off; RELAYS=0 leaves the relay in the API
# processes), WORKERS report workers, and a gateway on EJ_PORT (8000) that serves every
# service's paths on one address.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
. "$here/env.sh"
. "$here/services.sh"
py="$root/.venv/bin/python"
mkdir -p "$run"
workers=${WORKERS:-2}
api_workers=${EJ_WORKERS:-2}
relays=${RELAYS:-1}
relay_mode=off
[ "$relays" -gt 0 ] || relay_mode=inline

for name in "${SERVICES[@]}"; do
  echo "[up] migrating $name"
  service_env "$name" "$py" -m "services.$name" migrate >"$run/$name.migrate.log" 2>&1 ||
    { cat "$run/$name.migrate.log"; exit 1; }
done

if [ -n "${EJ_BOOTSTRAP_OPERATOR_LOGIN:-}" ]; then
  service_env identity "$py" -m services.identity create-operator \
    --login "$EJ_BOOTSTRAP_OPERATOR_LOGIN" --password "${EJ_BOOTSTRAP_OPERATOR_PASSWORD:?}" >"$run/operator.log" 2>&1 ||
    { cat "$run/operator.log"; exit 1; }
  echo "[up] city operator '$EJ_BOOTSTRAP_OPERATOR_LOGIN' is ready"
fi

start() { # name logfile command...
  local name=$1 logfile=$2; shift 2
  if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
    echo "[up] $name already running (pid $(cat "$run/$name.pid"))"; return
  fi
  nohup "$@" >"$logfile" 2>&1 &
  echo $! >"$run/$name.pid"
  echo "[up] started $name (pid $!, log $logfile)"
}

for name in "${SERVICES[@]}"; do
  start "$name" "$run/$name.log" env $(service_env_list "$name") EJ_OUTBOX_RELAY="$relay_mode" \
    "$py" -m "services.$name" serve --port "$(port_of "$name")" --workers "$api_workers"
done
for ((i = 1; i <= workers; i++)); do
  start "reports-worker-$i" "$run/reports-worker-$i.log" env $(service_env_list reports) EJ_OUTBOX_RELAY="$relay_mode" \
    "$py" -m services.reports worker
done
start gateway "$run/gateway.log" env $(service_env_list gateway) "$py" -m ej gateway --port "${EJ_PORT:-8000}"

for name in "${SERVICES[@]}"; do
  url="$(url_of "$name")/$name/readyz"
  for ((i = 0; i < 120; i++)); do
    curl -fs "$url" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$url" >/dev/null || { echo "[up] $name is not ready: $(curl -s "$url")"; tail -20 "$run/$name.log"; exit 1; }
done

# The relays start once every service is ready, so every consumer's queue is declared before
# the first event is published (the API processes publish nothing themselves).
for name in "${SERVICES[@]}"; do
  for ((i = 1; i <= relays; i++)); do
    start "$name-relay-$i" "$run/$name-relay-$i.log" env $(service_env_list "$name") "$py" -m "services.$name" relay
  done
done
for name in "${SERVICES[@]}"; do
  for ((i = 1; i <= relays; i++)); do
    relay="$name-relay-$i"
    for ((t = 0; t < 120; t++)); do
      grep -q outbox_relay_started "$run/$relay.log" 2>/dev/null && break
      kill -0 "$(cat "$run/$relay.pid")" 2>/dev/null || break
      sleep 0.5
    done
    grep -q outbox_relay_started "$run/$relay.log" 2>/dev/null ||
      { echo "[up] $relay did not start"; tail -20 "$run/$relay.log"; exit 1; }
  done
done
echo "[up] distributed mode ready: http://127.0.0.1:${EJ_PORT:-8000} (gateway); services on ports ${PORTS[*]}" \
  "($api_workers API process(es) and $relays outbox relay(s) each); $workers report worker(s)"
[ -n "${EJ_BOOTSTRAP_OPERATOR_LOGIN:-}" ] ||
  echo "[up] create the city operator: EJ_BOOTSTRAP_OPERATOR_LOGIN=operator EJ_BOOTSTRAP_OPERATOR_PASSWORD=... make up"
