/*
 * Strata's trainer core: a Llama-family graph of its own on the public ggml API, no KV cache.
 *
 * C-style on purpose: opaque handle, init/free, every call returns a status and fills a caller-owned
 * error buffer with a message that says what to do. No C++ exception crosses this boundary. The same
 * core is linked into the standalone CLI (numerics tests, GPU runs) and, later, the N-API addon.
 *
 * Not thread-safe: one handle is used by one thread at a time.
 */
#ifndef STRATA_TRAINER_H
#define STRATA_TRAINER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct strata_trainer strata_trainer;

typedef enum {
    STRATA_TRAINER_OK = 0,
    STRATA_TRAINER_INVALID_ARGUMENT = 1,
    STRATA_TRAINER_UNSUPPORTED_MODEL = 2, /* refused before training: architecture, tensor type, layout */
    STRATA_TRAINER_IO_ERROR = 3,
    STRATA_TRAINER_BACKEND_ERROR = 4,
    STRATA_TRAINER_INTERNAL_ERROR = 5,
} strata_trainer_status;

typedef enum {
    STRATA_TRAINER_MODE_LORA = 0, /* LoRA A/B are the only parameters; the base stays frozen */
    STRATA_TRAINER_MODE_FULL = 1, /* every weight is a parameter; the base must be F32 */
} strata_trainer_mode;

/* LoRA targets, as a bit set. */
enum {
    STRATA_TRAINER_TARGET_Q = 1u << 0,
    STRATA_TRAINER_TARGET_K = 1u << 1,
    STRATA_TRAINER_TARGET_V = 1u << 2,
    STRATA_TRAINER_TARGET_O = 1u << 3,
    STRATA_TRAINER_TARGET_GATE = 1u << 4,
    STRATA_TRAINER_TARGET_UP = 1u << 5,
    STRATA_TRAINER_TARGET_DOWN = 1u << 6,
    STRATA_TRAINER_TARGET_ALL = 0x7fu,
};

typedef enum {
    STRATA_TRAINER_DEVICE_CPU = 0,
    /* The first GPU backend ggml has (CUDA in a build made by scripts/cuda-smoke.sh); node-llama-cpp's CPU
     * prebuilds have none, and asking for one is refused at init. */
    STRATA_TRAINER_DEVICE_GPU = 1,
    /* The CPU backend running exactly the graph a GPU backend gets: ggml's own ops only — no OpenBLAS, no
     * custom CPU ops, the backend's supports_op asked for every node. The GPU path's graph rewrites, checked
     * against the CPU's on a machine without a GPU. */
    STRATA_TRAINER_DEVICE_CPU_PORTABLE = 2,
} strata_trainer_device;

typedef struct {
    int mode;              /* strata_trainer_mode */
    int lora_rank;         /* r */
    float lora_alpha;      /* the delta is scaled by alpha / r */
    uint32_t lora_targets; /* STRATA_TRAINER_TARGET_* bits */
    float adam_beta1;
    float adam_beta2;
    float adam_epsilon;
    float weight_decay;    /* decoupled (AdamW) */
    float max_grad_norm;   /* global-norm clipping; 0 turns it off */
    int n_threads;
    int max_tokens;        /* longest sequence a batch may hold */
    uint64_t seed;         /* LoRA A initialisation */
    const char *backend_dir; /* folder with libggml-cpu-*.so; NULL = the folder of libggml-base.so */
    int device;              /* strata_trainer_device: where the weights live and the graph runs */
} strata_trainer_config;

/* One packed sequence. targets[i] is the token to predict after tokens[i]; it counts in the loss only
 * where loss_mask[i] != 0. document_ids (optional, NULL = one document) make the attention
 * block-diagonal and restart positions at every document boundary. */
typedef struct {
    const int32_t *tokens;
    const int32_t *targets;
    const uint8_t *loss_mask;
    const int32_t *document_ids;
    int n_tokens;
} strata_trainer_batch;

typedef struct {
    double loss;          /* mean cross-entropy over every trained position of the step */
    int64_t n_trained;    /* trained positions of the step */
    double grad_norm;     /* global L2 norm of the mean gradient, before clipping */
    int64_t step;         /* optimizer steps taken so far, this one included */
} strata_trainer_step_result;

strata_trainer_config strata_trainer_default_config(void);

int strata_trainer_init(const strata_trainer_config *config, const char *gguf_path, strata_trainer **out,
                        char *error, size_t error_size);

/* Model facts after init. */
int strata_trainer_n_vocab(const strata_trainer *trainer);

// What runs the large F32 matrix products on the CPU: the host's OpenBLAS when installed (opened at run time;
// STRATA_TRAINER_BLAS=0 turns it off), else ggml's own kernel. A static string.
const char *strata_trainer_matmul_kernel(void);

// What the trainer accepts, comma-separated static strings: GGUF architectures ("llama,qwen2") and the types a
// base's matrices may have, as ggml names them ("f32,f16,q8_0,…"). Anything else is refused at init.
const char *strata_trainer_supported_architectures(void);
const char *strata_trainer_supported_frozen_types(void);
int64_t strata_trainer_n_trainable(const strata_trainer *trainer);

/* logits: n_tokens * n_vocab floats, row i is the distribution after tokens[0..i] (one document). */
int strata_trainer_forward_logits(strata_trainer *trainer, const int32_t *tokens, int n_tokens, float *logits,
                                  char *error, size_t error_size);

/* Mean cross-entropy of a batch with the current weights, nothing updated. */
int strata_trainer_loss(strata_trainer *trainer, const strata_trainer_batch *batch, double *loss, char *error,
                        size_t error_size);

/* Forward + backward of one micro-batch; gradients are added to the accumulators. */
int strata_trainer_accumulate(strata_trainer *trainer, const strata_trainer_batch *batch, double *loss_sum,
                              int64_t *n_trained, char *error, size_t error_size);

/* Clip the accumulated mean gradient to max_grad_norm, take one AdamW step at learning_rate, zero the
 * accumulators. Without anything accumulated it is an error. */
int strata_trainer_apply_update(strata_trainer *trainer, float learning_rate, strata_trainer_step_result *result,
                                char *error, size_t error_size);

/* One optimizer step over n_batches micro-batches (gradient accumulation): accumulate each, then update. */
int strata_trainer_step(strata_trainer *trainer, const strata_trainer_batch *batches, int n_batches,
                        float learning_rate, strata_trainer_step_result *result, char *error, size_t error_size);

/* Parameters, for tests and dumps: name, element count, and copies of values / accumulated gradients
 * (the accumulator holds the token-weighted sum; divide by the trained count for the mean). */
int strata_trainer_n_parameters(const strata_trainer *trainer);
const char *strata_trainer_parameter_name(const strata_trainer *trainer, int index);
int64_t strata_trainer_parameter_size(const strata_trainer *trainer, int index);
int strata_trainer_parameter_read(strata_trainer *trainer, int index, float *values);
int strata_trainer_parameter_write(strata_trainer *trainer, int index, const float *values);
int strata_trainer_gradient_read(strata_trainer *trainer, int index, float *values);

/* Idempotent: NULL is fine. */
void strata_trainer_free(strata_trainer *trainer);

/* ---- export (added with issue 5, item 4) ----------------------------------------------------------
 * Files are written to "<path>.tmp" and renamed onto path when complete: a failed write leaves no partial
 * file behind. */

/* The LoRA A/B trained so far, in llama.cpp's adapter GGUF format (general.type = "adapter",
 * adapter.type = "lora", adapter.lora.alpha; tensors "<weight>.lora_a" [n_in, r] and "<weight>.lora_b"
 * [r, n_out], F32). llama.cpp / node-llama-cpp apply it as W·x + scale·(alpha/r)·B·(A·x): at scale 1 it
 * reproduces the trainer's forward. LoRA mode only. */
int strata_trainer_save_lora_adapter(strata_trainer *trainer, const char *path, char *error, size_t error_size);

/* Output types of strata_trainer_save_merged: every matrix is written in this type, vectors (norms,
 * biases) stay F32. */
enum {
    STRATA_TRAINER_MERGED_F32 = 0,
    STRATA_TRAINER_MERGED_F16 = 1,
};

/* A complete model GGUF: every key of the base (tokenizer included; general.file_type updated) and every
 * tensor, with W + (alpha/r)·B·A folded into each LoRA target (quantized bases are dequantized first). In
 * full mode it is the trained weights. output_type: STRATA_TRAINER_MERGED_*. */
int strata_trainer_save_merged(strata_trainer *trainer, const char *path, int output_type, char *error,
                               size_t error_size);

/* llama.cpp's own quantizer (llama_model_quantize of the prebuilt libllama, loaded at run time from
 * library_dir; NULL = the folder of libggml-base.so). type, case-insensitive: f32, f16, bf16, q8_0, q4_0,
 * q4_1, q5_0, q5_1, q2_k, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q4_k_m, q5_k_s, q5_k_m, q6_k. n_threads <= 0: all
 * cores. No trainer handle needed. Implemented in strata-quantize.cpp (needs llama.h at compile time). */
int strata_trainer_quantize(const char *input_path, const char *output_path, const char *type, int n_threads,
                            const char *library_dir, char *error, size_t error_size);

/* ---- checkpoints (added with issue 6) -------------------------------------------------------------
 * Everything the optimizer needs to continue exactly: every trainable parameter, its AdamW moments (m, v)
 * and the step counter (which sets Adam's bias correction), bit-exact F32. Written to "<path>.tmp" and
 * renamed onto path. Save only between steps (nothing accumulated). Load checks every parameter's name and
 * size against the trainer (open it with the run's model, mode, rank and targets) and reads the whole file
 * before changing anything: a bad file leaves the trainer as it was. */
int strata_trainer_save_checkpoint(strata_trainer *trainer, const char *path, char *error, size_t error_size);
int strata_trainer_load_checkpoint(strata_trainer *trainer, const char *path, char *error, size_t error_size);

/* Optimizer steps taken so far (restored by load_checkpoint); -1 for NULL. */
int64_t strata_trainer_step_count(const strata_trainer *trainer);

#ifdef __cplusplus
}
#endif

#endif
