# Endpoints of the local infrastructure (sourced by make test / make up and by deploy/local).
# Override any of them in the environment before sourcing.
: "${EJ_POSTGRES_URL:=postgresql+asyncpg://postgres@127.0.0.1:5432}"
: "${EJ_AMQP_URL:=amqp://guest:guest@127.0.0.1:5672/}"
: "${EJ_REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${EJ_S3_A_ENDPOINT:=http://127.0.0.1:18334}"
: "${EJ_S3_A_ACCESS_KEY:=ej-store-a}"
: "${EJ_S3_A_SECRET_KEY:=ej-store-a-secret}"
: "${EJ_S3_B_ENDPOINT:=http://127.0.0.1:19334}"
: "${EJ_S3_B_ACCESS_KEY:=ej-store-b}"
: "${EJ_S3_B_SECRET_KEY:=ej-store-b-secret}"
export EJ_POSTGRES_URL EJ_AMQP_URL EJ_REDIS_URL
export EJ_S3_A_ENDPOINT EJ_S3_A_ACCESS_KEY EJ_S3_A_SECRET_KEY
export EJ_S3_B_ENDPOINT EJ_S3_B_ACCESS_KEY EJ_S3_B_SECRET_KEY
