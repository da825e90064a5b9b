#!/usr/bin/env bash
# The whole test suite, from a fresh clone or a working tree: installs the Debian packages the tests need
# when they are missing, installs npm dependencies (checking that the native parts really built), builds,
# lints, type-checks, runs every test, and ends with one summary line: "summary: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test suite needs: python3-torch, python3-numpy and libopenblas0-pthread for the
# trainer's PyTorch reference comparisons (test/native/pytorch-reference.test.ts), the OpenBLAS library also being
# what the trainer runs its large products on when present (test/native/blas-products.test.ts); tmux for `strata compare` in a
# real terminal (test/cli/compare.cli.test.ts); chromium for the web console's browser tests (test/console/).
debian_packages=(python3-torch python3-numpy libopenblas0-pthread tmux chromium)

log() { printf '\n== %s\n' "$*"; }

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_prefix=""; [ "$(id -u)" -ne 0 ] && sudo_prefix="sudo"
  $sudo_prefix apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_prefix apt-get install -y -qq "${missing[@]}" \
    || { echo "failed to install Debian packages: ${missing[*]}"; echo "summary: 0 passed, 1 failed"; exit 1; }
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.strata-lock-hash ] || [ "$(cat node_modules/.strata-lock-hash)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund || { echo "summary: 0 passed, 1 failed"; exit 1; }
  echo "$lock_hash" > node_modules/.strata-lock-hash
fi

passed=0
failed=0
failures=()
check() {
  local name=$1; shift
  log "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

check "native modules load (better-sqlite3)" node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"
check "build" npm run --silent build
check "lint (biome)" npx biome check .
check "type-check" npx tsc -p tsconfig.json --noEmit

log "tests (vitest)"
mkdir -p test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_status=$?
if [ -f test-results/vitest.json ]; then
  read -r test_passed test_failed < <(node -e '
    const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrors ?? 0));')
  passed=$((passed + test_passed))
  failed=$((failed + test_failed))
  if [ "$vitest_status" -ne 0 ] && [ "$test_failed" -eq 0 ]; then failed=$((failed + 1)); failures+=("vitest exited $vitest_status"); fi
else
  failed=$((failed + 1)); failures+=("vitest produced no report")
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
