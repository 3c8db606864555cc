#!/usr/bin/env bash
# Installs what Spoor needs on a fresh Debian machine; a second run does nothing.
#   scripts/install-deps.sh           npm packages only (enough for `npm start` on the embedded defaults)
#   scripts/install-deps.sh --tests   also Debian redis-server, kcat, chromium (browser tests) and Apache Kafka jars
#                                     from Maven Central, for the integration tests and benchmarks
# SPOOR_SKIP_SYSTEM_DEPS=1 skips apt (when the system packages are provided otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

install_npm_packages() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # npm install, not npm ci: npm 11 records only this platform's optional packages in the lock and its
    # own `npm ci` then refuses that lock. With a lock present, npm install installs exactly what it pins.
    echo "[install] npm install (from package-lock.json)"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

install_system_packages() {
  local need=()
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  # kcat (librdkafka) proves in a test that what kafkajs writes, e.g. snappy-compressed, other Kafka clients read.
  command -v kcat >/dev/null 2>&1 || need+=(kcat)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
  if [ ${#need[@]} -gt 0 ] && [ "${SPOOR_SKIP_SYSTEM_DEPS:-0}" != 1 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "[install] apt-get install ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  echo "[install] Apache Kafka jars (Maven Central, cached in ${SPOOR_CACHE_DIR:-$HOME/.cache/spoor})"
  npx --no-install tsx -e "import('@spoor/infra').then(m => console.log('[install] ' + m.resolveKafkaJars()))"
}

install_npm_packages
[ "${1:-}" = "--tests" ] && install_system_packages
npm run build --workspaces --if-present --silent
