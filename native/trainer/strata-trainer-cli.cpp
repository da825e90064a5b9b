// The trainer core as a standalone program (no Node): numerics tests and GPU runs drive it.
//
//   strata-trainer-cli logits <model.gguf> <out.f32> <token id>...
//       writes n_tokens × n_vocab little-endian float32 logits; prints {"n_tokens":…,"n_vocab":…}
//   strata-trainer-cli train <model.gguf> --tokens 1,2,3,… [options]
//       one JSON line per step: {"step":…,"loss":…,"grad_norm":…,"n_trained":…}
//   strata-trainer-cli gradcheck <model.gguf> --tokens 1,2,3,… [options]
//       analytic gradient vs central finite differences on the largest entries of every parameter
//   strata-trainer-cli quantize <in.gguf> <out.gguf> q8_0|q4_k_m|… [--threads T]
//       llama.cpp's quantizer (llama_model_quantize from the prebuilt libllama); prints {"bytes_in":…,"bytes_out":…}
//   strata-trainer-cli info
//       what the core accepts: {"architectures":[…],"frozen_types":[…],"matmul_kernel":"…"}
//
// Options: --mode lora|full  --rank R  --alpha A  --targets q,k,v,o,gate,up,down  --lr X  --steps N
//          --mask-from K (train only on predictions of positions ≥ K)  --docs 0,0,1,1 (packing)
//          --accumulate M (split the sequence into M micro-batches per step)  --clip C (0 = off)
//          --weight-decay W  --threads T  --seed S  --dump DIR (write every parameter as DIR/<name>.f32)
//          --dump-initial DIR (train: the same dump before the first step, e.g. LoRA A as initialised)
//          --adam-eps E (AdamW's ε; default the core's)  --device cpu|gpu|cpu-portable (gpu: a ggml build with a
//          GPU backend, as scripts/cuda-smoke.sh makes; weights, optimizer state and graph all on the device;
//          cpu-portable: the GPU's graph — ggml ops only — on the CPU)
//          --samples N --eps E --loss-change D (gradcheck)  --warmup-steps N (gradcheck after N steps, so LoRA B ≠ 0)
//   after train's steps: --save-adapter A.gguf (LoRA, llama.cpp's adapter format)  --save-merged M.gguf
//          --merged-type f32|f16 (default f32)  --logits-out L.f32 --logits-tokens 1,2,3 (forward logits of the
//          trained weights, as the logits command writes them)
//   strata-trainer-cli speed <model.gguf> --tokens 1,2,3,… [train options] --warmup W --steps N
//       training speed (bench/training-speed.ts): W untimed steps, then N timed ones; prints one JSON line
//       {"n_tokens","warmup_s","step_s":[…],"tokens_per_s","loss_first","loss_last","n_trainable","peak_rss_kib"}
//   strata-trainer-cli matmul --k K --n N --t T [--op mul_mat|out_prod] [--reps R] [--threads T]
//       GFLOP/s of one F32 ggml op on the CPU backend the trainer uses: mul_mat = the forward y = W·x
//       (W [K→N], x K × T), out_prod = the weight gradient x·dyᵀ of the same shapes; 2·K·N·T FLOPs each
#include <algorithm>
#include <chrono>
#include <ctime>
#include <dlfcn.h>
#include <random>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <numeric>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "blas-products.h"
#include "strata_trainer.h"
#include "ggml-backend.h"
#include "ggml.h"

namespace {

struct Options {
    std::map<std::string, std::string> flags;
    std::vector<std::string> positional;
    std::string get(const std::string &key, const std::string &fallback) const {
        auto it = flags.find(key);
        return it == flags.end() ? fallback : it->second;
    }
};

Options parse(int argc, char **argv, int first) {
    Options o;
    for (int i = first; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && i + 1 < argc) o.flags[a.substr(2)] = argv[++i];
        else o.positional.push_back(a);
    }
    return o;
}

std::vector<int32_t> parse_ints(const std::string &text) {
    std::vector<int32_t> values;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) values.push_back((int32_t)std::strtol(text.substr(start, end - start).c_str(), nullptr, 10));
        start = end + 1;
    }
    return values;
}

uint32_t parse_targets(const std::string &text) {
    static const std::map<std::string, uint32_t> names = {
        {"q", STRATA_TRAINER_TARGET_Q},       {"k", STRATA_TRAINER_TARGET_K},   {"v", STRATA_TRAINER_TARGET_V},
        {"o", STRATA_TRAINER_TARGET_O},       {"gate", STRATA_TRAINER_TARGET_GATE}, {"up", STRATA_TRAINER_TARGET_UP},
        {"down", STRATA_TRAINER_TARGET_DOWN}, {"all", STRATA_TRAINER_TARGET_ALL}};
    uint32_t bits = 0;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        auto it = names.find(text.substr(start, end - start));
        if (it == names.end()) {
            std::fprintf(stderr, "unknown LoRA target '%s' (use q,k,v,o,gate,up,down or all)\n", text.substr(start, end - start).c_str());
            std::exit(2);
        }
        bits |= it->second;
        start = end + 1;
    }
    return bits;
}

[[noreturn]] void fail(int status, const char *error) {
    std::fprintf(stderr, "strata-trainer: %s (status %d)\n", error, status);
    std::exit(1);
}

strata_trainer *open_trainer(const std::string &path, const Options &o, int max_tokens) {
    strata_trainer_config c = strata_trainer_default_config();
    c.mode = o.get("mode", "lora") == "full" ? STRATA_TRAINER_MODE_FULL : STRATA_TRAINER_MODE_LORA;
    c.lora_rank = std::atoi(o.get("rank", "8").c_str());
    c.lora_alpha = (float)std::atof(o.get("alpha", "16").c_str());
    c.lora_targets = parse_targets(o.get("targets", "all"));
    c.max_grad_norm = (float)std::atof(o.get("clip", "0").c_str());
    c.weight_decay = (float)std::atof(o.get("weight-decay", "0").c_str());
    if (o.flags.count("adam-eps")) c.adam_epsilon = (float)std::atof(o.get("adam-eps", "").c_str());
    c.n_threads = std::atoi(o.get("threads", "1").c_str());
    const std::string device = o.get("device", "cpu");
    if (device != "cpu" && device != "gpu" && device != "cpu-portable")
        fail(STRATA_TRAINER_INVALID_ARGUMENT, ("--device must be cpu, gpu or cpu-portable, not '" + device + "'").c_str());
    c.device = device == "gpu" ? STRATA_TRAINER_DEVICE_GPU
               : device == "cpu-portable" ? STRATA_TRAINER_DEVICE_CPU_PORTABLE
                                          : STRATA_TRAINER_DEVICE_CPU;
    c.seed = std::strtoull(o.get("seed", "42").c_str(), nullptr, 10);
    c.max_tokens = std::max(max_tokens, 1);
    char error[1024];
    strata_trainer *t = nullptr;
    const int status = strata_trainer_init(&c, path.c_str(), &t, error, sizeof error);
    if (status != STRATA_TRAINER_OK) fail(status, error);
    return t;
}

// The sequence tokens[0..n] gives n predictions: input tokens[i], target tokens[i+1].
struct Sequence {
    std::vector<int32_t> inputs, targets, documents;
    std::vector<uint8_t> mask;
};

Sequence make_sequence(const Options &o) {
    const std::vector<int32_t> tokens = parse_ints(o.get("tokens", ""));
    if (tokens.size() < 2) {
        std::fprintf(stderr, "--tokens needs at least two ids\n");
        std::exit(2);
    }
    Sequence s;
    const int n = (int)tokens.size() - 1;
    const int mask_from = std::atoi(o.get("mask-from", "0").c_str());
    s.inputs.assign(tokens.begin(), tokens.end() - 1);
    s.targets.assign(tokens.begin() + 1, tokens.end());
    s.mask.resize(n);
    for (int i = 0; i < n; i++) s.mask[i] = i >= mask_from ? 1 : 0;
    if (o.flags.count("docs")) {
        s.documents = parse_ints(o.get("docs", ""));
        s.documents.resize(n, s.documents.empty() ? 0 : s.documents.back());
    }
    return s;
}

std::vector<strata_trainer_batch> micro_batches(const Sequence &s, int count) {
    std::vector<strata_trainer_batch> batches;
    const int n = (int)s.inputs.size();
    count = std::max(1, std::min(count, n));
    for (int b = 0; b < count; b++) {
        const int from = n * b / count, to = n * (b + 1) / count;
        strata_trainer_batch batch{};
        batch.tokens = s.inputs.data() + from;
        batch.targets = s.targets.data() + from;
        batch.loss_mask = s.mask.data() + from;
        batch.document_ids = s.documents.empty() ? nullptr : s.documents.data() + from;
        batch.n_tokens = to - from;
        batches.push_back(batch);
    }
    // Micro-batches without a trained position are skipped; if that is all of them, the core says so.
    std::vector<strata_trainer_batch> trained;
    for (const strata_trainer_batch &b : batches)
        if (std::any_of(b.loss_mask, b.loss_mask + b.n_tokens, [](uint8_t m) { return m != 0; })) trained.push_back(b);
    return trained.empty() ? batches : trained;
}

void dump_parameters(strata_trainer *t, const std::string &dir) {
    std::string index = "{";
    for (int i = 0; i < strata_trainer_n_parameters(t); i++) {
        const std::string name = strata_trainer_parameter_name(t, i);
        std::vector<float> values((size_t)strata_trainer_parameter_size(t, i));
        strata_trainer_parameter_read(t, i, values.data());
        FILE *f = std::fopen((dir + "/" + name + ".f32").c_str(), "wb");
        if (!f || std::fwrite(values.data(), sizeof(float), values.size(), f) != values.size()) {
            std::fprintf(stderr, "cannot write %s/%s.f32\n", dir.c_str(), name.c_str());
            std::exit(1);
        }
        std::fclose(f);
        index += (i ? ",\"" : "\"") + name + "\":" + std::to_string(values.size());
    }
    FILE *f = std::fopen((dir + "/parameters.json").c_str(), "w");
    if (f) {
        std::fprintf(f, "%s}\n", index.c_str());
        std::fclose(f);
    }
}

int run_steps(strata_trainer *t, const Sequence &s, const Options &o, int steps, bool print) {
    const float lr = (float)std::atof(o.get("lr", "1e-3").c_str());
    const std::vector<strata_trainer_batch> batches = micro_batches(s, std::atoi(o.get("accumulate", "1").c_str()));
    char error[1024];
    for (int step = 0; step < steps; step++) {
        strata_trainer_step_result r{};
        const int status = strata_trainer_step(t, batches.data(), (int)batches.size(), lr, &r, error, sizeof error);
        if (status != STRATA_TRAINER_OK) fail(status, error);
        if (print)
            std::printf("{\"step\":%lld,\"loss\":%.9g,\"grad_norm\":%.9g,\"n_trained\":%lld}\n", (long long)r.step, r.loss,
                        r.grad_norm, (long long)r.n_trained);
    }
    return 0;
}

int command_logits(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    if (o.positional.size() < 3) {
        std::fprintf(stderr, "usage: strata-trainer-cli logits <model.gguf> <out.f32> <token id>...\n");
        return 2;
    }
    std::vector<int32_t> tokens;
    for (size_t i = 2; i < o.positional.size(); i++) tokens.push_back((int32_t)std::atoi(o.positional[i].c_str()));
    strata_trainer *t = open_trainer(o.positional[0], o, (int)tokens.size());
    const int V = strata_trainer_n_vocab(t);
    std::vector<float> logits((size_t)V * tokens.size());
    char error[1024];
    const int status = strata_trainer_forward_logits(t, tokens.data(), (int)tokens.size(), logits.data(), error, sizeof error);
    if (status != STRATA_TRAINER_OK) fail(status, error);
    FILE *f = std::fopen(o.positional[1].c_str(), "wb");
    if (!f || std::fwrite(logits.data(), sizeof(float), logits.size(), f) != logits.size()) {
        std::fprintf(stderr, "cannot write %s\n", o.positional[1].c_str());
        return 1;
    }
    std::fclose(f);
    std::printf("{\"n_tokens\":%zu,\"n_vocab\":%d}\n", tokens.size(), V);
    strata_trainer_free(t);
    return 0;
}

int command_train(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    if (o.positional.empty()) {
        std::fprintf(stderr, "usage: strata-trainer-cli train <model.gguf> --tokens 1,2,3 [options]\n");
        return 2;
    }
    Sequence s = make_sequence(o);
    strata_trainer *t = open_trainer(o.positional[0], o, (int)s.inputs.size());
    if (o.flags.count("dump-initial")) dump_parameters(t, o.get("dump-initial", "."));
    run_steps(t, s, o, std::atoi(o.get("steps", "1").c_str()), true);
    if (o.flags.count("dump")) dump_parameters(t, o.get("dump", "."));
    char error[1024];
    int status = STRATA_TRAINER_OK;
    if (o.flags.count("save-adapter") &&
        (status = strata_trainer_save_lora_adapter(t, o.get("save-adapter", "").c_str(), error, sizeof error)))
        fail(status, error);
    if (o.flags.count("save-merged")) {
        const std::string type = o.get("merged-type", "f32");
        if (type != "f32" && type != "f16") {
            std::fprintf(stderr, "--merged-type must be f32 or f16\n");
            return 2;
        }
        const int output = type == "f16" ? STRATA_TRAINER_MERGED_F16 : STRATA_TRAINER_MERGED_F32;
        if ((status = strata_trainer_save_merged(t, o.get("save-merged", "").c_str(), output, error, sizeof error)))
            fail(status, error);
    }
    if (o.flags.count("logits-out")) {
        const std::vector<int32_t> tokens = parse_ints(o.get("logits-tokens", ""));
        if (tokens.empty() || (int)tokens.size() > (int)s.inputs.size()) {
            std::fprintf(stderr, "--logits-tokens needs 1 to %zu ids (at most the training sequence's length)\n", s.inputs.size());
            return 2;
        }
        std::vector<float> logits((size_t)strata_trainer_n_vocab(t) * tokens.size());
        if ((status = strata_trainer_forward_logits(t, tokens.data(), (int)tokens.size(), logits.data(), error, sizeof error)))
            fail(status, error);
        FILE *f = std::fopen(o.get("logits-out", "").c_str(), "wb");
        if (!f || std::fwrite(logits.data(), sizeof(float), logits.size(), f) != logits.size()) {
            std::fprintf(stderr, "cannot write %s\n", o.get("logits-out", "").c_str());
            return 1;
        }
        std::fclose(f);
    }
    strata_trainer_free(t);
    return 0;
}

long long file_size(const std::string &path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? (long long)st.st_size : -1;
}

int command_quantize(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    if (o.positional.size() != 3) {
        std::fprintf(stderr, "usage: strata-trainer-cli quantize <in.gguf> <out.gguf> q8_0|q4_k_m|… [--threads T]\n");
        return 2;
    }
    char error[1024];
    const int status = strata_trainer_quantize(o.positional[0].c_str(), o.positional[1].c_str(), o.positional[2].c_str(),
                                               std::atoi(o.get("threads", "1").c_str()), nullptr, error, sizeof error);
    if (status != STRATA_TRAINER_OK) fail(status, error);
    std::printf("{\"bytes_in\":%lld,\"bytes_out\":%lld}\n", file_size(o.positional[0]), file_size(o.positional[1]));
    return 0;
}

// Central differences on the entries with the largest analytic gradient: a small perturbation of an entry
// whose gradient is ~0 only measures float noise.
int command_gradcheck(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    if (o.positional.empty()) {
        std::fprintf(stderr, "usage: strata-trainer-cli gradcheck <model.gguf> --tokens 1,2,3 [options]\n");
        return 2;
    }
    Sequence s = make_sequence(o);
    strata_trainer *t = open_trainer(o.positional[0], o, (int)s.inputs.size());
    run_steps(t, s, o, std::atoi(o.get("warmup-steps", "0").c_str()), false);
    const int samples = std::atoi(o.get("samples", "2").c_str());
    const float eps = (float)std::atof(o.get("eps", "1e-2").c_str());
    const std::vector<strata_trainer_batch> batches = micro_batches(s, 1);
    char error[1024];
    double loss_sum = 0;
    int64_t n_trained = 0;
    int status = strata_trainer_accumulate(t, &batches[0], &loss_sum, &n_trained, error, sizeof error);
    if (status != STRATA_TRAINER_OK) fail(status, error);
    double worst = 0;
    std::printf("{\"loss\":%.9g,\"checks\":[", loss_sum / (double)n_trained);
    int printed = 0;
    for (int p = 0; p < strata_trainer_n_parameters(t); p++) {
        const size_t size = (size_t)strata_trainer_parameter_size(t, p);
        std::vector<float> values(size), grad(size);
        strata_trainer_parameter_read(t, p, values.data());
        strata_trainer_gradient_read(t, p, grad.data());
        std::vector<size_t> order(size);
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + std::min<size_t>(samples, size), order.end(),
                          [&](size_t a, size_t b) { return std::fabs(grad[a]) > std::fabs(grad[b]); });
        for (int k = 0; k < samples && k < (int)size; k++) {
            const size_t i = order[k];
            const float original = values[i];
            double loss_plus = 0, loss_minus = 0;
            values[i] = original + eps;
            strata_trainer_parameter_write(t, p, values.data());
            if ((status = strata_trainer_loss(t, &batches[0], &loss_plus, error, sizeof error))) fail(status, error);
            values[i] = original - eps;
            strata_trainer_parameter_write(t, p, values.data());
            if ((status = strata_trainer_loss(t, &batches[0], &loss_minus, error, sizeof error))) fail(status, error);
            values[i] = original;
            strata_trainer_parameter_write(t, p, values.data());
            const double numeric = (loss_plus - loss_minus) / (2.0 * eps);
            const double analytic = grad[i] / (double)n_trained;
            const double relative = std::fabs(numeric - analytic) / std::max(std::fabs(numeric), 1e-6);
            worst = std::max(worst, relative);
            std::printf("%s{\"parameter\":\"%s\",\"index\":%zu,\"analytic\":%.9g,\"numeric\":%.9g,\"relative\":%.3g}", printed++ ? "," : "",
                        strata_trainer_parameter_name(t, p), i, analytic, numeric, relative);
        }
    }
    // Along the gradient itself: the whole tensor moves, so the loss change is large against float noise.
    // A wrong gradient g' gives ∇L·g'/|g'| ≠ |g'|.
    double worst_directional = 0;
    const double loss_change = std::atof(o.get("loss-change", "1e-3").c_str());
    std::printf("],\"directional\":[");
    for (int p = 0; p < strata_trainer_n_parameters(t); p++) {
        const size_t size = (size_t)strata_trainer_parameter_size(t, p);
        std::vector<float> values(size), grad(size), moved(size);
        strata_trainer_parameter_read(t, p, values.data());
        strata_trainer_gradient_read(t, p, grad.data());
        double norm = 0;
        for (float g : grad) norm += (double)g * g;
        norm = std::sqrt(norm);
        if (norm == 0) continue;
        // The step length makes the predicted loss change ≈ loss_change: well above float32 noise (~1e-6),
        // small enough that curvature stays negligible, whatever the gradient's size.
        const double length = loss_change / (norm / (double)n_trained);
        double losses[2] = {0, 0};
        for (int side = 0; side < 2; side++) {
            const double step = (side == 0 ? length : -length) / norm;
            for (size_t i = 0; i < size; i++) moved[i] = (float)(values[i] + step * grad[i]);
            strata_trainer_parameter_write(t, p, moved.data());
            if ((status = strata_trainer_loss(t, &batches[0], &losses[side], error, sizeof error))) fail(status, error);
        }
        strata_trainer_parameter_write(t, p, values.data());
        const double numeric = (losses[0] - losses[1]) / (2.0 * length);
        const double analytic = norm / (double)n_trained;
        const double relative = std::fabs(numeric - analytic) / std::max(std::fabs(numeric), 1e-6);
        worst_directional = std::max(worst_directional, relative);
        std::printf("%s{\"parameter\":\"%s\",\"analytic\":%.9g,\"numeric\":%.9g,\"relative\":%.3g}", p ? "," : "",
                    strata_trainer_parameter_name(t, p), analytic, numeric, relative);
    }
    std::printf("],\"max_relative_error\":%.6g,\"max_directional_relative_error\":%.6g}\n", worst, worst_directional);
    strata_trainer_free(t);
    return 0;
}

// ---- speed and matmul (bench/training-speed.ts) ----------------------------------------------------

// Peak resident set size of this process so far (VmHWM), KiB; -1 if /proc is not there.
long long peak_rss_kib() {
    FILE *f = std::fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long long kib = -1;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::atoll(line + 6);
    std::fclose(f);
    return kib;
}

// CPU time of every thread of this process: with one thread, the step's own work whatever else the machine runs
// (wall time swings with the load); with more, it also counts the threads' spinning at ggml's barriers.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int command_speed(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    if (o.positional.empty()) {
        std::fprintf(stderr, "usage: strata-trainer-cli speed <model.gguf> --tokens 1,2,3 [--warmup W] [--steps N] [options]\n");
        return 2;
    }
    Sequence s = make_sequence(o);
    strata_trainer *t = open_trainer(o.positional[0], o, (int)s.inputs.size());
    const int warmup = std::atoi(o.get("warmup", "1").c_str());
    const int steps = std::max(1, std::atoi(o.get("steps", "5").c_str()));
    const float lr = (float)std::atof(o.get("lr", "1e-3").c_str());
    const std::vector<strata_trainer_batch> batches = micro_batches(s, std::atoi(o.get("accumulate", "1").c_str()));
    char error[1024];
    double loss_first = 0, loss_last = 0, timed = 0, warmup_s = 0, cpu_s = 0;
    std::string step_s;
    for (int step = 0; step < warmup + steps; step++) {
        if (step == warmup) cpu_s = process_cpu_seconds();
        strata_trainer_step_result r{};
        const auto start = std::chrono::steady_clock::now();
        const int status = strata_trainer_step(t, batches.data(), (int)batches.size(), lr, &r, error, sizeof error);
        const double seconds = seconds_since(start);
        if (status != STRATA_TRAINER_OK) fail(status, error);
        if (step == 0) loss_first = r.loss;
        loss_last = r.loss;
        if (step < warmup) {
            warmup_s += seconds;
        } else {
            timed += seconds;
            step_s += (step_s.empty() ? "" : ",") + std::to_string(seconds);
        }
    }
    cpu_s = process_cpu_seconds() - cpu_s;
    const double tokens = (double)s.inputs.size() * steps;
    std::printf("{\"n_tokens\":%zu,\"warmup_s\":%.6f,\"step_s\":[%s],\"tokens_per_s\":%.3f,\"cpu_s_per_step\":%.6f,"
                "\"loss_first\":%.9g,\"loss_last\":%.9g,\"n_trainable\":%lld,\"peak_rss_kib\":%lld,\"matmul_kernel\":\"%s\"}\n",
                s.inputs.size(), warmup_s, step_s.c_str(), tokens / timed, cpu_s / steps, loss_first, loss_last,
                (long long)strata_trainer_n_trainable(t), peak_rss_kib(), strata_trainer_matmul_kernel());
    strata_trainer_free(t);
    return 0;
}

// The folder of libggml-base.so, where node-llama-cpp keeps the libggml-cpu-*.so variants (as the core does).
std::string ggml_folder() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&ggml_init), &info) == 0 || !info.dli_fname) return ".";
    std::string path = info.dli_fname;
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

int command_matmul(int argc, char **argv) {
    Options o = parse(argc, argv, 2);
    const int64_t K = std::atoll(o.get("k", "512").c_str()), N = std::atoll(o.get("n", "1408").c_str()),
                  T = std::atoll(o.get("t", "256").c_str());
    const int reps = std::max(1, std::atoi(o.get("reps", "20").c_str()));
    const int threads = std::max(1, std::atoi(o.get("threads", "1").c_str()));
    const std::string op = o.get("op", "mul_mat");
    if (op != "mul_mat" && op != "out_prod" && op != "blas") {
        std::fprintf(stderr, "--op must be mul_mat, out_prod or blas\n");
        return 2;
    }
    ggml_backend_load_all_from_path(ggml_folder().c_str());
    ggml_backend_t backend = ggml_backend_init_by_type(GGML_BACKEND_DEVICE_TYPE_CPU, nullptr);
    if (!backend) {
        std::fprintf(stderr, "no CPU backend in %s\n", ggml_folder().c_str());
        return 1;
    }
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(ggml_backend_get_device(backend));
    auto set_threads = reinterpret_cast<ggml_backend_set_n_threads_t>(ggml_backend_reg_get_proc_address(reg, "ggml_backend_set_n_threads"));
    if (set_threads) set_threads(backend, threads);
    ggml_init_params params = {ggml_tensor_overhead() * 8 + ggml_graph_overhead(), nullptr, /*no_alloc =*/true};
    ggml_context *ctx = ggml_init(params);
    ggml_tensor *a, *b, *y;
    if (op == "mul_mat" || op == "blas") {
        a = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, K, N); // W, n_in fastest
        b = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, K, T); // x
        y = ggml_mul_mat(ctx, a, b);                      // [N, T]
    } else {
        a = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, K, T); // x
        b = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, N, T); // dy
        y = ggml_out_prod(ctx, a, b);                     // dW [K, N]
    }
    ggml_cgraph *graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, y);
    std::string kernel = ggml_backend_name(backend);
    if (op == "blas") {
        if (!strata::host_blas()) {
            std::fprintf(stderr, "--op blas: %s\n", strata::matmul_kernel_description().c_str());
            return 1;
        }
        strata::use_blas_products(graph, strata::host_blas());
        kernel = strata::matmul_kernel_description();
    }
    ggml_backend_buffer_t buffer = ggml_backend_alloc_ctx_tensors(ctx, backend);
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    for (ggml_tensor *input : {a, b}) {
        std::vector<float> values((size_t)ggml_nelements(input));
        for (float &v : values) v = normal(rng);
        ggml_backend_tensor_set(input, values.data(), 0, ggml_nbytes(input));
    }
    ggml_backend_graph_compute(backend, graph); // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; i++)
        if (ggml_backend_graph_compute(backend, graph) != GGML_STATUS_SUCCESS) {
            std::fprintf(stderr, "ggml %s failed\n", op.c_str());
            return 1;
        }
    const double ms = seconds_since(start) * 1000.0 / reps;
    std::printf("{\"op\":\"%s\",\"k\":%lld,\"n\":%lld,\"t\":%lld,\"threads\":%d,\"ms\":%.4f,\"gflops\":%.3f,\"backend\":\"%s\"}\n",
                op.c_str(), (long long)K, (long long)N, (long long)T, threads, ms, 2.0 * K * N * T / (ms * 1e6), kernel.c_str());
    ggml_backend_buffer_free(buffer);
    ggml_free(ctx);
    ggml_backend_free(backend);
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "logits") return command_logits(argc, argv);
    if (command == "train") return command_train(argc, argv);
    if (command == "gradcheck") return command_gradcheck(argc, argv);
    if (command == "quantize") return command_quantize(argc, argv);
    if (command == "speed") return command_speed(argc, argv);
    if (command == "matmul") return command_matmul(argc, argv);
    if (command == "info") {
        auto quoted = [](const std::string &list) {
            std::string json;
            size_t start = 0;
            while (start <= list.size()) {
                const size_t comma = std::min(list.find(',', start), list.size());
                json += std::string(json.empty() ? "\"" : ",\"") + list.substr(start, comma - start) + "\"";
                start = comma + 1;
            }
            return "[" + json + "]";
        };
        std::printf("{\"architectures\":%s,\"frozen_types\":%s,\"matmul_kernel\":\"%s\"}\n",
                    quoted(strata_trainer_supported_architectures()).c_str(),
                    quoted(strata_trainer_supported_frozen_types()).c_str(), strata_trainer_matmul_kernel());
        return 0;
    }
    std::fprintf(stderr, "usage: strata-trainer-cli logits|train|gradcheck|quantize|speed|matmul|info <model.gguf> …\n");
    return 2;
}
