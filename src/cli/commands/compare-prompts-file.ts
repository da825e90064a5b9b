// `strata compare --prompts FILE`: one prompt per line, or JSON Lines of {"prompt": …, "system"?: …} (a line
// that starts with "{" is read as JSON; blank lines are skipped). Parsed to success or the first problem, named
// by file and line.
export interface PromptInput {
  text: string;
  system?: string;
}

export type ParsedPrompts = { ok: true; prompts: PromptInput[] } | { ok: false; problem: string };

const jsonKeys = new Set(["prompt", "system"]);

export function parsePromptsFile(contents: string, fileName: string): ParsedPrompts {
  const prompts: PromptInput[] = [];
  for (const [index, raw] of contents.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const where = `${fileName}:${index + 1}`;
    if (line === "") continue;
    if (!line.startsWith("{")) {
      prompts.push({ text: line });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { ok: false, problem: `${where}: not valid JSON (${(error as Error).message})` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { ok: false, problem: `${where}: a JSON line must be an object with a "prompt" string` };
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).find((key) => !jsonKeys.has(key));
    if (unknown !== undefined)
      return { ok: false, problem: `${where}: unknown field "${unknown}" (allowed: prompt, system)` };
    if (typeof record.prompt !== "string" || record.prompt.trim() === "")
      return { ok: false, problem: `${where}: "prompt" must be a non-empty string` };
    if (record.system !== undefined && (typeof record.system !== "string" || record.system.trim() === ""))
      return { ok: false, problem: `${where}: "system" must be a non-empty string` };
    prompts.push({ text: record.prompt, ...(record.system === undefined ? {} : { system: record.system }) });
  }
  if (prompts.length === 0) return { ok: false, problem: `${fileName}: no prompts (the file is empty)` };
  return { ok: true, prompts };
}
