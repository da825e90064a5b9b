// A new automated evaluation: one prompt dataset, one or two models (base and candidate: the report then
// compares them example by example), the metrics.
import { type FormEvent, useState } from "react";
import { ErrorMessage } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import {
  createEvaluationJob,
  getAccountAndBucket,
  listDatasetUris,
  listEvaluableModels,
} from "./evaluations-api.js";

const taskTypes = ["QuestionAndAnswer", "Generation", "Summarization", "Classification"] as const;
const metricChoices = [
  ["Builtin.Accuracy", "Accuracy (the task's reference metrics)"],
  ["Strata.ExactMatch", "Exact match"],
  ["Strata.TokenF1", "Token F1"],
  ["Strata.RougeL", "ROUGE-L"],
  ["Strata.Bleu", "BLEU"],
  ["Strata.Perplexity", "Perplexity on the reference"],
] as const;

export function EvaluationForm(props: { initialModels: readonly string[] }) {
  const models = useApi((signal) => listEvaluableModels(signal), []);
  const datasets = useApi((signal) => listDatasetUris(signal), []);
  const info = useApi((signal) => getAccountAndBucket(signal), []);
  const [jobName, setJobName] = useState(
    `console-eval-${new Date().toISOString().replace(/[-:T]/g, "").slice(4, 14)}`,
  );
  const [taskType, setTaskType] = useState<string>("QuestionAndAnswer");
  const [dataset, setDataset] = useState("");
  const [metrics, setMetrics] = useState<string[]>(["Builtin.Accuracy"]);
  const [baseModel, setBaseModel] = useState(props.initialModels[0] ?? "");
  const [candidateModel, setCandidateModel] = useState(props.initialModels[1] ?? "");
  const [maxTokens, setMaxTokens] = useState(64);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!info.data) return;
    setBusy(true);
    setError(undefined);
    try {
      const jobArn = await createEvaluationJob(
        {
          jobName,
          taskType,
          datasetS3Uri: dataset,
          metricNames: metrics,
          modelIdentifiers: [baseModel, ...(candidateModel ? [candidateModel] : [])],
          maxTokens,
          outputS3Uri: `s3://${info.data.objectStore.bucket}/evaluation-output/`,
        },
        info.data.accountId,
      );
      window.location.hash = `#/evaluations/${encodeURIComponent(jobArn)}`;
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  const modelOptions = (models.data ?? []).map((model) => (
    <option key={model.id} value={model.id}>
      {model.label}
    </option>
  ));
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-evaluation-title">
      <h2 id="new-evaluation-title">New evaluation</h2>
      <p className="muted small">
        A JSONL prompt dataset: <code>{'{"prompt", "referenceResponse", "category"}'}</code> per line,
        uploaded on the <a href="#/data">Data</a> page.
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor="evaluation-name">Job name</label>
          <input
            id="evaluation-name"
            value={jobName}
            onChange={(event) => setJobName(event.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="evaluation-task">Task type</label>
          <select id="evaluation-task" value={taskType} onChange={(event) => setTaskType(event.target.value)}>
            {taskTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor="evaluation-dataset">Prompt dataset (S3 URI)</label>
          <input
            id="evaluation-dataset"
            list="evaluation-datasets"
            value={dataset}
            onChange={(event) => setDataset(event.target.value)}
            required
          />
          <datalist id="evaluation-datasets">
            {(datasets.data ?? []).map((uri) => (
              <option key={uri} value={uri} />
            ))}
          </datalist>
        </div>
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="evaluation-base">Model (base)</label>
          <select
            id="evaluation-base"
            value={baseModel}
            onChange={(event) => setBaseModel(event.target.value)}
            required
          >
            <option value="">Choose a model</option>
            {modelOptions}
          </select>
        </div>
        <div className="field">
          <label htmlFor="evaluation-candidate">Compare with (optional)</label>
          <select
            id="evaluation-candidate"
            value={candidateModel}
            onChange={(event) => setCandidateModel(event.target.value)}
          >
            <option value="">No second model</option>
            {modelOptions}
          </select>
        </div>
        <div className="field">
          <label htmlFor="evaluation-max-tokens">Max tokens per answer</label>
          <input
            id="evaluation-max-tokens"
            type="number"
            min={1}
            max={4096}
            value={maxTokens}
            onChange={(event) => setMaxTokens(event.target.valueAsNumber || 64)}
          />
        </div>
      </div>
      <fieldset className="choices">
        <legend>Metrics (latency and cost are always measured)</legend>
        {metricChoices.map(([name, label]) => (
          <div key={name} className="checkbox">
            <input
              type="checkbox"
              id={`metric-${name}`}
              checked={metrics.includes(name)}
              onChange={(event) =>
                setMetrics(
                  event.target.checked ? [...metrics, name] : metrics.filter((metric) => metric !== name),
                )
              }
            />
            <label htmlFor={`metric-${name}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <button
        type="submit"
        className="primary"
        disabled={busy || !baseModel || !dataset || metrics.length === 0}
      >
        {busy ? "Starting…" : "Start evaluation"}
      </button>
    </form>
  );
}
