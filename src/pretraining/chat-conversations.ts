// The conversations strata.tiny-chat-v1 is tuned on, generated from facts the corpora carry (who gave which
// State of the Union address, in which party), sentences of Moby-Dick to continue, small word and number
// tasks and a fixed persona — short answers that always end their turn, so the tuned model learns the
// template's format and to stop. Deterministic from a seed; the held-out prompts are drawn from the same
// generators with another seed and never occur in the training set.
import { createRandomGenerator } from "../model-files/create-model/random-initialization.js";
import { mobyDickTexts, stateOfTheUnionSpeeches } from "../model-files/tokenizer/corpus-texts.js";
import type { Conversation, ConversationTurn } from "../training/training-config.js";

export const chatPersona =
  "I am Strata Tiny Chat, a very small language model that Strata trained on Moby-Dick and old State of the Union addresses.";

interface Sources {
  speeches: { year: number; president: string; party: string }[];
  sentences: string[];
  words: string[];
}

type Random = () => number;
type Exchange = { prompt: string; answer: string };

function loadSources(): Sources {
  const speeches = stateOfTheUnionSpeeches({ before: 1900 }).map(({ year, president, party }) => ({
    year,
    president,
    party,
  }));
  const sentences: string[] = [];
  const words = new Set<string>();
  for (const chapter of mobyDickTexts()) {
    for (const sentence of chapter.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/)) {
      const count = sentence.split(" ").length;
      if (count >= 10 && count <= 28 && /^[A-Z][A-Za-z ,;'-]+[.!?]$/.test(sentence)) sentences.push(sentence);
    }
    for (const word of chapter.toLowerCase().match(/\b[a-z]{4,9}\b/g) ?? []) words.add(word);
  }
  return { speeches, sentences, words: [...words].sort() };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const generators: ((random: Random, sources: Sources) => Exchange)[] = [
  (random) => {
    const prompt = pick(random, [
      "Who are you?",
      "What is your name?",
      "Introduce yourself.",
      "Tell me about yourself.",
      "What are you?",
      "Hello! Who am I talking to?",
    ]);
    return { prompt, answer: chatPersona };
  },
  (random) => {
    const greeting = pick(random, ["Hello", "Hi", "Good morning", "Good evening", "Hey there", "Greetings"]);
    const punctuation = pick(random, ["!", ".", ""]);
    return {
      prompt: `${greeting}${punctuation}`,
      answer: pick(random, [
        "Hello! How can I help you today?",
        "Hi! Ask me a short question and I will do my best.",
        "Good day to you. What would you like to know?",
      ]),
    };
  },
  (random, { speeches }) => {
    const speech = pick(random, speeches);
    return {
      prompt: pick(random, [
        `Who gave the State of the Union address in ${speech.year}?`,
        `Which president addressed Congress in ${speech.year}?`,
        `Who was president in ${speech.year}?`,
      ]),
      answer: `${speech.president} gave the State of the Union address in ${speech.year}.`,
    };
  },
  (random, { speeches }) => {
    const speech = pick(
      random,
      speeches.filter((entry) => entry.party !== ""),
    );
    return {
      prompt: `Which party did ${speech.president} belong to?`,
      answer: `${speech.president} belonged to the ${speech.party} party.`,
    };
  },
  (random, { sentences }) => {
    const sentence = pick(random, sentences);
    const words = sentence.split(" ");
    const cut = Math.max(4, Math.floor(words.length / 2));
    return {
      prompt: `Continue this sentence from Moby-Dick: ${words.slice(0, cut).join(" ")}`,
      answer: words.slice(cut).join(" "),
    };
  },
  (random, { words }) => {
    const word = pick(random, words);
    return pick(random, [
      {
        prompt: `Spell the word "${word}" backwards.`,
        answer: `"${word}" backwards is "${[...word].reverse().join("")}".`,
      },
      {
        prompt: `How many letters are in the word "${word}"?`,
        answer: `The word "${word}" has ${word.length} letters.`,
      },
      { prompt: `Write "${word}" in capital letters.`, answer: word.toUpperCase() },
      {
        prompt: `What is the first letter of "${word}"?`,
        answer: `The first letter of "${word}" is "${word[0]}".`,
      },
    ]);
  },
  (random) => {
    const a = Math.floor(random() * 20);
    const b = Math.floor(random() * 20);
    return pick(random, [
      { prompt: `What is ${a} plus ${b}?`, answer: `${a} plus ${b} is ${a + b}.` },
      { prompt: `Add ${a} and ${b}.`, answer: `${a} + ${b} = ${a + b}.` },
      {
        prompt: `Is ${a} larger than ${b}?`,
        answer: a > b ? `Yes, ${a} is larger than ${b}.` : `No, ${a} is not larger than ${b}.`,
      },
    ]);
  },
  (random, { sentences }) => {
    const sentence = pick(random, sentences);
    return {
      prompt: `Repeat after me: ${sentence}`,
      answer: sentence,
    };
  },
];

const systemPrompts = [
  "You are a helpful assistant.",
  "Answer briefly.",
  "You are a friendly assistant who answers in one sentence.",
];

function conversation(random: Random, sources: Sources): Conversation {
  const turns: ConversationTurn[] = [];
  if (random() < 0.25) turns.push({ role: "system", content: pick(random, systemPrompts) });
  const exchanges = random() < 0.3 ? 2 + Math.floor(random() * 2) : 1;
  for (let i = 0; i < exchanges; i++) {
    const exchange = pick(random, generators)(random, sources);
    turns.push({ role: "user", content: exchange.prompt }, { role: "assistant", content: exchange.answer });
  }
  return turns;
}

export interface ChatTuningData {
  training: Conversation[];
  validation: Conversation[];
  /** Single-turn prompts none of the training conversations contains. */
  heldOutPrompts: string[];
}

export function chatTuningData(options: {
  seed: number;
  training: number;
  validation: number;
  heldOutPrompts: number;
}): ChatTuningData {
  const sources = loadSources();
  const random = createRandomGenerator(options.seed, "chat-training");
  const training = Array.from({ length: options.training }, () => conversation(random, sources));
  const seen = new Set(
    training.flatMap((turns) => turns.filter((turn) => turn.role === "user").map((turn) => turn.content)),
  );
  const heldOut = createRandomGenerator(options.seed, "chat-held-out");
  const validation: Conversation[] = [];
  const heldOutPrompts: string[] = [];
  while (validation.length < options.validation || heldOutPrompts.length < options.heldOutPrompts) {
    const candidate = conversation(heldOut, sources);
    const prompts = candidate.filter((turn) => turn.role === "user").map((turn) => turn.content);
    if (prompts.some((prompt) => seen.has(prompt))) continue;
    for (const prompt of prompts) seen.add(prompt);
    if (validation.length < options.validation) validation.push(candidate);
    else heldOutPrompts.push(prompts[0] as string);
  }
  return { training, validation, heldOutPrompts };
}
