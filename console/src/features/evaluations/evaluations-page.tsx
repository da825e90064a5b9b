// Evaluations: the list, a form for a new one, and each job's report.
import { formatTime } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { EvaluationForm } from "./evaluation-form.js";
import { EvaluationReport } from "./evaluation-report.js";
import { listEvaluationJobs } from "./evaluations-api.js";

function EvaluationList(props: { params: URLSearchParams }) {
  const jobs = useApi((signal) => listEvaluationJobs(signal), [], {
    pollMs: 3000,
    pollWhile: (list) => list.some((job) => job.status === "InProgress" || job.status === "Stopping"),
  });
  return (
    <Page title="Evaluations">
      <EvaluationForm initialModels={(props.params.get("models") ?? "").split(",").filter(Boolean)} />
      <ErrorMessage error={jobs.error} />
      <Loading loading={jobs.loading && !jobs.data} what="evaluations" />
      {jobs.data && jobs.data.length === 0 ? <p className="muted">No evaluation jobs yet.</p> : null}
      {jobs.data && jobs.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Task</th>
              <th scope="col">Models</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((job) => (
              <tr key={job.jobArn}>
                <td>
                  <a href={`#/evaluations/${encodeURIComponent(job.jobArn)}`}>{job.jobName}</a>
                </td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>{job.evaluationTaskTypes?.join(", ") ?? "—"}</td>
                <td>{job.modelIdentifiers?.join(", ") ?? "—"}</td>
                <td>{formatTime(job.creationTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

export function EvaluationsPage(props: { params: URLSearchParams; jobArn?: string }) {
  return props.jobArn ? (
    <EvaluationReport key={props.jobArn} jobArn={props.jobArn} />
  ) : (
    <EvaluationList params={props.params} />
  );
}
