#!/usr/bin/env bash
# The root package's `install` script: `npm install` and `npm ci` run it after the dependencies are in place.
# It builds the native trainer addon (native/trainer/build.sh addon → native/build/strata-trainer.node).
#
# A failed build is loud but does not fail the install: serving and everything else work without the
# trainer. The failure is kept in native/build/build-failure.log, and loading the trainer
# (src/training/native-trainer.ts) then throws an error that names the failed step. After fixing what is
# missing: `npm run build:native`. STRATA_SKIP_NATIVE_BUILD=1 skips the build.
set -u

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/native/build"
failure="$out/build-failure.log"

if [ "${STRATA_SKIP_NATIVE_BUILD:-}" = 1 ]; then
  echo "strata: STRATA_SKIP_NATIVE_BUILD=1, not building the native trainer (npm run build:native builds it)"
  exit 0
fi

mkdir -p "$out" || exit 0
rm -f "$failure"
started="$(date +%s)"
if bash "$root/native/trainer/build.sh" addon >"$out/build.log" 2>&1; then
  cat "$out/build.log"
  rm -f "$out/build.log"
  echo "strata: native trainer addon ready at native/build/strata-trainer.node ($(($(date +%s) - started)) s)"
  exit 0
fi

mv "$out/build.log" "$failure"
reason="$(grep '^strata trainer build:' "$failure" | tail -n 1 | sed 's/^strata trainer build: //')"
[ -n "$reason" ] || reason="the build stopped without saying why (see the log)"
{
  echo
  echo "================================================================================"
  echo "strata: the native trainer addon was NOT built (fine-tuning will not work)"
  echo "  failed step: $reason"
  echo "  full log:    native/build/build-failure.log"
  echo "  needs:       g++, git, node's headers, node_modules/node-addon-api and node-llama-cpp's"
  echo "               prebuilt binaries; fix what is missing, then run: npm run build:native"
  echo "  The install itself continues: serving models does not need the trainer."
  echo "--------------------------------------------------------------------------------"
  tail -n 30 "$failure"
  echo "================================================================================"
  echo
} >&2
exit 0
