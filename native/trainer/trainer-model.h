// The frozen (or fully trained) base model as the trainer holds it: hyperparameters read from the GGUF
// header, every tensor in one plain CPU backend buffer (no repacking: the backward needs OUT_PROD, which
// repacked buffers do not support). Internal to the core; throws TrainerError, caught at the C boundary.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "ggml-backend.h"
#include "ggml.h"
#include "gguf.h"

namespace strata {

struct TrainerError : std::runtime_error {
    int status;
    TrainerError(int status_code, const std::string &message) : std::runtime_error(message), status(status_code) {}
};

struct LayerWeights {
    ggml_tensor *attn_norm = nullptr;
    ggml_tensor *wq = nullptr, *wk = nullptr, *wv = nullptr, *wo = nullptr;
    ggml_tensor *bq = nullptr, *bk = nullptr, *bv = nullptr; // qwen2 only
    ggml_tensor *ffn_norm = nullptr;
    ggml_tensor *w_gate = nullptr, *w_up = nullptr, *w_down = nullptr;
};

struct ModelHparams {
    std::string architecture;
    int n_vocab = 0, n_embd = 0, n_layer = 0, n_ff = 0, n_head = 0, n_head_kv = 0, n_rot = 0;
    int n_ctx_train = 0;
    int rope_mode = 0; // ggml rope mode: 0 (pairs of adjacent dims, llama) or GGML_ROPE_TYPE_NEOX (qwen2)
    float rope_freq_base = 10000.0f, rope_freq_scale = 1.0f, rms_eps = 1e-5f;
    int head_dim() const { return n_embd / n_head; }
};

struct Model {
    ModelHparams hparams;
    gguf_context *gguf = nullptr;
    ggml_context *ctx = nullptr; // tensor descriptors, data in buffer
    ggml_backend_buffer_t buffer = nullptr;
    ggml_tensor *token_embd = nullptr, *output_norm = nullptr, *output = nullptr, *rope_freqs = nullptr;
    bool tied_output = false;
    std::vector<LayerWeights> layers;

    Model() = default;
    Model(const Model &) = delete;
    Model &operator=(const Model &) = delete;
    ~Model();
};

// Reads and validates everything before a byte of training happens; anything the graph cannot train
// is refused here with a message naming the tensor or key.
void load_model(Model &model, const char *path, ggml_backend_t backend);

// Types a frozen matrix may have (trainer-model.cpp's kFrozenTypes).
bool is_supported_frozen_type(ggml_type type);
// Comma-separated, as ggml names them ("f32,f16,q8_0,…") / as GGUFs name them ("llama,qwen2").
std::string supported_frozen_types();
std::string supported_architectures();

} // namespace strata
