#!/usr/bin/env bash
# Stop the distributed mode's processes started by up.sh (the infrastructure keeps running).
# --status: only tell what runs.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
run=${EJ_RUN_DIR:-$root/var/run}
[ -d "$run" ] || { echo "[down] nothing was started"; exit 0; }
for pid_file in "$run"/*.pid; do
  [ -e "$pid_file" ] || continue
  name=$(basename "$pid_file" .pid)
  pid=$(cat "$pid_file")
  if [ "${1:-}" = "--status" ]; then
    kill -0 "$pid" 2>/dev/null && echo "$name: running (pid $pid)" || echo "$name: stopped"
    continue
  fi
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "[down] stopped $name"
  fi
  rm -f "$pid_file"
done
