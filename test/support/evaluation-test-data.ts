// Evaluation datasets in Bedrock's format for tests, and a wait for an evaluation job to end.
import {
  type BedrockClient,
  GetEvaluationJobCommand,
  type GetEvaluationJobCommandOutput,
} from "@aws-sdk/client-bedrock";

export const evaluationRoleArn = "arn:aws:iam::000000000000:role/strata-evaluation";

/** Questions on the constitution with short reference answers, in two categories. */
export const constitutionQuestions: { prompt: string; referenceResponse: string; category: string }[] = [
  { prompt: "Who declares war?", referenceResponse: "The Congress.", category: "powers" },
  { prompt: "Who commands the army and the navy?", referenceResponse: "The President.", category: "powers" },
  { prompt: "Who ratifies treaties?", referenceResponse: "The Senate.", category: "powers" },
  {
    prompt: "How often does the Congress meet?",
    referenceResponse: "At least once in every year.",
    category: "sessions",
  },
  {
    prompt: "When does the Congress assemble?",
    referenceResponse: "On the first Monday in December.",
    category: "sessions",
  },
];

export function evaluationJsonl(records: readonly object[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}

export async function waitForEvaluationJob(
  bedrock: BedrockClient,
  jobIdentifier: string,
  timeoutMs = 120_000,
): Promise<GetEvaluationJobCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await bedrock.send(new GetEvaluationJobCommand({ jobIdentifier }));
    if (job.status !== "InProgress" && job.status !== "Stopping") return job;
    if (Date.now() > deadline) throw new Error(`evaluation job ${jobIdentifier} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
