// The runtime's view of provisioned throughput: a reservation's ARN (or name) is served on its reserved
// capacity; a custom model named directly is refused — as in Bedrock, custom models run only through
// provisioned throughput — with a message that says what to do.

import type { CustomModelRegistry } from "../customization/custom-models/custom-model-registry.js";
import { idFromCustomizationArn } from "../customization/customization-arns.js";
import type { EngineModel } from "../inference/engine/inference-engine.js";
import type { ReservedModelResolver, RuntimeTarget } from "../inference/resolve-runtime-model.js";
import { ValidationException } from "../protocol/aws-errors.js";
import type { CapacityGates } from "./capacity-gates.js";
import { capacityKeyOf } from "./gated-engine.js";
import { idFromProvisionedModelArn, looksLikeProvisionedModelName } from "./provisioned-model-arns.js";
import type { ProvisionedThroughputService } from "./provisioned-throughput-service.js";

export class ProvisionedModelResolver implements ReservedModelResolver {
  constructor(
    private readonly service: ProvisionedThroughputService,
    private readonly customModels: CustomModelRegistry,
    private readonly gates: CapacityGates,
  ) {}

  async resolve(modelId: string): Promise<Extract<RuntimeTarget, { kind: "local" }> | undefined> {
    const active = await this.service.forRuntime(modelId);
    if (active?.reservable.customModel?.artifactKind === "classification-head") {
      throw new ValidationException(
        `The provisioned throughput ${active.reservation.provisionedModelName} serves a text classifier (transfer learning), which labels texts and does not generate them: call Classify (POST /strata/model/{modelId}/classify, \`strata classify -m ${modelId} TEXT\`).`,
      );
    }
    if (active) {
      return {
        kind: "local",
        entry: await this.service.catalogEntryFor(active),
        engineModel: active.engineModel,
      };
    }
    const isCustomModelArn = idFromCustomizationArn(modelId, "custom-model") !== undefined;
    if (isCustomModelArn || looksLikeProvisionedModelName(modelId)) {
      const custom = await this.customModels.findByIdentifier(modelId);
      if (custom) {
        throw new ValidationException(
          `The provided model doesn't support on-demand throughput: ${modelId} is a custom model, and custom models are served only through provisioned throughput. ` +
            `Create one (CreateProvisionedModelThroughput with modelId ${modelId}, or \`strata throughput create NAME --model ${modelId}\`) and pass its provisionedModelArn as modelId.`,
        );
      }
    }
    return undefined;
  }

  assertOnDemandAdmissible(engineModel: EngineModel): void {
    this.gates.assertAdmissible(capacityKeyOf(engineModel));
  }

  isReserved(modelId: string): boolean {
    return idFromProvisionedModelArn(modelId) !== undefined || this.service.isActiveName(modelId);
  }
}
