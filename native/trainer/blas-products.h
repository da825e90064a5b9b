// Large F32 matrix products through the host's OpenBLAS, when one is installed (Debian: libopenblas0-pthread),
// instead of ggml's own CPU kernel (llamafile's tinyBLAS). On this project's 2-core AVX-512 machine OpenBLAS's
// SGEMM runs about 3x faster than tinyBLAS on the training shapes (bench/training-speed.ts prints both), and the
// products are two thirds of a training step. ggml's own BLAS backend makes the same choice; node-llama-cpp ships
// no such backend, so the trainer does it itself: after autodiff, each eligible MUL_MAT or OUT_PROD node becomes a
// custom op whose threads each run a single-threaded SGEMM on their share of the output — the backward's
// transposed operands as BLAS transposition flags, with no copy. Nothing is linked: the library is
// opened at run time, and without it (or with STRATA_TRAINER_BLAS=0) every product stays ggml's.
#pragma once

#include <string>

#include "ggml.h"

namespace strata {

struct Blas;

// The host's OpenBLAS, opened once; nullptr when there is none or STRATA_TRAINER_BLAS=0.
const Blas *host_blas();

// What runs the large F32 products: "OpenBLAS 0.3.21 (Cooperlake)" or "ggml (no OpenBLAS found)".
std::string matmul_kernel_description();

// Turns every MUL_MAT and OUT_PROD of `graph` that OpenBLAS can run (F32 operands stored by rows or by columns —
// transposed views need no copy —, every dimension at least 32) into a custom op computing the same product; the
// nodes keep their identity and operands. Does nothing when `blas` is nullptr.
void use_blas_products(ggml_cgraph *graph, const Blas *blas);

} // namespace strata
