// The model catalog: Bedrock's models and the local ones, filtered the way ListFoundationModels filters (plus
// input modality and how Strata serves each model), with capability badges, context window and prices.
import { useMemo, useState } from "react";
import { formatInteger, formatPricePer1k } from "../../components/format.js";
import { ErrorMessage, Loading, Page } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { type CatalogFilters, type CatalogModel, listCatalogModels } from "./catalog-api.js";

const servedByLabels: Record<string, string> = {
  LOCAL_ENGINE: "Local engine",
  PASS_THROUGH: "Pass-through to Bedrock",
  CATALOG_ONLY: "Catalog only",
};

function Select(props: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">Any</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function badges(model: CatalogModel): string[] {
  const list: string[] = [];
  if (model.responseStreamingSupported) list.push("Streaming");
  const capabilities = model.capabilities ?? {};
  if (capabilities.toolUse) list.push("Tool use");
  if (capabilities.systemPrompt) list.push("System prompt");
  if (capabilities.imageInput || model.inputModalities.includes("IMAGE")) list.push("Image input");
  if (capabilities.documentInput) list.push("Documents");
  for (const type of model.customizationsSupported)
    list.push(
      type === "FINE_TUNING"
        ? "Fine-tuning"
        : type === "CONTINUED_PRE_TRAINING"
          ? "Continued pre-training"
          : type.charAt(0) + type.slice(1).toLowerCase().replaceAll("_", " "),
    );
  if (model.inferenceTypesSupported.includes("PROVISIONED")) list.push("Provisioned");
  return list;
}

function ModelCard(props: { model: CatalogModel }) {
  const { model } = props;
  const price = model.pricing?.onDemand;
  const servable = model.servedBy !== "CATALOG_ONLY" && model.outputModalities.includes("TEXT");
  return (
    <article className="card model-card" aria-labelledby={`model-${model.modelId}`}>
      <header>
        <h2 id={`model-${model.modelId}`}>{model.modelName ?? model.modelId}</h2>
        <span className={`badge served-${model.servedBy.toLowerCase()}`}>
          {servedByLabels[model.servedBy]}
        </span>
      </header>
      <p className="muted small">
        <code>{model.modelId}</code> · {model.providerName} · {model.lifecycleStatus}
      </p>
      <dl className="facts">
        <dt>Input → output</dt>
        <dd>
          {model.inputModalities.join(", ")} → {model.outputModalities.join(", ")}
        </dd>
        <dt>Context window</dt>
        <dd>{model.contextWindowTokens ? `${formatInteger(model.contextWindowTokens)} tokens` : "—"}</dd>
        <dt>Price per 1K tokens</dt>
        <dd>
          {price?.inputPer1kTokens !== undefined
            ? `${formatPricePer1k(price.inputPer1kTokens)} in · ${formatPricePer1k(price.outputPer1kTokens)} out`
            : model.servedBy === "LOCAL_ENGINE"
              ? "Local (see Usage for the local rate)"
              : "—"}
        </dd>
        <dt>Inference</dt>
        <dd>{model.inferenceTypesSupported.join(", ") || "—"}</dd>
      </dl>
      <ul className="badges" aria-label="Capabilities">
        {badges(model).map((badge) => (
          <li key={badge} className="badge">
            {badge}
          </li>
        ))}
      </ul>
      {servable ? (
        <a className="button" href={`#/playground?models=${encodeURIComponent(model.modelId)}`}>
          Open in playground
        </a>
      ) : null}
    </article>
  );
}

export function CatalogPage() {
  const [filters, setFilters] = useState<CatalogFilters>({});
  const [inputModality, setInputModality] = useState("");
  const [search, setSearch] = useState("");
  const all = useApi((signal) => listCatalogModels({}, signal), []);
  const filtered = useApi((signal) => listCatalogModels(filters, signal), [JSON.stringify(filters)]);
  const providers = useMemo(
    () => [...new Set((all.data ?? []).map((model) => model.providerName))].sort(),
    [all.data],
  );
  const set = (key: keyof CatalogFilters) => (value: string) =>
    setFilters((previous) => ({ ...previous, [key]: value || undefined }));
  const servedFirst = ["LOCAL_ENGINE", "PASS_THROUGH", "CATALOG_ONLY"];
  const models = [...(filtered.data ?? [])]
    .sort((a, b) => servedFirst.indexOf(a.servedBy) - servedFirst.indexOf(b.servedBy))
    .filter(
      (model) =>
        (inputModality === "" || model.inputModalities.includes(inputModality)) &&
        (search === "" ||
          `${model.modelId} ${model.modelName ?? ""}`.toLowerCase().includes(search.toLowerCase())),
    );

  return (
    <Page title="Model catalog">
      <form className="filters" aria-label="Filter models" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="catalog-search">Search</label>
          <input
            id="catalog-search"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <Select
          id="filter-provider"
          label="Provider"
          value={filters.byProvider ?? ""}
          options={providers.map((provider) => [provider, provider])}
          onChange={set("byProvider")}
        />
        <Select
          id="filter-input"
          label="Input modality"
          value={inputModality}
          options={[
            ["TEXT", "Text"],
            ["IMAGE", "Image"],
            ["VIDEO", "Video"],
            ["SPEECH", "Speech"],
          ]}
          onChange={setInputModality}
        />
        <Select
          id="filter-output"
          label="Output modality"
          value={filters.byOutputModality ?? ""}
          options={[
            ["TEXT", "Text"],
            ["IMAGE", "Image"],
            ["EMBEDDING", "Embedding"],
          ]}
          onChange={set("byOutputModality")}
        />
        <Select
          id="filter-customization"
          label="Customization"
          value={filters.byCustomizationType ?? ""}
          options={[
            ["FINE_TUNING", "Fine-tuning"],
            ["CONTINUED_PRE_TRAINING", "Continued pre-training"],
            ["DISTILLATION", "Distillation"],
          ]}
          onChange={set("byCustomizationType")}
        />
        <Select
          id="filter-inference"
          label="Inference type"
          value={filters.byInferenceType ?? ""}
          options={[
            ["ON_DEMAND", "On demand"],
            ["PROVISIONED", "Provisioned"],
          ]}
          onChange={set("byInferenceType")}
        />
        <Select
          id="filter-served"
          label="Served by"
          value={filters.byServedBy ?? ""}
          options={Object.entries(servedByLabels)}
          onChange={set("byServedBy")}
        />
      </form>
      <ErrorMessage error={filtered.error} />
      <Loading loading={filtered.loading && !filtered.data} what="the catalog" />
      <p className="muted" aria-live="polite">
        {filtered.data ? `${models.length} model(s)` : ""}
      </p>
      <div className="card-grid">
        {models.map((model) => (
          <ModelCard key={model.modelId} model={model} />
        ))}
      </div>
    </Page>
  );
}
