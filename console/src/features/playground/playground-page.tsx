// The playground: chat with one model, or compare several on one prompt; settings apply to both.
import { useState } from "react";
import { ErrorMessage, Loading, Page } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { ChatPanel } from "./chat-panel.js";
import { ComparePanel } from "./compare-panel.js";
import { defaultSettings, GenerationSettingsForm } from "./generation-settings-form.js";
import { listServableModels } from "./playground-api.js";

export function PlaygroundPage(props: { params: URLSearchParams }) {
  const requested = (props.params.get("models") ?? "").split(",").filter((id) => id !== "");
  const [mode, setMode] = useState<"chat" | "compare">(
    props.params.get("mode") === "compare" ? "compare" : "chat",
  );
  const [settings, setSettings] = useState(defaultSettings);
  const models = useApi((signal) => listServableModels(signal), []);

  return (
    <Page title="Playground">
      <fieldset className="segmented">
        <legend className="visually-hidden">Mode</legend>
        <button type="button" aria-pressed={mode === "chat"} onClick={() => setMode("chat")}>
          Chat
        </button>
        <button type="button" aria-pressed={mode === "compare"} onClick={() => setMode("compare")}>
          Compare
        </button>
      </fieldset>
      <ErrorMessage error={models.error} />
      <Loading loading={models.loading && !models.data} what="models" />
      <GenerationSettingsForm settings={settings} onChange={setSettings} />
      {models.data ? (
        mode === "chat" ? (
          <ChatPanel models={models.data} initialModel={requested[0] ?? ""} settings={settings} />
        ) : (
          <ComparePanel models={models.data} initialModels={requested} settings={settings} />
        )
      ) : null}
    </Page>
  );
}
