// What the protocol layer sees of an HTTP exchange, independent of HTTP/1.1 vs HTTP/2 and of sockets —
// so the dispatcher can also be driven in-process by tests.
import type { ResponseBody } from "./encode-response.js";
import type { ServiceModel } from "./service-model.js";

export interface WireRequest {
  method: string;
  /** The path exactly as on the wire (percent-encoding intact), without the query. */
  rawPath: string;
  /** The query string as on the wire, without "?". */
  rawQuery: string;
  /** Lower-case header names; HTTP/2 pseudo-headers (":authority"…) included, as SigV4 may have signed them. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  requestId: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: ResponseBody;
  /** For event streams: the union shape of the events, and the model that defines it. */
  eventStreamShape?: string;
  eventStreamModel?: ServiceModel;
  /** Filled by the dispatcher for the request log. */
  operationName?: string;
  errorType?: string;
  callerKeyId?: string;
}
