#!/usr/bin/env bash
# The trainer core on ggml's CUDA backend, checked against the CPU: builds ggml with CUDA for one GPU
# architecture from the llama.cpp source that node-llama-cpp ships (its git bundle; nothing is downloaded),
# links the standalone trainer CLI against it, trains 5 steps of a generated tiny model on the GPU and on the
# CPU (same binary, same data, same seed) and compares the losses. Then it tries LoRA on frozen F16 and Q8_0
# bases on the GPU, to report what CUDA's F32-only OUT_PROD means for them — since session 3 the trainer rewrites
# the backward's OUT_PRODs into MUL_MATs of transposed F32 copies (native/trainer/transposed-products.h), so what
# is tested is whether CUDA widens F16 / Q8_0 weights to F32 (CPY) and pads (PAD): trained, or refused up front.
#
#   scripts/cuda-smoke.sh [ARCH]     ARCH: CUDA architecture, default 90 (H100/H200); e.g. 80, 89
#
# Needs: an NVIDIA GPU with its driver, nvcc, cmake, g++, git, node and this checkout's node_modules
# (npm ci). Prints one JSON summary line last and writes it to native/trainer/build/cuda/result.json.
# Exit status 0 when the GPU and CPU losses agree (relative difference ≤ 1e-3 on every step).
set -euo pipefail

arch="${1:-90}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$root/native/trainer/build/cuda"
started=$(date +%s)

die() {
  echo "cuda-smoke: $*" >&2
  exit 1
}
for tool in nvcc cmake g++ git node; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH"
done
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
bundle="$root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
[ -f "$bundle" ] || die "missing $bundle: run npm ci first"

# 1. ggml with CUDA, from the bundled release (only ggml/ and llama.h are checked out).
mkdir -p "$work"
src="$work/llama.cpp"
if [ ! -f "$src/ggml/CMakeLists.txt" ]; then
  rm -rf "$src"
  git clone -q --no-checkout "$bundle" "$src"
  git -C "$src" -c advice.detachedHead=false checkout -q HEAD -- ggml include/llama.h
fi
# ggml is configured as a subproject: standalone, its CMakeLists wants a ggml.pc.in that llama.cpp's copy lacks.
mkdir -p "$work/ggml-project"
printf 'cmake_minimum_required(VERSION 3.18)\nproject(strata_ggml C CXX)\nadd_subdirectory("%s/ggml" ggml)\n' "$src" \
  >"$work/ggml-project/CMakeLists.txt"
cmake -S "$work/ggml-project" -B "$work/ggml-build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=OFF \
  -DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF >"$work/cmake.log" 2>&1 ||
  die "cmake configure failed (see $work/cmake.log)"
cmake --build "$work/ggml-build" -j"$(nproc)" >"$work/build.log" 2>&1 || die "ggml build failed (see $work/build.log)"
libdir="$(dirname "$(find "$work/ggml-build" -name 'libggml-base.so' | head -n 1)")"
[ -n "$libdir" ] && [ -f "$libdir/libggml.so" ] || die "no libggml.so / libggml-base.so under $work/ggml-build"
echo "cuda-smoke: ggml with CUDA (sm_$arch) built in $(($(date +%s) - started)) s"

# 2. The standalone trainer CLI, linked against that ggml (the same sources build.sh compiles).
core=()
for file in "$root"/native/trainer/*.cpp; do
  [ "$(basename "$file")" = strata-trainer-cli.cpp ] || core+=("$file")
done
cli="$work/strata-trainer-cli"
g++ -O2 -std=c++17 -I"$src/ggml/include" -I"$src/include" -I"$root/native/trainer" \
  "${core[@]}" "$root/native/trainer/strata-trainer-cli.cpp" -o "$cli" \
  -L"$libdir" -lggml -lggml-base -ldl -Wl,-rpath,"$libdir" || die "compiling the trainer CLI failed"

# 3. A generated tiny llama model (≈4.9M parameters) in F32, F16 and Q8_0.
for type in F32 F16 Q8_0; do
  node --import tsx --input-type=module -e "
    import { makeTestModel } from '$root/test/support/make-test-model.ts';
    await makeTestModel('$work/tiny-$type.gguf', { tensorType: '$type', seed: 7 });
  " || die "could not generate the $type test model"
done
tokens="$(node -e 'const t=[];let x=12345;for(let i=0;i<128;i++){x=(x*1103515245+12345)%2147483648;t.push(1+(x%400))}console.log(t.join(","))')"

# 4. Five steps on each device; losses compared step by step.
train() { # MODEL DEVICE MODE
  "$cli" train "$1" --tokens "$tokens" --mode "$3" --steps 5 --lr 1e-3 --threads 4 --seed 1 --device "$2" 2>"$work/train-$2-$3.err"
}
compare() { # CPU_OUTPUT GPU_OUTPUT → max relative difference of the losses
  node -e '
    const losses = (text) => text.trim().split("\n").map((line) => JSON.parse(line).loss);
    const [cpu, gpu] = [losses(process.argv[1]), losses(process.argv[2])];
    if (cpu.length !== 5 || gpu.length !== 5) { console.log("NaN"); process.exit(0); }
    console.log(Math.max(...cpu.map((loss, i) => Math.abs(loss - gpu[i]) / Math.abs(loss))));
  ' "$1" "$2"
}
summary="{\"arch\":\"sm_$arch\""
status=0
for mode in full lora; do
  cpu_out="$(train "$work/tiny-F32.gguf" cpu "$mode")" || die "CPU $mode training failed: $(cat "$work/train-cpu-$mode.err")"
  gpu_out="$(train "$work/tiny-F32.gguf" gpu "$mode")" || die "GPU $mode training failed: $(cat "$work/train-gpu-$mode.err")"
  difference="$(compare "$cpu_out" "$gpu_out")"
  echo "cuda-smoke: F32 $mode — CPU losses $(echo "$cpu_out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s.trim().split("\n").map(l=>JSON.parse(l).loss.toFixed(5)).join(" ")))')"
  echo "cuda-smoke: F32 $mode — GPU losses $(echo "$gpu_out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s.trim().split("\n").map(l=>JSON.parse(l).loss.toFixed(5)).join(" ")))')"
  echo "cuda-smoke: F32 $mode — max relative loss difference $difference"
  summary+=",\"f32_${mode}_max_relative_difference\":$difference"
  node -e 'process.exit(Number(process.argv[1]) <= 1e-3 ? 0 : 1)' "$difference" || status=1
done

# 5. LoRA on frozen F16 and Q8_0 bases on the GPU: trained, or refused up front with the op that is missing.
for type in F16 Q8_0; do
  if out="$(train "$work/tiny-$type.gguf" gpu lora)"; then
    outcome="trained: last loss $(echo "$out" | tail -n 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).loss))')"
  else
    outcome="refused: $(tr -d '"\n' <"$work/train-gpu-lora.err")"
  fi
  echo "cuda-smoke: LoRA on a frozen $type base on the GPU — $outcome"
  summary+=",\"lora_${type}_on_gpu\":\"${outcome//\"/}\""
done
summary+=",\"seconds\":$(($(date +%s) - started)),\"passed\":$([ $status -eq 0 ] && echo true || echo false)}"
echo "$summary" | tee "$work/result.json"
exit $status
