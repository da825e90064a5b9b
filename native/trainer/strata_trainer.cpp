// The trainer core behind strata_trainer.h. Reads top to bottom: backend, parameters, the graph (no KV
// cache: K and V go straight into attention, so their gradients flow), then the C entry points.
#include "strata_trainer.h"

#include <dlfcn.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ggml-alloc.h"
#include "ggml-backend.h"
#include "ggml.h"
#include "blas-products.h"
#include "trainer-model.h"
#include "transposed-products.h"

using strata::Model;
using strata::TrainerError;

namespace {

struct Parameter {
    std::string name;
    ggml_tensor *value = nullptr; // a LoRA A/B, or a base weight in full mode
    ggml_tensor *m = nullptr, *v = nullptr, *grad_sum = nullptr;
};

struct LoraPair {
    ggml_tensor *a = nullptr; // [n_in, r]  (llama.cpp's lora_a layout)
    ggml_tensor *b = nullptr; // [r, n_out] (lora_b), zero at start
};

struct Inputs {
    ggml_tensor *tokens = nullptr, *positions = nullptr, *mask = nullptr;
};

} // namespace

struct strata_trainer {
    strata_trainer_config config{};
    ggml_backend_t backend = nullptr;
    Model model;
    ggml_context *param_ctx = nullptr;
    ggml_backend_buffer_t param_buffer = nullptr;
    ggml_gallocr_t galloc = nullptr;
    std::vector<Parameter> parameters;
    std::vector<std::vector<LoraPair>> lora; // [layer][target index]
    strata::TransposedWeights transposed;    // frozen weights' transposes for the input gradients (LoRA)
    std::vector<float> labels;               // one-hot targets [n_vocab, n], kept between steps (see set_loss_inputs)
    std::vector<size_t> labels_set;          // where labels holds a 1
    float lora_scale = 0.0f;
    double accumulated_tokens = 0.0;
    double accumulated_loss = 0.0;
    int64_t step = 0;

    ~strata_trainer() {
        if (galloc) ggml_gallocr_free(galloc);
        if (param_buffer) ggml_backend_buffer_free(param_buffer);
        if (param_ctx) ggml_free(param_ctx);
        if (backend) ggml_backend_free(backend); // buffers (the model's too) do not need it to be freed

    }
};

namespace {

enum Target { kQ, kK, kV, kO, kGate, kUp, kDown, kTargetCount };
const char *const kTargetNames[kTargetCount] = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};

void fill_error(char *error, size_t size, const std::string &message) {
    if (!error || size == 0) return;
    std::snprintf(error, size, "%s", message.c_str());
}

// ---- backend -------------------------------------------------------------------------------------

// Whether the graph may use what only the CPU backend runs: OpenBLAS products and ggml custom ops. Not on a GPU,
// and not in CPU_PORTABLE mode, which runs the GPU's graph on the CPU to check it where no GPU is.
bool cpu_kernels(const strata_trainer &t) { return t.config.device == STRATA_TRAINER_DEVICE_CPU; }

std::string folder_of_ggml_base() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&ggml_init), &info) == 0 || !info.dli_fname) return ".";
    std::string path = info.dli_fname;
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

ggml_backend_t start_backend(const strata_trainer_config &config) {
    static std::once_flag loaded;
    const std::string dir = config.backend_dir ? config.backend_dir : folder_of_ggml_base();
    std::call_once(loaded, [&] { ggml_backend_load_all_from_path(dir.c_str()); });
    if (config.device == STRATA_TRAINER_DEVICE_GPU) {
        ggml_backend_t gpu = ggml_backend_init_by_type(GGML_BACKEND_DEVICE_TYPE_GPU, nullptr);
        if (!gpu)
            throw TrainerError(STRATA_TRAINER_BACKEND_ERROR,
                               "no GPU backend in this ggml build (" + dir +
                                   "): node-llama-cpp's prebuilt CPU binaries have none; build one with scripts/cuda-smoke.sh");
        return gpu;
    }
    ggml_backend_t backend = ggml_backend_init_by_type(GGML_BACKEND_DEVICE_TYPE_CPU, nullptr);
    if (!backend)
        throw TrainerError(STRATA_TRAINER_BACKEND_ERROR,
                           "no CPU backend found in " + dir + " (expected libggml-cpu-*.so from node-llama-cpp's prebuilt binaries)");
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(ggml_backend_get_device(backend));
    auto set_threads = reinterpret_cast<ggml_backend_set_n_threads_t>(ggml_backend_reg_get_proc_address(reg, "ggml_backend_set_n_threads"));
    if (set_threads) set_threads(backend, config.n_threads > 0 ? config.n_threads : 1);
    return backend;
}

// ---- parameters ----------------------------------------------------------------------------------

ggml_tensor *target_weight(const strata::LayerWeights &l, int target) {
    switch (target) {
    case kQ: return l.wq;
    case kK: return l.wk;
    case kV: return l.wv;
    case kO: return l.wo;
    case kGate: return l.w_gate;
    case kUp: return l.w_up;
    default: return l.w_down;
    }
}

// Deterministic across platforms: splitmix64 + Box-Muller, not std::normal_distribution.
struct Random {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform() { return ((next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
    double normal() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); }
};

void add_parameter(strata_trainer &t, ggml_tensor *value) {
    Parameter p;
    p.name = ggml_get_name(value);
    p.value = value;
    p.m = ggml_dup_tensor(t.param_ctx, value);
    p.v = ggml_dup_tensor(t.param_ctx, value);
    p.grad_sum = ggml_dup_tensor(t.param_ctx, value);
    t.parameters.push_back(p);
}

void create_parameters(strata_trainer &t) {
    const auto &hp = t.model.hparams;
    const bool lora = t.config.mode == STRATA_TRAINER_MODE_LORA;
    std::vector<ggml_tensor *> trained;
    if (!lora) {
        for (int64_t i = 0; i < gguf_get_n_tensors(t.model.gguf); i++) {
            ggml_tensor *w = ggml_get_tensor(t.model.ctx, gguf_get_tensor_name(t.model.gguf, i));
            if (w->type != GGML_TYPE_F32)
                throw TrainerError(STRATA_TRAINER_UNSUPPORTED_MODEL,
                                   std::string("full fine-tuning needs an F32 model, but tensor '") + w->name + "' is " +
                                       ggml_type_name(w->type) + "; use LoRA, or convert the base to F32");
            trained.push_back(w);
        }
    }
    const size_t n_tensors = 4 * (lora ? (size_t)hp.n_layer * kTargetCount * 2 : trained.size()) + 8;
    ggml_init_params params = {ggml_tensor_overhead() * n_tensors, nullptr, /*no_alloc =*/true};
    t.param_ctx = ggml_init(params);
    if (lora) {
        const int r = t.config.lora_rank;
        t.lora.assign(hp.n_layer, std::vector<LoraPair>(kTargetCount));
        for (int il = 0; il < hp.n_layer; il++) {
            for (int target = 0; target < kTargetCount; target++) {
                if (!(t.config.lora_targets & (1u << target))) continue;
                ggml_tensor *w = target_weight(t.model.layers[il], target);
                LoraPair &pair = t.lora[il][target];
                pair.a = ggml_new_tensor_2d(t.param_ctx, GGML_TYPE_F32, w->ne[0], r);
                pair.b = ggml_new_tensor_2d(t.param_ctx, GGML_TYPE_F32, r, w->ne[1]);
                ggml_format_name(pair.a, "%s.lora_a", w->name);
                ggml_format_name(pair.b, "%s.lora_b", w->name);
                trained.push_back(pair.a);
                trained.push_back(pair.b);
            }
        }
    }
    for (ggml_tensor *p : trained) add_parameter(t, p);
    t.param_buffer = ggml_backend_alloc_ctx_tensors(t.param_ctx, t.backend);
    if (!t.param_buffer) throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, "could not allocate parameters and optimizer state");
    ggml_backend_buffer_clear(t.param_buffer, 0);
    if (lora) {
        // A ~ N(0, 1/n_in), B = 0: the adapter starts as the identity, as LoRA prescribes.
        Random random{t.config.seed};
        for (auto &layer : t.lora)
            for (LoraPair &pair : layer) {
                if (!pair.a) continue;
                std::vector<float> values(ggml_nelements(pair.a));
                const double std_dev = 1.0 / std::sqrt((double)pair.a->ne[0]);
                for (float &x : values) x = (float)(random.normal() * std_dev);
                ggml_backend_tensor_set(pair.a, values.data(), 0, values.size() * sizeof(float));
            }
    }
}

// LoRA leaves every base weight frozen, so the transpose its input gradient needs (transposed-products.h) is made
// once instead of every step — when that costs at most twice the weights' own memory: always for F32 and F16
// bases, not for 8- and 4-bit ones, whose point is to save memory (they are transposed per step). OpenBLAS reads
// F32 weights transposed as they are: with it, only the other types are copied.
void transpose_frozen_weights(strata_trainer &t) {
    if (t.config.mode != STRATA_TRAINER_MODE_LORA) return;
    const bool blas = cpu_kernels(t) && strata::host_blas();
    std::vector<ggml_tensor *> weights;
    size_t weight_bytes = 0;
    auto add = [&](ggml_tensor *w) {
        if (!w || (blas && w->type == GGML_TYPE_F32) || std::find(weights.begin(), weights.end(), w) != weights.end()) return;
        weights.push_back(w);
        weight_bytes += ggml_nbytes(w);
    };
    for (const strata::LayerWeights &layer : t.model.layers)
        for (int target = 0; target < kTargetCount; target++) add(target_weight(layer, target));
    add(t.model.output);
    t.transposed.build(t.backend, weights, 2 * weight_bytes, cpu_kernels(t));
}

// ---- the graph -----------------------------------------------------------------------------------

struct GraphContext {
    ggml_context *ctx = nullptr;
    explicit GraphContext(size_t n_nodes) {
        // Room for the graph with gradients and for its rewrite (with_out_prods_as_mul_mats), at most twice as big.
        ggml_init_params params = {ggml_tensor_overhead() * n_nodes * 6 + ggml_graph_overhead_custom(n_nodes, true) +
                                       ggml_graph_overhead_custom(2 * n_nodes, false),
                                   nullptr, true};
        ctx = ggml_init(params);
    }
    ~GraphContext() { ggml_free(ctx); }
};

size_t graph_size(const strata_trainer &t) { return 4096 + (size_t)t.model.hparams.n_layer * 1024; }

ggml_tensor *linear(const strata_trainer &t, ggml_context *ctx, ggml_tensor *x, int il, int target) {
    ggml_tensor *y = ggml_mul_mat(ctx, target_weight(t.model.layers[il], target), x);
    if (!t.lora.empty()) {
        const LoraPair &pair = t.lora[il][target];
        if (pair.a) {
            ggml_tensor *delta = ggml_mul_mat(ctx, pair.b, ggml_mul_mat(ctx, pair.a, x));
            y = ggml_add(ctx, y, ggml_scale(ctx, delta, t.lora_scale));
        }
    }
    return y;
}

ggml_tensor *rms_norm(const strata_trainer &t, ggml_context *ctx, ggml_tensor *x, ggml_tensor *weight) {
    return ggml_mul(ctx, ggml_rms_norm(ctx, x, t.model.hparams.rms_eps), weight);
}

ggml_tensor *rope(const strata_trainer &t, ggml_context *ctx, ggml_tensor *x, ggml_tensor *positions) {
    const auto &hp = t.model.hparams;
    return ggml_rope_ext(ctx, x, positions, t.model.rope_freqs, hp.n_rot, hp.rope_mode, hp.n_ctx_train, hp.rope_freq_base,
                         hp.rope_freq_scale, 0.0f, 1.0f, 32.0f, 1.0f);
}

// Hidden states after the final norm, [n_embd, T]. Attention is explicit (KQ, masked softmax, KQV):
// flash attention has no backward pass in ggml.
ggml_tensor *build_hidden(const strata_trainer &t, ggml_context *ctx, const Inputs &in, int T) {
    const auto &hp = t.model.hparams;
    const int hd = hp.head_dim();
    ggml_tensor *x = ggml_get_rows(ctx, t.model.token_embd, in.tokens);
    for (int il = 0; il < hp.n_layer; il++) {
        const strata::LayerWeights &l = t.model.layers[il];
        ggml_tensor *h = rms_norm(t, ctx, x, l.attn_norm);
        ggml_tensor *q = linear(t, ctx, h, il, kQ);
        ggml_tensor *k = linear(t, ctx, h, il, kK);
        ggml_tensor *v = linear(t, ctx, h, il, kV);
        if (l.bq) q = ggml_add(ctx, q, l.bq);
        if (l.bk) k = ggml_add(ctx, k, l.bk);
        if (l.bv) v = ggml_add(ctx, v, l.bv);
        q = rope(t, ctx, ggml_reshape_3d(ctx, q, hd, hp.n_head, T), in.positions);
        k = rope(t, ctx, ggml_reshape_3d(ctx, k, hd, hp.n_head_kv, T), in.positions);
        v = ggml_reshape_3d(ctx, v, hd, hp.n_head_kv, T);
        ggml_tensor *Q = ggml_cont(ctx, ggml_permute(ctx, q, 0, 2, 1, 3));  // [hd, T, H]
        ggml_tensor *K = ggml_cont(ctx, ggml_permute(ctx, k, 0, 2, 1, 3));  // [hd, T, H_kv]
        ggml_tensor *Vt = ggml_cont(ctx, ggml_permute(ctx, v, 1, 2, 0, 3)); // [T, hd, H_kv]
        ggml_tensor *scores = ggml_mul_mat(ctx, K, Q);                      // [T_k, T_q, H], K/V heads broadcast (GQA)
        ggml_tensor *probs = ggml_soft_max_ext(ctx, scores, in.mask, 1.0f / std::sqrt((float)hd), 0.0f);
        ggml_tensor *o = ggml_mul_mat(ctx, Vt, probs); // [hd, T_q, H]
        o = ggml_reshape_2d(ctx, ggml_cont(ctx, ggml_permute(ctx, o, 0, 2, 1, 3)), hp.n_embd, T);
        x = ggml_add(ctx, x, linear(t, ctx, o, il, kO));
        h = rms_norm(t, ctx, x, l.ffn_norm);
        ggml_tensor *ffn = ggml_swiglu_split(ctx, linear(t, ctx, h, il, kGate), linear(t, ctx, h, il, kUp));
        x = ggml_add(ctx, x, linear(t, ctx, ffn, il, kDown));
    }
    return rms_norm(t, ctx, x, t.model.output_norm);
}

Inputs make_inputs(ggml_context *ctx, int T) {
    Inputs in;
    in.tokens = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, T);
    in.positions = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, T);
    in.mask = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, T, T);
    for (ggml_tensor *tensor : {in.tokens, in.positions, in.mask}) ggml_set_input(tensor);
    return in;
}

// Block-diagonal causal mask, positions restarting at each document.
void set_inputs(const Inputs &in, const int32_t *tokens, const int32_t *document_ids, int T) {
    std::vector<int32_t> positions(T);
    std::vector<float> mask((size_t)T * T, -INFINITY);
    for (int q = 0; q < T; q++) {
        const int32_t doc = document_ids ? document_ids[q] : 0;
        positions[q] = (q > 0 && (document_ids ? document_ids[q - 1] : 0) == doc) ? positions[q - 1] + 1 : 0;
        for (int k = q; k >= 0 && (document_ids ? document_ids[k] : 0) == doc; k--) mask[(size_t)q * T + k] = 0.0f;
    }
    ggml_backend_tensor_set(in.tokens, tokens, 0, sizeof(int32_t) * T);
    ggml_backend_tensor_set(in.positions, positions.data(), 0, sizeof(int32_t) * T);
    ggml_backend_tensor_set(in.mask, mask.data(), 0, sizeof(float) * mask.size());
}

// A GPU backend may lack an op the graph needs (CUDA's OUT_PROD takes only F32 weights, so the input gradient
// through a frozen F16 or Q8_0 weight cannot run there): say which, before ggml would abort. With its own kernels
// the CPU backend is not asked; in CPU_PORTABLE mode it is, as a GPU would be.
void check_backend_supports(const strata_trainer &t, ggml_cgraph *graph) {
    if (cpu_kernels(t)) return;
    for (int i = 0; i < ggml_graph_n_nodes(graph); i++) {
        ggml_tensor *node = ggml_graph_node(graph, i);
        if (ggml_backend_supports_op(t.backend, node)) continue;
        std::string operands;
        for (int s = 0; s < GGML_MAX_SRC && node->src[s]; s++)
            operands += std::string(s ? ", " : "") + ggml_type_name(node->src[s]->type) + " '" + node->src[s]->name + "'";
        throw TrainerError(STRATA_TRAINER_UNSUPPORTED_MODEL,
                           std::string("the ") + ggml_backend_name(t.backend) + " backend cannot compute " + ggml_op_desc(node) +
                               " on " + operands + "; train on the CPU, or convert the base model to F32");
    }
}

void allocate(strata_trainer &t, ggml_cgraph *graph) {
    check_backend_supports(t, graph);
    if (!ggml_gallocr_alloc_graph(t.galloc, graph))
        throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, "could not allocate the compute graph (out of memory?)");
}

void run(strata_trainer &t, ggml_cgraph *graph) {
    if (ggml_backend_graph_compute(t.backend, graph) != GGML_STATUS_SUCCESS)
        throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, "the backend failed to compute the graph");
}

void check_tokens(const strata_trainer &t, const int32_t *ids, int n, const char *what) {
    for (int i = 0; i < n; i++)
        if (ids[i] < 0 || ids[i] >= t.model.hparams.n_vocab)
            throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, std::string(what) + "[" + std::to_string(i) + "] = " +
                                                                    std::to_string(ids[i]) + " is outside the vocabulary (" +
                                                                    std::to_string(t.model.hparams.n_vocab) + " tokens)");
}

void check_batch(const strata_trainer &t, const strata_trainer_batch *b) {
    if (!b || !b->tokens || !b->targets || !b->loss_mask || b->n_tokens <= 0)
        throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "a batch needs tokens, targets, loss_mask and n_tokens > 0");
    if (b->n_tokens > t.config.max_tokens)
        throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "batch of " + std::to_string(b->n_tokens) + " tokens exceeds max_tokens " +
                                                                std::to_string(t.config.max_tokens));
    check_tokens(t, b->tokens, b->n_tokens, "tokens");
    check_tokens(t, b->targets, b->n_tokens, "targets");
}

struct LossGraph {
    ggml_tensor *loss = nullptr, *selected = nullptr, *labels = nullptr;
    Inputs in;
    std::vector<int32_t> selected_rows;
};

// Loss = mean cross-entropy over trained positions. The positions are gathered before the LM head, so
// untrained rows get no gradient at all (zero label rows would still get softmax/n back).
LossGraph build_loss(const strata_trainer &t, ggml_context *ctx, const strata_trainer_batch *b) {
    LossGraph g;
    for (int i = 0; i < b->n_tokens; i++)
        if (b->loss_mask[i]) g.selected_rows.push_back(i);
    if (g.selected_rows.empty()) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "the batch has no trained positions (loss_mask is all zero)");
    const int n = (int)g.selected_rows.size();
    g.in = make_inputs(ctx, b->n_tokens);
    g.selected = ggml_new_tensor_1d(ctx, GGML_TYPE_I32, n);
    g.labels = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, t.model.hparams.n_vocab, n);
    ggml_set_input(g.selected);
    ggml_set_input(g.labels);
    ggml_tensor *hidden = ggml_get_rows(ctx, build_hidden(t, ctx, g.in, b->n_tokens), g.selected);
    ggml_tensor *logits = ggml_mul_mat(ctx, t.model.output, hidden);
    g.loss = ggml_cross_entropy_loss(ctx, logits, g.labels);
    ggml_set_output(g.loss);
    ggml_set_loss(g.loss);
    return g;
}

// The one-hot labels are n_vocab × n floats (12.8 MB for 12.5k tokens × 256): the buffer is kept and only its ones
// are moved, instead of allocating, zeroing and page-faulting a fresh one every micro-batch.
void set_loss_inputs(strata_trainer &t, const LossGraph &g, const strata_trainer_batch *b) {
    set_inputs(g.in, b->tokens, b->document_ids, b->n_tokens);
    const int n = (int)g.selected_rows.size();
    const size_t V = (size_t)t.model.hparams.n_vocab;
    if (t.labels.size() < V * n) t.labels.resize(V * n, 0.0f);
    for (size_t at : t.labels_set) t.labels[at] = 0.0f;
    t.labels_set.clear();
    for (int j = 0; j < n; j++) {
        const size_t at = (size_t)j * V + b->targets[g.selected_rows[j]];
        t.labels[at] = 1.0f;
        t.labels_set.push_back(at);
    }
    ggml_backend_tensor_set(g.selected, g.selected_rows.data(), 0, sizeof(int32_t) * n);
    ggml_backend_tensor_set(g.labels, t.labels.data(), 0, sizeof(float) * V * n);
}

float read_scalar(ggml_tensor *tensor) {
    float value = 0.0f;
    ggml_backend_tensor_get(tensor, &value, 0, sizeof(float));
    return value;
}

// ---- entry-point plumbing ------------------------------------------------------------------------

template <typename Body> int guarded(char *error, size_t error_size, Body body) {
    try {
        body();
        return STRATA_TRAINER_OK;
    } catch (const TrainerError &e) {
        fill_error(error, error_size, e.what());
        return e.status;
    } catch (const std::bad_alloc &) {
        fill_error(error, error_size, "out of memory");
        return STRATA_TRAINER_INTERNAL_ERROR;
    } catch (const std::exception &e) {
        fill_error(error, error_size, std::string("internal error: ") + e.what());
        return STRATA_TRAINER_INTERNAL_ERROR;
    } catch (...) {
        fill_error(error, error_size, "internal error");
        return STRATA_TRAINER_INTERNAL_ERROR;
    }
}

void validate_config(const strata_trainer_config &c) {
    auto bad = [](const std::string &m) { throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, m); };
    if (c.mode != STRATA_TRAINER_MODE_LORA && c.mode != STRATA_TRAINER_MODE_FULL) bad("mode must be LORA (0) or FULL (1)");
    if (c.mode == STRATA_TRAINER_MODE_LORA) {
        if (c.lora_rank <= 0) bad("lora_rank must be positive");
        if ((c.lora_targets & STRATA_TRAINER_TARGET_ALL) == 0 || (c.lora_targets & ~(uint32_t)STRATA_TRAINER_TARGET_ALL))
            bad("lora_targets must be a non-empty set of q, k, v, o, gate, up, down");
    }
    if (!(c.adam_beta1 >= 0 && c.adam_beta1 < 1) || !(c.adam_beta2 >= 0 && c.adam_beta2 < 1) || !(c.adam_epsilon > 0))
        bad("AdamW betas must be in [0, 1) and epsilon positive");
    if (!(c.max_grad_norm >= 0)) bad("max_grad_norm must be >= 0 (0 turns clipping off)");
    if (c.max_tokens <= 0) bad("max_tokens must be positive");
    if (c.device != STRATA_TRAINER_DEVICE_CPU && c.device != STRATA_TRAINER_DEVICE_GPU && c.device != STRATA_TRAINER_DEVICE_CPU_PORTABLE)
        bad("device must be CPU (0), GPU (1) or CPU_PORTABLE (2)");
}


// ---- export --------------------------------------------------------------------------------------

struct GgufOut {
    gguf_context *ctx = gguf_init_empty();
    ~GgufOut() { gguf_free(ctx); }
};

// Written next to the target and renamed onto it once complete, so a failure leaves no partial file.
struct TempFile {
    std::string path, temp;
    FILE *file = nullptr;
    explicit TempFile(const char *target) : path(target), temp(std::string(target) + ".tmp") {}
    FILE *open() {
        file = std::fopen(temp.c_str(), "wb");
        if (!file) throw TrainerError(STRATA_TRAINER_IO_ERROR, "cannot write " + temp + ": " + std::strerror(errno));
        return file;
    }
    void write(const void *data, size_t size) {
        if (size && std::fwrite(data, 1, size, file) != size)
            throw TrainerError(STRATA_TRAINER_IO_ERROR, "writing " + temp + " failed: " + std::strerror(errno) + " (disk full?)");
    }
    void commit() {
        if (file) {
            const bool ok = std::fflush(file) == 0;
            std::fclose(file);
            file = nullptr;
            if (!ok) throw TrainerError(STRATA_TRAINER_IO_ERROR, "writing " + temp + " failed (disk full?)");
        }
        if (std::rename(temp.c_str(), path.c_str()) != 0)
            throw TrainerError(STRATA_TRAINER_IO_ERROR, "cannot rename " + temp + " to " + path + ": " + std::strerror(errno));
        temp.clear();
    }
    ~TempFile() {
        if (file) std::fclose(file);
        if (!temp.empty()) std::remove(temp.c_str());
    }
};

void require_path(const char *path) {
    if (!path || !*path) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "an output path is required");
}

std::string base_string(const strata_trainer &t, const char *key) {
    const int64_t id = gguf_find_key(t.model.gguf, key);
    return id >= 0 && gguf_get_kv_type(t.model.gguf, id) == GGUF_TYPE_STRING ? gguf_get_val_str(t.model.gguf, id) : "";
}

// (alpha / r) · B·A as an [n_in, n_out] F32 matrix: ΔW[o][i] = Σ_k B[o][k]·A[k][i].
std::vector<float> lora_delta(strata_trainer &t, const LoraPair &pair) {
    GraphContext g(16);
    ggml_tensor *a_t = ggml_cont(g.ctx, ggml_transpose(g.ctx, pair.a)); // [r, n_in]
    ggml_tensor *delta = ggml_scale(g.ctx, ggml_mul_mat(g.ctx, a_t, pair.b), t.lora_scale);
    ggml_set_output(delta);
    ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, 16, false);
    ggml_build_forward_expand(graph, delta);
    allocate(t, graph);
    run(t, graph);
    std::vector<float> values(ggml_nelements(delta));
    ggml_backend_tensor_get(delta, values.data(), 0, ggml_nbytes(delta));
    return values;
}

bool converts_to_float(ggml_type type) { return type == GGML_TYPE_F32 || ggml_get_type_traits(type)->to_float != nullptr; }

// The bytes one tensor of the merged model: the base weight (dequantized when it changes type), plus the
// LoRA delta when it has one, in the output type.
std::vector<uint8_t> merged_tensor_bytes(strata_trainer &t, ggml_tensor *w, const LoraPair *pair, ggml_type type) {
    std::vector<uint8_t> raw(ggml_nbytes(w));
    ggml_backend_tensor_get(w, raw.data(), 0, raw.size());
    if (w->type == type && !pair) return raw;
    const int64_t n = ggml_nelements(w);
    std::vector<float> values(n);
    if (w->type == GGML_TYPE_F32) std::memcpy(values.data(), raw.data(), raw.size());
    else ggml_get_type_traits(w->type)->to_float(raw.data(), values.data(), n);
    if (pair) {
        const std::vector<float> delta = lora_delta(t, *pair);
        for (int64_t i = 0; i < n; i++) values[i] += delta[i];
    }
    std::vector<uint8_t> out(ggml_row_size(type, n));
    if (type == GGML_TYPE_F32) std::memcpy(out.data(), values.data(), out.size());
    else ggml_fp32_to_fp16_row(values.data(), reinterpret_cast<ggml_fp16_t *>(out.data()), n);
    return out;
}

void save_lora_adapter(strata_trainer &t, const char *path) {
    require_path(path);
    if (t.config.mode != STRATA_TRAINER_MODE_LORA)
        throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "the trainer runs in full mode and has no adapter; save the merged model instead");
    GgufOut out;
    gguf_set_val_str(out.ctx, "general.architecture", t.model.hparams.architecture.c_str());
    gguf_set_val_str(out.ctx, "general.type", "adapter");
    const std::string base_name = base_string(t, "general.name");
    if (!base_name.empty()) gguf_set_val_str(out.ctx, "general.name", (base_name + " LoRA").c_str());
    gguf_set_val_str(out.ctx, "adapter.type", "lora");
    gguf_set_val_f32(out.ctx, "adapter.lora.alpha", t.config.lora_alpha);
    for (const auto &layer : t.lora)
        for (const LoraPair &pair : layer)
            if (pair.a) {
                gguf_add_tensor(out.ctx, pair.a); // data is read from the backend buffer when written
                gguf_add_tensor(out.ctx, pair.b);
            }
    TempFile file(path);
    file.open();
    if (!gguf_write_to_file_ptr(out.ctx, file.file, false))
        throw TrainerError(STRATA_TRAINER_IO_ERROR, "writing " + file.temp + " failed (disk full?)");
    file.commit();
}

// Streams tensor by tensor: only one tensor (and its delta) is in host memory at a time.
void save_merged(strata_trainer &t, const char *path, int output_type) {
    require_path(path);
    if (output_type != STRATA_TRAINER_MERGED_F32 && output_type != STRATA_TRAINER_MERGED_F16)
        throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "output_type must be STRATA_TRAINER_MERGED_F32 (0) or _F16 (1)");
    const ggml_type matrix_type = output_type == STRATA_TRAINER_MERGED_F16 ? GGML_TYPE_F16 : GGML_TYPE_F32;
    std::map<const ggml_tensor *, const LoraPair *> pairs;
    for (size_t il = 0; il < t.lora.size(); il++)
        for (int target = 0; target < kTargetCount; target++)
            if (t.lora[il][target].a) pairs[target_weight(t.model.layers[il], target)] = &t.lora[il][target];

    GgufOut out;
    gguf_set_kv(out.ctx, t.model.gguf); // architecture, hyperparameters, tokenizer, chat template, ...
    gguf_remove_key(out.ctx, "general.alignment"); // the writer uses the default alignment
    gguf_set_val_u32(out.ctx, "general.file_type", output_type == STRATA_TRAINER_MERGED_F16 ? 1u : 0u); // LLAMA_FTYPE_ALL_F32 / MOSTLY_F16
    const int64_t n_tensors = gguf_get_n_tensors(t.model.gguf);
    std::vector<ggml_tensor *> tensors;
    std::vector<ggml_type> types;
    for (int64_t i = 0; i < n_tensors; i++) {
        ggml_tensor *w = ggml_get_tensor(t.model.ctx, gguf_get_tensor_name(t.model.gguf, i));
        ggml_type type = w->type;
        if (converts_to_float(w->type)) type = ggml_n_dims(w) >= 2 ? matrix_type : GGML_TYPE_F32;
        gguf_add_tensor(out.ctx, w);
        if (type != w->type) gguf_set_tensor_type(out.ctx, w->name, type);
        tensors.push_back(w);
        types.push_back(type);
    }
    std::vector<uint8_t> meta(gguf_get_meta_size(out.ctx));
    gguf_get_meta_data(out.ctx, meta.data());
    TempFile file(path);
    file.open();
    file.write(meta.data(), meta.size());
    const size_t alignment = gguf_get_alignment(out.ctx);
    const std::vector<uint8_t> padding(alignment, 0);
    for (size_t i = 0; i < tensors.size(); i++) {
        auto found = pairs.find(tensors[i]);
        const std::vector<uint8_t> bytes = merged_tensor_bytes(t, tensors[i], found == pairs.end() ? nullptr : found->second, types[i]);
        if (bytes.size() != gguf_get_tensor_size(out.ctx, (int64_t)i))
            throw TrainerError(STRATA_TRAINER_INTERNAL_ERROR, std::string("size mismatch writing tensor '") + tensors[i]->name + "'");
        file.write(bytes.data(), bytes.size());
        file.write(padding.data(), (alignment - bytes.size() % alignment) % alignment);
    }
    file.commit();
}

} // namespace

extern "C" {

strata_trainer_config strata_trainer_default_config(void) {
    strata_trainer_config c{};
    c.mode = STRATA_TRAINER_MODE_LORA;
    c.lora_rank = 8;
    c.lora_alpha = 16.0f;
    c.lora_targets = STRATA_TRAINER_TARGET_ALL;
    c.adam_beta1 = 0.9f;
    c.adam_beta2 = 0.999f;
    c.adam_epsilon = 1e-8f;
    c.weight_decay = 0.0f;
    c.max_grad_norm = 1.0f;
    c.n_threads = 1;
    c.max_tokens = 512;
    c.seed = 42;
    c.backend_dir = nullptr;
    c.device = STRATA_TRAINER_DEVICE_CPU;
    return c;
}

int strata_trainer_init(const strata_trainer_config *config, const char *gguf_path, strata_trainer **out, char *error,
                        size_t error_size) {
    if (out) *out = nullptr;
    return guarded(error, error_size, [&] {
        if (!config || !gguf_path || !out) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "config, gguf_path and out are required");
        validate_config(*config);
        std::unique_ptr<strata_trainer> t(new strata_trainer());
        t->config = *config;
        t->config.backend_dir = nullptr; // not owned; only needed during init
        t->backend = start_backend(*config);
        strata::load_model(t->model, gguf_path, t->backend);
        t->lora_scale = config->lora_alpha / (float)config->lora_rank;
        create_parameters(*t);
        transpose_frozen_weights(*t);
        t->galloc = ggml_gallocr_new(ggml_backend_get_default_buffer_type(t->backend));
        *out = t.release();
    });
}

const char *strata_trainer_supported_architectures(void) {
    static const std::string list = strata::supported_architectures();
    return list.c_str();
}

const char *strata_trainer_supported_frozen_types(void) {
    static const std::string list = strata::supported_frozen_types();
    return list.c_str();
}

const char *strata_trainer_matmul_kernel(void) {
    static const std::string description = strata::matmul_kernel_description();
    return description.c_str();
}

int strata_trainer_n_vocab(const strata_trainer *t) { return t ? t->model.hparams.n_vocab : 0; }

int64_t strata_trainer_n_trainable(const strata_trainer *t) {
    int64_t n = 0;
    if (t)
        for (const Parameter &p : t->parameters) n += ggml_nelements(p.value);
    return n;
}

int strata_trainer_forward_logits(strata_trainer *t, const int32_t *tokens, int n_tokens, float *logits, char *error,
                                  size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t || !tokens || !logits || n_tokens <= 0) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer, tokens and logits are required");
        if (n_tokens > t->config.max_tokens) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "more tokens than max_tokens");
        check_tokens(*t, tokens, n_tokens, "tokens");
        GraphContext g(graph_size(*t));
        Inputs in = make_inputs(g.ctx, n_tokens);
        ggml_tensor *out = ggml_mul_mat(g.ctx, t->model.output, build_hidden(*t, g.ctx, in, n_tokens));
        ggml_set_output(out);
        ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, graph_size(*t), false);
        ggml_build_forward_expand(graph, out);
        allocate(*t, graph);
        set_inputs(in, tokens, nullptr, n_tokens);
        run(*t, graph);
        ggml_backend_tensor_get(out, logits, 0, ggml_nbytes(out));
    });
}

int strata_trainer_loss(strata_trainer *t, const strata_trainer_batch *batch, double *loss, char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t || !loss) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer and loss are required");
        check_batch(*t, batch);
        GraphContext g(graph_size(*t));
        LossGraph lg = build_loss(*t, g.ctx, batch);
        ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, graph_size(*t), false);
        ggml_build_forward_expand(graph, lg.loss);
        if (cpu_kernels(*t)) strata::use_blas_products(graph, strata::host_blas());
        allocate(*t, graph);
        set_loss_inputs(*t, lg, batch);
        run(*t, graph);
        *loss = read_scalar(lg.loss);
    });
}

int strata_trainer_accumulate(strata_trainer *t, const strata_trainer_batch *batch, double *loss_sum, int64_t *n_trained,
                              char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        check_batch(*t, batch);
        for (const Parameter &p : t->parameters) ggml_set_param(p.value);
        GraphContext g(graph_size(*t));
        LossGraph lg = build_loss(*t, g.ctx, batch);
        const float n = (float)lg.selected_rows.size();
        ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, graph_size(*t), true);
        ggml_build_forward_expand(graph, lg.loss);
        ggml_build_backward_expand(g.ctx, graph, nullptr);
        // grad_sum += n · grad: the token-weighted sum, so the mean over micro-batches is exact. The factor n is the
        // loss gradient's seed (below), so each gradient arrives scaled and is added in place: one pass over each.
        // The first micro-batch after an update copies instead, so the sums are never cleared separately.
        const bool first = t->accumulated_tokens <= 0;
        for (const Parameter &p : t->parameters) {
            ggml_tensor *grad = ggml_graph_get_grad(graph, p.value);
            if (!grad) { // not reached by the loss (e.g. no trained position depends on it)
                if (first) ggml_backend_tensor_memset(p.grad_sum, 0, 0, ggml_nbytes(p.grad_sum));
                continue;
            }
            ggml_build_forward_expand(graph, first ? ggml_cpy(g.ctx, grad, p.grad_sum) : ggml_add_inplace(g.ctx, p.grad_sum, grad));
        }
        ggml_tensor *loss_grad = ggml_graph_get_grad_acc(graph, lg.loss);
        ggml_set_input(loss_grad);
        // The backward's products: OpenBLAS takes what it can as it is (transposed operands included), ggml's
        // MUL_MAT on transposed copies the rest (transposed-products.h), OpenBLAS again those copies' products.
        const bool cpu = cpu_kernels(*t);
        const strata::Blas *blas = cpu ? strata::host_blas() : nullptr;
        strata::use_blas_products(graph, blas);
        graph = strata::with_out_prods_as_mul_mats(g.ctx, graph, 2 * graph_size(*t), t->transposed, cpu);
        strata::use_blas_products(graph, blas);
        allocate(*t, graph);
        set_loss_inputs(*t, lg, batch);
        ggml_backend_tensor_set(loss_grad, &n, 0, sizeof(float));
        run(*t, graph);
        const double loss = read_scalar(lg.loss);
        t->accumulated_loss += loss * n;
        t->accumulated_tokens += n;
        if (loss_sum) *loss_sum = loss * n;
        if (n_trained) *n_trained = (int64_t)n;
    });
}

int strata_trainer_apply_update(strata_trainer *t, float learning_rate, strata_trainer_step_result *result, char *error,
                                size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        if (t->accumulated_tokens <= 0) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "no gradient accumulated since the last update");
        const size_t size = 64 + 8 * t->parameters.size();
        // Global norm of the mean gradient.
        double norm = 0.0;
        {
            GraphContext g(size);
            ggml_tensor *total = nullptr;
            for (const Parameter &p : t->parameters) {
                ggml_tensor *s = ggml_sum(g.ctx, ggml_sqr(g.ctx, p.grad_sum));
                total = total ? ggml_add(g.ctx, total, s) : s;
            }
            ggml_set_output(total);
            ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, size, false);
            ggml_build_forward_expand(graph, total);
            allocate(*t, graph);
            run(*t, graph);
            norm = std::sqrt((double)read_scalar(total)) / t->accumulated_tokens;
        }
        if (!std::isfinite(norm)) throw TrainerError(STRATA_TRAINER_INTERNAL_ERROR, "the gradient is not finite (learning rate too high?)");
        double factor = 1.0 / t->accumulated_tokens;
        if (t->config.max_grad_norm > 0 && norm > t->config.max_grad_norm) factor *= t->config.max_grad_norm / norm;
        t->step++;
        {
            GraphContext g(size);
            ggml_tensor *adamw = ggml_new_tensor_1d(g.ctx, GGML_TYPE_F32, 7);
            ggml_set_input(adamw);
            ggml_cgraph *graph = ggml_new_graph_custom(g.ctx, size, false);
            for (const Parameter &p : t->parameters) {
                // In place: the sums are overwritten by the next accumulate anyway, and no temporary is allocated.
                ggml_tensor *grad = ggml_scale_inplace(g.ctx, p.grad_sum, (float)factor);
                ggml_build_forward_expand(graph, ggml_opt_step_adamw(g.ctx, p.value, grad, p.m, p.v, adamw));
            }
            allocate(*t, graph);
            const strata_trainer_config &c = t->config;
            const float values[7] = {learning_rate, c.adam_beta1, c.adam_beta2, c.adam_epsilon, c.weight_decay,
                                     (float)(1.0 / (1.0 - std::pow((double)c.adam_beta1, (double)t->step))),
                                     (float)(1.0 / (1.0 - std::pow((double)c.adam_beta2, (double)t->step)))};
            ggml_backend_tensor_set(adamw, values, 0, sizeof(values));
            run(*t, graph);
        }
        if (result) {
            result->loss = t->accumulated_loss / t->accumulated_tokens;
            result->n_trained = (int64_t)t->accumulated_tokens;
            result->grad_norm = norm;
            result->step = t->step;
        }
        t->accumulated_loss = 0;
        t->accumulated_tokens = 0;
    });
}

int strata_trainer_step(strata_trainer *t, const strata_trainer_batch *batches, int n_batches, float learning_rate,
                        strata_trainer_step_result *result, char *error, size_t error_size) {
    if (!batches || n_batches <= 0) {
        fill_error(error, error_size, "a step needs at least one batch");
        return STRATA_TRAINER_INVALID_ARGUMENT;
    }
    for (int i = 0; i < n_batches; i++) {
        const int status = strata_trainer_accumulate(t, &batches[i], nullptr, nullptr, error, error_size);
        if (status != STRATA_TRAINER_OK) return status;
    }
    return strata_trainer_apply_update(t, learning_rate, result, error, error_size);
}

int strata_trainer_n_parameters(const strata_trainer *t) { return t ? (int)t->parameters.size() : 0; }

static const Parameter *parameter_at(const strata_trainer *t, int index) {
    return t && index >= 0 && index < (int)t->parameters.size() ? &t->parameters[index] : nullptr;
}

const char *strata_trainer_parameter_name(const strata_trainer *t, int index) {
    const Parameter *p = parameter_at(t, index);
    return p ? p->name.c_str() : nullptr;
}

int64_t strata_trainer_parameter_size(const strata_trainer *t, int index) {
    const Parameter *p = parameter_at(t, index);
    return p ? ggml_nelements(p->value) : -1;
}

int strata_trainer_parameter_read(strata_trainer *t, int index, float *values) {
    const Parameter *p = parameter_at(t, index);
    if (!p || !values) return STRATA_TRAINER_INVALID_ARGUMENT;
    ggml_backend_tensor_get(p->value, values, 0, ggml_nbytes(p->value));
    return STRATA_TRAINER_OK;
}

int strata_trainer_parameter_write(strata_trainer *t, int index, const float *values) {
    const Parameter *p = parameter_at(t, index);
    if (!p || !values) return STRATA_TRAINER_INVALID_ARGUMENT;
    ggml_backend_tensor_set(p->value, values, 0, ggml_nbytes(p->value));
    return STRATA_TRAINER_OK;
}

int strata_trainer_gradient_read(strata_trainer *t, int index, float *values) {
    const Parameter *p = parameter_at(t, index);
    if (!p || !values) return STRATA_TRAINER_INVALID_ARGUMENT;
    // After an update the sums are stale until the next accumulate copies over them (see accumulate): zero then.
    if (t->accumulated_tokens <= 0) std::fill(values, values + ggml_nelements(p->grad_sum), 0.0f);
    else ggml_backend_tensor_get(p->grad_sum, values, 0, ggml_nbytes(p->grad_sum));
    return STRATA_TRAINER_OK;
}

void strata_trainer_free(strata_trainer *t) { delete t; }

int strata_trainer_save_lora_adapter(strata_trainer *t, const char *path, char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        save_lora_adapter(*t, path);
    });
}

int strata_trainer_save_merged(strata_trainer *t, const char *path, int output_type, char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        save_merged(*t, path, output_type);
    });
}


// ---- checkpoints (issue 6) ------------------------------------------------------------------------
// "STRATACK" u32 version, i64 step, u32 n_parameters, then per parameter: u32 name length, name bytes,
// i64 n_elements, values, Adam m, Adam v (F32, bit-exact). Written to "<path>.tmp", renamed when complete.

static const char kCheckpointMagic[8] = {'S', 'T', 'R', 'A', 'T', 'A', 'C', 'K'};
static const uint32_t kCheckpointVersion = 1;

int strata_trainer_save_checkpoint(strata_trainer *t, const char *path, char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        require_path(path);
        if (t->accumulated_tokens > 0)
            throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "gradients are accumulated but not applied; checkpoint after apply_update");
        TempFile file(path);
        file.open();
        const int64_t step = t->step;
        const uint32_t count = (uint32_t)t->parameters.size();
        file.write(kCheckpointMagic, sizeof kCheckpointMagic);
        file.write(&kCheckpointVersion, sizeof kCheckpointVersion);
        file.write(&step, sizeof step);
        file.write(&count, sizeof count);
        std::vector<float> buffer;
        for (const Parameter &p : t->parameters) {
            const uint32_t name_length = (uint32_t)p.name.size();
            const int64_t n = ggml_nelements(p.value);
            file.write(&name_length, sizeof name_length);
            file.write(p.name.data(), name_length);
            file.write(&n, sizeof n);
            buffer.resize((size_t)n);
            for (ggml_tensor *tensor : {p.value, p.m, p.v}) {
                ggml_backend_tensor_get(tensor, buffer.data(), 0, ggml_nbytes(tensor));
                file.write(buffer.data(), buffer.size() * sizeof(float));
            }
        }
        file.commit();
    });
}

int strata_trainer_load_checkpoint(strata_trainer *t, const char *path, char *error, size_t error_size) {
    return guarded(error, error_size, [&] {
        if (!t) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "trainer is required");
        if (!path || !*path) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, "a checkpoint path is required");
        std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path, "rb"), &std::fclose);
        if (!file) throw TrainerError(STRATA_TRAINER_IO_ERROR, std::string("cannot read checkpoint ") + path + ": " + std::strerror(errno));
        const std::string where = std::string("checkpoint ") + path;
        auto read = [&](void *data, size_t size) {
            if (size && std::fread(data, 1, size, file.get()) != size)
                throw TrainerError(STRATA_TRAINER_IO_ERROR, where + " is truncated; it was not written completely");
        };
        char magic[8];
        uint32_t version = 0, count = 0;
        int64_t step = 0;
        read(magic, sizeof magic);
        if (std::memcmp(magic, kCheckpointMagic, sizeof magic) != 0)
            throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, where + " is not a Strata trainer checkpoint");
        read(&version, sizeof version);
        if (version != kCheckpointVersion)
            throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, where + " has version " + std::to_string(version) + "; this build reads " +
                                                                    std::to_string(kCheckpointVersion));
        read(&step, sizeof step);
        read(&count, sizeof count);
        if (count != t->parameters.size())
            throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, where + " holds " + std::to_string(count) + " parameters, the trainer has " +
                                                                    std::to_string(t->parameters.size()) +
                                                                    "; open the trainer with the run's mode, rank and targets");
        // Read everything first, so that a bad file leaves the trainer as it was.
        std::vector<std::vector<float>> values(3 * count);
        for (uint32_t i = 0; i < count; i++) {
            const Parameter &p = t->parameters[i];
            uint32_t name_length = 0;
            int64_t n = 0;
            read(&name_length, sizeof name_length);
            if (name_length > 4096) throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, where + " is corrupt (parameter name too long)");
            std::string name(name_length, '\0');
            read(name.data(), name_length);
            read(&n, sizeof n);
            if (name != p.name || n != ggml_nelements(p.value))
                throw TrainerError(STRATA_TRAINER_INVALID_ARGUMENT, where + ": parameter " + std::to_string(i) + " is '" + name + "' with " +
                                                                        std::to_string(n) + " values, the trainer's is '" + p.name + "' with " +
                                                                        std::to_string(ggml_nelements(p.value)) +
                                                                        "; open the trainer with the run's model, mode, rank and targets");
            for (int k = 0; k < 3; k++) {
                values[3 * i + k].resize((size_t)n);
                read(values[3 * i + k].data(), (size_t)n * sizeof(float));
            }
        }
        for (uint32_t i = 0; i < count; i++) {
            const Parameter &p = t->parameters[i];
            ggml_tensor *tensors[3] = {p.value, p.m, p.v};
            for (int k = 0; k < 3; k++) ggml_backend_tensor_set(tensors[k], values[3 * i + k].data(), 0, ggml_nbytes(tensors[k]));
            ggml_backend_tensor_memset(p.grad_sum, 0, 0, ggml_nbytes(p.grad_sum));
        }
        t->step = step;
        t->accumulated_loss = 0;
        t->accumulated_tokens = 0;
    });
}

int64_t strata_trainer_step_count(const strata_trainer *t) { return t ? t->step : -1; }

} // extern "C"
