// The shape of the tables that scripts/generate-wire.ts emits from an AWS service model (botocore JSON form).
// The dispatcher, the request parser, the validator and the serializer interpret these tables; no operation
// describes its own wire format by hand.

export type MemberLocation = "uri" | "querystring" | "header" | "headers" | "statusCode";

export interface MemberShape {
  shape: string;
  location?: MemberLocation;
  locationName?: string;
  idempotencyToken?: true;
  eventpayload?: true;
  jsonvalue?: true;
  timestampFormat?: TimestampFormat;
}

export type TimestampFormat = "iso8601" | "rfc822" | "unixTimestamp";

interface Bounds {
  min?: number;
  max?: number;
  /** Values of sensitive shapes never appear in logs or validation messages. */
  sensitive?: true;
}

export interface StructureShape {
  type: "structure";
  members: Record<string, MemberShape>;
  required?: string[];
  payload?: string;
  error?: { httpStatusCode: number; senderFault?: boolean; code?: string };
  exception?: true;
  union?: true;
  eventstream?: true;
  event?: true;
  document?: true;
  sensitive?: true;
}

export interface ListShape extends Bounds {
  type: "list";
  member: string;
}

export interface MapShape extends Bounds {
  type: "map";
  key: string;
  value: string;
}

export interface StringShape extends Bounds {
  type: "string";
  enum?: string[];
  pattern?: string;
}

export interface NumberShape extends Bounds {
  type: "integer" | "long" | "float" | "double";
}

export interface BooleanShape {
  type: "boolean";
}

export interface TimestampShape {
  type: "timestamp";
  timestampFormat?: TimestampFormat;
}

export interface BlobShape extends Bounds {
  type: "blob";
  streaming?: true;
}

export type Shape =
  | StructureShape
  | ListShape
  | MapShape
  | StringShape
  | NumberShape
  | BooleanShape
  | TimestampShape
  | BlobShape;

export interface OperationModel {
  name: string;
  method: string;
  requestUri: string;
  successCode: number;
  input?: string;
  output?: string;
  errors: string[];
}

export interface ServiceModel {
  /** Short name used in logs and ARNs: "bedrock", "bedrock-runtime", "strata". */
  serviceName: string;
  signingName: string;
  apiVersion: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}
