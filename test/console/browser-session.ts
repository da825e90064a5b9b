// What the console's browser tests share: a fresh build of the console, Debian's Chromium driven by
// playwright-core with a fresh profile, and screenshots kept under test-results/console/.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";

const repositoryRoot = new URL("../../", import.meta.url).pathname;
export const screenshotDirectory = join(repositoryRoot, "test-results", "console");

/** A temporary folder for a build of the console. */
export function consoleBuildDirectory(): { directory: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), "strata-console-build-"));
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** Builds the console into `directory`; the build's own bundle budget applies. */
export async function buildConsole(directory: string): Promise<void> {
  await promisify(execFile)(
    join(repositoryRoot, "node_modules", ".bin", "vite"),
    [
      "build",
      "--config",
      "console/vite.config.ts",
      "--outDir",
      directory,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ],
    // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
    { cwd: repositoryRoot, env: { ...process.env, NODE_ENV: "production" } },
  );
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), "strata-chromium-"));
  mkdirSync(screenshotDirectory, { recursive: true });
  // playwright-core adds --headless and --user-data-dir=<profile> itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1366, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return {
    context,
    page,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
