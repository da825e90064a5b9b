// Compare mode: one prompt, 2–4 models streaming side by side through one CompareModels request, with each
// model's capability warnings, time to first token, latency, tokens and cost per column and a chart of the
// timings.
import { type FormEvent, useRef, useState } from "react";
import { BarChart } from "../../components/bar-chart.js";
import { formatMs } from "../../components/format.js";
import { messageOf } from "../../lib/api-client.js";
import { applyCompareEvent, type CompareColumn, endComparison, startedColumn } from "./compare-events.js";
import { ModelSelect } from "./model-select.js";
import {
  compareModels,
  compareRequest,
  type GenerationSettings,
  type ServableModel,
} from "./playground-api.js";
import { StreamMetrics, tokensPerSecond } from "./stream-metrics.js";

type Column = CompareColumn;

let nextColumnKey = 0;
const emptyColumn = (modelId: string): Column => ({
  key: nextColumnKey++,
  modelId,
  warnings: [],
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

  const update = (index: number, change: Partial<Column>) =>
    setColumns((previous) =>
      previous.map((column, at) => (at === index ? { ...column, ...change } : column)),
    );

  const run = async (event: FormEvent) => {
    event.preventDefault();
    if (running || prompt.trim() === "" || columns.some((column) => !column.modelId)) return;
    const abort = new AbortController();
    controller.current = abort;
    setColumns((previous) => previous.map(startedColumn));
    // One request for the whole comparison: the server starts every model at the same instant and merges their
    // events; a model that is refused or fails ends with an error result while the others go on.
    try {
      await compareModels(
        compareRequest(
          columns.map((column) => column.modelId),
          prompt,
          props.settings,
        ),
        (streamed) => setColumns((previous) => applyCompareEvent(previous, streamed)),
        abort.signal,
      );
      setColumns((previous) => endComparison(previous, "The comparison ended before this model answered."));
    } catch (caught) {
      setColumns((previous) => endComparison(previous, messageOf(caught)));
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
        {props.settings.stopSequences.length > 0 ? (
          <p className="muted small">
            Stop sequences do not apply here: a comparison takes max tokens, temperature and top-p.
          </p>
        ) : null}
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
            {column.servedModelId ? <p className="muted small">Served by {column.servedModelId}</p> : null}
            {column.warnings.length > 0 ? (
              <div
                className="capability-warnings small"
                role="note"
                aria-label={`Capability warnings for model ${index + 1}`}
                data-testid="capability-warnings"
              >
                <ul className="capability-warnings-list">
                  {column.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              </div>
            ) : null}
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
