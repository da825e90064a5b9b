// Routes a raw request path to an operation of one of the served service models. Paths are split on literal
// "/" BEFORE percent-decoding: ARNs arrive as one segment with %2F and %3A inside (bedrock-api.md §1.2), so a
// router that decodes first would mis-route them.
import type { OperationModel, ServiceModel } from "./service-model.js";

type Segment = { kind: "literal"; text: string } | { kind: "label"; name: string; greedy: boolean };

interface Route {
  service: ServiceModel;
  operation: OperationModel;
  method: string;
  segments: Segment[];
  literalCount: number;
}

export interface RouteMatch {
  service: ServiceModel;
  operation: OperationModel;
  labels: Record<string, string>;
}

function compileTemplate(requestUri: string): Segment[] {
  const [path = ""] = requestUri.split("?");
  return path
    .split("/")
    .slice(1)
    .map((part): Segment => {
      const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(part);
      if (label?.[1]) return { kind: "label", name: label[1], greedy: label[2] === "+" };
      return { kind: "literal", text: part };
    });
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export class RouteTable {
  private readonly routes: Route[] = [];

  constructor(services: readonly ServiceModel[]) {
    for (const service of services) {
      for (const operation of Object.values(service.operations)) {
        const segments = compileTemplate(operation.requestUri);
        this.routes.push({
          service,
          operation,
          method: operation.method,
          segments,
          literalCount: segments.filter((segment) => segment.kind === "literal").length,
        });
      }
    }
    // The most specific template wins: `/custom-models/{id}` must not shadow a longer literal route.
    this.routes.sort((a, b) => b.literalCount - a.literalCount || b.segments.length - a.segments.length);
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split("/").slice(1);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const labels = matchSegments(route.segments, parts);
      if (labels) return { service: route.service, operation: route.operation, labels };
    }
    return undefined;
  }
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    const part = parts[index];
    if (segment === undefined || part === undefined) return undefined;
    if (segment.kind === "literal") {
      if (segment.text !== part) return undefined;
      continue;
    }
    if (segment.greedy) {
      const rest = parts.slice(index).map(decodeSegment);
      if (rest.some((value) => value === undefined)) return undefined;
      labels[segment.name] = rest.join("/");
      return labels;
    }
    const decoded = decodeSegment(part);
    if (decoded === undefined || decoded === "") return undefined;
    labels[segment.name] = decoded;
  }
  // A trailing slash ("/foundation-models/") is the same route, as API Gateway treats it.
  const extra = parts.slice(segments.length);
  if (extra.length > 1 || (extra.length === 1 && extra[0] !== "")) return undefined;
  return labels;
}
