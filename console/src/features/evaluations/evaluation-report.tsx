// An evaluation's report: progress while it runs, then per dataset each model's metrics (table and chart) and,
// with two models, the verdict per metric and the examples whose result changed.
import { useState } from "react";
import { BarChart } from "../../components/bar-chart.js";
import { formatNumber } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import { type DatasetResults, getEvaluationResults, stopEvaluationJob } from "./evaluations-api.js";

// Quality metrics on a 0–1 scale share a chart; latency, cost and perplexity have their own units.
const ratioMetric = (name: string) => !/latency|cost|perplexity|tokens/i.test(name);

function DatasetReport(props: { dataset: DatasetResults }) {
  const { dataset } = props;
  const metricNames = [...new Set(dataset.models.flatMap((model) => Object.keys(model.metrics)))];
  const ratios = metricNames.filter(ratioMetric);
  const comparison = dataset.comparison;
  return (
    <section className="card" aria-labelledby={`dataset-${dataset.datasetName}`}>
      <h2 id={`dataset-${dataset.datasetName}`}>
        {dataset.datasetName} · {dataset.taskType} · {dataset.examples} example(s)
      </h2>
      <table>
        <caption className="visually-hidden">Metrics per model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {metricNames.map((metric) => (
              <th scope="col" key={metric}>
                {metric}
                {metric === dataset.primaryMetric ? " (primary)" : ""}
              </th>
            ))}
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {dataset.models.map((model) => (
            <tr key={model.modelIdentifier}>
              <th scope="row">
                <code>{model.modelIdentifier}</code>
              </th>
              {metricNames.map((metric) => (
                <td key={metric}>{formatNumber(model.metrics[metric], 4)}</td>
              ))}
              <td>{model.failedExamples}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ratios.length > 0 ? (
        <BarChart
          title="Quality metrics per model"
          yLabel="score"
          categories={ratios}
          measures={dataset.models.map((model, index) => ({
            name: model.modelIdentifier,
            className: `chart-series-${index % 4}`,
          }))}
          values={ratios.map((metric) => dataset.models.map((model) => model.metrics[metric]))}
        />
      ) : null}
      {comparison ? (
        <>
          <h3>
            Candidate vs base on {comparison.primaryMetric}:{" "}
            <span
              className={`badge status-${comparison.verdict === "better" ? "ok" : comparison.verdict === "worse" ? "bad" : "muted"}`}
            >
              {comparison.verdict}
            </span>{" "}
            ({comparison.improvedExamples} improved, {comparison.regressedExamples} regressed)
          </h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Base</th>
                <th scope="col">Candidate</th>
                <th scope="col">Change</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {comparison.metrics.map((metric) => (
                <tr key={metric.metric}>
                  <th scope="row">{metric.metric}</th>
                  <td>{formatNumber(metric.base, 4)}</td>
                  <td>{formatNumber(metric.candidate, 4)}</td>
                  <td>{formatNumber(metric.delta, 3)}</td>
                  <td>{metric.verdict}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {comparison.changedExamples.length > 0 ? (
            <>
              <h3>Examples that changed</h3>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Prompt</th>
                    <th scope="col">Reference</th>
                    <th scope="col">Base answer</th>
                    <th scope="col">Candidate answer</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {comparison.changedExamples.map((example) => (
                    <tr key={example.line}>
                      <td>{example.line}</td>
                      <td>{example.prompt}</td>
                      <td>{example.reference ?? "—"}</td>
                      <td>{example.baseResponse ?? "—"}</td>
                      <td>{example.candidateResponse ?? "—"}</td>
                      <td>
                        {example.change} ({formatNumber(example.baseScore, 3)} →{" "}
                        {formatNumber(example.candidateScore, 3)})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function EvaluationReport(props: { jobArn: string }) {
  const results = useApi((signal) => getEvaluationResults(props.jobArn, signal), [props.jobArn], {
    pollMs: 2000,
    pollWhile: (data) => data.status === "InProgress" || data.status === "Stopping",
  });
  const [error, setError] = useState<string>();
  const data = results.data;
  const stop = async () => {
    try {
      await stopEvaluationJob(props.jobArn);
      results.reload();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  return (
    <Page
      title={`Evaluation ${data?.jobName ?? ""}`}
      actions={
        data?.status === "InProgress" ? (
          <button type="button" className="danger" onClick={() => void stop()}>
            Stop evaluation
          </button>
        ) : null
      }
    >
      <ErrorMessage error={results.error ?? error} />
      <Loading loading={results.loading && !data} what="the evaluation" />
      {data ? (
        <div className="card" aria-live="polite">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={data.status} />
            </dd>
            <dt>Examples</dt>
            <dd>
              {data.progress.examplesDone} of {data.progress.examplesTotal}
            </dd>
            <dt>Results</dt>
            <dd>
              <code>{data.resultsS3Uri ?? "—"}</code>
            </dd>
            <dt>HTML report</dt>
            <dd>
              <code>{data.reportS3Uri ?? "—"}</code>
            </dd>
          </dl>
          {data.progress.examplesTotal > 0 ? (
            <progress
              max={data.progress.examplesTotal}
              value={data.progress.examplesDone}
              aria-label="Evaluation progress"
            />
          ) : null}
          {data.failureMessages?.map((message) => (
            <p key={message} className="error">
              {message}
            </p>
          ))}
        </div>
      ) : null}
      {data?.datasets.map((dataset) => (
        <DatasetReport key={dataset.datasetName} dataset={dataset} />
      ))}
    </Page>
  );
}
