#include "blas-products.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace strata {

// The CBLAS entry point and OpenBLAS's controls, by their C ABI (no header needed).
enum { kCblasRowMajor = 101, kCblasNoTrans = 111, kCblasTrans = 112 };
using SgemmFn = void (*)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc);

struct Blas {
    SgemmFn sgemm = nullptr;
    std::string description;
};

namespace {

// Below this size ggml's kernel is as fast and the call overhead of SGEMM is not worth it (ggml-blas uses 32 too).
constexpr int64_t kMinDimension = 32;

const Blas *open_blas() {
    const char *setting = std::getenv("STRATA_TRAINER_BLAS");
    if (setting && std::strcmp(setting, "0") == 0) return nullptr;
    // OpenBLAS starts its own thread pool when loaded, sized by OPENBLAS_NUM_THREADS (default: every core); those
    // threads steal cores from ggml's even after openblas_set_num_threads(1) (measured: SGEMM at 35 instead of
    // 180 GFLOP/s in about half the runs). So the library is loaded with the variable at 1, then it is restored.
    const char *previous = std::getenv("OPENBLAS_NUM_THREADS");
    const std::string saved = previous ? previous : "";
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    void *library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (previous) setenv("OPENBLAS_NUM_THREADS", saved.c_str(), 1);
    else unsetenv("OPENBLAS_NUM_THREADS");
    if (!library) return nullptr;
    auto sgemm = reinterpret_cast<SgemmFn>(dlsym(library, "cblas_sgemm"));
    auto set_threads = reinterpret_cast<void (*)(int)>(dlsym(library, "openblas_set_num_threads"));
    auto config = reinterpret_cast<const char *(*)()>(dlsym(library, "openblas_get_config"));
    auto core = reinterpret_cast<const char *(*)()>(dlsym(library, "openblas_get_corename"));
    if (!sgemm || !set_threads) return nullptr;
    // ggml's threads already share the work; OpenBLAS's own threads would oversubscribe the cores.
    set_threads(1);
    static Blas blas;
    blas.sgemm = sgemm;
    // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …": its first two words, and the kernel chosen for this CPU.
    std::string name = config ? config() : "OpenBLAS";
    const size_t second_space = name.find(' ', name.find(' ') + 1);
    if (second_space != std::string::npos) name.resize(second_space);
    blas.description = name + (core ? std::string(" (") + core() + ")" : "");
    return &blas;
}

// One operand as BLAS sees it: the plane's rows (ggml's dim 1) × columns (dim 0), stored row by row (nb0 = 4) or
// column by column (nb1 = 4, a transposed view such as the output gradient in dx = Wᵀ·dy).
struct Operand {
    bool stored_transposed;
    int ld;
};

bool describe(const ggml_tensor *t, Operand *out) {
    if (t->type != GGML_TYPE_F32) return false;
    if (t->nb[0] == sizeof(float) && t->nb[1] % sizeof(float) == 0 && t->nb[1] >= (size_t)t->ne[0] * sizeof(float)) {
        *out = {false, (int)(t->nb[1] / sizeof(float))};
        return true;
    }
    if (t->ne[1] > 1 && t->nb[1] == sizeof(float) && t->nb[0] % sizeof(float) == 0 && t->nb[0] >= (size_t)t->ne[1] * sizeof(float)) {
        *out = {true, (int)(t->nb[0] / sizeof(float))};
        return true;
    }
    return false;
}

int trans_flag(bool wanted, const Operand &operand) { return wanted != operand.stored_transposed ? kCblasTrans : kCblasNoTrans; }

// Row-major C (J × I, dst's plane) = op(B) · op(A), with A = src0, B = src1 viewed as ggml's rows × columns:
//   MUL_MAT   dst[j][i] = Σ_k a[i][k] · b[j][k]   → C = B · Aᵀ
//   OUT_PROD  dst[j][i] = Σ_k a[k][i] · b[k][j]   → C = Bᵀ · A
// src0 is broadcast over dims 2 and 3 alike in both ops. Thread ith takes its share of the planes, or of the rows
// j of a single plane.
void blas_product(ggml_tensor *dst, int ith, int nth, void *userdata) {
    const Blas *blas = static_cast<const Blas *>(userdata);
    const ggml_tensor *a = dst->src[0], *b = dst->src[1];
    const bool out_prod = dst->op_params[GGML_MAX_OP_PARAMS / sizeof(int32_t) - 1] == GGML_OP_OUT_PROD;
    Operand oa{}, ob{};
    describe(a, &oa);
    describe(b, &ob);
    const int64_t K = out_prod ? a->ne[1] : a->ne[0], I = dst->ne[0], J = dst->ne[1];
    const int64_t planes = dst->ne[2] * dst->ne[3];
    const int64_t r2 = dst->ne[2] / a->ne[2], r3 = dst->ne[3] / a->ne[3];
    const bool split_planes = planes >= nth;
    const int64_t units = split_planes ? planes : J;
    const int64_t begin = units * ith / nth, end = units * (ith + 1) / nth;
    // Rows j of op(B) start j rows (MUL_MAT) or j columns (OUT_PROD) into B's storage.
    const size_t b_row_step = out_prod ? b->nb[0] : b->nb[1];
    for (int64_t p = split_planes ? begin : 0; p < (split_planes ? end : planes); p++) {
        const int64_t i2 = p % dst->ne[2], i3 = p / dst->ne[2];
        const int64_t j0 = split_planes ? 0 : begin, j1 = split_planes ? J : end;
        if (j1 <= j0) continue;
        const auto *pa = reinterpret_cast<const float *>(static_cast<const char *>(a->data) + i2 / r2 * a->nb[2] + i3 / r3 * a->nb[3]);
        const auto *pb = reinterpret_cast<const float *>(static_cast<const char *>(b->data) + i2 * b->nb[2] + i3 * b->nb[3] + j0 * b_row_step);
        auto *pc = reinterpret_cast<float *>(static_cast<char *>(dst->data) + i2 * dst->nb[2] + i3 * dst->nb[3] + j0 * dst->nb[1]);
        blas->sgemm(kCblasRowMajor, trans_flag(out_prod, ob), trans_flag(!out_prod, oa), (int)(j1 - j0), (int)I, (int)K,
                    1.0f, pb, ob.ld, pa, oa.ld, 0.0f, pc, (int)(dst->nb[1] / sizeof(float)));
    }
}

bool blas_can_run(const ggml_tensor *node) {
    if (node->op != GGML_OP_MUL_MAT && node->op != GGML_OP_OUT_PROD) return false;
    const ggml_tensor *a = node->src[0], *b = node->src[1];
    Operand oa{}, ob{};
    const int64_t K = node->op == GGML_OP_OUT_PROD ? a->ne[1] : a->ne[0];
    return describe(a, &oa) && describe(b, &ob) && node->type == GGML_TYPE_F32 && node->nb[0] == sizeof(float) &&
           ggml_is_contiguous(node) && K >= kMinDimension && node->ne[0] >= kMinDimension && node->ne[1] >= kMinDimension;
}

} // namespace

const Blas *host_blas() {
    static std::once_flag opened;
    static const Blas *blas = nullptr;
    std::call_once(opened, [] { blas = open_blas(); });
    return blas;
}

std::string matmul_kernel_description() {
    const Blas *blas = host_blas();
    return blas ? blas->description : "ggml (no OpenBLAS found)";
}

void use_blas_products(ggml_cgraph *graph, const Blas *blas) {
    if (!blas) return;
    // A throwaway custom node carries the op parameters (function, task count, user data) in ggml's own layout.
    ggml_init_params params = {ggml_tensor_overhead(), nullptr, /*no_alloc =*/true};
    ggml_context *scratch = ggml_init(params);
    ggml_tensor *custom = ggml_custom_4d(scratch, GGML_TYPE_F32, 1, 1, 1, 1, nullptr, 0, blas_product, GGML_N_TASKS_MAX,
                                         const_cast<Blas *>(blas));
    for (int i = 0; i < ggml_graph_n_nodes(graph); i++) {
        ggml_tensor *node = ggml_graph_node(graph, i);
        if (!blas_can_run(node)) continue;
        const int32_t op = node->op;
        node->op = GGML_OP_CUSTOM;
        std::memcpy(node->op_params, custom->op_params, sizeof(node->op_params));
        // Which product it was, in the last op-parameter slot (the custom op's own parameters are far shorter).
        node->op_params[GGML_MAX_OP_PARAMS / sizeof(int32_t) - 1] = op;
    }
    ggml_free(scratch);
}

} // namespace strata
