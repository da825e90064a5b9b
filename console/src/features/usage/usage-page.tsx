// Usage and cost: totals, cost per day, traffic and latency per model, training and reservation cost, and the
// latest invocations.
import { useState } from "react";
import { BarChart } from "../../components/bar-chart.js";
import { formatInteger, formatMs, formatSeconds, formatTime, formatUsd } from "../../components/format.js";
import { ErrorMessage, Loading, Page } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { loadUsage, type ModelDay, recentInvocations } from "./usage-api.js";

const ranges = [
  { id: "1", label: "Last 24 hours", days: 1 },
  { id: "7", label: "Last 7 days", days: 7 },
  { id: "30", label: "Last 30 days", days: 30 },
] as const;

function perModel(days: readonly ModelDay[]) {
  const models = new Map<
    string,
    { invocations: number; costUsd: number; p50: number; p99: number; tokens: number }
  >();
  for (const day of days) {
    const entry = models.get(day.modelId) ?? { invocations: 0, costUsd: 0, p50: 0, p99: 0, tokens: 0 };
    entry.invocations += day.invocations;
    entry.costUsd += day.costUsd;
    entry.tokens += day.inputTokens + day.outputTokens;
    // The worst day's percentiles: a conservative summary across days.
    entry.p50 = Math.max(entry.p50, day.latencyMs.p50);
    entry.p99 = Math.max(entry.p99, day.latencyMs.p99);
    models.set(day.modelId, entry);
  }
  return [...models.entries()];
}

function Total(props: { label: string; value: string; testId?: string }) {
  return (
    <div className="total card">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}

export function UsagePage() {
  const [rangeId, setRangeId] = useState<string>("7");
  const days = ranges.find((range) => range.id === rangeId)?.days ?? 7;
  const [now] = useState(() => Date.now());
  const from = new Date(now - days * 86_400_000);
  const to = new Date(now + 60_000);
  const usage = useApi((signal) => loadUsage(from, to, signal), [rangeId]);
  const invocations = useApi((signal) => recentInvocations(from, signal), [rangeId]);
  const view = usage.data;
  const models = view ? perModel(view.models) : [];
  const dayKeys = view
    ? [...new Set([...view.models.map((day) => day.day), ...view.reservations.map((day) => day.day)])].sort()
    : [];

  return (
    <Page
      title="Usage and cost"
      actions={
        <div className="field inline">
          <label htmlFor="usage-range">Period</label>
          <select id="usage-range" value={rangeId} onChange={(event) => setRangeId(event.target.value)}>
            {ranges.map((range) => (
              <option key={range.id} value={range.id}>
                {range.label}
              </option>
            ))}
          </select>
        </div>
      }
    >
      <ErrorMessage error={usage.error} />
      <Loading loading={usage.loading && !view} what="usage" />
      {view ? (
        <>
          <dl className="totals">
            <Total
              label="Invocations"
              value={formatInteger(view.totals.invocations)}
              testId="total-invocations"
            />
            <Total
              label="Tokens in / out"
              value={`${formatInteger(view.totals.inputTokens)} / ${formatInteger(view.totals.outputTokens)}`}
            />
            <Total label="Inference cost" value={formatUsd(view.totals.invocationCostUsd)} />
            {view.totals.trainingCostUsd !== undefined ? (
              <Total label="Training cost" value={formatUsd(view.totals.trainingCostUsd)} />
            ) : null}
            {view.totals.reservationCostUsd !== undefined ? (
              <Total label="Reservations" value={formatUsd(view.totals.reservationCostUsd)} />
            ) : null}
            <Total label="Total" value={formatUsd(view.totals.totalCostUsd)} />
            {view.totals.bedrockEquivalentCostUsd !== undefined ? (
              <Total label="Same work on Bedrock" value={formatUsd(view.totals.bedrockEquivalentCostUsd)} />
            ) : null}
          </dl>
          <div className="chart-row">
            <BarChart
              title="Cost per day"
              yLabel="USD"
              categories={dayKeys}
              measures={[
                { name: "Inference", className: "chart-series-0", format: formatUsd },
                { name: "Reservations", className: "chart-series-1", format: formatUsd },
              ]}
              values={dayKeys.map((day) => [
                view.models
                  .filter((entry) => entry.day === day)
                  .reduce((sum, entry) => sum + entry.costUsd, 0),
                view.reservations
                  .filter((entry) => entry.day === day)
                  .reduce((sum, entry) => sum + entry.costUsd, 0),
              ])}
            />
            <BarChart
              title="Latency per model (worst day)"
              yLabel="milliseconds"
              categories={models.map(([modelId]) => modelId)}
              measures={[
                { name: "p50", className: "chart-series-2", format: formatMs },
                { name: "p99", className: "chart-series-3", format: formatMs },
              ]}
              values={models.map(([, entry]) => [entry.p50, entry.p99])}
            />
          </div>
          <h2>Per model and day</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Model</th>
                <th scope="col">Invocations</th>
                <th scope="col">Errors</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Latency p50</th>
                <th scope="col">Cost</th>
                <th scope="col">On Bedrock</th>
              </tr>
            </thead>
            <tbody>
              {view.models.map((day) => (
                <tr key={`${day.day}-${day.modelId}-${day.billing ?? ""}`}>
                  <td>{day.day}</td>
                  <td>
                    <code>{day.modelId}</code>
                    {day.billing ? <span className="muted small"> {day.billing}</span> : null}
                  </td>
                  <td>{formatInteger(day.invocations)}</td>
                  <td>{formatInteger(day.errors)}</td>
                  <td>
                    {formatInteger(day.inputTokens)} / {formatInteger(day.outputTokens)}
                  </td>
                  <td>{formatMs(day.latencyMs.p50)}</td>
                  <td>{formatUsd(day.costUsd)}</td>
                  <td>{formatUsd(day.bedrockEquivalentCostUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.trainingJobs.length > 0 ? (
            <>
              <h2>Training</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Status</th>
                    <th scope="col">Wall time</th>
                    <th scope="col">Trained tokens</th>
                    <th scope="col">Cost</th>
                    <th scope="col">On Bedrock</th>
                  </tr>
                </thead>
                <tbody>
                  {view.trainingJobs.map((job) => (
                    <tr key={`${job.jobKind}-${job.jobName}`}>
                      <td>{job.jobName}</td>
                      <td>{job.jobKind}</td>
                      <td>{job.status}</td>
                      <td>{formatSeconds(job.wallSeconds)}</td>
                      <td>{formatInteger(job.trainedTokens)}</td>
                      <td>{formatUsd(job.costUsd)}</td>
                      <td>{formatUsd(job.bedrockEquivalentCostUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {view.reservations.length > 0 ? (
            <>
              <h2>Reservations</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Reservation</th>
                    <th scope="col">Model</th>
                    <th scope="col">Term</th>
                    <th scope="col">Model-unit hours</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {view.reservations.map((reservation) => (
                    <tr key={`${reservation.day}-${reservation.provisionedModelArn}`}>
                      <td>{reservation.day}</td>
                      <td>
                        <code>{reservation.provisionedModelArn.split("/").pop()}</code>
                      </td>
                      <td>
                        <code>{reservation.modelArn.split("/").slice(1).join("/")}</code>
                      </td>
                      <td>{reservation.commitmentTerm}</td>
                      <td>{reservation.unitHours.toFixed(2)}</td>
                      <td>{formatUsd(reservation.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          {view.notes.length > 0 ? (
            <ul className="muted small">
              {view.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      <h2>Latest invocations</h2>
      <ErrorMessage error={invocations.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Model</th>
            <th scope="col">Operation</th>
            <th scope="col">Status</th>
            <th scope="col">Tokens in / out</th>
            <th scope="col">Latency</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {(invocations.data ?? []).map((invocation) => (
            <tr key={invocation.requestId}>
              <td>{formatTime(invocation.startTime)}</td>
              <td>
                <code>{invocation.modelId}</code>
              </td>
              <td>{invocation.operation}</td>
              <td>{invocation.status}</td>
              <td>
                {formatInteger(invocation.inputTokens)} / {formatInteger(invocation.outputTokens)}
              </td>
              <td>{formatMs(invocation.latencyMs)}</td>
              <td>{formatUsd(invocation.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
