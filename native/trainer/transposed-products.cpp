#include "transposed-products.h"

#include <algorithm>

#include "ggml-alloc.h"
#include "strata_trainer.h"
#include "trainer-model.h"

namespace strata {
namespace {

// tinyBLAS takes only inner dimensions that are multiples of the SIMD width (16 floats on AVX-512); ggml falls back
// to one dot product per output element, ~3x slower, otherwise. The LM head's input gradient has the vocabulary
// (e.g. 12,522) as its inner dimension. Both operands of a product are padded alike, so the zeros add nothing.
constexpr int64_t kInnerMultiple = 16;

int64_t padded(int64_t n) { return (n + kInnerMultiple - 1) / kInnerMultiple * kInnerMultiple; }

// dst[i3][i2][j][k] = x[i3][i2][k][j] for k < x.ne1, 0 up to the padding; x F32 with any strides, dst contiguous.
// 32×32 tiles so that both the strided reads and the writes stay in cache; threads take whole tile rows.
void transpose_pad_f32(ggml_tensor *dst, int ith, int nth, void *) {
    const ggml_tensor *x = dst->src[0];
    constexpr int64_t kTile = 32;
    const int64_t rows = dst->ne[1], inner = x->ne[1], inner_padded = dst->ne[0];
    const int64_t row_tiles = (rows + kTile - 1) / kTile;
    const int64_t jobs = row_tiles * dst->ne[2] * dst->ne[3];
    const int64_t per_thread = (jobs + nth - 1) / nth;
    for (int64_t job = ith * per_thread; job < std::min(jobs, (ith + 1) * per_thread); job++) {
        const int64_t plane = job / row_tiles, j0 = job % row_tiles * kTile, j1 = std::min(j0 + kTile, rows);
        const int64_t i2 = plane % dst->ne[2], i3 = plane / dst->ne[2];
        const char *in = static_cast<const char *>(x->data) + i2 * x->nb[2] + i3 * x->nb[3];
        char *out = static_cast<char *>(dst->data) + i2 * dst->nb[2] + i3 * dst->nb[3];
        for (int64_t k0 = 0; k0 < inner; k0 += kTile) {
            const int64_t k1 = std::min(k0 + kTile, inner);
            for (int64_t j = j0; j < j1; j++) {
                float *row = reinterpret_cast<float *>(out + j * dst->nb[1]);
                const char *column = in + j * x->nb[0];
                for (int64_t k = k0; k < k1; k++) row[k] = *reinterpret_cast<const float *>(column + k * x->nb[1]);
            }
        }
        for (int64_t j = j0; j < j1; j++) {
            float *row = reinterpret_cast<float *>(out + j * dst->nb[1]);
            std::fill(row + inner, row + inner_padded, 0.0f);
        }
    }
}

// A forward MUL_MAT whose inner dimension is no multiple of 16 — the LoRA product B·(A·x), whose inner dimension is
// the rank — gets both operands zero-padded so that tinyBLAS takes it: copies of r × (n_out + T) values against the
// per-element dot products over r. Runs after autodiff, so PAD (which has no backward) is not differentiated.
bool pad_inner_dimension(ggml_context *ctx, ggml_tensor *node) {
    if (node->op != GGML_OP_MUL_MAT || node->src[0]->type != GGML_TYPE_F32 || node->src[1]->type != GGML_TYPE_F32) return false;
    const int64_t padding = padded(node->src[0]->ne[0]) - node->src[0]->ne[0];
    if (padding == 0) return false;
    for (int s = 0; s < 2; s++) node->src[s] = ggml_pad(ctx, node->src[s], (int)padding, 0, 0, 0);
    return true;
}

} // namespace

size_t transposed_f32_bytes(const ggml_tensor *x) {
    return sizeof(float) * (size_t)(padded(x->ne[1]) * x->ne[0] * x->ne[2] * x->ne[3]);
}

ggml_tensor *transposed_f32(ggml_context *ctx, ggml_tensor *x, bool cpu_kernel) {
    // Quantized and F16 x is widened first: mul_mat would round the other operand to x's dot type, and the
    // gradient should stay F32.
    if (x->type != GGML_TYPE_F32) x = ggml_cast(ctx, x, GGML_TYPE_F32);
    ggml_tensor *xt = ggml_transpose(ctx, x);
    const int64_t padding = padded(xt->ne[0]) - xt->ne[0];
    if (padding == 0 && ggml_is_contiguous(xt)) return xt; // x was itself a transposed view
    if (cpu_kernel) {
        ggml_tensor *args[] = {x};
        return ggml_custom_4d(ctx, GGML_TYPE_F32, padded(xt->ne[0]), xt->ne[1], xt->ne[2], xt->ne[3], args, 1,
                              transpose_pad_f32, GGML_N_TASKS_MAX, nullptr);
    }
    // Other backends: ggml's own ops (PAD reads any strides; CONT copies element by element).
    return padding ? ggml_pad(ctx, xt, (int)padding, 0, 0, 0) : ggml_cont(ctx, xt);
}

ggml_cgraph *with_out_prods_as_mul_mats(ggml_context *ctx, ggml_cgraph *graph, size_t size,
                                        const TransposedWeights &frozen, bool cpu_kernel) {
    const int n_nodes = ggml_graph_n_nodes(graph);
    // One transpose per tensor: q, k and v (gate and up) read the same normed activations.
    std::unordered_map<const ggml_tensor *, ggml_tensor *> transposed;
    bool changed = false;
    for (int i = 0; i < n_nodes; i++) {
        ggml_tensor *node = ggml_graph_node(graph, i);
        if (node->op != GGML_OP_OUT_PROD) continue;
        for (int s = 0; s < 2; s++) {
            ggml_tensor *copy = frozen.find(node->src[s]);
            if (!copy) {
                ggml_tensor *&made = transposed[node->src[s]];
                if (!made) made = transposed_f32(ctx, node->src[s], cpu_kernel);
                copy = made;
            }
            node->src[s] = copy;
        }
        node->op = GGML_OP_MUL_MAT;
        changed = true;
    }
    if (cpu_kernel)
        for (int i = 0; i < n_nodes; i++) changed |= pad_inner_dimension(ctx, ggml_graph_node(graph, i));
    if (!changed) return graph; // no new tensors to take in (OpenBLAS took every product)
    ggml_cgraph *rewritten = ggml_new_graph_custom(ctx, size, false);
    for (int i = 0; i < n_nodes; i++) ggml_build_forward_expand(rewritten, ggml_graph_node(graph, i));
    return rewritten;
}

TransposedWeights::~TransposedWeights() {
    if (buffer_) ggml_backend_buffer_free(buffer_);
    if (ctx_) ggml_free(ctx_);
}

ggml_tensor *TransposedWeights::find(const ggml_tensor *weight) const {
    auto found = copies_.find(weight);
    return found == copies_.end() ? nullptr : found->second;
}

size_t TransposedWeights::bytes() const { return buffer_ ? ggml_backend_buffer_get_size(buffer_) : 0; }

bool TransposedWeights::build(ggml_backend_t backend, const std::vector<ggml_tensor *> &weights, size_t max_bytes,
                              bool cpu_kernel) {
    std::vector<ggml_tensor *> unique;
    size_t total = 0;
    for (ggml_tensor *w : weights)
        if (w && std::find(unique.begin(), unique.end(), w) == unique.end()) {
            unique.push_back(w);
            total += transposed_f32_bytes(w);
        }
    if (unique.empty() || total > max_bytes) return false;

    ggml_init_params params = {ggml_tensor_overhead() * unique.size(), nullptr, /*no_alloc =*/true};
    ctx_ = ggml_init(params);
    std::vector<ggml_tensor *> copies;
    for (ggml_tensor *w : unique) {
        ggml_tensor *copy = ggml_new_tensor_4d(ctx_, GGML_TYPE_F32, padded(w->ne[1]), w->ne[0], w->ne[2], w->ne[3]);
        ggml_format_name(copy, "%s (transposed)", w->name);
        copies.push_back(copy);
    }
    buffer_ = ggml_backend_alloc_ctx_tensors(ctx_, backend);
    if (!buffer_) throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, "could not allocate the transposed copies of the frozen weights");

    // One small graph per weight, so that the temporaries (a widened quantized weight) stay one weight's size.
    ggml_gallocr_t galloc = ggml_gallocr_new(ggml_backend_get_default_buffer_type(backend));
    const size_t graph_nodes = 16;
    for (size_t i = 0; i < unique.size(); i++) {
        ggml_init_params graph_params = {ggml_tensor_overhead() * graph_nodes + ggml_graph_overhead_custom(graph_nodes, false), nullptr, true};
        ggml_context *g = ggml_init(graph_params);
        ggml_cgraph *graph = ggml_new_graph_custom(g, graph_nodes, false);
        ggml_build_forward_expand(graph, ggml_cpy(g, transposed_f32(g, unique[i], cpu_kernel), copies[i]));
        const bool ok = ggml_gallocr_alloc_graph(galloc, graph) && ggml_backend_graph_compute(backend, graph) == GGML_STATUS_SUCCESS;
        ggml_free(g);
        if (!ok) {
            ggml_gallocr_free(galloc);
            throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, std::string("could not transpose frozen weight '") + unique[i]->name + "'");
        }
        copies_[unique[i]] = copies[i];
    }
    ggml_gallocr_free(galloc);
    return true;
}

} // namespace strata
