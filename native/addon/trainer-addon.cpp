// The N-API skin over the trainer core (native/trainer/strata_trainer.h). Thin on purpose: it converts
// arguments, runs every core call that computes on libuv's thread pool (AsyncWorker → Promise), reports
// step progress through a thread-safe function (AsyncProgressQueueWorker), and turns core failures into JS
// Errors carrying the core's message (which already says what to do), its status and a `code`.
//
//   openTrainer(options) → Promise<Trainer>
//   trainer.forwardLogits(tokens) → Promise<Float32Array>       n_tokens × vocabularySize, row-major
//   trainer.loss(batch) → Promise<number>                        mean cross-entropy, nothing updated
//   trainer.step(batches, {learningRate, onProgress?}) → Promise<{loss, gradientNorm, trainedTokens, step}>
//   trainer.saveLoraAdapter(path) → Promise<undefined>           llama.cpp adapter GGUF (LoRA mode)
//   trainer.saveMerged(path, {type?: "f32"|"f16"}) → Promise<undefined>   base + adapter folded in
//   trainer.dispose()                                            idempotent; frees the native trainer
//   quantize(inputPath, outputPath, type, {threads?, libraryDir?}) → Promise<undefined>   llama.cpp's quantizer
//
// The core is not thread-safe, so a trainer runs one call at a time: a call while another is in flight
// rejects (code STRATA_TRAINER_BUSY). dispose() during a call frees the trainer once that call settles.
// Built with NODE_ADDON_API_CPP_EXCEPTIONS_ALL: any C++ exception that reaches node-addon-api becomes a JS
// exception, and the worker bodies catch everything themselves.
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "strata_trainer.h"

namespace {

constexpr size_t kErrorSize = 4096;

// Passed to the Trainer constructor so that only openTrainer() can make one.
int kConstructToken = 0;

const char *StatusCode(int status) {
    switch (status) {
    case STRATA_TRAINER_INVALID_ARGUMENT: return "STRATA_TRAINER_INVALID_ARGUMENT";
    case STRATA_TRAINER_UNSUPPORTED_MODEL: return "STRATA_TRAINER_UNSUPPORTED_MODEL";
    case STRATA_TRAINER_IO_ERROR: return "STRATA_TRAINER_IO_ERROR";
    case STRATA_TRAINER_BACKEND_ERROR: return "STRATA_TRAINER_BACKEND_ERROR";
    default: return "STRATA_TRAINER_INTERNAL_ERROR";
    }
}

// A failure of the core, kept as plain data until it can become a JS Error on the main thread.
struct CoreFailure {
    int status = STRATA_TRAINER_OK;
    std::string message;
};

Napi::Value CoreError(Napi::Env env, const CoreFailure &failure) {
    Napi::Error error = Napi::Error::New(env, failure.message);
    error.Set("code", Napi::String::New(env, StatusCode(failure.status)));
    error.Set("status", Napi::Number::New(env, failure.status));
    return error.Value();
}

Napi::Value CodedError(Napi::Env env, const std::string &message, const char *code) {
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("code", Napi::String::New(env, code));
    return error.Value();
}

Napi::Value Rejected(Napi::Env env, Napi::Value reason) {
    Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(reason);
    return deferred.Promise();
}

// ---- argument conversion (main thread; throws Napi::TypeError) ---------------------------------------

[[noreturn]] void TypeFail(Napi::Env env, const std::string &message) { throw Napi::TypeError::New(env, message); }

double ReadNumber(Napi::Env env, Napi::Value value, const std::string &what) {
    if (!value.IsNumber()) TypeFail(env, what + " must be a number");
    const double number = value.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(number)) TypeFail(env, what + " must be finite");
    return number;
}

int64_t ReadInteger(Napi::Env env, Napi::Value value, const std::string &what, double low, double high) {
    const double number = ReadNumber(env, value, what);
    if (std::floor(number) != number || number < low || number > high)
        TypeFail(env, what + " must be an integer in [" + std::to_string((int64_t)low) + ", " + std::to_string((int64_t)high) + "]");
    return (int64_t)number;
}

std::string ReadString(Napi::Env env, Napi::Value value, const std::string &what) {
    if (!value.IsString()) TypeFail(env, what + " must be a string");
    return value.As<Napi::String>().Utf8Value();
}

// Int32Array or an array of integers.
std::vector<int32_t> ReadInt32s(Napi::Env env, Napi::Value value, const std::string &what) {
    std::vector<int32_t> out;
    if (value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array) {
        Napi::Int32Array array = value.As<Napi::Int32Array>();
        out.assign(array.Data(), array.Data() + array.ElementLength());
        return out;
    }
    if (!value.IsArray()) TypeFail(env, what + " must be an Int32Array or an array of integers");
    Napi::Array array = value.As<Napi::Array>();
    out.reserve(array.Length());
    for (uint32_t i = 0; i < array.Length(); i++)
        out.push_back((int32_t)ReadInteger(env, array.Get(i), what + "[" + std::to_string(i) + "]",
                                           std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    return out;
}

// Uint8Array, or an array of numbers / booleans (non-zero / true = trained).
std::vector<uint8_t> ReadMask(Napi::Env env, Napi::Value value, const std::string &what) {
    std::vector<uint8_t> out;
    if (value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
        Napi::Uint8Array array = value.As<Napi::Uint8Array>();
        out.assign(array.Data(), array.Data() + array.ElementLength());
        return out;
    }
    if (!value.IsArray()) TypeFail(env, what + " must be a Uint8Array or an array of 0/1 or booleans");
    Napi::Array array = value.As<Napi::Array>();
    out.reserve(array.Length());
    for (uint32_t i = 0; i < array.Length(); i++) {
        Napi::Value entry = array.Get(i);
        if (entry.IsBoolean()) out.push_back(entry.As<Napi::Boolean>().Value() ? 1 : 0);
        else out.push_back(ReadNumber(env, entry, what + "[" + std::to_string(i) + "]") != 0 ? 1 : 0);
    }
    return out;
}

void RejectUnknownKeys(Napi::Env env, Napi::Object object, const std::string &what, std::initializer_list<const char *> known) {
    Napi::Array keys = object.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); i++) {
        const std::string key = keys.Get(i).ToString().Utf8Value();
        bool found = false;
        for (const char *k : known) found = found || key == k;
        if (!found) {
            std::string list;
            for (const char *k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            TypeFail(env, "unknown " + what + " '" + key + "' (known: " + list + ")");
        }
    }
}

bool Present(Napi::Object object, const char *key) {
    return object.Has(key) && !object.Get(key).IsUndefined();
}

// One packed sequence, owned (copied off the JS heap so that the worker thread never touches JS memory).
struct OwnedBatch {
    std::vector<int32_t> tokens, targets, document_ids;
    std::vector<uint8_t> loss_mask;

    strata_trainer_batch View() const {
        strata_trainer_batch b{};
        b.tokens = tokens.data();
        b.targets = targets.data();
        b.loss_mask = loss_mask.data();
        b.document_ids = document_ids.empty() ? nullptr : document_ids.data();
        b.n_tokens = (int)tokens.size();
        return b;
    }
};

OwnedBatch ReadBatch(Napi::Env env, Napi::Value value, const std::string &what) {
    if (!value.IsObject() || value.IsArray()) TypeFail(env, what + " must be an object {tokens, targets, lossMask?, documentIds?}");
    Napi::Object object = value.As<Napi::Object>();
    RejectUnknownKeys(env, object, what + " field", {"tokens", "targets", "lossMask", "documentIds"});
    OwnedBatch batch;
    batch.tokens = ReadInt32s(env, object.Get("tokens"), what + ".tokens");
    batch.targets = ReadInt32s(env, object.Get("targets"), what + ".targets");
    const size_t n = batch.tokens.size();
    if (n == 0) TypeFail(env, what + ".tokens must not be empty");
    if (n > (size_t)std::numeric_limits<int>::max()) TypeFail(env, what + ".tokens is too long");
    if (batch.targets.size() != n) TypeFail(env, what + ".targets must have as many entries as tokens");
    if (Present(object, "lossMask")) {
        batch.loss_mask = ReadMask(env, object.Get("lossMask"), what + ".lossMask");
        if (batch.loss_mask.size() != n) TypeFail(env, what + ".lossMask must have as many entries as tokens");
    } else {
        batch.loss_mask.assign(n, 1);
    }
    if (Present(object, "documentIds")) {
        batch.document_ids = ReadInt32s(env, object.Get("documentIds"), what + ".documentIds");
        if (batch.document_ids.size() != n) TypeFail(env, what + ".documentIds must have as many entries as tokens");
    }
    return batch;
}

uint32_t ReadTargets(Napi::Env env, Napi::Value value) {
    if (value.IsString() && value.As<Napi::String>().Utf8Value() == "all") return STRATA_TRAINER_TARGET_ALL;
    if (!value.IsArray()) TypeFail(env, "options.loraTargets must be \"all\" or an array of q, k, v, o, gate, up, down");
    static const std::pair<const char *, uint32_t> names[] = {
        {"q", STRATA_TRAINER_TARGET_Q},       {"k", STRATA_TRAINER_TARGET_K},   {"v", STRATA_TRAINER_TARGET_V},
        {"o", STRATA_TRAINER_TARGET_O},       {"gate", STRATA_TRAINER_TARGET_GATE}, {"up", STRATA_TRAINER_TARGET_UP},
        {"down", STRATA_TRAINER_TARGET_DOWN}};
    Napi::Array array = value.As<Napi::Array>();
    uint32_t bits = 0;
    for (uint32_t i = 0; i < array.Length(); i++) {
        const std::string name = ReadString(env, array.Get(i), "options.loraTargets[" + std::to_string(i) + "]");
        uint32_t bit = 0;
        for (const auto &entry : names)
            if (name == entry.first) bit = entry.second;
        if (!bit) TypeFail(env, "unknown LoRA target '" + name + "' (use q, k, v, o, gate, up, down)");
        bits |= bit;
    }
    return bits; // empty → the core refuses it with its own message
}

uint64_t ReadSeed(Napi::Env env, Napi::Value value) {
    if (value.IsBigInt()) {
        bool lossless = false;
        const uint64_t seed = value.As<Napi::BigInt>().Uint64Value(&lossless);
        if (!lossless) TypeFail(env, "options.seed must fit in 64 unsigned bits");
        return seed;
    }
    return (uint64_t)ReadInteger(env, value, "options.seed", 0, 9007199254740991.0);
}

// ---- the Trainer object -------------------------------------------------------------------------------

struct Opened {
    strata_trainer *handle = nullptr;
    int max_tokens = 0;
};

class Trainer : public Napi::ObjectWrap<Trainer> {
  public:
    static Napi::Function Define(Napi::Env env) {
        return DefineClass(env, "Trainer",
                           {InstanceMethod<&Trainer::ForwardLogits>("forwardLogits"),
                            InstanceMethod<&Trainer::Loss>("loss"), InstanceMethod<&Trainer::Step>("step"),
                            InstanceMethod<&Trainer::Dispose>("dispose"),
                            InstanceMethod<&Trainer::SaveCheckpoint>("saveCheckpoint"),
                            InstanceMethod<&Trainer::LoadCheckpoint>("loadCheckpoint"),
                            InstanceMethod<&Trainer::SaveLoraAdapter>("saveLoraAdapter"),
                            InstanceMethod<&Trainer::SaveMerged>("saveMerged"),
                            InstanceAccessor<&Trainer::Disposed>("disposed"),
                            InstanceAccessor<&Trainer::VocabularySize>("vocabularySize"),
                            InstanceAccessor<&Trainer::TrainableParameters>("trainableParameters"),
                            InstanceAccessor<&Trainer::MaxTokens>("maxTokens")});
    }

    explicit Trainer(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Trainer>(info) {
        if (info.Length() != 2 || !info[0].IsExternal() || !info[1].IsExternal() ||
            info[1].As<Napi::External<int>>().Data() != &kConstructToken)
            throw Napi::TypeError::New(info.Env(), "a Trainer is made by openTrainer(options), not with new");
        const Opened *opened = info[0].As<Napi::External<Opened>>().Data();
        handle_ = opened->handle;
        max_tokens_ = opened->max_tokens;
        vocabulary_size_ = strata_trainer_n_vocab(handle_);
        trainable_ = strata_trainer_n_trainable(handle_);
    }

    // The finalizer: frees what dispose() did not. A call in flight holds a reference to this object, so
    // this only runs while busy when the environment itself is torn down; then the handle is left alone.
    ~Trainer() override {
        if (!busy_) Free();
    }

    // Workers: Begin() on the main thread before queueing, Finish() on the main thread when settled.
    strata_trainer *handle() const { return handle_; }
    void Finish() {
        busy_ = false;
        if (disposed_) Free();
    }

  private:
    // Rejects a call that cannot run now; nullptr-free otherwise (and marks the trainer busy).
    bool Begin(Napi::Env env, const char *method, Napi::Value *rejection) {
        if (disposed_) {
            *rejection = Rejected(env, CodedError(env, std::string("trainer.") + method +
                                                           "(): the trainer is disposed (dispose() was called); open a new one with openTrainer()",
                                                  "STRATA_TRAINER_DISPOSED"));
            return false;
        }
        if (busy_) {
            *rejection = Rejected(env, CodedError(env, std::string("trainer.") + method + "(): the trainer is busy with " + busy_with_ +
                                                           "(); one call at a time, await the previous one first",
                                                  "STRATA_TRAINER_BUSY"));
            return false;
        }
        busy_ = true;
        busy_with_ = method;
        return true;
    }

    void Free() {
        if (handle_) strata_trainer_free(handle_);
        handle_ = nullptr;
    }

    Napi::Value ForwardLogits(const Napi::CallbackInfo &info);
    Napi::Value Loss(const Napi::CallbackInfo &info);
    Napi::Value Step(const Napi::CallbackInfo &info);
    Napi::Value SaveCheckpoint(const Napi::CallbackInfo &info);
    Napi::Value LoadCheckpoint(const Napi::CallbackInfo &info);
    Napi::Value CheckpointCall(const Napi::CallbackInfo &info, const char *method, bool save);
    Napi::Value SaveLoraAdapter(const Napi::CallbackInfo &info);
    Napi::Value SaveMerged(const Napi::CallbackInfo &info);

    Napi::Value Dispose(const Napi::CallbackInfo &info) {
        if (!disposed_) {
            disposed_ = true;
            if (!busy_) Free(); // else Finish() frees it once the call in flight settles
        }
        return info.Env().Undefined();
    }

    Napi::Value Disposed(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), disposed_); }
    Napi::Value VocabularySize(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), vocabulary_size_); }
    Napi::Value TrainableParameters(const Napi::CallbackInfo &info) {
        return Napi::Number::New(info.Env(), (double)trainable_);
    }
    Napi::Value MaxTokens(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), max_tokens_); }

    strata_trainer *handle_ = nullptr;
    bool busy_ = false;
    bool disposed_ = false;
    std::string busy_with_;
    int vocabulary_size_ = 0;
    int64_t trainable_ = 0;
    int max_tokens_ = 0;
};

// ---- workers ------------------------------------------------------------------------------------------

// Shared by every worker on a trainer: the promise, a strong reference to the JS object (so the trainer
// outlives the call), the core failure, and a body that catches everything on the worker thread.
template <typename Base> class TrainerCall : public Base {
  protected:
    TrainerCall(Napi::Env env, const char *name, Napi::Object self)
        : Base(env, name), deferred_(Napi::Promise::Deferred::New(env)), self_(Napi::Persistent(self)),
          trainer_(Trainer::Unwrap(self)) {}

    // Runs a core call; on failure records it and marks the worker failed.
    template <typename Call> bool Core(Call call) {
        char error[kErrorSize] = {0};
        const int status = call(error, sizeof error);
        if (status == STRATA_TRAINER_OK) return true;
        failure_.status = status;
        failure_.message = error[0] ? error : "the trainer core failed without a message";
        this->SetError(failure_.message);
        return false;
    }

    template <typename Body> void Guard(Body body) {
        try {
            body();
        } catch (const std::bad_alloc &) {
            Fail("out of memory");
        } catch (const std::exception &e) {
            Fail(std::string("internal error: ") + e.what());
        } catch (...) {
            Fail("internal error");
        }
    }

    void Fail(const std::string &message) {
        failure_.status = STRATA_TRAINER_INTERNAL_ERROR;
        failure_.message = message;
        this->SetError(message);
    }

    virtual Napi::Value Result(Napi::Env env) = 0;

    void OnOK() override {
        Napi::Env env = this->Env();
        trainer_->Finish();
        Napi::Value result;
        try {
            result = Result(env);
        } catch (const Napi::Error &e) {
            deferred_.Reject(e.Value());
            return;
        }
        deferred_.Resolve(result);
    }

    void OnError(const Napi::Error &e) override {
        trainer_->Finish();
        deferred_.Reject(failure_.status != STRATA_TRAINER_OK ? CoreError(this->Env(), failure_) : e.Value());
    }

  public:
    Napi::Promise Promise() const { return deferred_.Promise(); }

  protected:
    Napi::Promise::Deferred deferred_;
    Napi::ObjectReference self_;
    Trainer *trainer_;
    CoreFailure failure_;
};

class ForwardLogitsWorker : public TrainerCall<Napi::AsyncWorker> {
  public:
    ForwardLogitsWorker(Napi::Env env, Napi::Object self, std::vector<int32_t> tokens, size_t vocabulary_size)
        : TrainerCall(env, "strata:forwardLogits", self), tokens_(std::move(tokens)) {
        // The result lives in a JS ArrayBuffer from the start; its backing store never moves, and JS cannot
        // see it before the call settles.
        count_ = tokens_.size() * vocabulary_size;
        Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, count_ * sizeof(float));
        logits_ = static_cast<float *>(buffer.Data());
        buffer_ = Napi::Persistent(buffer);
    }

    void Execute() override {
        Guard([&] {
            strata_trainer *t = trainer_->handle();
            Core([&](char *error, size_t size) {
                return strata_trainer_forward_logits(t, tokens_.data(), (int)tokens_.size(), logits_, error, size);
            });
        });
    }

    Napi::Value Result(Napi::Env env) override { return Napi::Float32Array::New(env, count_, buffer_.Value(), 0); }

  private:
    std::vector<int32_t> tokens_;
    size_t count_ = 0;
    float *logits_ = nullptr;
    Napi::Reference<Napi::ArrayBuffer> buffer_;
};

class LossWorker : public TrainerCall<Napi::AsyncWorker> {
  public:
    LossWorker(Napi::Env env, Napi::Object self, OwnedBatch batch)
        : TrainerCall(env, "strata:loss", self), batch_(std::move(batch)) {}

    void Execute() override {
        Guard([&] {
            strata_trainer *t = trainer_->handle();
            const strata_trainer_batch view = batch_.View();
            Core([&](char *error, size_t size) { return strata_trainer_loss(t, &view, &loss_, error, size); });
        });
    }

    Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, loss_); }

  private:
    OwnedBatch batch_;
    double loss_ = 0;
};

struct StepProgress {
    int batch_index;
    int batch_count;
    double loss;
    int64_t trained_tokens;
};

// One optimizer step: accumulate each micro-batch (progress after each), then the AdamW update. The same
// sequence of core calls as strata_trainer_step, split so that progress can be reported in between.
class StepWorker : public TrainerCall<Napi::AsyncProgressQueueWorker<StepProgress>> {
  public:
    StepWorker(Napi::Env env, Napi::Object self, std::vector<OwnedBatch> batches, float learning_rate,
               Napi::Function on_progress)
        : TrainerCall(env, "strata:step", self), batches_(std::move(batches)), learning_rate_(learning_rate) {
        if (!on_progress.IsEmpty()) on_progress_ = Napi::Persistent(on_progress);
    }

    void Execute(const ExecutionProgress &progress) override {
        Guard([&] {
            strata_trainer *t = trainer_->handle();
            const int n = (int)batches_.size();
            for (int i = 0; i < n; i++) {
                const strata_trainer_batch view = batches_[i].View();
                double loss_sum = 0;
                int64_t trained = 0;
                if (!Core([&](char *error, size_t size) {
                        return strata_trainer_accumulate(t, &view, &loss_sum, &trained, error, size);
                    }))
                    return;
                if (!on_progress_.IsEmpty()) {
                    const StepProgress event{i, n, trained > 0 ? loss_sum / (double)trained : 0.0, trained};
                    progress.Send(&event, 1);
                }
            }
            Core([&](char *error, size_t size) {
                return strata_trainer_apply_update(t, learning_rate_, &result_, error, size);
            });
        });
    }

    void OnProgress(const StepProgress *events, size_t count) override {
        if (on_progress_.IsEmpty() || !progress_error_.IsEmpty()) return;
        Napi::Env env = Env();
        for (size_t i = 0; i < count; i++) {
            Napi::Object event = Napi::Object::New(env);
            event.Set("batchIndex", Napi::Number::New(env, events[i].batch_index));
            event.Set("batchCount", Napi::Number::New(env, events[i].batch_count));
            event.Set("loss", Napi::Number::New(env, events[i].loss));
            event.Set("trainedTokens", Napi::Number::New(env, (double)events[i].trained_tokens));
            try {
                on_progress_.Value().Call({event});
            } catch (const Napi::Error &e) {
                // A throwing callback does not stop the step; the step's promise rejects with its error.
                progress_error_ = Napi::Persistent(e.Value());
                return;
            }
        }
    }

    Napi::Value Result(Napi::Env env) override {
        if (!progress_error_.IsEmpty()) throw Napi::Error(env, progress_error_.Value());
        Napi::Object result = Napi::Object::New(env);
        result.Set("loss", Napi::Number::New(env, result_.loss));
        result.Set("gradientNorm", Napi::Number::New(env, result_.grad_norm));
        result.Set("trainedTokens", Napi::Number::New(env, (double)result_.n_trained));
        result.Set("step", Napi::Number::New(env, (double)result_.step));
        return result;
    }

  private:
    std::vector<OwnedBatch> batches_;
    float learning_rate_;
    Napi::FunctionReference on_progress_;
    Napi::ObjectReference progress_error_;
    strata_trainer_step_result result_{};
};

Napi::Value Trainer::ForwardLogits(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::vector<int32_t> tokens;
    try {
        tokens = ReadInt32s(env, info[0], "tokens");
        if (tokens.empty()) TypeFail(env, "tokens must not be empty");
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, "forwardLogits", &rejection)) return rejection;
    ForwardLogitsWorker *worker = nullptr;
    try {
        worker = new ForwardLogitsWorker(env, info.This().As<Napi::Object>(), std::move(tokens), (size_t)vocabulary_size_);
    } catch (const Napi::Error &e) { // e.g. the logits buffer could not be allocated
        busy_ = false;
        return Rejected(env, e.Value());
    }
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

Napi::Value Trainer::Loss(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    OwnedBatch batch;
    try {
        batch = ReadBatch(env, info[0], "batch");
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, "loss", &rejection)) return rejection;
    auto *worker = new LossWorker(env, info.This().As<Napi::Object>(), std::move(batch));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

Napi::Value Trainer::Step(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::vector<OwnedBatch> batches;
    float learning_rate = 0;
    Napi::Function on_progress;
    try {
        if (!info[0].IsArray()) TypeFail(env, "batches must be an array of {tokens, targets, lossMask?, documentIds?}");
        Napi::Array array = info[0].As<Napi::Array>();
        if (array.Length() == 0) TypeFail(env, "a step needs at least one batch");
        for (uint32_t i = 0; i < array.Length(); i++) batches.push_back(ReadBatch(env, array.Get(i), "batches[" + std::to_string(i) + "]"));
        if (!info[1].IsObject()) TypeFail(env, "step(batches, options): options {learningRate, onProgress?} is required");
        Napi::Object options = info[1].As<Napi::Object>();
        RejectUnknownKeys(env, options, "step option", {"learningRate", "onProgress"});
        const double lr = ReadNumber(env, options.Get("learningRate"), "options.learningRate");
        if (lr < 0) TypeFail(env, "options.learningRate must be >= 0");
        learning_rate = (float)lr;
        if (Present(options, "onProgress")) {
            if (!options.Get("onProgress").IsFunction()) TypeFail(env, "options.onProgress must be a function");
            on_progress = options.Get("onProgress").As<Napi::Function>();
        }
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, "step", &rejection)) return rejection;
    auto *worker = new StepWorker(env, info.This().As<Napi::Object>(), std::move(batches), learning_rate, on_progress);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

// ---- export: saveLoraAdapter, saveMerged (issue 5) ----------------------------------------------------

// Writes a file through the core (<path>.tmp, then renamed); resolves to undefined.
class SaveWorker : public TrainerCall<Napi::AsyncWorker> {
  public:
    // output_type < 0: the LoRA adapter; else strata_trainer_save_merged with that STRATA_TRAINER_MERGED_*.
    SaveWorker(Napi::Env env, Napi::Object self, std::string path, int output_type)
        : TrainerCall(env, output_type < 0 ? "strata:saveLoraAdapter" : "strata:saveMerged", self), path_(std::move(path)),
          output_type_(output_type) {}

    void Execute() override {
        Guard([&] {
            strata_trainer *t = trainer_->handle();
            Core([&](char *error, size_t size) {
                return output_type_ < 0 ? strata_trainer_save_lora_adapter(t, path_.c_str(), error, size)
                                        : strata_trainer_save_merged(t, path_.c_str(), output_type_, error, size);
            });
        });
    }

    Napi::Value Result(Napi::Env env) override { return env.Undefined(); }

  private:
    std::string path_;
    int output_type_;
};

Napi::Value Trainer::SaveLoraAdapter(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string path;
    try {
        path = ReadString(env, info[0], "path");
        if (path.empty()) TypeFail(env, "path must not be empty");
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, "saveLoraAdapter", &rejection)) return rejection;
    auto *worker = new SaveWorker(env, info.This().As<Napi::Object>(), std::move(path), -1);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

Napi::Value Trainer::SaveMerged(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string path;
    int output_type = STRATA_TRAINER_MERGED_F32;
    try {
        path = ReadString(env, info[0], "path");
        if (path.empty()) TypeFail(env, "path must not be empty");
        if (!info[1].IsUndefined()) {
            if (!info[1].IsObject() || info[1].IsArray()) TypeFail(env, "saveMerged(path, options?): options must be an object {type?}");
            Napi::Object options = info[1].As<Napi::Object>();
            RejectUnknownKeys(env, options, "saveMerged option", {"type"});
            if (Present(options, "type")) {
                const std::string type = ReadString(env, options.Get("type"), "options.type");
                if (type == "f32") output_type = STRATA_TRAINER_MERGED_F32;
                else if (type == "f16") output_type = STRATA_TRAINER_MERGED_F16;
                else TypeFail(env, "options.type must be \"f32\" or \"f16\", not \"" + type + "\"");
            }
        }
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, "saveMerged", &rejection)) return rejection;
    auto *worker = new SaveWorker(env, info.This().As<Napi::Object>(), std::move(path), output_type);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

// ---- quantize (module level, no trainer) --------------------------------------------------------------

// llama.cpp's quantizer on libuv's thread pool; resolves to undefined.
class QuantizeWorker : public Napi::AsyncWorker {
  public:
    QuantizeWorker(Napi::Env env, std::string input, std::string output, std::string type, int threads, std::string library_dir)
        : Napi::AsyncWorker(env, "strata:quantize"), deferred_(Napi::Promise::Deferred::New(env)), input_(std::move(input)),
          output_(std::move(output)), type_(std::move(type)), threads_(threads), library_dir_(std::move(library_dir)) {}

    Napi::Promise Promise() const { return deferred_.Promise(); }

    void Execute() override {
        try {
            char error[kErrorSize] = {0};
            const int status = strata_trainer_quantize(input_.c_str(), output_.c_str(), type_.c_str(), threads_,
                                                       library_dir_.empty() ? nullptr : library_dir_.c_str(), error, sizeof error);
            if (status != STRATA_TRAINER_OK) {
                failure_ = {status, error[0] ? error : "the trainer core failed without a message"};
                SetError(failure_.message);
            }
        } catch (...) {
            failure_ = {STRATA_TRAINER_INTERNAL_ERROR, "internal error while quantizing"};
            SetError(failure_.message);
        }
    }

    void OnOK() override { deferred_.Resolve(Env().Undefined()); }

    void OnError(const Napi::Error &e) override {
        deferred_.Reject(failure_.status != STRATA_TRAINER_OK ? CoreError(Env(), failure_) : e.Value());
    }

  private:
    Napi::Promise::Deferred deferred_;
    std::string input_, output_, type_;
    int threads_;
    std::string library_dir_;
    CoreFailure failure_;
};

// quantize(inputPath, outputPath, type, {threads?, libraryDir?}) → Promise<undefined>
Napi::Value Quantize(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::string input, output, type, library_dir;
    int threads = 0;
    try {
        input = ReadString(env, info[0], "inputPath");
        output = ReadString(env, info[1], "outputPath");
        type = ReadString(env, info[2], "type");
        if (input.empty() || output.empty()) TypeFail(env, "inputPath and outputPath must not be empty");
        if (!info[3].IsUndefined()) {
            if (!info[3].IsObject() || info[3].IsArray()) TypeFail(env, "quantize(inputPath, outputPath, type, options?): options must be an object {threads?, libraryDir?}");
            Napi::Object options = info[3].As<Napi::Object>();
            RejectUnknownKeys(env, options, "quantize option", {"threads", "libraryDir"});
            if (Present(options, "threads")) threads = (int)ReadInteger(env, options.Get("threads"), "options.threads", 0, 1024);
            if (Present(options, "libraryDir")) library_dir = ReadString(env, options.Get("libraryDir"), "options.libraryDir");
        }
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    auto *worker = new QuantizeWorker(env, std::move(input), std::move(output), std::move(type), threads, std::move(library_dir));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

// ---- checkpoints: saveCheckpoint, loadCheckpoint (issue 6) -------------------------------------------

// Parameters, AdamW moments and the step counter (see strata_trainer_save_checkpoint). Both resolve to the
// optimizer step count after the call.
class CheckpointWorker : public TrainerCall<Napi::AsyncWorker> {
  public:
    CheckpointWorker(Napi::Env env, Napi::Object self, std::string path, bool save)
        : TrainerCall(env, save ? "strata:saveCheckpoint" : "strata:loadCheckpoint", self), path_(std::move(path)),
          save_(save) {}

    void Execute() override {
        Guard([&] {
            strata_trainer *t = trainer_->handle();
            if (!Core([&](char *error, size_t size) {
                    return save_ ? strata_trainer_save_checkpoint(t, path_.c_str(), error, size)
                                 : strata_trainer_load_checkpoint(t, path_.c_str(), error, size);
                }))
                return;
            step_ = strata_trainer_step_count(t);
        });
    }

    Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, (double)step_); }

  private:
    std::string path_;
    bool save_;
    int64_t step_ = 0;
};

Napi::Value Trainer::SaveCheckpoint(const Napi::CallbackInfo &info) { return CheckpointCall(info, "saveCheckpoint", true); }
Napi::Value Trainer::LoadCheckpoint(const Napi::CallbackInfo &info) { return CheckpointCall(info, "loadCheckpoint", false); }

Napi::Value Trainer::CheckpointCall(const Napi::CallbackInfo &info, const char *method, bool save) {
    Napi::Env env = info.Env();
    std::string path;
    try {
        path = ReadString(env, info[0], "path");
        if (path.empty()) TypeFail(env, "path must not be empty");
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    Napi::Value rejection;
    if (!Begin(env, method, &rejection)) return rejection;
    auto *worker = new CheckpointWorker(env, info.This().As<Napi::Object>(), std::move(path), save);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

// ---- openTrainer -------------------------------------------------------------------------------------

struct AddonData {
    Napi::FunctionReference trainer_class;
};

class OpenWorker : public Napi::AsyncWorker {
  public:
    OpenWorker(Napi::Env env, strata_trainer_config config, std::string model_path, std::string backend_dir)
        : Napi::AsyncWorker(env, "strata:openTrainer"), deferred_(Napi::Promise::Deferred::New(env)), config_(config),
          model_path_(std::move(model_path)), backend_dir_(std::move(backend_dir)) {}

    ~OpenWorker() override { strata_trainer_free(opened_.handle); } // only set if it never reached a Trainer

    Napi::Promise Promise() const { return deferred_.Promise(); }

    void Execute() override {
        try {
            config_.backend_dir = backend_dir_.empty() ? nullptr : backend_dir_.c_str();
            char error[kErrorSize] = {0};
            const int status = strata_trainer_init(&config_, model_path_.c_str(), &opened_.handle, error, sizeof error);
            if (status != STRATA_TRAINER_OK) {
                failure_ = {status, error[0] ? error : "the trainer core failed without a message"};
                SetError(failure_.message);
            }
            opened_.max_tokens = config_.max_tokens;
        } catch (...) {
            failure_ = {STRATA_TRAINER_INTERNAL_ERROR, "internal error while opening the trainer"};
            SetError(failure_.message);
        }
    }

    void OnOK() override {
        Napi::Env env = Env();
        try {
            Napi::Function trainer_class = env.GetInstanceData<AddonData>()->trainer_class.Value();
            Napi::Object trainer =
                trainer_class.New({Napi::External<Opened>::New(env, &opened_), Napi::External<int>::New(env, &kConstructToken)});
            opened_.handle = nullptr; // the Trainer owns it now
            deferred_.Resolve(trainer);
        } catch (const Napi::Error &e) {
            deferred_.Reject(e.Value());
        }
    }

    void OnError(const Napi::Error &e) override {
        deferred_.Reject(failure_.status != STRATA_TRAINER_OK ? CoreError(Env(), failure_) : e.Value());
    }

  private:
    Napi::Promise::Deferred deferred_;
    strata_trainer_config config_;
    std::string model_path_, backend_dir_;
    Opened opened_;
    CoreFailure failure_;
};

Napi::Value OpenTrainer(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    strata_trainer_config config = strata_trainer_default_config();
    std::string model_path, backend_dir;
    try {
        if (!info[0].IsObject() || info[0].IsArray()) TypeFail(env, "openTrainer(options): options must be an object with modelPath");
        Napi::Object o = info[0].As<Napi::Object>();
        RejectUnknownKeys(env, o, "option",
                          {"modelPath", "mode", "loraRank", "loraAlpha", "loraTargets", "adamBeta1", "adamBeta2",
                           "adamEpsilon", "weightDecay", "maxGradNorm", "threads", "maxTokens", "seed", "backendDir",
                           "device"});
        model_path = ReadString(env, o.Get("modelPath"), "options.modelPath");
        if (model_path.empty()) TypeFail(env, "options.modelPath must not be empty");
        if (Present(o, "mode")) {
            const std::string mode = ReadString(env, o.Get("mode"), "options.mode");
            if (mode == "lora") config.mode = STRATA_TRAINER_MODE_LORA;
            else if (mode == "full") config.mode = STRATA_TRAINER_MODE_FULL;
            else TypeFail(env, "options.mode must be \"lora\" or \"full\", not \"" + mode + "\"");
        }
        const double int_max = std::numeric_limits<int>::max();
        if (Present(o, "loraRank")) config.lora_rank = (int)ReadInteger(env, o.Get("loraRank"), "options.loraRank", 1, int_max);
        if (Present(o, "loraAlpha")) config.lora_alpha = (float)ReadNumber(env, o.Get("loraAlpha"), "options.loraAlpha");
        if (Present(o, "loraTargets")) config.lora_targets = ReadTargets(env, o.Get("loraTargets"));
        if (Present(o, "adamBeta1")) config.adam_beta1 = (float)ReadNumber(env, o.Get("adamBeta1"), "options.adamBeta1");
        if (Present(o, "adamBeta2")) config.adam_beta2 = (float)ReadNumber(env, o.Get("adamBeta2"), "options.adamBeta2");
        if (Present(o, "adamEpsilon")) config.adam_epsilon = (float)ReadNumber(env, o.Get("adamEpsilon"), "options.adamEpsilon");
        if (Present(o, "weightDecay")) config.weight_decay = (float)ReadNumber(env, o.Get("weightDecay"), "options.weightDecay");
        if (Present(o, "maxGradNorm")) config.max_grad_norm = (float)ReadNumber(env, o.Get("maxGradNorm"), "options.maxGradNorm");
        if (Present(o, "threads")) config.n_threads = (int)ReadInteger(env, o.Get("threads"), "options.threads", 1, 1024);
        if (Present(o, "maxTokens")) config.max_tokens = (int)ReadInteger(env, o.Get("maxTokens"), "options.maxTokens", 1, int_max);
        if (Present(o, "seed")) config.seed = ReadSeed(env, o.Get("seed"));
        if (Present(o, "backendDir")) backend_dir = ReadString(env, o.Get("backendDir"), "options.backendDir");
        if (Present(o, "device")) {
            const std::string device = ReadString(env, o.Get("device"), "options.device");
            if (device == "cpu") config.device = STRATA_TRAINER_DEVICE_CPU;
            else if (device == "gpu") config.device = STRATA_TRAINER_DEVICE_GPU;
            else TypeFail(env, "options.device must be \"cpu\" or \"gpu\", not \"" + device + "\"");
        }
    } catch (const Napi::Error &e) {
        return Rejected(env, e.Value());
    }
    auto *worker = new OpenWorker(env, config, std::move(model_path), std::move(backend_dir));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
}

// A float as the shortest decimal that reads back as it (0.9f → 0.9, not 0.8999999761581421).
Napi::Number FloatNumber(Napi::Env env, float value) {
    char text[32] = "0";
    for (int digits = 1; digits <= 9; digits++) {
        std::snprintf(text, sizeof text, "%.*g", digits, (double)value);
        if (std::strtof(text, nullptr) == value) break;
    }
    return Napi::Number::New(env, std::strtod(text, nullptr));
}

// The core's defaults, in the option names openTrainer takes.
Napi::Value DefaultOptions(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    const strata_trainer_config c = strata_trainer_default_config();
    Napi::Object o = Napi::Object::New(env);
    o.Set("mode", c.mode == STRATA_TRAINER_MODE_FULL ? "full" : "lora");
    o.Set("loraRank", c.lora_rank);
    o.Set("loraAlpha", FloatNumber(env, c.lora_alpha));
    Napi::Array targets = Napi::Array::New(env);
    const char *names[] = {"q", "k", "v", "o", "gate", "up", "down"};
    for (uint32_t i = 0, n = 0; i < 7; i++)
        if (c.lora_targets & (1u << i)) targets.Set(n++, names[i]);
    o.Set("loraTargets", targets);
    o.Set("adamBeta1", FloatNumber(env, c.adam_beta1));
    o.Set("adamBeta2", FloatNumber(env, c.adam_beta2));
    o.Set("adamEpsilon", FloatNumber(env, c.adam_epsilon));
    o.Set("weightDecay", FloatNumber(env, c.weight_decay));
    o.Set("maxGradNorm", FloatNumber(env, c.max_grad_norm));
    o.Set("threads", c.n_threads);
    o.Set("maxTokens", c.max_tokens);
    o.Set("seed", Napi::Number::New(env, (double)c.seed));
    return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
    auto *data = new AddonData();
    data->trainer_class = Napi::Persistent(Trainer::Define(env));
    env.SetInstanceData(data);
    exports.Set("openTrainer", Napi::Function::New<OpenTrainer>(env, "openTrainer"));
    exports.Set("defaultOptions", Napi::Function::New<DefaultOptions>(env, "defaultOptions"));
    exports.Set("quantize", Napi::Function::New<Quantize>(env, "quantize"));
    exports.Set("matmulKernel", Napi::Function::New(env, [](const Napi::CallbackInfo &info) -> Napi::Value {
        return Napi::String::New(info.Env(), strata_trainer_matmul_kernel());
    }, "matmulKernel"));
    return exports;
}

} // namespace

NODE_API_MODULE(strata_trainer, Init)
