// The backward pass's matrix products as fast MUL_MATs. ggml's autodiff turns every MUL_MAT y = W·x into two
// OUT_PRODs — the weight gradient dW = x·dyᵀ and the input gradient dx = Wᵀ·dy — and the CPU backend's OUT_PROD
// runs 2-4x slower per FLOP than its F32 MUL_MAT (llamafile's tinyBLAS; bench/training-speed.ts prints both).
// out_prod(a, b) = mul_mat(aᵀ, bᵀ) with the same broadcasting over dims 2 and 3, so each OUT_PROD becomes a
// MUL_MAT of transposed copies: a copy costs O(n·d), the product O(n·d·T). Frozen weights (LoRA) keep their
// transposed copy for the whole run.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "ggml-backend.h"
#include "ggml.h"

namespace strata {

// Transposed copies of frozen weights, made once: F32, rows padded like transposed_f32's.
class TransposedWeights {
  public:
    TransposedWeights() = default;
    TransposedWeights(const TransposedWeights &) = delete;
    TransposedWeights &operator=(const TransposedWeights &) = delete;
    ~TransposedWeights();

    // Copies every weight in `weights` (duplicates ignored) when the copies take at most `max_bytes`; returns
    // whether it did. Throws TrainerError when the backend fails.
    bool build(ggml_backend_t backend, const std::vector<ggml_tensor *> &weights, size_t max_bytes, bool cpu_kernel);
    ggml_tensor *find(const ggml_tensor *weight) const;
    size_t bytes() const;

  private:
    ggml_context *ctx_ = nullptr;
    ggml_backend_buffer_t buffer_ = nullptr;
    std::unordered_map<const ggml_tensor *, ggml_tensor *> copies_;
};

// Bytes of transposed_f32(x): F32, the transposed inner dimension padded to a multiple of 16.
size_t transposed_f32_bytes(const ggml_tensor *x);

// xᵀ as a contiguous F32 tensor, its rows (x's dim 1) zero-padded to a multiple of 16. `cpu_kernel`: one tiled
// transpose (a custom op, CPU only) instead of ggml's element-by-element copy.
ggml_tensor *transposed_f32(ggml_context *ctx, ggml_tensor *x, bool cpu_kernel);

// Rewrites every OUT_PROD node of `graph` into a MUL_MAT in place (other nodes point at it) and returns the same
// computation re-expanded, in the original order, into a new graph of `size` nodes that includes the copies —
// or `graph` itself when nothing needed rewriting.
ggml_cgraph *with_out_prods_as_mul_mats(ggml_context *ctx, ggml_cgraph *graph, size_t size,
                                        const TransposedWeights &frozen, bool cpu_kernel);

} // namespace strata
