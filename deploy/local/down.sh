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
    if kill -0 "$pid" 2>/dev/null; then
      # `serve --workers N` (N > 1): uvicorn's worker processes are the pid's children
      children=$(ps -o args= --ppid "$pid" 2>/dev/null | grep -c "spawn_main" || true)
      [ "$children" -gt 0 ] && echo "$name: running (pid $pid, $children API processes)" ||
        echo "$name: running (pid $pid)"
    else
      echo "$name: stopped"
    fi
    continue
  fi
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    # still there: its worker processes (if any) go with it
    if kill -0 "$pid" 2>/dev/null; then
      for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill -9 "$child" 2>/dev/null || true; done
    fi
    kill -9 "$pid" 2>/dev/null || true
    echo "[down] stopped $name"
  fi
  rm -f "$pid_file"
done
