// Classify: a transfer-learning custom model answering on its provisioned throughput. The reservation is
// resolved as the runtime resolves one (Creating → ModelNotReadyException, Failed, deleted, queue full →
// ThrottlingException); a custom model named directly is refused exactly as on-demand invocation refuses it.
// The texts are embedded on the reservation's own capacity (its gate, its context), then the head's file —
// read once per model — turns each embedding into a label and the class probabilities.
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { CustomModel } from "../../customization/custom-models/custom-model-registry.js";
import type { InferenceEngine } from "../../inference/engine/inference-engine.js";
import type { RuntimeModelResolver } from "../../inference/resolve-runtime-model.js";
import { ValidationException } from "../../protocol/aws-errors.js";
import type { ActiveReservation } from "../../provisioned-throughput/provisioned-throughput-service.js";
import {
  type Classification,
  type ClassificationHead,
  classifyEmbedding,
  headModel,
  parseClassificationHead,
} from "../classifier/classification-head.js";
import type { ClassifierModel } from "../classifier/classifier-model.js";

export interface ClassifyResult {
  /** The provisioned model's ARN. */
  modelId: string;
  customModel: CustomModel;
  labels: string[];
  results: Classification[];
  /** Tokens embedded, each text counted up to the head's input limit: the usage ledger's input tokens. */
  inputTokens: number;
}

export interface ClassifierServiceOptions {
  dataDirectory: string;
  /** The reservation serving a runtime modelId (provisioned-throughput-service's forRuntime). */
  reservationFor(modelId: string): Promise<ActiveReservation | undefined>;
  resolver: RuntimeModelResolver;
  engine: InferenceEngine;
}

export class ClassifierService {
  private readonly heads = new Map<string, Promise<{ head: ClassificationHead; model: ClassifierModel }>>();

  constructor(private readonly options: ClassifierServiceOptions) {}

  async classify(modelId: string, texts: readonly string[]): Promise<ClassifyResult> {
    const active = await this.options.reservationFor(modelId);
    if (!active) {
      // Throws what the runtime throws for a custom model named directly, or for an unknown id.
      await this.options.resolver.resolve(modelId);
      throw new ValidationException(
        `${modelId} is not a provisioned throughput. Classify serves transfer-learning custom models through provisioned throughput: create one for the custom model and pass its provisionedModelArn.`,
      );
    }
    const customModel = active.reservable.customModel;
    if (customModel?.artifactKind !== "classification-head")
      throw new ValidationException(
        `The provisioned throughput ${active.reservation.provisionedModelName} serves ${active.reservation.modelArn}, which is not a transfer-learning classifier; Classify needs one (CreateTransferLearningJob).`,
      );
    const { head, model } = await this.loadHead(customModel);
    const { engine } = this.options;
    const [vectors, counts] = await Promise.all([
      engine.embed(active.engineModel, [...texts], { maxTokens: head.features.maxInputTokens }),
      Promise.all(texts.map((text) => engine.countTokens(active.engineModel, { kind: "text", text }))),
    ]);
    return {
      modelId: active.engineModel.modelId,
      customModel,
      labels: head.labels,
      results: vectors.map((vector) => classifyEmbedding(head, model, vector)),
      inputTokens: counts.reduce((sum, count) => sum + Math.min(count, head.features.maxInputTokens), 0),
    };
  }

  private loadHead(customModel: CustomModel): Promise<{ head: ClassificationHead; model: ClassifierModel }> {
    const path = isAbsolute(customModel.artifactFile)
      ? customModel.artifactFile
      : join(this.options.dataDirectory, customModel.artifactFile);
    let loading = this.heads.get(path);
    if (!loading) {
      loading = readFile(path, "utf8").then((text) => {
        const parsed = parseClassificationHead(text);
        if (!parsed.ok)
          throw new Error(
            `The classifier file of ${customModel.modelName} (${path}) is damaged: ${parsed.reason}`,
          );
        return { head: parsed.head, model: headModel(parsed.head) };
      });
      loading.catch(() => this.heads.delete(path));
      this.heads.set(path, loading);
    }
    return loading;
  }
}
