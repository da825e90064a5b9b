// strata_trainer_quantize: llama.cpp's own quantizer, llama_model_quantize, from the prebuilt libllama that
// node-llama-cpp ships next to libggml. libllama is opened at run time (dlopen), not linked: the trainer core
// and whatever links it (CLI, N-API addon) keep depending on libggml only. Compiled against include/llama.h of
// exactly the same llama.cpp release (build.sh extracts it from node-llama-cpp's bundle), so the parameter
// struct matches the library.
#include <dirent.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

#include "llama.h"
#include "strata_trainer.h"

namespace {

struct LlamaQuantizeApi {
    void *handle = nullptr;
    std::string path, error;
    decltype(&llama_backend_init) backend_init = nullptr;
    decltype(&llama_model_quantize_default_params) default_params = nullptr;
    decltype(&llama_model_quantize) quantize = nullptr;
    decltype(&llama_log_get) log_get = nullptr;
    decltype(&llama_log_set) log_set = nullptr;
};

std::string folder_of_ggml_base() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&ggml_init), &info) == 0 || !info.dli_fname) return ".";
    std::string path = info.dli_fname;
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

// "libllama.so", or node-llama-cpp's versioned "libllama.<release>.so"; never libllama-common.so.
std::string find_libllama(const std::string &dir) {
    DIR *d = opendir(dir.c_str());
    if (!d) return "";
    std::string found;
    while (dirent *entry = readdir(d)) {
        const std::string name = entry->d_name;
        const bool versioned = name.rfind("libllama.", 0) == 0 && name.size() > 12 && name.compare(name.size() - 3, 3, ".so") == 0;
        if (name == "libllama.so" || (versioned && found.empty())) found = name;
    }
    closedir(d);
    return found.empty() ? "" : dir + "/" + found;
}

template <typename T> bool bind(void *handle, const char *name, T &out) {
    out = reinterpret_cast<T>(dlsym(handle, name));
    return out != nullptr;
}

// One libllama per process (llama.cpp keeps global state); opened on first use and never closed.
LlamaQuantizeApi &open_libllama(const std::string &dir) {
    static std::mutex mutex;
    static LlamaQuantizeApi api;
    std::lock_guard<std::mutex> lock(mutex);
    if (api.handle) return api;
    api.path = find_libllama(dir);
    if (api.path.empty()) {
        api.error = "no libllama*.so in " + dir + " (node-llama-cpp's prebuilt folder ships libllama.<release>.so next to libggml)";
        return api;
    }
    void *handle = dlopen(api.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *reason = dlerror();
        api.error = "cannot load " + api.path + ": " + (reason ? reason : "unknown error");
        return api;
    }
    if (!bind(handle, "llama_model_quantize", api.quantize) || !bind(handle, "llama_model_quantize_default_params", api.default_params) ||
        !bind(handle, "llama_log_get", api.log_get) || !bind(handle, "llama_log_set", api.log_set)) {
        api.error = api.path + " lacks llama_model_quantize / llama_log_set: not the llama.cpp release the trainer was built for";
        dlclose(handle);
        return api;
    }
    bind(handle, "llama_backend_init", api.backend_init);
    if (api.backend_init) api.backend_init();
    api.error.clear();
    api.handle = handle;
    return api;
}

struct TypeName {
    const char *name;
    llama_ftype ftype;
};
const TypeName kTypes[] = {
    {"f32", LLAMA_FTYPE_ALL_F32},         {"f16", LLAMA_FTYPE_MOSTLY_F16},       {"bf16", LLAMA_FTYPE_MOSTLY_BF16},
    {"q8_0", LLAMA_FTYPE_MOSTLY_Q8_0},    {"q4_0", LLAMA_FTYPE_MOSTLY_Q4_0},     {"q4_1", LLAMA_FTYPE_MOSTLY_Q4_1},
    {"q5_0", LLAMA_FTYPE_MOSTLY_Q5_0},    {"q5_1", LLAMA_FTYPE_MOSTLY_Q5_1},     {"q2_k", LLAMA_FTYPE_MOSTLY_Q2_K},
    {"q3_k_s", LLAMA_FTYPE_MOSTLY_Q3_K_S}, {"q3_k_m", LLAMA_FTYPE_MOSTLY_Q3_K_M}, {"q3_k_l", LLAMA_FTYPE_MOSTLY_Q3_K_L},
    {"q4_k_s", LLAMA_FTYPE_MOSTLY_Q4_K_S}, {"q4_k_m", LLAMA_FTYPE_MOSTLY_Q4_K_M}, {"q5_k_s", LLAMA_FTYPE_MOSTLY_Q5_K_S},
    {"q5_k_m", LLAMA_FTYPE_MOSTLY_Q5_K_M}, {"q6_k", LLAMA_FTYPE_MOSTLY_Q6_K},
};

// While quantizing, llama.cpp's log goes through here: errors are kept for the error message, warnings (e.g.
// "falling back to q5_0" for rows too short for a k-quant) still reach the previous logger, the per-tensor
// progress lines are dropped.
struct LogCapture {
    ggml_log_callback previous = nullptr, previous_ggml = nullptr;
    void *previous_data = nullptr, *previous_ggml_data = nullptr;
    std::string errors;
    ggml_log_level last_level = GGML_LOG_LEVEL_INFO;
};

void capture_log(ggml_log_level level, const char *text, void *data) {
    auto *capture = static_cast<LogCapture *>(data);
    if (level == GGML_LOG_LEVEL_CONT) level = capture->last_level;
    capture->last_level = level;
    if (level == GGML_LOG_LEVEL_ERROR && capture->errors.size() < 4096) capture->errors += text;
    if (level == GGML_LOG_LEVEL_WARN && capture->previous) capture->previous(level, text, capture->previous_data);
}

void fill_error(char *error, size_t size, const std::string &message) {
    if (error && size > 0) std::snprintf(error, size, "%s", message.c_str());
}

std::string trimmed(std::string text) {
    while (!text.empty() && std::isspace((unsigned char)text.back())) text.pop_back();
    return text;
}

} // namespace

extern "C" int strata_trainer_quantize(const char *input_path, const char *output_path, const char *type, int n_threads,
                                       const char *library_dir, char *error, size_t error_size) {
    try {
        if (!input_path || !output_path || !type || !*input_path || !*output_path) {
            fill_error(error, error_size, "input_path, output_path and type are required");
            return STRATA_TRAINER_INVALID_ARGUMENT;
        }
        std::string name = type;
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return (char)std::tolower(c); });
        const TypeName *chosen = nullptr;
        std::string known;
        for (const TypeName &t : kTypes) {
            if (name == t.name) chosen = &t;
            known += (known.empty() ? "" : ", ") + std::string(t.name);
        }
        if (!chosen) {
            fill_error(error, error_size, "unknown quantization type '" + std::string(type) + "' (known: " + known + ")");
            return STRATA_TRAINER_INVALID_ARGUMENT;
        }
        if (std::string(input_path) == output_path) {
            fill_error(error, error_size, "the output must be a different file than the input");
            return STRATA_TRAINER_INVALID_ARGUMENT;
        }
        if (FILE *probe = std::fopen(input_path, "rb")) std::fclose(probe);
        else {
            fill_error(error, error_size, std::string("cannot open ") + input_path);
            return STRATA_TRAINER_IO_ERROR;
        }
        LlamaQuantizeApi &api = open_libllama(library_dir ? library_dir : folder_of_ggml_base());
        if (!api.handle) {
            fill_error(error, error_size, api.error);
            return STRATA_TRAINER_BACKEND_ERROR;
        }
        llama_model_quantize_params params = api.default_params();
        params.nthread = n_threads;
        params.ftype = chosen->ftype;
        // To F32 every block is widened exactly (the type's own to_float); llama.cpp calls any conversion of a
        // quantized tensor requantizing and refuses it unless allowed. Full fine-tuning of a quantized base trains
        // such a copy. To the other types it stays refused: quantizing twice compounds the error.
        params.allow_requantize = chosen->ftype == LLAMA_FTYPE_ALL_F32;
        const std::string temp = std::string(output_path) + ".tmp";
        static std::mutex quantizing; // the log redirection is process-wide
        std::lock_guard<std::mutex> lock(quantizing);
        LogCapture capture;
        api.log_get(&capture.previous, &capture.previous_data);
        ggml_log_get(&capture.previous_ggml, &capture.previous_ggml_data);
        api.log_set(capture_log, &capture); // sets ggml's logger too
        const uint32_t status = api.quantize(input_path, temp.c_str(), &params);
        api.log_set(capture.previous, capture.previous_data);
        ggml_log_set(capture.previous_ggml, capture.previous_ggml_data);
        if (status != 0) {
            std::remove(temp.c_str());
            std::string reason = trimmed(capture.errors);
            const std::string prefix = "llama_model_quantize: failed to quantize: ";
            if (reason.rfind(prefix, 0) == 0) reason = reason.substr(prefix.size());
            fill_error(error, error_size, "llama_model_quantize failed on " + std::string(input_path) +
                                              (reason.empty() ? std::string() : ": " + reason));
            return STRATA_TRAINER_BACKEND_ERROR;
        }
        if (std::rename(temp.c_str(), output_path) != 0) {
            std::remove(temp.c_str());
            fill_error(error, error_size, "cannot rename " + temp + " to " + output_path);
            return STRATA_TRAINER_IO_ERROR;
        }
        return STRATA_TRAINER_OK;
    } catch (const std::exception &e) {
        fill_error(error, error_size, std::string("internal error: ") + e.what());
        return STRATA_TRAINER_INTERNAL_ERROR;
    } catch (...) {
        fill_error(error, error_size, "internal error");
        return STRATA_TRAINER_INTERNAL_ERROR;
    }
}
