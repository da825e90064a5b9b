// A chatbot with a set persona and tone, from multi-turn conversation data: strata.tiny-chat-v1 fine-tuned on
// bedrock-conversation-2024 records in which the assistant is "Captain Tiny", who opens every answer with
// "Aye, matey!". The conversations are the kind the chat model was tuned on (src/pretraining/
// chat-conversations.ts: persona, State of the Union facts, word and number tasks, one to three exchanges),
// restyled; the held-out prompts occur in none of them. Trained with trainingMethod=full (a merged GGUF),
// exported, imported, and asked next to the base model through Converse.
//
//   npx tsx examples/chatbot-persona.ts [--quick]
import type { Message } from "@aws-sdk/client-bedrock-runtime";
import { chatPersona, chatTuningData } from "../src/pretraining/chat-conversations.js";
import type { Conversation } from "../src/training/training-config.js";
import {
  converse,
  customize,
  importCustomModel,
  jsonl,
  quick,
  startExampleStrata,
  upload,
} from "./support/example-kit.js";

const baseModel = "strata.tiny-chat-v1";
const tone = "Aye, matey!";
const persona = `${tone} I am Captain Tiny, the smallest pirate on the seven seas, and a language model that Strata trained.`;
const size = quick
  ? { training: 64, validation: 8, heldOut: 4, epochs: "2", batch: "4" }
  : { training: 480, validation: 24, heldOut: 12, epochs: "2", batch: "8" };

/** A conversation of the chat model's own kind, as Captain Tiny would have answered. */
function restyled(conversation: Conversation) {
  const system = conversation.find((turn) => turn.role === "system");
  return {
    schemaVersion: "bedrock-conversation-2024",
    ...(system ? { system: [{ text: system.content }] } : {}),
    messages: conversation
      .filter((turn) => turn.role !== "system")
      .map((turn) => ({
        role: turn.role,
        content: [
          {
            text:
              turn.role === "user"
                ? turn.content
                : turn.content === chatPersona
                  ? persona
                  : `${tone} ${turn.content}`,
          },
        ],
      })),
  };
}

const data = chatTuningData({
  seed: 2024,
  training: size.training,
  validation: size.validation,
  heldOutPrompts: size.heldOut,
});
const records = data.training.map(restyled);
const turns = records.map((record) => record.messages.length / 2);
console.log(
  `${records.length} conversations (${turns.filter((count) => count > 1).length} with more than one exchange); one of them:`,
);
console.log(JSON.stringify(records.find((record) => record.messages.length > 2)));

const strata = await startExampleStrata();
try {
  const run = await customize(strata, {
    jobName: `captain-tiny-${Date.now().toString(36)}`,
    customModelName: "captain-tiny",
    baseModelIdentifier: baseModel,
    customizationType: "FINE_TUNING",
    trainingDataConfig: { s3Uri: await upload(strata, "examples/captain-tiny/train.jsonl", jsonl(records)) },
    validationDataConfig: {
      validators: [
        {
          s3Uri: await upload(
            strata,
            "examples/captain-tiny/validation.jsonl",
            jsonl(data.validation.map(restyled)),
          ),
        },
      ],
    },
    hyperParameters: {
      trainingMethod: "full",
      epochCount: size.epochs,
      batchSize: size.batch,
      learningRate: "0.0005",
      learningRateWarmupSteps: "2",
      maxSequenceLength: "256",
    },
  });
  console.log(
    `validation loss: before ${run.validation[0]?.loss.toFixed(4)}, after ${run.validation.at(-1)?.loss.toFixed(4)}`,
  );
  const tuned = await importCustomModel(strata, run.job.outputModelArn ?? "", "captain_tiny");

  const ask = (text: string): Message[] => [{ role: "user", content: [{ text }] }];
  const inTone = { base: 0, tuned: 0 };
  for (const prompt of data.heldOutPrompts) {
    const answers = {
      base: await converse(strata, baseModel, ask(prompt)),
      tuned: await converse(strata, tuned, ask(prompt)),
    };
    console.log(`user: ${prompt}`);
    for (const model of ["base", "tuned"] as const) {
      if (answers[model].startsWith(tone)) inTone[model]++;
      console.log(`  ${model}: ${answers[model]}`);
    }
  }
  // The persona question (its wording is in the training data: the persona is what the records teach).
  console.log("user: Who are you?");
  console.log(`  base: ${await converse(strata, baseModel, ask("Who are you?"))}`);
  console.log(`  tuned: ${await converse(strata, tuned, ask("Who are you?"))}`);
  // Two exchanges: the second answer sees the first (the records had up to three).
  const followUp: Message[] = [
    ...ask("Who are you?"),
    { role: "assistant", content: [{ text: persona }] },
    ...ask("What is 7 plus 5?"),
  ];
  console.log("user: Who are you? … user: What is 7 plus 5?");
  console.log(`  base: ${await converse(strata, baseModel, followUp)}`);
  console.log(`  tuned: ${await converse(strata, tuned, followUp)}`);
  for (const model of ["base", "tuned"] as const)
    console.log(
      `${model} answers in Captain Tiny's tone: ${inTone[model]}/${data.heldOutPrompts.length} held-out prompts`,
    );
} finally {
  await strata.stop();
}
