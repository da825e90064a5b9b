// One custom model and where it came from: base model → data → job (hyperparameters, steps, losses) → the
// model's artifact, and the reservations that serve it.
import { useState } from "react";
import { formatBytes, formatInteger, formatNumber } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import { type DatasetLineage, deleteCustomModel, getLineage, reservationsOf } from "./custom-models-api.js";

function Dataset(props: { label: string; data: DatasetLineage }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>
        <code>{props.data.s3Uri}</code> — {formatInteger(props.data.records)} records,{" "}
        {formatBytes(props.data.bytes)}, sha256{" "}
        <code title={props.data.sha256}>{props.data.sha256.slice(0, 12)}…</code>
      </dd>
    </>
  );
}

export function CustomModelPage(props: { modelArn: string }) {
  const lineage = useApi((signal) => getLineage(props.modelArn, signal), [props.modelArn]);
  const reservations = useApi((signal) => reservationsOf(props.modelArn, signal), [props.modelArn]);
  const [error, setError] = useState<string>();
  const data = lineage.data;

  const remove = async () => {
    if (!window.confirm(`Delete the custom model ${data?.modelName ?? props.modelArn}?`)) return;
    try {
      await deleteCustomModel(props.modelArn);
      window.location.hash = "#/custom-models";
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <Page
      title={`Custom model ${data?.modelName ?? ""}`}
      actions={
        <>
          <a
            className="button primary"
            href={`#/provisioned-throughput?model=${encodeURIComponent(props.modelArn)}`}
          >
            Provision throughput
          </a>
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete
          </button>
        </>
      }
    >
      <ErrorMessage error={lineage.error ?? error} />
      <Loading loading={lineage.loading && !data} what="the lineage" />
      {data ? (
        <ol className="lineage" aria-label="Lineage">
          <li className="card">
            <h2>Base model</h2>
            <p>
              <code>{data.lineage.baseModelId}</code>
              {data.lineage.baseCustomModelId ? (
                <>
                  {" "}
                  via custom model <code>{data.lineage.baseCustomModelId}</code>
                </>
              ) : null}
            </p>
          </li>
          <li className="card">
            <h2>Training</h2>
            <dl className="facts">
              <Dataset label="Training data" data={data.lineage.trainingData} />
              {data.lineage.validationData.map((validation) => (
                <Dataset key={validation.s3Uri} label="Validation data" data={validation} />
              ))}
              <dt>Job</dt>
              <dd>
                <a href={`#/customization/${encodeURIComponent(data.jobArn)}`}>
                  {data.jobArn.split("/").pop()}
                </a>
              </dd>
              <dt>Method</dt>
              <dd>{data.trainingMethod}</dd>
              <dt>Hyperparameters</dt>
              <dd>
                {Object.entries(data.lineage.hyperParameters)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(", ")}
              </dd>
              <dt>Steps / trained tokens</dt>
              <dd>
                {formatInteger(data.lineage.steps)} / {formatInteger(data.lineage.trainedTokens)}
              </dd>
              <dt>Final training loss</dt>
              <dd>{formatNumber(data.lineage.trainingLoss, 4)}</dd>
              <dt>Validation losses</dt>
              <dd>{data.lineage.validationLosses.map((loss) => formatNumber(loss, 4)).join(", ") || "—"}</dd>
              <dt>Trainer</dt>
              <dd>{data.lineage.trainerVersion}</dd>
            </dl>
          </li>
          <li className="card">
            <h2>Custom model</h2>
            <p>
              <code>{data.modelArn}</code>
            </p>
            <p>
              {data.artifactKind}, {formatBytes(data.fileSizeBytes)}
            </p>
          </li>
          <li className="card">
            <h2>Served by</h2>
            {reservations.data?.length ? (
              <ul>
                {reservations.data.map((reservation) => (
                  <li key={reservation.provisionedModelArn}>
                    {reservation.provisionedModelName} <StatusBadge status={reservation.status} /> (
                    {reservation.modelUnits} unit(s)){" "}
                    {reservation.status === "InService" ? (
                      <>
                        <a
                          href={`#/playground?models=${encodeURIComponent(reservation.provisionedModelArn)}`}
                        >
                          Chat
                        </a>
                        {" · "}
                        <a
                          href={`#/evaluations?models=${encodeURIComponent(`${data.lineage.baseModelId},${reservation.provisionedModelArn}`)}`}
                        >
                          Evaluate against the base model
                        </a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">
                No reservation: custom models are served only through provisioned throughput.
              </p>
            )}
          </li>
        </ol>
      ) : null}
    </Page>
  );
}
