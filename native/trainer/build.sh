#!/usr/bin/env bash
# Builds the trainer core and its standalone CLI against node-llama-cpp's prebuilt ggml, compiled with the
# headers of exactly that llama.cpp release (taken from the git bundle node-llama-cpp ships). Needs only
# g++, git and the installed node_modules: nothing is downloaded, llama.cpp itself is not compiled.
#
#   native/trainer/build.sh            → native/trainer/build/strata-trainer-cli
#   native/trainer/build.sh addon      → native/build/strata-trainer.node (the N-API addon, native/addon/;
#                                         also needs node's headers and node_modules/node-addon-api)
#   native/trainer/build.sh all        → both
#   STRATA_LLAMA_BINS=<dir> build.sh   → link another prebuilt folder (e.g. node-llama-cpp's CUDA build)
set -euo pipefail

target="${1:-cli}"
case "$target" in
  cli | addon | all) ;;
  *)
    echo "usage: native/trainer/build.sh [cli|addon|all]" >&2
    exit 2
    ;;
esac

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
# ggml/include for the core; include/llama.h for strata-quantize.cpp (libllama is opened at run time).
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$bundle_id" ] || [ ! -f "$src/include/llama.h" ]; then
  rm -rf "$src"
  git clone -q --no-checkout "$bundle" "$src" || die "git could not read $bundle"
  git -C "$src" -c advice.detachedHead=false checkout -q HEAD -- ggml/include include/llama.h ||
    die "the bundle $bundle has no ggml/include or include/llama.h"
  echo "$bundle_id" >"$stamp"
fi
include="$src/ggml/include"
[ -f "$include/ggml.h" ] || die "ggml.h missing from $include"
[ -f "$src/include/llama.h" ] || die "llama.h missing from $src/include"

# The core is every .cpp here but the CLI's; the CLI and the addon each link it in.
shopt -s nullglob
core=()
for file in "$here"/*.cpp; do
  [ "$(basename "$file")" = strata-trainer-cli.cpp ] || core+=("$file")
done
flags=(-O2 -std=c++17 -fPIC -Wall -Wextra -Wno-unused-parameter -I"$include" -I"$src/include" -I"$here")
libs=("$ggml_lib" "$bins/libggml-base.so" -ldl -Wl,-rpath,"$bins")

# up_to_date OUT BINS_FILE INPUT...: OUT exists, is newer than every input and was linked against $bins.
up_to_date() {
  local out="$1" bins_file="$2"
  shift 2
  local newest
  newest="$(ls -t "$@" "$here"/*.h "$here/build.sh" "$stamp" | head -n 1)"
  [ -f "$out" ] && [ "$out" -nt "$newest" ] && [ "$(cat "$bins_file" 2>/dev/null)" = "$bins" ]
}

build_cli() {
  local out="$build/strata-trainer-cli"
  up_to_date "$out" "$build/bins" "${core[@]}" "$here/strata-trainer-cli.cpp" && return 0
  g++ "${flags[@]}" "${core[@]}" "$here/strata-trainer-cli.cpp" -o "$out.tmp" "${libs[@]}" ||
    die "compiling the trainer CLI failed (see the compiler output above)"
  mv "$out.tmp" "$out"
  echo "$bins" >"$build/bins"
}

build_addon() {
  local addon="$root/native/addon" out_dir="$root/native/build"
  local out="$out_dir/strata-trainer.node"
  command -v node >/dev/null || die "node is not on PATH (the addon is built against its N-API headers)"
  local napi="$root/node_modules/node-addon-api"
  [ -f "$napi/napi.h" ] || die "missing $napi/napi.h (the node-addon-api package); run npm install"
  # N-API's C headers: node's own include folder, else the node-api-headers package, else node-gyp's cache.
  local node_include="" candidate
  for candidate in \
    "$(node -p 'require("path").resolve(process.execPath, "../../include/node")')" \
    "$root/node_modules/node-api-headers/include" \
    "${HOME:-/nonexistent}/.cache/node-gyp/$(node -p process.versions.node)/include/node"; do
    if [ -f "$candidate/node_api.h" ]; then
      node_include="$candidate"
      break
    fi
  done
  [ -n "$node_include" ] ||
    die "no node_api.h: looked in node's include/node folder, node_modules/node-api-headers/include and ~/.cache/node-gyp (install node's headers, e.g. the official Node.js tarball, or npm install node-api-headers)"
  local sources=("$addon"/*.cpp)
  [ "${#sources[@]}" -gt 0 ] || die "no addon sources (*.cpp) in $addon"
  mkdir -p "$out_dir"
  up_to_date "$out" "$out_dir/bins" "${core[@]}" "${sources[@]}" "$addon"/*.h && return 0
  g++ "${flags[@]}" -shared -fvisibility=hidden \
    -DNAPI_VERSION=8 -DNODE_ADDON_API_DISABLE_DEPRECATED \
    -DNODE_ADDON_API_CPP_EXCEPTIONS -DNODE_ADDON_API_CPP_EXCEPTIONS_ALL \
    -I"$napi" -I"$node_include" \
    "${core[@]}" "${sources[@]}" -o "$out.tmp" "${libs[@]}" ||
    die "compiling the trainer addon failed (see the compiler output above)"
  mv "$out.tmp" "$out"
  echo "$bins" >"$out_dir/bins"
}

case "$target" in
  cli) build_cli ;;
  addon) build_addon ;;
  all)
    build_cli
    build_addon
    ;;
esac
