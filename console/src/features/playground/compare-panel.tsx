// Compare mode: one prompt, 2–4 models streaming side by side, with time to first token, latency, tokens and
// cost per column and a chart of the timings.
import { type FormEvent, useRef, useState } from "react";
import { BarChart } from "../../components/bar-chart.js";
import { formatMs } from "../../components/format.js";
import { messageOf } from "../../lib/api-client.js";
import { ModelSelect } from "./model-select.js";
import {
  converseStream,
  type GenerationSettings,
  invocationCosts,
  type ServableModel,
} from "./playground-api.js";
import { type AnswerMetrics, StreamMetrics, tokensPerSecond } from "./stream-metrics.js";

interface Column {
  /** Stable across adding and removing columns (React key). */
  key: number;
  modelId: string;
  text: string;
  running: boolean;
  error?: string;
  metrics?: AnswerMetrics;
}

let nextColumnKey = 0;
const emptyColumn = (modelId: string): Column => ({
  key: nextColumnKey++,
  modelId,
  text: "",
  running: false,
});

export function ComparePanel(props: {
  models: readonly ServableModel[];
  initialModels: readonly string[];
  settings: GenerationSettings;
}) {
  const [columns, setColumns] = useState<Column[]>(() => {
    const initial = props.initialModels.slice(0, 4).map(emptyColumn);
    while (initial.length < 2) initial.push(emptyColumn(""));
    return initial;
  });
  const [prompt, setPrompt] = useState("");
  const controller = useRef<AbortController | undefined>(undefined);
  const running = columns.some((column) => column.running);

  const update = (index: number, change: Partial<Column> | ((column: Column) => Partial<Column>)) =>
    setColumns((previous) =>
      previous.map((column, at) =>
        at === index ? { ...column, ...(typeof change === "function" ? change(column) : change) } : column,
      ),
    );

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (running || prompt.trim() === "" || columns.some((column) => !column.modelId)) return;
    const abort = new AbortController();
    controller.current = abort;
    const since = new Date();
    setColumns((previous) =>
      previous.map((column) => ({ key: column.key, modelId: column.modelId, text: "", running: true })),
    );
    const results = await Promise.all(
      columns.map(async (column, index) => {
        try {
          const result = await converseStream(
            column.modelId,
            [{ role: "user", text: prompt }],
            props.settings,
            (delta) => update(index, (current) => ({ text: current.text + delta })),
            abort.signal,
          );
          update(index, { running: false, metrics: result });
          return result;
        } catch (caught) {
          update(index, { running: false, error: messageOf(caught) });
          return undefined;
        }
      }),
    );
    const requestIds = results.flatMap((result) => (result ? [result.requestId] : []));
    try {
      const costs = await invocationCosts(requestIds, since, abort.signal);
      results.forEach((result, index) => {
        const cost = result ? costs.get(result.requestId) : undefined;
        if (result && cost)
          update(index, { metrics: { ...result, costUsd: cost.costUsd, priceBasis: cost.priceBasis } });
      });
    } catch {
      // Costs are extra information; the answers and timings stand without them.
    }
    controller.current = undefined;
  };

  const finished = columns.filter((column) => column.metrics);
  return (
    <div className="compare">
      <form onSubmit={run} className="compare-form">
        <div className="compare-models">
          {columns.map((column, index) => (
            <div key={column.key} className="compare-model">
              <ModelSelect
                id={`compare-model-${index + 1}`}
                label={`Model ${index + 1}`}
                models={props.models}
                value={column.modelId}
                disabled={running}
                onChange={(modelId) => update(index, { modelId })}
              />
              {columns.length > 2 ? (
                <button
                  type="button"
                  disabled={running}
                  aria-label={`Remove model ${index + 1}`}
                  onClick={() => setColumns(columns.filter((_, at) => at !== index))}
                >
                  Remove
                </button>
              ) : null}
            </div>
          ))}
          {columns.length < 4 ? (
            <button
              type="button"
              disabled={running}
              onClick={() => setColumns([...columns, emptyColumn("")])}
            >
              Add model
            </button>
          ) : null}
        </div>
        <label htmlFor="compare-prompt">Prompt</label>
        <textarea
          id="compare-prompt"
          rows={3}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
        />
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={running || columns.some((column) => !column.modelId)}
          >
            Run comparison
          </button>
          {running ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          ) : null}
        </div>
      </form>
      <div className={`compare-columns count-${columns.length}`}>
        {columns.map((column, index) => (
          <section
            key={column.key}
            className="card compare-column"
            aria-label={`Answer of model ${index + 1}`}
            aria-busy={column.running}
            data-model={column.modelId}
          >
            <h2 className="small">{column.modelId || `Model ${index + 1}`}</h2>
            <p className="answer" aria-live="polite">
              {column.text || (column.running ? "…" : "")}
            </p>
            {column.error ? (
              <p className="error" role="alert">
                {column.error}
              </p>
            ) : null}
            {column.metrics ? <StreamMetrics metrics={column.metrics} /> : null}
          </section>
        ))}
      </div>
      {finished.length > 0 && !running ? (
        <div className="chart-row">
          <BarChart
            title="Timings per model"
            yLabel="milliseconds"
            categories={finished.map((column) => column.modelId)}
            measures={[
              { name: "Time to first token", className: "chart-series-0", format: formatMs },
              { name: "Total latency", className: "chart-series-1", format: formatMs },
            ]}
            values={finished.map((column) => [column.metrics?.timeToFirstTokenMs, column.metrics?.latencyMs])}
          />
          <BarChart
            title="Output speed"
            yLabel="tokens per second"
            categories={finished.map((column) => column.modelId)}
            measures={[{ name: "Tokens/s", className: "chart-series-2" }]}
            values={finished.map((column) => [column.metrics ? tokensPerSecond(column.metrics) : undefined])}
          />
        </div>
      ) : null}
    </div>
  );
}
