#!/usr/bin/env bash
# Builds the trainer core and its standalone CLI against node-llama-cpp's prebuilt ggml, compiled with the
# headers of exactly that llama.cpp release (taken from the git bundle node-llama-cpp ships). Needs only
# g++, git and the installed node_modules: nothing is downloaded, llama.cpp itself is not compiled.
#
#   native/trainer/build.sh            → native/trainer/build/strata-trainer-cli
#   STRATA_LLAMA_BINS=<dir> build.sh   → link another prebuilt folder (e.g. node-llama-cpp's CUDA build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$here/build"
nlc="$root/node_modules/node-llama-cpp"

die() {
  echo "strata trainer build: $*" >&2
  exit 1
}

command -v g++ >/dev/null || die "g++ is not installed (Debian/Ubuntu: apt-get install g++)"
command -v git >/dev/null || die "git is not installed (Debian/Ubuntu: apt-get install git)"
[ -d "$nlc" ] || die "node_modules/node-llama-cpp is missing; run npm install first"

bundle="$nlc/llama/gitRelease.bundle"
[ -f "$bundle" ] || die "missing $bundle (node-llama-cpp's llama.cpp source bundle); reinstall node-llama-cpp"
release="$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$nlc/llama/llama.cpp.info.json" 2>/dev/null || true)"
[ -n "$release" ] || die "cannot read the llama.cpp release tag from $nlc/llama/llama.cpp.info.json"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  *) die "unsupported platform $(uname -s)-$(uname -m) (the trainer build knows linux-x64 and linux-arm64)" ;;
esac
bins="${STRATA_LLAMA_BINS:-$root/node_modules/@node-llama-cpp/$platform/bins/$platform}"
[ -d "$bins" ] || die "missing node-llama-cpp prebuilt binaries at $bins (is @node-llama-cpp/$platform installed?)"
ggml_lib="$(find "$bins" -maxdepth 1 -name "libggml.$release.so" -o -maxdepth 1 -name "libggml.*$release.so" | head -n 1)"
[ -n "$ggml_lib" ] || die "no libggml*.$release.so in $bins: the prebuilt binaries do not match llama.cpp release $release"
[ -f "$bins/libggml-base.so" ] || die "missing $bins/libggml-base.so"
ls "$bins"/libggml-cpu-*.so >/dev/null 2>&1 || die "no CPU backend (libggml-cpu-*.so) in $bins"

mkdir -p "$build"
# Test files build in parallel processes: one builds, the others wait and then find it up to date.
if command -v flock >/dev/null; then
  exec 9>"$build/.lock"
  flock 9
fi
# Headers of exactly this release; re-extracted when the bundle changes.
src="$build/llama.cpp-src"
stamp="$build/llama.cpp-src.stamp"
bundle_id="$release $(stat -c '%s %Y' "$bundle")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$bundle_id" ]; then
  rm -rf "$src"
  git clone -q --no-checkout "$bundle" "$src" || die "git could not read $bundle"
  git -C "$src" -c advice.detachedHead=false checkout -q HEAD -- ggml/include ||
    die "the bundle $bundle has no ggml/include"
  echo "$bundle_id" >"$stamp"
fi
include="$src/ggml/include"
[ -f "$include/ggml.h" ] || die "ggml.h missing from $include"

sources=(strata_trainer.cpp trainer-model.cpp strata-trainer-cli.cpp)
out="$build/strata-trainer-cli"
newest_input="$(ls -t "${sources[@]/#/$here/}" "$here"/*.h "$here/build.sh" "$stamp" | head -n 1)"
if [ -x "$out" ] && [ "$out" -nt "$newest_input" ] && [ "$(cat "$build/bins" 2>/dev/null)" = "$bins" ]; then
  exit 0
fi
g++ -O2 -std=c++17 -fPIC -Wall -Wextra -Wno-unused-parameter \
  -I"$include" -I"$here" \
  "${sources[@]/#/$here/}" \
  -o "$out.tmp" \
  "$ggml_lib" "$bins/libggml-base.so" -ldl \
  -Wl,-rpath,"$bins" ||
  die "compiling the trainer failed (see the compiler output above)"
mv "$out.tmp" "$out"
echo "$bins" >"$build/bins"
