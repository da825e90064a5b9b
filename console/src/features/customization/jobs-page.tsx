// Customization jobs, newest first; polled while any is running.
import { formatTime } from "../../components/format.js";
import { ErrorMessage, Loading, Page, StatusBadge } from "../../components/page.js";
import { useApi } from "../../components/use-api.js";
import { listJobs } from "./customization-api.js";

export function JobsPage() {
  const jobs = useApi((signal) => listJobs(signal), [], {
    pollMs: 3000,
    pollWhile: (list) => list.some((job) => job.status === "InProgress" || job.status === "Stopping"),
  });
  return (
    <Page
      title="Customization jobs"
      actions={
        <a className="button primary" href="#/customization/new">
          New job
        </a>
      }
    >
      <ErrorMessage error={jobs.error} />
      <Loading loading={jobs.loading && !jobs.data} what="jobs" />
      {jobs.data?.length === 0 ? <p className="muted">No jobs yet.</p> : null}
      {jobs.data && jobs.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Base model</th>
              <th scope="col">Custom model</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((job) => (
              <tr key={job.jobArn}>
                <td>
                  <a href={`#/customization/${encodeURIComponent(job.jobArn)}`}>{job.jobName}</a>
                </td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>{job.baseModelArn.split("/").pop()}</td>
                <td>
                  {job.customModelArn ? (
                    <a href={`#/custom-models/${encodeURIComponent(job.customModelArn)}`}>
                      {job.customModelName}
                    </a>
                  ) : (
                    (job.customModelName ?? "—")
                  )}
                </td>
                <td>{formatTime(job.creationTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
