// A validation report: the verdict, the stats, and the problems pinned to the lines of the file they are on
// (when the file's text is at hand, i.e. it was just uploaded from this browser).
import { formatBytes, formatInteger } from "../../components/format.js";
import type { DatasetProblem, DatasetReport } from "./data-api.js";

const maxLinesShown = 400;

function problemsByLine(problems: readonly DatasetProblem[]): Map<number, DatasetProblem[]> {
  const byLine = new Map<number, DatasetProblem[]>();
  for (const problem of problems) byLine.set(problem.line, [...(byLine.get(problem.line) ?? []), problem]);
  return byLine;
}

function ProblemText(props: { problem: DatasetProblem }) {
  return (
    <>
      {props.problem.field ? <code>{props.problem.field}</code> : null} {props.problem.reason}
    </>
  );
}

/** Which lines to show: all of a short file; of a long one, the problem lines with two lines around each. */
function linesToShow(lineCount: number, problemLines: readonly number[]): number[] {
  if (lineCount <= maxLinesShown) return Array.from({ length: lineCount }, (_, index) => index + 1);
  const shown = new Set<number>();
  for (const line of problemLines)
    for (let near = line - 2; near <= line + 2; near++) if (near >= 1 && near <= lineCount) shown.add(near);
  return [...shown].sort((a, b) => a - b).slice(0, maxLinesShown);
}

function FileView(props: { text: string; byLine: Map<number, DatasetProblem[]> }) {
  const lines = props.text.replace(/\n$/, "").split("\n");
  const shown = linesToShow(lines.length, [...props.byLine.keys()]);
  return (
    <ol className="file-view" aria-label="File with problems pinned to their lines">
      {shown.map((number, index) => {
        const problems = props.byLine.get(number);
        const gap = index > 0 && number !== (shown[index - 1] ?? 0) + 1;
        return (
          <li
            key={number}
            id={`line-${number}`}
            value={number}
            className={`${problems ? "has-problem" : ""} ${gap ? "after-gap" : ""}`}
            data-line={number}
          >
            <code className="line-text">{lines[number - 1]?.slice(0, 500) ?? ""}</code>
            {problems?.map((problem, at) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a line's problems are fixed once reported.
              <p key={at} className="pinned-problem" role="note">
                Line {number}: <ProblemText problem={problem} />
              </p>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

export function DatasetReportView(props: { report: DatasetReport; fileText?: string; fileName: string }) {
  const { report } = props;
  const byLine = problemsByLine(report.problems);
  const fileProblems = byLine.get(0) ?? [];
  byLine.delete(0);
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">
        Validation of {props.fileName}:{" "}
        <span className={`badge status-${report.valid ? "ok" : "bad"}`} data-testid="dataset-verdict">
          {report.valid ? "valid" : `${report.problems.length + report.omittedProblems} problem(s)`}
        </span>
      </h2>
      <dl className="facts stats">
        <dt>Format</dt>
        <dd>{report.format}</dd>
        <dt>Records</dt>
        <dd>
          {formatInteger(report.records)} ({formatInteger(report.stats.validRecords)} valid)
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(report.bytes)}</dd>
        <dt>Characters</dt>
        <dd>{formatInteger(report.stats.characters)}</dd>
        <dt>Longest record</dt>
        <dd>
          {formatInteger(report.stats.maxRecordCharacters)} characters
          {report.stats.maxRecordTokens !== undefined
            ? `, ${formatInteger(report.stats.maxRecordTokens)} tokens`
            : ""}
        </dd>
        <dt>Empty lines</dt>
        <dd>{formatInteger(report.stats.emptyLines)}</dd>
      </dl>
      {fileProblems.map((problem, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed once reported.
        <p key={index} className="error" role="alert">
          <ProblemText problem={problem} />
        </p>
      ))}
      {report.problems.length > 0 ? (
        <>
          <h3>Problems</h3>
          <ul className="problem-list">
            {[...byLine.entries()].map(([line, problems]) =>
              problems.map((problem, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed once reported.
                <li key={`${line}-${index}`}>
                  {props.fileText !== undefined ? (
                    <a
                      href={`#line-${line}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(`line-${line}`)?.scrollIntoView({ block: "center" });
                      }}
                    >
                      Line {line}
                    </a>
                  ) : (
                    <>Line {line}</>
                  )}
                  : <ProblemText problem={problem} />
                </li>
              )),
            )}
            {report.omittedProblems > 0 ? <li>… and {report.omittedProblems} more</li> : null}
          </ul>
        </>
      ) : null}
      {props.fileText !== undefined ? <FileView text={props.fileText} byLine={byLine} /> : null}
    </section>
  );
}
