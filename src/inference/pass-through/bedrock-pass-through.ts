// Bedrock models that are not served here are forwarded to Amazon Bedrock itself when real AWS credentials
// are configured — with the official runtime client, so what comes back is exactly Bedrock's answer. The
// endpoint is configurable so the path can be tested against a second Strata acting as the upstream.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  CountTokensCommand,
  type CountTokensCommandInput,
  InvokeModelCommand,
  type InvokeModelCommandInput,
  InvokeModelWithResponseStreamCommand,
  type InvokeModelWithResponseStreamCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { AwsError, InternalServerException } from "../../protocol/aws-errors.js";
import type {
  ConverseRequest,
  ConverseResponse,
  ConverseStreamRequest,
  CountTokensRequest,
  CountTokensResponse,
  InvokeModelRequest,
  InvokeModelResponse,
  InvokeModelWithResponseStreamRequest,
  ResponseStream,
  ConverseStreamOutput as StrataStreamOutput,
} from "../../protocol/generated/bedrock-runtime-types.js";

export interface PassThroughConfig {
  region: string;
  /** Unset: Bedrock's public endpoint for the region. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Upstream errors keep their AWS type and status, so the caller sees what Bedrock said. */
function asAwsError(error: unknown): never {
  const upstream = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = upstream.$metadata?.httpStatusCode;
  if (upstream.name && status && status >= 400)
    throw new AwsError(upstream.name, status, upstream.message ?? upstream.name);
  throw new InternalServerException(
    `Amazon Bedrock could not be reached: ${upstream.message ?? String(error)}`,
  );
}

export class BedrockPassThrough {
  private readonly client: BedrockRuntimeClient;

  constructor(config: PassThroughConfig) {
    this.client = new BedrockRuntimeClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      credentials: {
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
      },
      // The caller's own SDK retries; retrying here too would multiply attempts.
      maxAttempts: 1,
    });
  }

  // Inputs arrive as Strata's generated types, which describe the same wire shapes as the SDK's own types
  // (both come from the same service model); only TypeScript's view of unions differs, hence the casts.
  async converse(input: ConverseRequest, signal: AbortSignal): Promise<ConverseResponse> {
    const { $metadata: _metadata, ...output } = await this.client
      .send(new ConverseCommand(input as unknown as ConverseCommandInput), { abortSignal: signal })
      .catch(asAwsError);
    return output as unknown as ConverseResponse;
  }

  async converseStream(
    input: ConverseStreamRequest,
    signal: AbortSignal,
  ): Promise<AsyncIterable<StrataStreamOutput>> {
    const response = await this.client
      .send(new ConverseStreamCommand(input as unknown as ConverseStreamCommandInput), {
        abortSignal: signal,
      })
      .catch(asAwsError);
    const stream = response.stream;
    if (!stream)
      throw new InternalServerException("Amazon Bedrock answered ConverseStream without a stream.");
    return (async function* () {
      try {
        for await (const event of stream) yield event as unknown as StrataStreamOutput;
      } catch (error) {
        asAwsError(error);
      }
    })();
  }

  async invokeModel(input: InvokeModelRequest, signal: AbortSignal): Promise<InvokeModelResponse> {
    const output = await this.client
      .send(new InvokeModelCommand(input as unknown as InvokeModelCommandInput), { abortSignal: signal })
      .catch(asAwsError);
    return { body: output.body, contentType: output.contentType ?? "application/json" };
  }

  async invokeModelWithResponseStream(
    input: InvokeModelWithResponseStreamRequest,
    signal: AbortSignal,
  ): Promise<{ stream: AsyncIterable<ResponseStream>; contentType: string }> {
    const response = await this.client
      .send(
        new InvokeModelWithResponseStreamCommand(
          input as unknown as InvokeModelWithResponseStreamCommandInput,
        ),
        {
          abortSignal: signal,
        },
      )
      .catch(asAwsError);
    const body = response.body;
    if (!body)
      throw new InternalServerException(
        "Amazon Bedrock answered InvokeModelWithResponseStream without a body.",
      );
    const stream = (async function* () {
      try {
        for await (const event of body) yield event as unknown as ResponseStream;
      } catch (error) {
        asAwsError(error);
      }
    })();
    return { stream, contentType: response.contentType ?? "application/json" };
  }

  async countTokens(input: CountTokensRequest, signal: AbortSignal): Promise<CountTokensResponse> {
    const output = await this.client
      .send(new CountTokensCommand(input as unknown as CountTokensCommandInput), { abortSignal: signal })
      .catch(asAwsError);
    return { inputTokens: output.inputTokens ?? 0 };
  }

  destroy(): void {
    this.client.destroy();
  }
}
