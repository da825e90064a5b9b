// Which page each hash route shows. Features never import each other; they link with hash routes.
import { CatalogPage } from "../features/catalog/catalog-page.js";
import { CustomModelPage } from "../features/custom-models/custom-model-page.js";
import { CustomModelsPage } from "../features/custom-models/custom-models-page.js";
import { JobPage } from "../features/customization/job-page.js";
import { JobWizard } from "../features/customization/job-wizard.js";
import { JobsPage } from "../features/customization/jobs-page.js";
import { DataPage } from "../features/data/data-page.js";
import { EvaluationsPage } from "../features/evaluations/evaluations-page.js";
import { PlaygroundPage } from "../features/playground/playground-page.js";
import { ThroughputPage } from "../features/provisioned-throughput/throughput-page.js";
import { UsagePage } from "../features/usage/usage-page.js";
import type { Route } from "./router.js";

export const sections = [
  { id: "catalog", label: "Catalog" },
  { id: "playground", label: "Playground" },
  { id: "data", label: "Data" },
  { id: "customization", label: "Customization" },
  { id: "custom-models", label: "Custom models" },
  { id: "provisioned-throughput", label: "Provisioned throughput" },
  { id: "evaluations", label: "Evaluations" },
  { id: "usage", label: "Usage and cost" },
] as const;

export function RouteView(props: { route: Route }) {
  const [section = "catalog", id] = props.route.labels;
  const { params } = props.route;
  switch (section) {
    case "catalog":
      return <CatalogPage />;
    case "playground":
      // Keyed by the requested models so that a link from another page starts a fresh playground.
      return <PlaygroundPage key={params.get("models") ?? ""} params={params} />;
    case "data":
      return <DataPage />;
    case "customization":
      if (id === "new") return <JobWizard key={params.toString()} params={params} />;
      return id ? <JobPage key={id} jobArn={id} /> : <JobsPage />;
    case "custom-models":
      return id ? <CustomModelPage key={id} modelArn={id} /> : <CustomModelsPage />;
    case "provisioned-throughput":
      return <ThroughputPage key={params.get("model") ?? ""} params={params} />;
    case "evaluations":
      return <EvaluationsPage params={params} {...(id ? { jobArn: id } : {})} />;
    case "usage":
      return <UsagePage />;
    default:
      return (
        <section className="page">
          <h1>Not found</h1>
          <p>
            There is no page <code>{props.route.labels.join("/")}</code>.{" "}
            <a href="#/catalog">Go to the catalog.</a>
          </p>
        </section>
      );
  }
}
