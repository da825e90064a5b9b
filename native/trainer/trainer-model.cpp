#include "trainer-model.h"

#include <cstdio>
#include <memory>

#include "strata_trainer.h"

namespace strata {

Model::~Model() {
    if (buffer) ggml_backend_buffer_free(buffer);
    if (ctx) ggml_free(ctx);
    if (gguf) gguf_free(gguf);
}

// The types a base's matrices may have: ggml dequantizes each of them (CPY/GET_ROWS to F32) for the input
// gradients, and MUL_MAT reads each of them. The importance-matrix types (IQ*) are left out: untested.
// test/native/quantized-bases.test.ts trains on every quantized one; the server's list
// (src/model-files/trainer-compatibility.ts) is checked against this one through `strata-trainer-cli info`.
const ggml_type kFrozenTypes[] = {GGML_TYPE_F32,  GGML_TYPE_F16,  GGML_TYPE_Q8_0, GGML_TYPE_Q4_0,
                                  GGML_TYPE_Q4_1, GGML_TYPE_Q5_0, GGML_TYPE_Q5_1, GGML_TYPE_Q2_K,
                                  GGML_TYPE_Q3_K, GGML_TYPE_Q4_K, GGML_TYPE_Q5_K, GGML_TYPE_Q6_K};

// Mistral 7B-style GGUFs are written as "llama". qwen2 adds q/k/v biases and NEOX-style RoPE.
const char *const kSupportedArchitectures[] = {"llama", "qwen2"};

bool is_supported_frozen_type(ggml_type type) {
    for (ggml_type supported : kFrozenTypes)
        if (type == supported) return true;
    return false;
}

template <typename Item, size_t N, typename Name> std::string comma_separated(const Item (&items)[N], Name name) {
    std::string list;
    for (const Item &item : items) list += std::string(list.empty() ? "" : ",") + name(item);
    return list;
}

std::string supported_frozen_types() { return comma_separated(kFrozenTypes, ggml_type_name); }

std::string supported_architectures() {
    return comma_separated(kSupportedArchitectures, [](const char *arch) { return arch; });
}

namespace {

[[noreturn]] void refuse(const std::string &message) { throw TrainerError(STRATA_TRAINER_UNSUPPORTED_MODEL, message); }

int64_t find_key(const gguf_context *gguf, const std::string &key) { return gguf_find_key(gguf, key.c_str()); }

uint32_t read_u32(const gguf_context *gguf, const std::string &key, bool required, uint32_t fallback) {
    const int64_t id = find_key(gguf, key);
    if (id < 0) {
        if (required) refuse("the GGUF has no '" + key + "' key");
        return fallback;
    }
    switch (gguf_get_kv_type(gguf, id)) {
    case GGUF_TYPE_UINT32: return gguf_get_val_u32(gguf, id);
    case GGUF_TYPE_INT32: return (uint32_t)gguf_get_val_i32(gguf, id);
    default: refuse("'" + key + "' must be a single 32-bit integer (per-layer arrays are not supported)");
    }
}

float read_f32(const gguf_context *gguf, const std::string &key, float fallback) {
    const int64_t id = find_key(gguf, key);
    if (id < 0) return fallback;
    if (gguf_get_kv_type(gguf, id) != GGUF_TYPE_FLOAT32) refuse("'" + key + "' must be a float32");
    return gguf_get_val_f32(gguf, id);
}

std::string read_str(const gguf_context *gguf, const std::string &key) {
    const int64_t id = find_key(gguf, key);
    if (id < 0 || gguf_get_kv_type(gguf, id) != GGUF_TYPE_STRING) return "";
    return gguf_get_val_str(gguf, id);
}

std::string shape_of(const ggml_tensor *t) {
    std::string s = "[";
    for (int i = 0; i < ggml_n_dims(t); i++) s += (i ? ", " : "") + std::to_string(t->ne[i]);
    return s + "]";
}

ggml_tensor *take(Model &model, const std::string &name, std::initializer_list<int64_t> shape, bool required) {
    ggml_tensor *t = ggml_get_tensor(model.ctx, name.c_str());
    if (!t) {
        if (required) refuse("the GGUF has no tensor '" + name + "'");
        return nullptr;
    }
    int i = 0;
    for (int64_t extent : shape) {
        if (t->ne[i] != extent) {
            std::string expected = "[";
            int j = 0;
            for (int64_t e : shape) expected += (j++ ? ", " : "") + std::to_string(e);
            refuse("tensor '" + name + "' has shape " + shape_of(t) + ", expected " + expected + "]");
        }
        i++;
    }
    for (; i < GGML_MAX_DIMS; i++)
        if (t->ne[i] != 1) refuse("tensor '" + name + "' has too many dimensions: " + shape_of(t));
    return t;
}

void require_type(const ggml_tensor *t, bool vector) {
    if (vector) {
        if (t->type != GGML_TYPE_F32)
            refuse(std::string("tensor '") + t->name + "' is " + ggml_type_name(t->type) + "; norms and biases must be F32");
        return;
    }
    if (!is_supported_frozen_type(t->type))
        refuse(std::string("tensor '") + t->name + "' is " + ggml_type_name(t->type) +
               ", which the trainer cannot back-propagate through; convert the model to one of " + supported_frozen_types() +
               " first");
}

void read_hparams(Model &model) {
    ModelHparams &hp = model.hparams;
    const gguf_context *g = model.gguf;
    hp.architecture = read_str(g, "general.architecture");
    bool supported = false;
    for (const char *arch : kSupportedArchitectures) supported = supported || hp.architecture == arch;
    if (!supported)
        refuse("architecture '" + hp.architecture + "' is not supported by the trainer (supported: " + supported_architectures() +
               "; Mistral models are written as llama)");
    const std::string a = hp.architecture + ".";
    hp.rope_mode = hp.architecture == "qwen2" ? GGML_ROPE_TYPE_NEOX : 0;
    hp.n_embd = (int)read_u32(g, a + "embedding_length", true, 0);
    hp.n_layer = (int)read_u32(g, a + "block_count", true, 0);
    hp.n_ff = (int)read_u32(g, a + "feed_forward_length", true, 0);
    hp.n_head = (int)read_u32(g, a + "attention.head_count", true, 0);
    hp.n_head_kv = (int)read_u32(g, a + "attention.head_count_kv", false, (uint32_t)hp.n_head);
    hp.n_ctx_train = (int)read_u32(g, a + "context_length", false, 4096);
    hp.rope_freq_base = read_f32(g, a + "rope.freq_base", 10000.0f);
    hp.rms_eps = read_f32(g, a + "attention.layer_norm_rms_epsilon", 1e-5f);
    if (hp.n_embd <= 0 || hp.n_layer <= 0 || hp.n_head <= 0 || hp.n_head_kv <= 0 || hp.n_embd % hp.n_head != 0 ||
        hp.n_head % hp.n_head_kv != 0)
        refuse("inconsistent attention dimensions in the GGUF header");
    hp.n_rot = (int)read_u32(g, a + "rope.dimension_count", false, (uint32_t)hp.head_dim());
    const uint32_t key_length = read_u32(g, a + "attention.key_length", false, (uint32_t)hp.head_dim());
    const uint32_t value_length = read_u32(g, a + "attention.value_length", false, (uint32_t)hp.head_dim());
    if ((int)key_length != hp.head_dim() || (int)value_length != hp.head_dim())
        refuse("attention key/value length differs from embedding_length / head_count; not supported");
    const std::string scaling = read_str(g, a + "rope.scaling.type");
    if (scaling == "linear") {
        const float factor = read_f32(g, a + "rope.scaling.factor", 1.0f);
        hp.rope_freq_scale = factor > 0 ? 1.0f / factor : 1.0f;
    } else if (!scaling.empty() && scaling != "none") {
        refuse("rope scaling '" + scaling + "' is not supported by the trainer");
    }
}

void bind_tensors(Model &model) {
    const ModelHparams &hp = model.hparams;
    const int64_t E = hp.n_embd, kv = (int64_t)hp.head_dim() * hp.n_head_kv, F = hp.n_ff;
    const bool biases = hp.architecture == "qwen2";
    ggml_tensor *embd = ggml_get_tensor(model.ctx, "token_embd.weight");
    if (!embd) refuse("the GGUF has no tensor 'token_embd.weight'");
    model.hparams.n_vocab = (int)embd->ne[1];
    const int64_t V = model.hparams.n_vocab;
    model.token_embd = take(model, "token_embd.weight", {E, V}, true);
    require_type(model.token_embd, false);
    model.output_norm = take(model, "output_norm.weight", {E}, true);
    require_type(model.output_norm, true);
    model.output = take(model, "output.weight", {E, V}, false);
    model.tied_output = model.output == nullptr;
    if (model.tied_output) model.output = model.token_embd;
    require_type(model.output, false);
    model.rope_freqs = take(model, "rope_freqs.weight", {hp.n_rot / 2}, false);
    if (model.rope_freqs) require_type(model.rope_freqs, true);

    model.layers.resize(hp.n_layer);
    for (int il = 0; il < hp.n_layer; il++) {
        LayerWeights &l = model.layers[il];
        const std::string p = "blk." + std::to_string(il) + ".";
        l.attn_norm = take(model, p + "attn_norm.weight", {E}, true);
        l.wq = take(model, p + "attn_q.weight", {E, E}, true);
        l.wk = take(model, p + "attn_k.weight", {E, kv}, true);
        l.wv = take(model, p + "attn_v.weight", {E, kv}, true);
        l.wo = take(model, p + "attn_output.weight", {E, E}, true);
        l.ffn_norm = take(model, p + "ffn_norm.weight", {E}, true);
        l.w_gate = take(model, p + "ffn_gate.weight", {E, F}, true);
        l.w_up = take(model, p + "ffn_up.weight", {E, F}, true);
        l.w_down = take(model, p + "ffn_down.weight", {F, E}, true);
        if (ggml_get_tensor(model.ctx, (p + "ffn_gate_inp.weight").c_str()))
            refuse("mixture-of-experts layers are not supported: MUL_MAT_ID has no backward pass");
        l.bq = take(model, p + "attn_q.bias", {E}, biases);
        l.bk = take(model, p + "attn_k.bias", {kv}, biases);
        l.bv = take(model, p + "attn_v.bias", {kv}, biases);
        if (!biases && (l.bq || l.bk || l.bv)) refuse("unexpected attention biases for architecture " + hp.architecture);
        for (ggml_tensor *v : {l.attn_norm, l.ffn_norm, l.bq, l.bk, l.bv})
            if (v) require_type(v, true);
        for (ggml_tensor *w : {l.wq, l.wk, l.wv, l.wo, l.w_gate, l.w_up, l.w_down}) require_type(w, false);
    }
}

void read_tensor_data(Model &model, const char *path, ggml_backend_t backend) {
    model.buffer = ggml_backend_alloc_ctx_tensors(model.ctx, backend);
    if (!model.buffer) throw TrainerError(STRATA_TRAINER_BACKEND_ERROR, "could not allocate the model's weights (out of memory?)");
    std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path, "rb"), std::fclose);
    if (!file) throw TrainerError(STRATA_TRAINER_IO_ERROR, std::string("cannot open ") + path);
    const size_t data_offset = gguf_get_data_offset(model.gguf);
    std::vector<uint8_t> staging;
    for (int64_t i = 0; i < gguf_get_n_tensors(model.gguf); i++) {
        const char *name = gguf_get_tensor_name(model.gguf, i);
        ggml_tensor *t = ggml_get_tensor(model.ctx, name);
        const size_t size = ggml_nbytes(t);
        staging.resize(size);
        if (std::fseek(file.get(), (long)(data_offset + gguf_get_tensor_offset(model.gguf, i)), SEEK_SET) != 0 ||
            std::fread(staging.data(), 1, size, file.get()) != size)
            throw TrainerError(STRATA_TRAINER_IO_ERROR, std::string("truncated GGUF: cannot read tensor '") + name + "'");
        ggml_backend_tensor_set(t, staging.data(), 0, size);
    }
}

} // namespace

void load_model(Model &model, const char *path, ggml_backend_t backend) {
    gguf_init_params params = {/*no_alloc =*/true, /*ctx =*/&model.ctx};
    model.gguf = gguf_init_from_file(path, params);
    if (!model.gguf) throw TrainerError(STRATA_TRAINER_IO_ERROR, std::string("cannot read GGUF file ") + path);
    read_hparams(model);
    bind_tensors(model);
    read_tensor_data(model, path, backend);
}

} // namespace strata
