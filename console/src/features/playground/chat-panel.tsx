// One conversation with one model, streamed.
import { type FormEvent, useRef, useState } from "react";
import { ErrorMessage } from "../../components/page.js";
import { messageOf } from "../../lib/api-client.js";
import { ModelSelect } from "./model-select.js";
import {
  type ChatTurn,
  converseStream,
  type GenerationSettings,
  invocationCosts,
  type ServableModel,
} from "./playground-api.js";
import { type AnswerMetrics, StreamMetrics } from "./stream-metrics.js";

export function ChatPanel(props: {
  models: readonly ServableModel[];
  initialModel: string;
  settings: GenerationSettings;
}) {
  const [modelId, setModelId] = useState(props.initialModel);
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [streaming, setStreaming] = useState<string | undefined>();
  const [metrics, setMetrics] = useState<AnswerMetrics>();
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState("");
  const controller = useRef<AbortController | undefined>(undefined);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!modelId || draft.trim() === "" || controller.current) return;
    const conversation: ChatTurn[] = [...turns, { role: "user", text: draft }];
    setTurns(conversation);
    setDraft("");
    setError(undefined);
    setMetrics(undefined);
    setStreaming("");
    const abort = new AbortController();
    controller.current = abort;
    const since = new Date();
    try {
      const result = await converseStream(
        modelId,
        conversation,
        props.settings,
        (delta) => setStreaming((text) => (text ?? "") + delta),
        abort.signal,
      );
      setTurns([...conversation, { role: "assistant", text: result.text }]);
      setMetrics(result);
      const costs = await invocationCosts([result.requestId], since, abort.signal);
      const cost = costs.get(result.requestId);
      if (cost) setMetrics({ ...result, costUsd: cost.costUsd, priceBasis: cost.priceBasis });
    } catch (caught) {
      if (!abort.signal.aborted) setError(messageOf(caught));
      // Keep what was already streamed as the assistant's (partial) turn, so the conversation stays valid.
      setStreaming((text) => {
        if (text) setTurns([...conversation, { role: "assistant", text }]);
        else setTurns(turns);
        return undefined;
      });
    } finally {
      controller.current = undefined;
      setStreaming(undefined);
    }
  };

  return (
    <div className="chat">
      <div className="row">
        <ModelSelect
          id="chat-model"
          label="Model"
          models={props.models}
          value={modelId}
          onChange={setModelId}
          disabled={streaming !== undefined}
        />
        <button
          type="button"
          onClick={() => {
            setTurns([]);
            setMetrics(undefined);
            setError(undefined);
          }}
          disabled={streaming !== undefined}
        >
          New conversation
        </button>
      </div>
      <ol className="transcript" aria-label="Conversation">
        {turns.map((turn, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are only ever appended.
          <li key={index} className={`turn turn-${turn.role}`}>
            <span className="turn-role">{turn.role === "user" ? "You" : "Model"}</span>
            <p>{turn.text}</p>
          </li>
        ))}
        {streaming !== undefined ? (
          <li className="turn turn-assistant" aria-live="polite" aria-busy="true">
            <span className="turn-role">Model</span>
            <p>{streaming || "…"}</p>
          </li>
        ) : null}
      </ol>
      <ErrorMessage error={error} />
      {metrics ? <StreamMetrics metrics={metrics} /> : null}
      <form className="composer" onSubmit={send}>
        <label htmlFor="chat-input">Message</label>
        <textarea
          id="chat-input"
          rows={3}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) void send(event);
          }}
          aria-describedby="chat-input-help"
        />
        <small id="chat-input-help" className="muted">
          Ctrl+Enter sends.
        </small>
        <div className="row">
          <button type="submit" className="primary" disabled={!modelId || streaming !== undefined}>
            Send
          </button>
          {streaming !== undefined ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
