#!/usr/bin/env bash
# `npm start`: installs the npm packages when needed, builds the tracker, and runs Spoor on the embedded defaults
# (chDB + a durable file log + in-process state in $SPOOR_DATA_DIR, default ./.spoor) on PORT (default 8080).
# With KAFKA_BROKERS / CLICKHOUSE_URL / REDIS_URL set, the same command runs against those servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec node packages/cli/bin/spoor.mjs start "$@"
