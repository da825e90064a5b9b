// The job wizard: base model and method → data → hyperparameters (defaults and allowed ranges) → review with
// the dry-run estimate (EstimateModelCustomizationJob), then launch (CreateModelCustomizationJob).
import { type FormEvent, useState } from "react";
import { formatInteger, formatSeconds, formatUsd } from "../../components/format.js";
import { ErrorMessage, Page } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { messageOf } from "../../lib/api-client.js";
import {
  createJob,
  type Estimate,
  estimateJob,
  getServiceInfo,
  type JobRequest,
  listBaseModels,
  listDatasetUris,
} from "./customization-api.js";
import {
  hyperParameterFields,
  hyperParameterProblem,
  maximumOf,
  type TrainingMethod,
} from "./hyperparameter-fields.js";

const steps = ["Model and method", "Data", "Hyperparameters", "Review and launch"] as const;
const typeLabels: Record<string, string> = {
  FINE_TUNING: "Fine-tuning (labelled prompt → response pairs or conversations)",
  CONTINUED_PRE_TRAINING: "Continued pre-training (unlabelled domain text)",
};

function suffix(): string {
  return new Date().toISOString().replace(/[-:T]/g, "").slice(4, 14);
}

function EstimateView(props: { estimate: Estimate }) {
  const { estimate } = props;
  return (
    <dl className="facts" data-testid="estimate">
      <dt>Records</dt>
      <dd>
        {formatInteger(estimate.records)} training, {formatInteger(estimate.validationRecords)} validation (
        {estimate.format})
      </dd>
      <dt>Tokens</dt>
      <dd>
        {formatInteger(estimate.tokens)}; {formatInteger(estimate.trainedTokens)} trained over{" "}
        {estimate.epochs} epoch(s)
      </dd>
      <dt>Steps</dt>
      <dd>
        {formatInteger(estimate.totalSteps)} ({formatInteger(estimate.stepsPerEpoch)} per epoch)
      </dd>
      <dt>Wall time</dt>
      <dd>
        about {formatSeconds(estimate.estimatedSeconds)} at {Math.round(estimate.throughput.tokensPerSecond)}{" "}
        tokens/s ({estimate.throughput.source})
      </dd>
      <dt>Peak memory</dt>
      <dd className={estimate.memory.fits ? "" : "error"}>
        {estimate.memory.description}
        {estimate.memory.fits ? "" : " — more than is free now"}
      </dd>
      <dt>Local cost</dt>
      <dd>{formatUsd(estimate.cost.localCost)}</dd>
      {estimate.cost.bedrockEquivalents.map((price) => (
        <div key={price.modelName} className="fact-pair">
          <dt>On Bedrock: {price.modelName}</dt>
          <dd>{formatUsd(price.cost)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function JobWizard(props: { params: URLSearchParams }) {
  const models = useApi((signal) => listBaseModels(signal), []);
  const datasets = useApi((signal) => listDatasetUris(signal), []);
  const info = useApi((signal) => getServiceInfo(signal), []);
  const [step, setStep] = useState(0);
  const [baseModel, setBaseModel] = useState(props.params.get("base") ?? "");
  const [customizationType, setCustomizationType] = useState(props.params.get("type") ?? "FINE_TUNING");
  const [trainingMethod, setTrainingMethod] = useState<TrainingMethod>("lora");
  const [trainingData, setTrainingData] = useState(props.params.get("data") ?? "");
  const [validationData, setValidationData] = useState("");
  const [hyper, setHyper] = useState<Record<string, string>>({});
  const [names] = useState(() => suffix());
  const [jobName, setJobName] = useState(`console-job-${names}`);
  const [customModelName, setCustomModelName] = useState(`console-model-${names}`);
  const [outputUri, setOutputUri] = useState("");
  const [estimate, setEstimate] = useState<{ key: string; value: Estimate }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const model = models.data?.find((candidate) => candidate.modelId === baseModel);
  const contextLength = model?.contextWindowTokens ?? 4096;
  const output = outputUri || (info.data ? `s3://${info.data.objectStore.bucket}/customization-output/` : "");
  const fields = hyperParameterFields.filter(
    (field) => trainingMethod === "lora" || !field.key.startsWith("lora"),
  );
  const problems = fields.flatMap((field) => {
    const problem = hyperParameterProblem(field, hyper[field.key] ?? "", contextLength);
    return problem ? [problem] : [];
  });
  const request: JobRequest = {
    jobName,
    customModelName,
    baseModelIdentifier: baseModel,
    customizationType,
    trainingDataS3Uri: trainingData,
    ...(validationData ? { validationDataS3Uri: validationData } : {}),
    outputS3Uri: output,
    hyperParameters: {
      trainingMethod,
      ...Object.fromEntries(
        Object.entries(hyper).filter(
          ([key, value]) => value.trim() !== "" && fields.some((field) => field.key === key),
        ),
      ),
    },
  };
  const estimateKey = JSON.stringify({ ...request, jobName: "", customModelName: "", outputS3Uri: "" });
  const currentEstimate = estimate?.key === estimateKey ? estimate.value : undefined;

  const stepReady = [baseModel !== "", trainingData.startsWith("s3://"), problems.length === 0, true];

  const runEstimate = async () => {
    setBusy("Estimating…");
    setError(undefined);
    try {
      setEstimate({ key: estimateKey, value: await estimateJob(request) });
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(undefined);
    }
  };

  const launch = async (event: FormEvent) => {
    event.preventDefault();
    if (!currentEstimate || !info.data) return;
    setBusy("Launching…");
    setError(undefined);
    try {
      const jobArn = await createJob(request, info.data.accountId);
      window.location.hash = `#/customization/${encodeURIComponent(jobArn)}`;
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(undefined);
    }
  };

  return (
    <Page title="New customization job">
      <ol className="stepper" aria-label="Steps">
        {steps.map((label, index) => (
          <li key={label}>
            <button
              type="button"
              aria-current={index === step ? "step" : undefined}
              disabled={index > step && !stepReady.slice(0, index).every(Boolean)}
              onClick={() => setStep(index)}
            >
              {index + 1}. {label}
            </button>
          </li>
        ))}
      </ol>
      <form className="card wizard" onSubmit={launch} aria-label={steps[step]}>
        {step === 0 ? (
          <fieldset>
            <legend>{steps[0]}</legend>
            <div className="field">
              <label htmlFor="job-base-model">Base model</label>
              <select
                id="job-base-model"
                value={baseModel}
                onChange={(event) => setBaseModel(event.target.value)}
              >
                <option value="">Choose a base model</option>
                {(models.data ?? []).map((candidate) => (
                  <option key={candidate.modelId} value={candidate.modelId}>
                    {candidate.modelId}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="choices">
              <legend>Customization type</legend>
              {(model?.customizationsSupported ?? Object.keys(typeLabels))
                .filter((type) => typeLabels[type])
                .map((type) => (
                  <div key={type} className="checkbox">
                    <input
                      type="radio"
                      id={`type-${type}`}
                      name="customizationType"
                      checked={customizationType === type}
                      onChange={() => setCustomizationType(type)}
                    />
                    <label htmlFor={`type-${type}`}>{typeLabels[type]}</label>
                  </div>
                ))}
            </fieldset>
            <fieldset className="choices">
              <legend>Training method</legend>
              {(["lora", "full"] as const).map((method) => (
                <div key={method} className="checkbox">
                  <input
                    type="radio"
                    id={`method-${method}`}
                    name="trainingMethod"
                    checked={trainingMethod === method}
                    onChange={() => setTrainingMethod(method)}
                  />
                  <label htmlFor={`method-${method}`}>
                    {method === "lora" ? "LoRA adapter (fast, small)" : "Full fine-tuning (every weight)"}
                  </label>
                </div>
              ))}
            </fieldset>
          </fieldset>
        ) : null}
        {step === 1 ? (
          <fieldset>
            <legend>{steps[1]}</legend>
            <datalist id="dataset-uris">
              {(datasets.data ?? []).map((uri) => (
                <option key={uri} value={uri} />
              ))}
            </datalist>
            <div className="field wide">
              <label htmlFor="job-training-data">Training data (S3 URI)</label>
              <input
                id="job-training-data"
                list="dataset-uris"
                value={trainingData}
                onChange={(event) => setTrainingData(event.target.value)}
                placeholder="s3://strata/datasets/…"
              />
            </div>
            <div className="field wide">
              <label htmlFor="job-validation-data">Validation data (optional)</label>
              <input
                id="job-validation-data"
                list="dataset-uris"
                value={validationData}
                onChange={(event) => setValidationData(event.target.value)}
              />
            </div>
            <p className="muted small">
              Upload and check files on the <a href="#/data">Data</a> page first.
            </p>
          </fieldset>
        ) : null}
        {step === 2 ? (
          <fieldset className="hyperparameters">
            <legend>{steps[2]}</legend>
            {fields.map((field) => {
              const max = maximumOf(field, contextLength);
              const problem = hyperParameterProblem(field, hyper[field.key] ?? "", contextLength);
              const id = `hp-${field.key}`;
              return (
                <div className="field" key={field.key}>
                  <label htmlFor={id}>{field.label}</label>
                  <input
                    id={id}
                    inputMode="decimal"
                    value={hyper[field.key] ?? ""}
                    placeholder={String(field.defaultValue(trainingMethod, contextLength))}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={`${id}-help`}
                    onChange={(event) => setHyper({ ...hyper, [field.key]: event.target.value })}
                  />
                  <small id={`${id}-help`} className={problem ? "error" : "muted"}>
                    {problem ??
                      `${field.help} Default ${field.defaultValue(trainingMethod, contextLength)}; ${field.min}–${max}.`}
                  </small>
                </div>
              );
            })}
          </fieldset>
        ) : null}
        {step === 3 ? (
          <fieldset>
            <legend>{steps[3]}</legend>
            <div className="field">
              <label htmlFor="job-name">Job name</label>
              <input
                id="job-name"
                value={jobName}
                onChange={(event) => setJobName(event.target.value)}
                required
              />
            </div>
            <div className="field">
              <label htmlFor="job-model-name">Custom model name</label>
              <input
                id="job-model-name"
                value={customModelName}
                onChange={(event) => setCustomModelName(event.target.value)}
                required
              />
            </div>
            <div className="field wide">
              <label htmlFor="job-output">Output (S3 URI)</label>
              <input id="job-output" value={output} onChange={(event) => setOutputUri(event.target.value)} />
            </div>
            <p>
              {baseModel} · {customizationType} · {trainingMethod} · {trainingData}
            </p>
            <button type="button" onClick={() => void runEstimate()} disabled={busy !== undefined}>
              {busy === "Estimating…" ? busy : "Estimate (dry run)"}
            </button>
            {currentEstimate ? (
              <EstimateView estimate={currentEstimate} />
            ) : (
              <p className="muted">Run the estimate before launching.</p>
            )}
          </fieldset>
        ) : null}
        <ErrorMessage error={error} />
        <div className="row wizard-buttons">
          <button type="button" onClick={() => setStep(step - 1)} disabled={step === 0}>
            Back
          </button>
          {step < steps.length - 1 ? (
            <button
              type="button"
              className="primary"
              onClick={() => setStep(step + 1)}
              disabled={!stepReady[step]}
            >
              Next
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!currentEstimate || busy !== undefined}>
              {busy === "Launching…" ? busy : "Launch job"}
            </button>
          )}
        </div>
      </form>
    </Page>
  );
}
