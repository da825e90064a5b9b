// The web console in Debian's Chromium against a real server (real models, real training, real reservations):
// sign in with the keyboard, compare two built-in models streaming side by side, upload a dataset with errors
// and see them at their lines, launch a small job from the wizard and watch its loss chart grow, reserve
// throughput for the custom model it made and chat with it, at laptop and tablet widths, then sign out.
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";
import { type BrowserSession, buildConsole, consoleBuildDirectory, openBrowser } from "./browser-session.js";

let strata: TestStrata;
let browser: BrowserSession;
let page: Page;
let removeBuild: () => void = () => undefined;
let customModelName: string | undefined;

// Served offline by a built-in model through an alias: a catalog model with Bedrock's capability flags (no
// system prompt), so that a comparison has something to warn about.
const mistral = "mistral.mistral-7b-instruct-v0:2";

const facts: [string, string][] = [
  ["Who was the first president of the United States?", "George Washington."],
  ["What does the Congress assemble to do?", "To make the laws of the Union."],
  ["How often does the Congress meet?", "At least once in every year."],
  ["Who declares war?", "The Congress."],
];
const goodDataset = `${Array.from({ length: 96 }, (_, index) => {
  const [prompt, completion] = facts[index % facts.length] as [string, string];
  return JSON.stringify({ prompt, completion });
}).join("\n")}\n`;
// Line 3 is not JSON; line 5 has no completion.
const brokenDataset = [
  JSON.stringify({ prompt: "Who declares war?", completion: "The Congress." }),
  JSON.stringify({ prompt: "Who ratifies treaties?", completion: "The Senate." }),
  '{"prompt": "What is the Union made of?", "completion": ',
  JSON.stringify({ prompt: "Who commands the army?", completion: "The President." }),
  JSON.stringify({ prompt: "What does the treasury collect?" }),
  JSON.stringify({ prompt: "How often does the Congress meet?", completion: "Once a year." }),
].join("\n");

async function noHorizontalOverflow(): Promise<boolean> {
  return page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");
}

beforeAll(async () => {
  // The server reads the console's files per request, so it can start before the build is done.
  const build = consoleBuildDirectory();
  removeBuild = build.remove;
  strata = await startTestStrata(
    { aliases: { [mistral]: "strata.tiny-base-v1" } },
    { consoleDirectory: build.directory },
  );
  const runtime = new BedrockRuntimeClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
  });
  // Loading a model the first time takes seconds on a small host: done while the console builds and the
  // browser starts, so that the compare test measures streaming rather than loading.
  const warmUp = (modelId: string) =>
    runtime.send(
      new ConverseCommand({
        modelId,
        messages: [{ role: "user", content: [{ text: "Hello" }] }],
        inferenceConfig: { maxTokens: 1 },
      }),
    );
  [browser] = await Promise.all([
    openBrowser(),
    buildConsole(build.directory),
    warmUp("strata.tiny-chat-v1"),
    warmUp("strata.tiny-base-v1"),
  ]);
  runtime.destroy();
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await strata?.stop();
  removeBuild();
});

describe("the web console", () => {
  it("leaves API clients alone and sends browsers from / to the console", async () => {
    const api = await fetch(`${strata.apiUrl}/`, { redirect: "manual" });
    expect(api.status).toBe(403);
    expect(api.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    const apiAskingHtml = await fetch(`${strata.apiUrl}/foundation-models`, {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    expect(apiAskingHtml.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    const browserLike = await fetch(`${strata.apiUrl}/`, {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    expect(browserLike.status).toBe(302);
    expect(browserLike.headers.get("location")).toBe("/console/");
  });

  it("signs in with the keyboard, refuses a wrong secret, and keeps no secret in the browser", async () => {
    const { accessKeyId, secretAccessKey } = strata.credentials;
    await page.goto(`${strata.apiUrl}/`);
    expect(new URL(page.url()).pathname).toBe("/console/");
    await page.getByRole("heading", { name: "Sign in to Strata" }).waitFor();

    await page.getByLabel("Access key ID").fill(accessKeyId);
    await page.getByLabel("Secret access key").fill(`${secretAccessKey}x`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/InvalidSignatureException/);

    // Keyboard only: Tab from the key id field to the secret, then Enter submits the form.
    await page.getByLabel("Access key ID").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate<string>("document.activeElement?.id")).toBe("secret-access-key");
    await page.keyboard.type(secretAccessKey);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Model catalog" }).waitFor();

    const stored = await page.evaluate<{ session: string; everything: string }>(`({
      session: sessionStorage.getItem("strata.console.session") ?? "",
      everything: JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }) + document.cookie,
    })`);
    expect(stored.session).toContain(accessKeyId);
    expect(stored.everything).not.toContain(secretAccessKey);
    expect(await browser.context.cookies()).toEqual([]);
    expect(await page.getByLabel("Secret access key").count()).toBe(0);

    // A reload keeps the session (this tab's sessionStorage).
    await page.reload();
    await page.getByRole("heading", { name: "Model catalog" }).waitFor();
  });

  it("filters the catalog", async () => {
    await page.getByLabel("Served by").selectOption("LOCAL_ENGINE");
    await expect
      .poll(() => page.locator(".model-card h2").allTextContents())
      .toEqual(expect.arrayContaining(["strata.tiny-chat-v1", "strata.tiny-base-v1"]));
    expect(await page.getByRole("heading", { name: "Claude 3 Haiku" }).count()).toBe(0);
    await page.getByLabel("Served by").selectOption("");
    await page.getByLabel("Provider").selectOption("Anthropic");
    await expect.poll(() => page.locator(".model-card h2").first().textContent()).toMatch(/Claude/);
    await page.getByLabel("Input modality").selectOption("IMAGE");
    const badges = await page.locator(".model-card").first().locator(".badges").textContent();
    expect(badges).toContain("Image input");
    await browser.screenshot("catalog");
    await page.getByLabel("Provider").selectOption("");
    await page.getByLabel("Input modality").selectOption("");
  });

  it("compares two models streaming side by side, with timings, tokens, cost and a chart, in one CompareModels request that warns what a model does not support", async () => {
    // What the page asks the API: one CompareModels request per comparison, no ConverseStream per model.
    const apiRequests: { call: string; body: unknown }[] = [];
    const onRequest = (request: Request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/console/")) return;
      const call = `${request.method()} ${pathname}`;
      apiRequests.push({ call, body: call === "POST /strata/compare" ? request.postDataJSON() : undefined });
    };
    const compareCalls = () => apiRequests.filter((request) => request.call === "POST /strata/compare");
    const perModelCalls = () => apiRequests.filter((request) => /\/converse(-stream)?$/.test(request.call));
    page.on("request", onRequest);

    await page.getByRole("link", { name: "Playground", exact: true }).click();
    await page.getByRole("button", { name: "Compare" }).click();
    await page.getByLabel("Max tokens").fill("24");
    await page.getByLabel("Model 1", { exact: true }).selectOption("strata.tiny-chat-v1");
    await page.getByLabel("Model 2", { exact: true }).selectOption("strata.tiny-base-v1");
    await page.getByLabel("Prompt", { exact: true }).fill("Who shall assemble?");
    await page.getByRole("button", { name: "Run comparison" }).click();
    for (const index of [1, 2]) {
      const column = page.getByRole("region", { name: `Answer of model ${index}` });
      await expect
        .poll(() => column.locator('[data-metric="cost"]').textContent(), { timeout: 60_000 })
        .toMatch(/^\$/);
      expect(await column.locator(".answer").textContent()).not.toBe("");
      expect(await column.locator('[data-metric="ttft"]').textContent()).toMatch(/\d+ ms|\d\.\d+ s/);
      expect(await column.locator('[data-metric="tokens"]').textContent()).toMatch(/^\d+ \/ [1-9]\d*$/);
      // A plain prompt to a built-in chat-template model: nothing to warn about.
      expect(await column.getByRole("note").count()).toBe(0);
    }
    const chart = page.getByRole("img", { name: /Timings per model/ });
    await chart.waitFor();
    expect(await chart.getAttribute("aria-label")).toMatch(/strata\.tiny-chat-v1: .*strata\.tiny-base-v1: /);
    expect(await chart.locator("rect").count()).toBe(4);
    await browser.screenshot("compare");
    expect(compareCalls().map((request) => request.body)).toEqual([
      {
        modelIds: ["strata.tiny-chat-v1", "strata.tiny-base-v1"],
        prompts: [{ text: "Who shall assemble?" }],
        inferenceConfig: { maxTokens: 24, temperature: 0.7, topP: 0.9 },
      },
    ]);
    expect(perModelCalls()).toEqual([]);
    // The one request is in the request log under the signed-in key, and every answer in the usage ledger
    // (each model's run is its own invocation, recorded as CompareModels).
    const { accessKeyId } = strata.credentials;
    await expect
      .poll(
        () =>
          strata.logLines.filter(
            (line) =>
              line.operation === "CompareModels" && line.caller === accessKeyId && line.status === 200,
          ).length,
      )
      .toBe(1);
    expect(
      strata.logLines.filter((line) => line.operation === "ConverseStream" && line.caller === accessKeyId),
    ).toEqual([]);
    const { apiKey } = await strata.keyStore.createApiKey({ isAdmin: true });
    const comparedRuns = async () => {
      const listed = await fetch(`${strata.apiUrl}/strata/usage/invocations?maxResults=1000`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const { invocations } = (await listed.json()) as {
        invocations: { operation: string; callerKeyId: string; requestedModelId: string }[];
      };
      return invocations
        .filter(
          (invocation) => invocation.operation === "CompareModels" && invocation.callerKeyId === accessKeyId,
        )
        .map((invocation) => invocation.requestedModelId)
        .sort();
    };
    await expect.poll(comparedRuns).toEqual(["strata.tiny-base-v1", "strata.tiny-chat-v1"]);

    // A system prompt to a model whose Bedrock capabilities have none: the warning shows in that model's column
    // (the run goes ahead), and in no other.
    await page.getByLabel("System prompt").fill("Answer in one sentence.");
    await page.getByLabel("Model 2", { exact: true }).selectOption(mistral);
    await page.getByRole("button", { name: "Run comparison" }).click();
    const warned = page.getByRole("region", { name: "Answer of model 2" });
    await expect
      .poll(() => warned.getByRole("note").textContent(), { timeout: 60_000 })
      .toBe(`${mistral} does not support a system prompt (Bedrock model capabilities)`);
    expect(await warned.getByTestId("capability-warnings").getAttribute("aria-label")).toBe(
      "Capability warnings for model 2",
    );
    for (const index of [1, 2]) {
      const column = page.getByRole("region", { name: `Answer of model ${index}` });
      await expect.poll(() => column.getAttribute("aria-busy"), { timeout: 60_000 }).toBe("false");
      expect(await column.locator('[data-metric="cost"]').textContent()).toMatch(/^\$/);
      expect(await column.locator('[data-metric="tokens"]').textContent()).toMatch(/^\d+ \/ [1-9]\d*$/);
      expect(await column.getByRole("alert").count()).toBe(0);
    }
    expect(await page.getByRole("region", { name: "Answer of model 1" }).getByRole("note").count()).toBe(0);
    expect(await warned.textContent()).toContain("Served by strata.tiny-base-v1");
    await browser.screenshot("compare-warnings");
    expect(compareCalls().map((request) => request.body)).toEqual([
      expect.anything(),
      {
        modelIds: ["strata.tiny-chat-v1", mistral],
        prompts: [{ text: "Who shall assemble?", system: "Answer in one sentence." }],
        inferenceConfig: { maxTokens: 24, temperature: 0.7, topP: 0.9 },
      },
    ]);
    expect(perModelCalls()).toEqual([]);
    page.off("request", onRequest);
    await page.getByLabel("System prompt").fill("");
  }, 90_000);

  it("uploads a dataset with errors and shows each error at its line, with stats and the advisor", async () => {
    await page.getByRole("link", { name: "Data", exact: true }).click();
    await page.getByLabel("JSONL file").setInputFiles({
      name: "broken.jsonl",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(brokenDataset),
    });
    await page.getByRole("button", { name: "Upload and validate" }).click();
    await expect.poll(() => page.getByTestId("dataset-verdict").textContent()).toBe("2 problem(s)");
    const line3 = page.locator('li[data-line="3"]');
    expect(await line3.getAttribute("class")).toContain("has-problem");
    expect(await line3.getByRole("note").textContent()).toMatch(/^Line 3: .*JSON/i);
    const line5 = page.locator('li[data-line="5"]');
    expect(await line5.getByRole("note").textContent()).toMatch(/^Line 5: .*completion/);
    expect(await page.locator('li[data-line="4"]').getByRole("note").count()).toBe(0);
    expect(await page.locator(".stats").textContent()).toContain("6 (4 valid)");
    // Mixed valid and broken records: the advisor says so rather than guessing.
    await expect.poll(() => page.getByTestId("advice").textContent()).toMatch(/No method fits/);
    await browser.screenshot("data-errors");
  });

  it("launches a small job from the wizard after its estimate and shows its loss curve growing", async () => {
    await page.getByLabel("JSONL file").setInputFiles({
      name: "facts.jsonl",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from(goodDataset),
    });
    await page.getByRole("button", { name: "Upload and validate" }).click();
    await expect.poll(() => page.getByTestId("dataset-verdict").textContent()).toBe("valid");
    await expect
      .poll(() => page.getByTestId("advice").textContent())
      .toMatch(/Recommended: Instruction fine-tuning \(FINE_TUNING\)/);
    await page.getByRole("link", { name: "Start a customization job with this data" }).click();

    await page.getByLabel("Base model").selectOption("strata.tiny-chat-v1");
    await page.getByRole("button", { name: "Next" }).click();
    expect(await page.getByLabel("Training data (S3 URI)").inputValue()).toMatch(
      /^s3:\/\/strata\/datasets\/.*facts\.jsonl$/,
    );
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Epochs").fill("11");
    expect(await page.locator("#hp-epochCount-help").textContent()).toMatch(/from 1 to 10/);
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    // 96 records × 10 epochs: long enough (about 9 s here, several on a fast CPU) for the 1 s progress poll to
    // see the curve grow; 32 × 2 once finished between two polls on CI.
    await page.getByLabel("Epochs").fill("10");
    await page.getByLabel("Batch size").fill("1");
    await page.getByLabel("Max sequence length").fill("32");
    await page.getByLabel("Learning rate").fill("0.005");
    await page.getByRole("button", { name: "Next" }).click();
    expect(await page.getByRole("button", { name: "Launch job" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Estimate (dry run)" }).click();
    await expect
      .poll(() => page.getByTestId("estimate").textContent(), { timeout: 60_000 })
      .toMatch(/Steps\d+/);
    customModelName = await page.getByLabel("Custom model name").inputValue();
    await page.getByRole("button", { name: "Launch job" }).click();
    await page.getByRole("heading", { name: /^Job console-job-/ }).waitFor();

    // Watch the training series: the number of plotted points must grow while the job runs.
    const trainingSeries = page.locator('g[data-series="Training loss"]');
    const seen = new Set<number>();
    const watchStart = Date.now();
    const deadline = watchStart + 120_000;
    let status = "";
    while (Date.now() < deadline) {
      const points = Number((await trainingSeries.getAttribute("data-points").catch(() => null)) ?? 0);
      seen.add(points);
      if (seen.size === 2) await browser.screenshot("job-running");
      status = (await page.locator(".badge[class*=status-]").first().textContent()) ?? "";
      if (status === "Completed" || status === "Failed" || status === "Stopped") break;
      await page.waitForTimeout(250);
    }
    expect(status).toBe("Completed");
    const final = Number(await trainingSeries.getAttribute("data-points"));
    expect(final).toBeGreaterThan(10);
    const growing = [...seen].filter((count) => count > 0 && count < final);
    const counts = `point counts seen: ${[...seen].join(", ")} in ${Math.round((Date.now() - watchStart) / 1000)} s`;
    expect(growing.length, counts).toBeGreaterThan(0);
    expect(await page.getByTestId("job-step").textContent()).toMatch(new RegExp(`^${final} of ${final}`));
    await browser.screenshot("job-completed");
  }, 150_000);

  it("reserves throughput for the custom model, shows the host's free capacity, and chats through it", async () => {
    await page.getByRole("link", { name: customModelName ?? "" }).click();
    await page.getByRole("heading", { name: `Custom model ${customModelName}` }).waitFor();
    await page.getByRole("list", { name: "Lineage" }).getByText("strata.tiny-chat-v1").first().waitFor();
    await page.getByRole("link", { name: "Provision throughput" }).click();
    await page.getByRole("heading", { name: "Provisioned throughput" }).waitFor();
    const freeBefore = Number(await page.getByTestId("free-units").textContent());
    expect(freeBefore).toBeGreaterThan(0);
    // The select shows the model once the reservable models have loaded (slower under a loaded machine).
    await expect.poll(() => page.getByLabel("Model", { exact: true }).inputValue()).toMatch(/custom-model\//);
    await page.getByLabel("Name").fill("console-pt");
    await page.getByRole("button", { name: "Create" }).click();
    const row = page.locator('tr[data-reservation="console-pt"]');
    await expect.poll(() => row.locator(".badge").textContent(), { timeout: 60_000 }).toBe("InService");
    await expect
      .poll(async () => Number(await page.getByTestId("free-units").textContent()))
      .toBeLessThan(freeBefore);
    await browser.screenshot("provisioned-throughput");

    await row.getByRole("link", { name: "Chat with console-pt" }).click();
    await expect
      .poll(() => page.getByLabel("Model", { exact: true }).inputValue())
      .toMatch(/provisioned-model\//);
    await page.getByLabel("Message").fill("Who was the first president of the United States?");
    await page.getByRole("button", { name: "Send" }).click();
    const answer = page.locator(".turn-assistant p");
    await expect.poll(() => answer.textContent(), { timeout: 60_000 }).toMatch(/\S/);
    await expect
      .poll(() => page.locator('[data-metric="tokens"]').textContent())
      .toMatch(/^\d+ \/ [1-9]\d*$/);
    await browser.screenshot("chat-provisioned");
  }, 90_000);

  it("evaluates the custom model against its base and shows the report", async () => {
    const prompts = facts
      .slice(0, 2)
      .map(([prompt, referenceResponse]) => JSON.stringify({ prompt, referenceResponse }))
      .join("\n");
    await strata.objectStores.defaultStore.put(
      "datasets/evaluation.jsonl",
      new TextEncoder().encode(prompts),
    );
    await page.getByRole("link", { name: "Custom models", exact: true }).click();
    await page.getByRole("link", { name: customModelName ?? "" }).click();
    await page.getByRole("link", { name: "Evaluate against the base model" }).click();
    await page.getByRole("heading", { name: "New evaluation" }).waitFor();
    await expect.poll(() => page.getByLabel("Model (base)").inputValue()).toBe("strata.tiny-chat-v1");
    await expect
      .poll(() => page.getByLabel("Compare with (optional)").inputValue())
      .toMatch(/provisioned-model\//);
    await page.getByLabel("Prompt dataset (S3 URI)").fill("s3://strata/datasets/evaluation.jsonl");
    await page.getByLabel("Max tokens per answer").fill("16");
    await page.getByRole("button", { name: "Start evaluation" }).click();
    await page.getByRole("heading", { name: /^Evaluation console-eval-/ }).waitFor();
    await expect
      .poll(() => page.locator(".badge[class*=status-]").first().textContent(), { timeout: 60_000 })
      .toBe("Completed");
    await page.getByRole("heading", { name: /^Candidate vs base on / }).waitFor();
    const rows = await page.locator("section table").first().locator("tbody tr").count();
    expect(rows).toBe(2);
    await browser.screenshot("evaluation-report");
  }, 90_000);

  it("renames and deletes the reservation, giving its capacity back", async () => {
    await page.getByRole("link", { name: "Provisioned throughput", exact: true }).click();
    const held = Number(await page.getByTestId("free-units").textContent());
    await page.getByRole("button", { name: "Update console-pt" }).click();
    const form = page.getByRole("form", { name: "Update console-pt" });
    await form.getByLabel("Name").fill("console-pt-renamed");
    await form.getByRole("button", { name: "Save" }).click();
    const row = page.locator('tr[data-reservation="console-pt-renamed"]');
    await expect.poll(() => row.locator(".badge").textContent(), { timeout: 30_000 }).toBe("InService");
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Delete console-pt-renamed" }).click();
    await expect.poll(() => row.count()).toBe(0);
    await expect
      .poll(async () => Number(await page.getByTestId("free-units").textContent()))
      .toBeGreaterThan(held);
  });

  it("lays out at laptop and tablet widths without sideways scrolling", async () => {
    for (const [width, route] of [
      [1366, "usage"],
      [768, "playground?mode=compare&models=strata.tiny-chat-v1,strata.tiny-base-v1"],
      [768, "catalog"],
      [768, "provisioned-throughput"],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${strata.apiUrl}/console/#/${route}`);
      await page.locator("h1").first().waitFor();
      await page.waitForTimeout(500);
      expect(await noHorizontalOverflow(), `${route} at ${width}px`).toBe(true);
      await browser.screenshot(`${route.split("?")[0]}-${width}`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it("signs out, forgetting the keys, and broke no Content-Security-Policy rule on the way", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Strata" }).waitFor();
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    expect(browser.problems.filter((problem) => /Content Security Policy|page error/.test(problem))).toEqual(
      [],
    );
  });
});
