import { formatTime } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { listCustomModels } from "./custom-models-api.js";

export function CustomModelsPage() {
  const models = useApi((signal) => listCustomModels(signal), []);
  return (
    <Page title="Custom models">
      <ErrorMessage error={models.error} />
      <Loading loading={models.loading && !models.data} what="custom models" />
      {models.data?.length === 0 ? (
        <p className="muted">
          No custom models yet: a completed <a href="#/customization">customization job</a> makes one.
        </p>
      ) : null}
      {models.data && models.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Base model</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {models.data.map((model) => (
              <tr key={model.modelArn}>
                <td>
                  <a href={`#/custom-models/${encodeURIComponent(model.modelArn)}`}>{model.modelName}</a>
                </td>
                <td>{model.baseModelName}</td>
                <td>{model.customizationType ?? "—"}</td>
                <td>{model.modelStatus ? <StatusBadge status={model.modelStatus} /> : "—"}</td>
                <td>{formatTime(model.creationTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
