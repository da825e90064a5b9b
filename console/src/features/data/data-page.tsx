// Data: upload a JSONL dataset, validate it completely (problems at their lines), see its stats and what the
// method advisor recommends for it; or pick a dataset already in the object store.
import { type FormEvent, useEffect, useState } from "react";
import { formatBytes } from "../../components/format.js";
import { ErrorMessage, Page } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import {
  adviseMethod,
  type DatasetReport,
  listCustomizableModels,
  listDatasets,
  type MethodAdvice,
  uploadDataset,
  validateDataset,
} from "./data-api.js";
import { DatasetReportView } from "./dataset-report-view.js";

const methodLabels: Record<string, string> = {
  INSTRUCTION_FINE_TUNING: "Instruction fine-tuning",
  CONTINUED_PRE_TRAINING: "Continued pre-training",
  TRANSFER_LEARNING: "Transfer learning",
};

interface Checked {
  s3Uri: string;
  fileName: string;
  fileText?: string;
  report: DatasetReport;
}

function AdvicePanel(props: { s3Uri: string }) {
  const [goal, setGoal] = useState("");
  const [advice, setAdvice] = useState<MethodAdvice>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ask = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setAdvice(await adviseMethod(props.s3Uri, goal));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  // Advice comes with every checked dataset; a stated goal can refine it afterwards.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per dataset (the panel is keyed by it).
  useEffect(() => {
    void ask();
  }, []);
  const jobLink = `#/customization/new?data=${encodeURIComponent(props.s3Uri)}${advice?.customizationType ? `&type=${advice.customizationType}` : ""}`;
  return (
    <section className="card" aria-labelledby="advice-title">
      <h2 id="advice-title">Method advisor</h2>
      <form onSubmit={ask} className="row">
        <div className="field wide">
          <label htmlFor="advice-goal">Goal (optional)</label>
          <input
            id="advice-goal"
            value={goal}
            placeholder="e.g. answer support questions in our tone"
            onChange={(event) => setGoal(event.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? "Asking…" : "Ask the advisor"}
        </button>
      </form>
      <ErrorMessage error={error} />
      {advice ? (
        <div aria-live="polite">
          <p className="advice" data-testid="advice">
            {advice.recommendedMethod ? (
              <>
                Recommended:{" "}
                <strong>{methodLabels[advice.recommendedMethod] ?? advice.recommendedMethod}</strong>
                {advice.customizationType ? (
                  <>
                    {" "}
                    (<code>{advice.customizationType}</code>)
                  </>
                ) : null}
              </>
            ) : (
              <strong>No method fits this data as it is.</strong>
            )}
          </p>
          <p>
            {advice.reason} ({advice.recordsExamined} record(s) examined, format {advice.detectedFormat}.)
          </p>
          <table>
            <caption className="visually-hidden">Customization methods and the data they need</caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Fits this data</th>
                <th scope="col">Data it needs</th>
              </tr>
            </thead>
            <tbody>
              {advice.methods.map((method) => (
                <tr key={method.method}>
                  <th scope="row">{methodLabels[method.method] ?? method.method}</th>
                  <td>{method.fits ? "yes" : "no"}</td>
                  <td>{method.dataNeeded}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {advice.customizationType ? (
            <a className="button" href={jobLink}>
              Start a customization job with this data
            </a>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function DataPage() {
  const datasets = useApi((signal) => listDatasets(signal), []);
  const models = useApi((signal) => listCustomizableModels(signal), []);
  const [baseModel, setBaseModel] = useState("");
  const [validationFile, setValidationFile] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [checked, setChecked] = useState<Checked>();

  const check = async (s3Uri: string, fileName: string, fileText?: string) => {
    setBusy("Validating…");
    const report = await validateDataset(s3Uri, {
      ...(baseModel ? { baseModelIdentifier: baseModel } : {}),
      validation: validationFile,
    });
    setChecked({ s3Uri, fileName, ...(fileText !== undefined ? { fileText } : {}), report });
  };

  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("dataset-file") as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(undefined);
    setChecked(undefined);
    try {
      setBusy("Uploading…");
      const uploaded = await uploadDataset(file);
      datasets.reload();
      await check(uploaded.s3Uri, file.name, await file.text());
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(undefined);
    }
  };

  const checkExisting = async (s3Uri: string, name: string) => {
    setError(undefined);
    setChecked(undefined);
    try {
      await check(s3Uri, name);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Page title="Data">
      <form className="card" onSubmit={upload} aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a dataset</h2>
        <p className="muted small">
          JSONL, one record per line: <code>{'{"prompt", "completion"}'}</code>, conversations (
          <code>bedrock-conversation-2024</code>) or <code>{'{"input"}'}</code> for continued pre-training.
        </p>
        <div className="row">
          <div className="field">
            <label htmlFor="dataset-file">JSONL file</label>
            <input
              id="dataset-file"
              name="dataset-file"
              type="file"
              accept=".jsonl,.json,.txt,application/x-ndjson"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="dataset-base-model">Count tokens with (optional)</label>
            <select
              id="dataset-base-model"
              value={baseModel}
              onChange={(event) => setBaseModel(event.target.value)}
            >
              <option value="">No base model</option>
              {(models.data ?? []).map((model) => (
                <option key={model} value={model}>
                  {model}
                </option>
              ))}
            </select>
          </div>
          <div className="field checkbox">
            <input
              id="dataset-validation"
              type="checkbox"
              checked={validationFile}
              onChange={(event) => setValidationFile(event.target.checked)}
            />
            <label htmlFor="dataset-validation">Validation file limits</label>
          </div>
          <button type="submit" className="primary" disabled={busy !== undefined}>
            {busy ?? "Upload and validate"}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {checked ? (
        <>
          <p className="muted">
            Stored as <code data-testid="dataset-uri">{checked.s3Uri}</code>
          </p>
          <DatasetReportView
            report={checked.report}
            fileName={checked.fileName}
            {...(checked.fileText !== undefined ? { fileText: checked.fileText } : {})}
          />
          <AdvicePanel key={checked.s3Uri} s3Uri={checked.s3Uri} />
        </>
      ) : null}
      <section className="card" aria-labelledby="datasets-title">
        <h2 id="datasets-title">Datasets in the object store</h2>
        <ErrorMessage error={datasets.error} />
        {datasets.data?.length === 0 ? <p className="muted">None yet.</p> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(datasets.data ?? []).map((dataset) => (
              <tr key={dataset.s3Uri}>
                <td>
                  <code>{dataset.name}</code>
                </td>
                <td>{formatBytes(dataset.bytes)}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy !== undefined}
                    onClick={() => void checkExisting(dataset.s3Uri, dataset.name)}
                  >
                    Validate <span className="visually-hidden">{dataset.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
