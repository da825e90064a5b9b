// Small customization datasets for tests (JSONL text), and helpers to put them into the embedded S3 and to
// wait for a customization job.
import {
  type BedrockClient,
  GetModelCustomizationJobCommand,
  type GetModelCustomizationJobCommandOutput,
} from "@aws-sdk/client-bedrock";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

const facts: [string, string][] = [
  ["Who was the first president of the United States?", "George Washington."],
  ["What does the Congress assemble to do?", "To make the laws of the Union."],
  ["How often does the Congress meet?", "At least once in every year."],
  ["Who declares war?", "The Congress."],
  ["What is the Union made of?", "The several States."],
  ["Who commands the army and the navy?", "The President."],
  ["What does the treasury collect?", "Duties, imposts and excises."],
  ["Who ratifies treaties?", "The Senate, by two thirds of its members."],
];

export function promptCompletionJsonl(count = 16): string {
  return `${Array.from({ length: count }, (_, i) => {
    const [prompt, completion] = facts[i % facts.length] as [string, string];
    return JSON.stringify({ prompt, completion });
  }).join("\n")}\n`;
}

export function continuedPreTrainingJsonl(count = 12): string {
  return `${Array.from({ length: count }, (_, i) => JSON.stringify({ input: `In the year ${1800 + i} the Congress of the United States assembled and the President addressed the Union.` })).join("\n")}\n`;
}

export function conversationJsonl(count = 8): string {
  return `${Array.from({ length: count }, (_, i) => {
    const [question, answer] = facts[i % facts.length] as [string, string];
    return JSON.stringify({
      schemaVersion: "bedrock-conversation-2024",
      system: [{ text: "Answer briefly." }],
      messages: [
        { role: "user", content: [{ text: question }] },
        { role: "assistant", content: [{ text: answer }] },
      ],
    });
  }).join("\n")}\n`;
}

export async function putText(s3: S3Client, key: string, text: string): Promise<string> {
  await s3.send(new PutObjectCommand({ Bucket: "strata", Key: key, Body: text }));
  return `s3://strata/${key}`;
}

export async function waitForCustomizationJob(
  bedrock: BedrockClient,
  jobIdentifier: string,
  timeoutMs = 120_000,
): Promise<GetModelCustomizationJobCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier }));
    if (job.status !== "InProgress" && job.status !== "Stopping") return job;
    if (Date.now() > deadline)
      throw new Error(`job ${jobIdentifier} still ${job.status} (${job.failureMessage ?? ""})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
