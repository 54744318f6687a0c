#!/usr/bin/env bash
# Measures Moat with ../shared/bench beside the floor (a bare node:http + undici proxy) and the peers,
# all on the project's Node 24 (node_modules/.bin first on PATH). Any variable of the harness may be
# set, e.g. `PEERS=baseline QUICK=1 npm run bench` or `API=anthropic npm run bench`.
# Results land in bench/results/run-<time>/ (git-ignored); docs/benchmarks.md quotes them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
harness="${BENCH_HARNESS:-$root/../shared/bench}"
if [[ ! -x "$harness/run.sh" && ! -f "$harness/run.sh" ]]; then
  echo "bench harness not found at $harness (set BENCH_HARNESS)" >&2
  exit 2
fi
export PATH="$root/node_modules/.bin:$PATH"
export OUT_DIR="${OUT_DIR:-$root/bench/results/run-$(date +%Y%m%d-%H%M%S)}"
export MOAT_BENCH_PORT="${MOAT_BENCH_PORT:-18810}"
export TARGET="http://127.0.0.1:${MOAT_BENCH_PORT}/v1"
export TARGET_NAME="${TARGET_NAME:-moat}"
export TARGET_CMD="exec node $root/src/cli/main.ts serve --config $root/bench/moat.bench.yaml"
export TARGET_HEADERS="Authorization: Bearer sk-bench-moat-client-0001"
echo "node $(node --version) from $(command -v node)"
exec bash "$harness/run.sh"
