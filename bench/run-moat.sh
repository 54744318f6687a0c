#!/usr/bin/env bash
# Measures Moat with ../shared/bench beside the floor (a bare node:http + undici proxy) and the peers,
# all on the project's Node 24 (node_modules/.bin first on PATH). Any variable of the harness may be
# set, e.g. `PEERS=baseline QUICK=1 npm run bench`. MOAT_CONFIG picks what is measured:
#   bench/moat.bench.yaml                   OpenAI passthrough (default)
#   bench/moat.anthropic-passthrough.yaml   with API=anthropic: Anthropic passthrough
#   bench/moat.translate-to-anthropic.yaml  OpenAI clients translated to an Anthropic upstream
#   bench/moat.translate-to-openai.yaml     with API=anthropic: Anthropic clients translated to OpenAI
#   bench/moat.routing.bench.yaml           routes with a dead first target (fallback, then breaker skip)
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
config="${MOAT_CONFIG:-$root/bench/moat.bench.yaml}"
[[ "$config" = /* ]] || config="$root/$config"
export MOAT_BENCH_UPSTREAM_KEY="${MOAT_BENCH_UPSTREAM_KEY:-sk-ant-bench}"
export TARGET_CMD="exec node $root/src/cli/main.ts serve --config $config"
# Anthropic clients send x-api-key and anthropic-version; Moat accepts either key header.
export TARGET_HEADERS="Authorization: Bearer sk-bench-moat-client-0001||anthropic-version: 2023-06-01"
# MOAT_BENCH_BUDGET_USD: put a hard budget of that many dollars on the client key (config:bench) first,
# in the database the config names (see bench/moat.budgeted.bench.yaml).
if [[ -n "${MOAT_BENCH_BUDGET_USD:-}" ]]; then
  db="$(grep -oE 'path: .*moat\.db' "$config" | head -n 1 | sed -E 's/^path: //; s/\$\{MOAT_BENCH_DIR:-([^}]*)\}/\1/')"
  [[ -n "${MOAT_BENCH_DIR:-}" ]] && db="$MOAT_BENCH_DIR/moat.db"
  rm -rf "$(dirname "$db")" && mkdir -p "$(dirname "$db")"
  node "$root/src/cli/main.ts" budgets create --key config:bench --period total --limit-usd "$MOAT_BENCH_BUDGET_USD" --db "$db"
fi
echo "node $(node --version) from $(command -v node)"
exec bash "$harness/run.sh"
