import { describe, expect, it } from "vitest";
import { bedrockService } from "./generated/bedrock.js";
import { bedrockRuntimeService } from "./generated/bedrock-runtime.js";
import { strataService } from "./generated/strata.js";
import { RouteTable } from "./route-table.js";

const routes = new RouteTable([bedrockService, bedrockRuntimeService, strataService]);

describe("RouteTable", () => {
  it("keeps a percent-encoded ARN in one segment and decodes it once", () => {
    const arn = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefghijkl";
    const match = routes.match("POST", `/model/${encodeURIComponent(arn)}/converse-stream`);
    expect(match?.operation.name).toBe("ConverseStream");
    expect(match?.labels).toEqual({ modelId: arn });
  });

  it("tells singular and plural provisioned-throughput paths apart", () => {
    expect(routes.match("GET", "/provisioned-model-throughputs")?.operation.name).toBe(
      "ListProvisionedModelThroughputs",
    );
    expect(routes.match("GET", "/provisioned-model-throughput/pt1")?.operation.name).toBe(
      "GetProvisionedModelThroughput",
    );
    expect(routes.match("POST", "/evaluation-job/abc/stop")?.operation.name).toBe("StopEvaluationJob");
  });

  it("routes the control plane, the runtime and Strata's extensions from one table", () => {
    expect(routes.match("GET", "/foundation-models")?.operation.name).toBe("ListFoundationModels");
    expect(routes.match("GET", "/foundation-models/amazon.nova-micro-v1%3A0")?.labels).toEqual({
      modelIdentifier: "amazon.nova-micro-v1:0",
    });
    expect(routes.match("POST", "/strata/keys/BK123/revoke")?.operation.name).toBe("RevokeKey");
  });

  it("matches nothing for unknown paths, wrong methods or malformed encodings", () => {
    expect(routes.match("GET", "/no/such/path")).toBeUndefined();
    expect(routes.match("DELETE", "/foundation-models")).toBeUndefined();
    expect(routes.match("GET", "/foundation-models/%E0%A4%A")).toBeUndefined();
  });
});
