# The distributed mode's processes and their environment (sourced by up.sh and the e2e tests).
# EJ_PORT_BASE (8100): the services listen on base+1 … base+5; EJ_RUN_DIR: pids and logs.
SERVICES=(identity journal reports archive notify)
port_base=${EJ_PORT_BASE:-8100}
PORTS=()
for i in "${!SERVICES[@]}"; do PORTS+=($((port_base + i + 1))); done
run=${EJ_RUN_DIR:-$root/var/run}

port_of() {
  local i
  for i in "${!SERVICES[@]}"; do [ "${SERVICES[$i]}" = "$1" ] && echo "${PORTS[$i]}" && return; done
  return 1
}

url_of() { echo "http://127.0.0.1:$(port_of "$1")"; }

# secrets of this machine's distributed mode, generated once and kept under var/
secret_file() {
  local f="$run/$1.secret"
  [ -s "$f" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$f")
  cat "$f"
}

service_env_list() { # name → KEY=VALUE words for env(1)
  local name=$1
  echo "EJ_MODE=distributed EJ_LOG_FORMAT=${EJ_LOG_FORMAT:-json}"
  echo "EJ_POSTGRES_URL=$EJ_POSTGRES_URL EJ_DB_PREFIX=${EJ_DB_PREFIX:-ej_}"
  echo "EJ_AMQP_URL=$EJ_AMQP_URL EJ_EXCHANGE=${EJ_EXCHANGE:-edu.events} EJ_QUEUE_PREFIX=${EJ_QUEUE_PREFIX:-}"
  echo "EJ_REDIS_URL=$EJ_REDIS_URL EJ_IDENTITY_URL=$(url_of identity)"
  echo "EJ_METRICS_TOKEN=$(secret_file metrics-token)"
  echo "EJ_JOURNAL_URL=$(url_of journal) EJ_REPORTS_URL=$(url_of reports)"
  echo "EJ_ARCHIVE_URL=$(url_of archive) EJ_NOTIFY_URL=$(url_of notify)"
  case "$name" in
    identity) # the gateway (ej gateway, on this machine) is the one proxy whose X-Forwarded-For counts
      echo "EJ_IDENTITY_KEY_SECRET=$(secret_file identity-keys) EJ_TRUSTED_PROXIES=[\"127.0.0.1\"]" ;;
    reports)
      echo "EJ_REPORTS_S3_ENDPOINT=$EJ_S3_A_ENDPOINT EJ_REPORTS_S3_ACCESS_KEY=$EJ_S3_A_ACCESS_KEY"
      echo "EJ_REPORTS_S3_SECRET_KEY=$EJ_S3_A_SECRET_KEY EJ_REPORTS_S3_BUCKET=${EJ_REPORTS_S3_BUCKET:-ej-reports}"
      ;;
    archive)
      echo "EJ_ARCHIVE_STORE_A_ENDPOINT=$EJ_S3_A_ENDPOINT EJ_ARCHIVE_STORE_A_ACCESS_KEY=$EJ_S3_A_ACCESS_KEY"
      echo "EJ_ARCHIVE_STORE_A_SECRET_KEY=$EJ_S3_A_SECRET_KEY EJ_ARCHIVE_STORE_A_BUCKET=${EJ_ARCHIVE_BUCKET:-ej-archive}"
      echo "EJ_ARCHIVE_STORE_B_ENDPOINT=$EJ_S3_B_ENDPOINT EJ_ARCHIVE_STORE_B_ACCESS_KEY=$EJ_S3_B_ACCESS_KEY"
      echo "EJ_ARCHIVE_STORE_B_SECRET_KEY=$EJ_S3_B_SECRET_KEY EJ_ARCHIVE_STORE_B_BUCKET=${EJ_ARCHIVE_BUCKET:-ej-archive}"
      ;;
  esac
}

service_env() { # name command... : run the command with the service's environment
  local name=$1; shift
  env $(service_env_list "$name") "$@"
}
