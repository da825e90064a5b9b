// What every /v1 operation receives once the caller is authenticated.
import type { Catalog } from "../catalog/catalog.js";
import type { RuntimeServices } from "../inference/runtime-services.js";
import type { Logger } from "../logging/logger.js";
import type { Caller } from "../protocol/dispatcher.js";
import type { WireRequest } from "../protocol/wire-request.js";

export interface OpenAiRequestContext {
  request: WireRequest;
  caller: Caller;
  runtime: RuntimeServices;
  catalog: Catalog;
  logger: Logger;
}
