#!/usr/bin/env bash
# Runs every package's benchmark (each writes its numbers into docs/performance/<package>.md; see docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
npm run bench --workspaces --if-present
