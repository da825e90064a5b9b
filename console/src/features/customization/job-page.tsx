// One job: status, progress and live training/validation loss curves (GetModelCustomizationJobProgress polled
// with an afterStep cursor), and a stop button while it runs.
import { useEffect, useState } from "react";
import { formatNumber, formatSeconds, formatTime } from "../../components/format.js";
import { LineChart } from "../../components/line-chart.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import { getJob, getProgress, type JobProgress, type MetricPoint, stopJob } from "./customization-api.js";

const running = (status: string | undefined) => status === "InProgress" || status === "Stopping";

/** Polls progress, keeping every metric point seen (by kind and step; a later value replaces an earlier one). */
function useLiveProgress(jobArn: string): { progress?: JobProgress; points: MetricPoint[]; error?: string } {
  const [progress, setProgress] = useState<JobProgress>();
  const [points, setPoints] = useState<Map<string, MetricPoint>>(new Map());
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    let afterStep = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seen = new Map<string, MetricPoint>();
    setPoints(new Map());
    const poll = async () => {
      try {
        const latest = await getProgress(jobArn, afterStep, controller.signal);
        if (controller.signal.aborted) return;
        for (const point of latest.metrics) seen.set(`${point.kind}:${point.step}`, point);
        // Read the last step again next time: its validation point may come after its training point.
        afterStep = Math.max(afterStep, (latest.metrics.at(-1)?.step ?? 0) - 1);
        setPoints(new Map(seen));
        setProgress(latest);
        setError(undefined);
        if (running(latest.status)) timer = setTimeout(poll, 1000);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(messageOf(caught));
        timer = setTimeout(poll, 3000);
      }
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [jobArn]);
  return { ...(progress ? { progress } : {}), points: [...points.values()], ...(error ? { error } : {}) };
}

export function JobPage(props: { jobArn: string }) {
  const live = useLiveProgress(props.jobArn);
  const status = live.progress?.status;
  const job = useApi((signal) => getJob(props.jobArn, signal), [props.jobArn, status]);
  const [stopError, setStopError] = useState<string>();
  const [stopping, setStopping] = useState(false);
  const progress = live.progress;
  const series = (kind: MetricPoint["kind"]) =>
    live.points
      .filter((point) => point.kind === kind)
      .sort((a, b) => a.step - b.step)
      .map((point) => ({ x: point.step, y: point.loss }));

  const stop = async () => {
    setStopping(true);
    setStopError(undefined);
    try {
      await stopJob(props.jobArn);
    } catch (caught) {
      setStopError(messageOf(caught));
    } finally {
      setStopping(false);
    }
  };

  return (
    <Page
      title={`Job ${job.data?.jobName ?? progress?.jobName ?? ""}`}
      actions={
        running(status) ? (
          <button
            type="button"
            className="danger"
            onClick={() => void stop()}
            disabled={stopping || status === "Stopping"}
          >
            {status === "Stopping" ? "Stopping…" : "Stop job"}
          </button>
        ) : null
      }
    >
      <ErrorMessage error={job.error ?? live.error ?? stopError} />
      <Loading loading={!progress && !live.error} what="the job" />
      {progress ? (
        <div className="card" aria-live="polite">
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={progress.status} /> <span className="muted">{progress.phase}</span>
            </dd>
            <dt>Step</dt>
            <dd data-testid="job-step">
              {progress.step}
              {progress.totalSteps !== undefined ? ` of ${progress.totalSteps}` : ""}
              {progress.epoch !== undefined
                ? ` (epoch ${progress.epoch + 1} of ${progress.epochCount ?? "?"})`
                : ""}
            </dd>
            <dt>Training loss</dt>
            <dd>{formatNumber(progress.trainingLoss, 4)}</dd>
            <dt>Validation loss</dt>
            <dd>{formatNumber(progress.validationLoss, 4)}</dd>
            <dt>Speed</dt>
            <dd>
              {progress.tokensPerSecond === undefined
                ? "—"
                : `${Math.round(progress.tokensPerSecond)} tokens/s`}
            </dd>
            <dt>Time left</dt>
            <dd>{formatSeconds(progress.etaSeconds)}</dd>
          </dl>
          {progress.totalSteps ? (
            <progress max={progress.totalSteps} value={progress.step} aria-label="Training progress" />
          ) : null}
          {progress.failureMessage ? <p className="error">{progress.failureMessage}</p> : null}
          {progress.outputModelArn ? (
            <p>
              Custom model:{" "}
              <a href={`#/custom-models/${encodeURIComponent(progress.outputModelArn)}`}>
                {job.data?.outputModelName ?? progress.outputModelArn}
              </a>
            </p>
          ) : null}
        </div>
      ) : null}
      <LineChart
        title="Loss"
        xLabel="step"
        yLabel="loss"
        series={[
          { name: "Training loss", className: "chart-series-0", points: series("training") },
          { name: "Validation loss", className: "chart-series-1", points: series("validation") },
        ]}
      />
      {job.data ? (
        <section className="card" aria-labelledby="job-details">
          <h2 id="job-details">Details</h2>
          <dl className="facts">
            <dt>Base model</dt>
            <dd>
              <code>{job.data.baseModelArn}</code>
            </dd>
            <dt>Type</dt>
            <dd>{job.data.customizationType ?? "FINE_TUNING"}</dd>
            <dt>Training data</dt>
            <dd>
              <code>{job.data.trainingDataConfig.s3Uri}</code>
            </dd>
            <dt>Hyperparameters</dt>
            <dd>
              {Object.entries(job.data.hyperParameters)
                .map(([key, value]) => `${key}=${value}`)
                .join(", ")}
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(job.data.creationTime)}</dd>
            <dt>Ended</dt>
            <dd>{formatTime(job.data.endTime)}</dd>
          </dl>
        </section>
      ) : null}
    </Page>
  );
}
