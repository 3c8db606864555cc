#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs dependencies, type-checks, lints (ESLint with zero
# warnings, then the package-boundary check), then runs unit and integration tests. Integration tests
# start real Kafka and redis-server themselves unless KAFKA_BROKERS / REDIS_URL point at running ones
# (see test/harness).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
echo "[test] typecheck"
npx --no-install tsc -p tsconfig.json
echo "[test] lint"
npm run --silent lint
echo "[test] vitest"
npx --no-install vitest run "$@"
